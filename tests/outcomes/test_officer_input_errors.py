"""Officer input that used to end in a 500 (issue 14, finding 7): each now gets a clear message
beside its field (the form) or on its row (the upload), and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outcomes.models import Proposal, Upload

pytestmark = pytest.mark.django_db

NEW_URL = reverse("manage:value_new", args=["doncaster", "employment-rate"])
HEADER = "area_code,indicator,period,value,lci_95,uci_95,note,source\n"
GDHI = "Gross disposable household income per head"


@pytest.fixture
def doncaster_client(client, officer_doncaster):
    client.force_login(officer_doncaster)
    return client


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "1e100"}, "value", "The value must be between -10,000,000,000 and"),
        ({"value": "1E+30"}, "value", "The value must be between -10,000,000,000 and"),
        (
            {"value": "50", "lower_ci": "-1e100", "upper_ci": "60"},
            "lower_ci",
            "The lower limit must be between",
        ),
        ({"note": "x" * 2001}, "note", "at most 2000 characters"),
        ({"source": "s" * 501}, "source", "at most 500 characters"),
        ({"note": "before\x00after"}, "note", "Null characters are not allowed"),
        ({"source": "ONS\x07"}, "source", "has a control character in it"),
    ],
)
def test_the_form_answers_each_with_a_message_beside_the_field(
    doncaster_client, data, field, message
):
    form = {"period": "2024", "value": "70.5", "lower_ci": "", "upper_ci": ""} | data
    response = doncaster_client.post(NEW_URL, form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Proposal.objects.filter(value__period__start="2024-01-01").exists()


def upload(client, text: str):
    data = (HEADER + text).encode()
    return client.post(reverse("manage:upload"), {"file": SimpleUploadedFile("v.csv", data)})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("E08000017,Employment rate,2024,1e100,,,,", "the value must be between -10,000,000,000"),
        ("E08000017,Employment rate,2024,70,1E+30,80,,", "the lower limit must be between"),
        # The preview used to accept this and the confirm crashed on the column's 16 digits.
        (f"E08000017,{GDHI},2023,10000000000,,,,", "10000000000 is not"),
        ("E08000017,Employment rate,2024,70,,,a\x00b,", "the note has a control character"),
        (f"E08000017,Employment rate,2024,70,,,,{'s' * 501}", "at most 500 characters"),
        # ... and for a period that already has a value (it was cut to 500 without a word).
        (f"E08000017,Employment rate,2023,70,,,,{'s' * 501}", "at most 500 characters"),
        (f"E08000017,Employment rate,2024,70,,,{'n' * 2001},", "at most 2,000 characters"),
    ],
)
def test_the_upload_answers_each_on_its_row_and_saves_nothing(doncaster_client, row, message):
    response = upload(doncaster_client, row + "\n")
    assert response.status_code == 200
    reasons = [i["reason"] for i in response.context["items"] if i["kind"] == "error"]
    assert any(message in reason for reason in reasons), reasons
    assert "Line 2:" in response.content.decode()
    assert not Upload.objects.exists() and not Proposal.objects.exists()


def test_a_large_bad_upload_gets_a_short_page_that_counts_every_problem(doncaster_client, settings):
    """Issue 14, finding 8: 50,000 bad rows made a 47 MB page (every error twice). The page
    now names the first 20 problems, lists the first 500 problem rows, and counts the rest."""
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    bad = "E08000017,Employment rate,2024,seventy,,,,\n"
    response = upload(doncaster_client, bad * 5000)
    assert response.status_code == 200
    html = response.content.decode()
    assert "5000 rows of v.csv have problems: nothing has been saved" in html
    assert "And 4,980 more problems; the first 500 are listed below." in html
    assert "4,500 more rows are not listed here" in html
    assert html.count("is not a number") == 20 + 500
    assert len(html) < 300_000
    assert not Upload.objects.exists()
