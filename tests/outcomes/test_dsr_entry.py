"""Entering a directly standardised rate from its age bands (Dobson's method): the officer's form
for the demo's preventable cardiovascular mortality, a DSR per 100,000 in 3-year pools."""

from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes.models import Proposal, Value
from tests.outcomes.test_methods_reference import VIGNETTE_DEATHS, VIGNETTE_POPULATIONS

pytestmark = pytest.mark.django_db

URL = reverse("manage:value_dsr", args=["doncaster", "preventable-cardiovascular-mortality"])
BANDS = "\n".join(f"{x}, {n}" for x, n in zip(VIGNETTE_DEATHS, VIGNETTE_POPULATIONS, strict=True))


@pytest.fixture
def doncaster_client(client, officer_doncaster):
    client.force_login(officer_doncaster)
    return client


def post(client, **data):
    form = {"period": "2023-25", "age_bands": BANDS, "confirm_change": "on"} | data
    return client.post(URL, form)


def test_check_shows_the_dobson_rate_and_interval_then_save_keeps_them(doncaster_client):
    # PHEindicatormethods' vignette example: DSR 8283.0 per 100,000, Dobson 95% 6570.8-10289.6.
    checked = post(doncaster_client, check="1")
    assert checked.status_code == 200
    html = checked.content.decode()
    assert "8283.0 per 100,000" in html
    assert "6570.8 to 10289.6" in html
    assert "Dobson's method, with Byar's limits" in html and "88 in 860" in html
    assert not Value.objects.filter(
        measure__slug="preventable-cardiovascular-mortality", period__start="2023-01-01"
    ).exists()

    saved = post(doncaster_client)
    assert saved.status_code == 302, saved.context["form"].errors
    proposal = Proposal.objects.get(
        value__measure__slug="preventable-cardiovascular-mortality",
        value__place__slug="doncaster",
        value__period__start="2023-01-01",
    )
    assert (proposal.value_figure, proposal.lower_ci, proposal.upper_ci) == (
        Decimal("8283.0"),
        Decimal("6570.8"),
        Decimal("10289.6"),
    )
    assert (proposal.numerator, proposal.denominator) == (Decimal(88), Decimal(860))


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("1, 100\n2, 200", "Give 19 lines, one for each age band from 0-4 to 90+; there are 2"),
        (BANDS.replace("1, 30", "one, 30", 1), "Age band 0-4: 'one, 30' is not two numbers"),
        ("\n".join(["0, 100"] * 18 + ["9, 100"]), "not calculated from fewer than 10"),
        (BANDS.replace("1, 30", "1, 0", 1), "population greater than zero"),
    ],
)
def test_bad_age_bands_are_an_error_beside_the_field(doncaster_client, bands, message):
    response = post(doncaster_client, age_bands=bands)
    assert response.status_code == 200
    errors = response.context["form"].errors["age_bands"]
    assert any(message in e for e in errors), errors


def test_only_a_standardised_rate_has_the_age_band_form(doncaster_client):
    url = reverse("manage:value_dsr", args=["doncaster", "employment-rate"])
    assert doncaster_client.get(url).status_code == 404
    new = reverse("manage:value_new", args=["doncaster", "preventable-cardiovascular-mortality"])
    assert URL in doncaster_client.get(new).content.decode()
