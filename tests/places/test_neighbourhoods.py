"""Neighbourhoods: public pages at every level (system, place, neighbourhood); a place's page lists
its neighbourhoods and shows one measure across them; the place's officers enter, upload and
approve their values; the API serves them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from outcomes.models import Proposal, Value
from outcomes.permissions import staff_access
from outcomes.services.review import proposal_approve
from places.models import Place
from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache  # noqa: F401
from tests.outcomes.workflow_helpers import new_value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def make_neighbourhood(name="Firth Park", code="E99000101", parent="sheffield") -> Place:
    place = Place(
        name=name,
        slug=name.lower().replace(" ", "-"),
        code=code,
        kind=Place.Kind.NEIGHBOURHOOD,
        parent=Place.objects.get(slug=parent),
    )
    place.full_clean()
    place.save()
    return place


@pytest.fixture
def firth_park():
    return make_neighbourhood()


def publish(officer, approver, **kwargs) -> Value:
    value = new_value(officer, submit=True, **kwargs)
    return proposal_approve(user=approver, value=value, expected_version=value.version)


def test_a_neighbourhood_has_its_own_page_beside_its_place_and_england(
    client, firth_park, officer_sheffield, approver
):
    publish(officer_sheffield, approver, place="firth-park", year=2023, value="61.5")
    response = client.get(firth_park.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "A neighbourhood of Sheffield" in html
    rug = table(response.content, "People have the skills and resources to thrive: Firth Park")
    assert rug["rows"][0] == [
        "Measure",
        "Firth Park",
        "Sheffield",
        "England",
        "Statuses for Firth Park",
    ]
    employment = next(r for r in rug["rows"] if r[0].startswith("Employment rate"))
    assert employment[1] == "61.5% 2023"
    assert employment[2:4] == ["73.1% 2023", "76.0% 2023"]  # Sheffield, England


def test_the_place_page_and_the_list_of_places_link_its_neighbourhoods(client, firth_park):
    make_neighbourhood("Darnall", "E99000102")
    make_neighbourhood("Hoyland", "E99000103", parent="barnsley")
    sheffield = client.get(reverse("places:detail", args=["sheffield"])).content.decode()
    assert "Neighbourhoods of Sheffield" in sheffield
    assert 'href="/places/firth-park/"' in sheffield and 'href="/places/darnall/"' in sheffield
    assert "/places/hoyland/" not in sheffield
    places = client.get(reverse("places:index")).content.decode()
    for slug in ("firth-park", "darnall", "hoyland"):
        assert f'href="/places/{slug}/"' in places


def test_the_place_page_shows_one_measure_across_its_neighbourhoods(
    client, firth_park, officer_sheffield, approver
):
    make_neighbourhood("Darnall", "E99000102")
    publish(officer_sheffield, approver, place="firth-park", year=2023, value="61.5")
    url = reverse("places:detail", args=["sheffield"])
    response = client.get(url, {"measure": "employment-rate"})
    across = table(response.content, "Employment rate, ages 16 to 64: the latest value in each")
    names = [row[0] for row in across["rows"][1:]]
    assert names == ["Darnall", "Firth Park", "Sheffield (the place)", "England"]
    assert across["rows"][2][1] == "61.5% 2023"
    assert across["rows"][1][1] == "No values have been published for Darnall."
    bad = client.get(url, {"measure": "no-such-measure"}).content.decode()
    assert "Choose a measure from the list" in bad


def test_a_place_page_with_neighbourhoods_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, firth_park
):
    url = reverse("places:detail", args=["sheffield"])
    with django_assert_num_queries(9):  # as any place's page (test_public_pages.py)
        client.get(url)
    for n in range(5):
        make_neighbourhood(f"Area {n}", f"E9900020{n}")
    cache.clear()  # a new area shows once the page's copy expires (PUBLIC_PAGE_CACHE_SECONDS)
    with django_assert_num_queries(9):
        client.get(url)
    # one measure across them: + its values and periods
    with django_assert_num_queries(11):
        client.get(url, {"measure": "employment-rate"})


def test_a_neighbourhood_page_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, firth_park
):
    # the stamp, the areas, the neighbourhood, outcomes, measures, values, periods, targets,
    # values by group
    with django_assert_num_queries(9):
        assert client.get(firth_park.get_absolute_url()).status_code == 200


def test_an_unknown_area_is_not_found(client):
    assert client.get(reverse("places:detail", args=["nowhere"])).status_code == 404


def test_a_places_officers_and_approvers_work_on_its_neighbourhoods_only(
    firth_park, officer_sheffield, officer_doncaster, django_assert_num_queries
):
    with django_assert_num_queries(1):
        sheffield = staff_access(officer_sheffield)
    assert sheffield.can_edit(firth_park.pk)
    assert not staff_access(officer_doncaster).can_edit(firth_park.pk)


def test_the_officer_enters_a_value_for_a_neighbourhood(client, firth_park, officer_sheffield):
    client.force_login(officer_sheffield)
    home = client.get(reverse("manage:index")).content.decode()
    assert "Firth Park" in home
    url = reverse("manage:value_new", args=["firth-park", "employment-rate"])
    response = client.post(url, {"period": "2023", "value": "61.5", "lower_ci": "", "upper_ci": ""})
    assert response.status_code == 302
    proposal = Proposal.objects.get(value__place=firth_park)
    assert proposal.value_figure == Decimal("61.5")


def test_another_places_officer_gets_not_found(client, firth_park, officer_doncaster):
    client.force_login(officer_doncaster)
    url = reverse("manage:value_new", args=["firth-park", "employment-rate"])
    assert client.get(url).status_code == 404


def test_the_upload_accepts_neighbourhood_rows(client, firth_park, officer_sheffield):
    client.force_login(officer_sheffield)
    text = "area_code,area_name,indicator,period,value\n"
    text += "E99000101,Firth Park,Employment rate,2023,61.5\n"
    response = client.post(
        reverse("manage:upload"), {"file": SimpleUploadedFile("v.csv", text.encode())}
    )
    preview = client.get(response["Location"])
    assert preview.context["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "error": 0}


def test_the_api_serves_a_neighbourhood_and_its_values(
    client, firth_park, officer_sheffield, approver
):
    publish(officer_sheffield, approver, place="firth-park", year=2023, value="61.5")
    places = client.get("/api/v1/places").json()
    found = next(p for p in places["results"] if p["code"] == "E99000101")
    assert found["kind"] == "neighbourhood"
    values = client.get("/api/v1/values", {"place": "firth-park"}).json()
    assert [v["value"] for v in values["results"]] == [61.5]
