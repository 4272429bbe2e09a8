"""Bulk upload: the template, the preview of every row, all-or-nothing saving, every file
problem with a clear message, and the same rules as `import_values`."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outcomes.models import Proposal, Upload, Value, ValueEvent
from outcomes.services.review import proposal_save
from tests.outcomes.workflow_helpers import figures, published

pytestmark = pytest.mark.django_db

UPLOAD = reverse("manage:upload")
HEADER = "area_code,area_name,indicator,period,value,lci_95,uci_95,source\n"
NEW_ROW = "E08000017,Doncaster,Employment rate,2024,70.5,68.9,72.1,ONS APS\n"
CHANGED_ROW = "E08000017,Doncaster,employment-rate,2023,74.9,,,ONS APS revised\n"


@pytest.fixture
def doncaster_client(client, officer_doncaster):
    client.force_login(officer_doncaster)
    return client


def upload(client, text: str | bytes, name="values.csv", encoding="utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def test_the_csv_template_is_prefilled_with_the_officers_places_and_measures(doncaster_client):
    response = doncaster_client.get(reverse("manage:upload_template"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="values-' in response["Content-Disposition"]
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 23
    assert {row["area_name"] for row in rows} == {"Doncaster"}
    employment = next(r for r in rows if r["indicator"] == "Employment rate, ages 16 to 64")
    assert (employment["period"], employment["value"]) == ("2023", "74.5")


def test_the_xlsx_template_opens_and_uploads_back_unchanged(doncaster_client):
    from openpyxl import load_workbook

    response = doncaster_client.get(reverse("manage:upload_template"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = response.getvalue()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 24 and sheet.cell(1, 1).value == "area_code"
    back = upload(doncaster_client, content, name="values.xlsx")
    assert back.status_code == 302
    preview = doncaster_client.get(back["Location"])
    assert preview.context["counts"] == {"new": 0, "changed": 0, "unchanged": 18, "error": 0}
    assert "there is nothing to save" in preview.content.decode()
    # The rows of the five Core20PLUS5 measures, with no value yet, name only area and measure.
    assert len(preview.context["empty_lines"]) == 5


def test_preview_lists_every_row_and_nothing_is_saved_until_confirmed(doncaster_client):
    unchanged = published(year=2022)
    same = f"E08000017,Doncaster,Employment rate,2022,{unchanged.value.normalize():f},"
    same += f"{unchanged.lower_ci.normalize():f},{unchanged.upper_ci.normalize():f},"
    same += f"{unchanged.source}\n"
    response = upload(doncaster_client, HEADER + NEW_ROW + CHANGED_ROW + same)
    assert response.status_code == 302
    stored = Upload.objects.get()
    assert response["Location"] == reverse("manage:upload_preview", args=[stored.token])
    assert not Proposal.objects.exists()

    preview = doncaster_client.get(response["Location"])
    assert preview.context["counts"] == {"new": 1, "changed": 1, "unchanged": 1, "error": 0}
    kinds = {item["line"]: item["kind"] for item in preview.context["items"]}
    assert kinds == {2: "new", 3: "changed", 4: "unchanged"}
    content = " ".join(preview.content.decode().split())
    assert '74.5% <span aria-hidden="true">→</span>' in content and "74.9%" in content
    assert "corrects a published value" in content
    assert "Save 2 values as drafts" in content

    refused = doncaster_client.post(response["Location"], {"reason": ""})
    assert refused.status_code == 200
    assert "Say why the published values are changing" in refused.content.decode()
    assert not Proposal.objects.exists()

    saved = doncaster_client.post(response["Location"], {"reason": "ONS revised 2023"})
    assert saved.status_code == 302 and saved["Location"] == reverse("manage:index")
    proposals = Proposal.objects.order_by("value__period__start")
    assert [(p.value.period.label, p.value_figure, p.state) for p in proposals] == [
        ("2023", Decimal("74.9"), "draft"),
        ("2024", Decimal("70.5"), "draft"),
    ]
    assert proposals[0].reason == "ONS revised 2023" and proposals[1].reason == ""
    assert Value.objects.published().get(pk=published().pk).value == Decimal("74.5")
    events = ValueEvent.objects.filter(proposal__in=proposals)
    assert sorted(events.values_list("action", "comment")) == [
        ("create", "Uploaded in values.csv"),
        ("create", "Uploaded in values.csv"),
    ]
    assert not Upload.objects.exists()
    home = doncaster_client.get(saved["Location"]).content.decode()
    assert "Saved 2 values from values.csv as drafts" in home


def test_a_bad_row_saves_nothing_and_is_named(doncaster_client):
    bad = "E08000017,Doncaster,Employment rate,2022,104,,,\n"
    response = upload(doncaster_client, HEADER + NEW_ROW + bad)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Line 3: a percentage must be between 0 and 100; 104 is not." in content
    assert "nothing has been saved" in content
    assert 'href="#line-3"' in content and 'id="line-3"' in content
    assert "Save" not in content.split("Check your upload")[1].split("Upload a different")[0]
    assert not Upload.objects.exists() and not Proposal.objects.exists()
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01"
    ).exists()


def test_an_officer_cannot_upload_another_places_values(doncaster_client):
    sheffield = "E08000039,Sheffield,Employment rate,2024,70,,,\n"
    response = upload(doncaster_client, HEADER + sheffield)
    assert "Line 2: you cannot enter values for Sheffield" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_upload_uses_the_same_rules_as_the_import_command(doncaster_client):
    rows = [
        "E08000017,Doncaster,Employment rate,2024/25,70,,,",
        "E08000017,Doncaster,Employment rate,2040,70,,,",
        "E08000017,Doncaster,Employment rate,2021,70,71,75,",
        "E09999999,Nowhere,Employment rate,2021,70,,,",
        "E08000017,Doncaster,Happiness,2021,70,,,",
    ]
    response = upload(doncaster_client, HEADER + "\n".join(rows) + "\n")
    reasons = [i["reason"] for i in response.context["items"] if i["kind"] == "error"]
    assert any("is a financial year (April to March), but Employment rate" in r for r in reasons)
    assert any("the period 2040 is in the future" in r for r in reasons)
    assert any("must contain the value 70" in r for r in reasons)
    assert any("unknown area code E09999999 (Nowhere)" in r for r in reasons)
    assert any("unknown measure 'Happiness'" in r for r in reasons)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"hello", "values.txt", "values.txt is not a CSV or XLSX file"),
        (b"not really excel", "values.xlsx", "could not be opened as an XLSX workbook"),
        (
            b"area_code,indicator,period\nE08000017,Employment rate,2024\n",
            "values.csv",
            "missing column value",
        ),
        (
            (HEADER.strip() + ",colour\n" + NEW_ROW.strip() + ",blue\n").encode(),
            "values.csv",
            "unexpected column colour",
        ),
        (HEADER.encode() + b",,,,,,,\n", "values.csv", "no rows of values (1 empty rows)"),
        (b"", "values.csv", "The submitted file is empty"),
        (b"\xff\xfe\x00a\x00r\x00e\x00a", "values.csv", "missing columns"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(doncaster_client, content, name, message):
    response = upload(doncaster_client, content, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    html = response.content.decode()
    assert 'href="#id_file"' in html and 'id="id_file_error"' in html
    assert not Upload.objects.exists()


def test_an_oversized_file_is_refused(doncaster_client, settings):
    settings.UPLOAD_MAX_BYTES = 200
    response = upload(doncaster_client, HEADER + NEW_ROW * 5)
    errors = response.context["form"].errors["file"]
    assert any("it must be smaller than 200" in error for error in errors), errors


def test_bom_and_windows_1252_files_are_read(doncaster_client):
    response = upload(doncaster_client, "\ufeff" + HEADER + NEW_ROW)
    assert response.status_code == 302
    preview = doncaster_client.get(response["Location"])
    assert preview.context["counts"]["new"] == 1
    Upload.objects.all().delete()
    row = "E08000017,Doncaster,Employment rate,2024,70.5,,,Café survey £\n"
    response = upload(doncaster_client, HEADER + row, encoding="cp1252")
    assert response.status_code == 302
    preview = doncaster_client.get(response["Location"])
    assert "read as Windows-1252" in preview.content.decode()
    doncaster_client.post(response["Location"])
    assert Proposal.objects.get().source == "Café survey £"


def test_empty_rows_are_skipped_and_said(doncaster_client):
    response = upload(doncaster_client, HEADER + ",,,,,,,\n" + NEW_ROW + ",,,,,,,\n")
    preview = doncaster_client.get(response["Location"])
    assert "Empty rows were skipped (lines 2, 4)." in preview.content.decode()


def test_someone_elses_upload_is_not_found(client, officer_doncaster, officer_sheffield):
    client.force_login(officer_doncaster)
    response = upload(client, HEADER + NEW_ROW)
    client.force_login(officer_sheffield)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"]).status_code == 404
    assert not Proposal.objects.exists()


def test_a_stale_preview_is_refused_then_shown_as_it_is_now(client, officer_doncaster, admin_user):
    client.force_login(officer_doncaster)
    response = upload(client, HEADER + CHANGED_ROW)
    preview_url = response["Location"]
    value = published()
    proposal_save(  # someone corrects the same value after the preview
        user=admin_user,
        measure=value.measure,
        place=value.place,
        period=value.period,
        expected_version=value.version,
        figures=figures("74.7"),
        reason="Admin's correction",
    )
    refused = client.post(preview_url, {"reason": "Mine"})
    assert refused.status_code == 200
    content = " ".join(refused.content.decode().split())
    assert "Some values changed since you uploaded the file" in content
    assert '74.7% <span aria-hidden="true">→</span>' in content  # compared with theirs now
    assert Proposal.objects.get().value_figure == Decimal("74.7")
    saved = client.post(preview_url, {"reason": "Mine"})
    assert saved.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.value_figure == Decimal("74.9") and proposal.entered_by == officer_doncaster
