"""Pages read on a phone: the status filter of the home and place pages, sortable tables, the
measure chart's place picker, and compressed HTML for visitors (never with a CSRF token)."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from tests.outcomes.public_helpers import clear_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

HLE = reverse("outcomes:measure", args=["male-healthy-life-expectancy"])


def rug_rows(html: str) -> int:
    return html.count('<th class="nhsuk-table__cell st-rug__measure" scope="row">')


def test_the_home_page_filters_measures_by_status_without_javascript(client):
    every = client.get(reverse("home")).content.decode()
    worse = client.get(reverse("home") + "?status=worse").content.decode()
    assert rug_rows(every) == 23
    assert 0 < rug_rows(worse) < 23
    assert "Healthy life expectancy at birth: men" in worse  # worse than England everywhere
    assert "Children at the expected level in communication" not in worse  # not compared
    assert "with the status “Worse than England”" in worse
    assert rug_rows(client.get(reverse("home") + "?status=nonsense").content.decode()) == 23


def test_the_place_page_filters_by_its_own_statuses(client):
    url = reverse("places:detail", args=["barnsley"])
    html = client.get(url + "?status=moving_away").content.decode()
    assert "Healthy life expectancy at birth: men" in html
    assert "with the status “Moving away from target”" in html
    assert "data-sortable" in html and "js/tables" in html


def test_the_measure_chart_shows_the_system_region_and_england_by_default(client):
    html = client.get(HLE).content.decode()
    assert 'id="time-series"' in html and "<svg" in html
    assert 'data-series="south-yorkshire"' in html and 'data-series="england"' in html
    assert 'data-series="barnsley"' not in html
    assert html.count('data-band="') == 2  # narrow and wide drawings of one band
    assert 'data-band="south-yorkshire"' in html
    assert "2022-24" in html and "Target Dec 2030" in html


def test_the_place_picker_chooses_places_and_the_band(client):
    html = client.get(HLE + "?area=barnsley&area=sheffield&band=sheffield").content.decode()
    assert 'data-series="barnsley"' in html and 'data-series="sheffield"' in html
    assert 'data-series="england"' not in html
    assert 'data-band="sheffield"' in html and 'data-band="barnsley"' not in html
    assert html.count(" checked") == 2  # the two boxes ticked, for the next change


def test_plotly_is_not_loaded_by_any_page_until_asked(client):
    html = client.get(HLE).content.decode()
    assert "plotly-basic-4.1.1.min.js" in html  # named for charts.js to load on request
    assert '<script src="/static/vendor/plotly' not in html
    assert 'rel="stylesheet" id="plotly.js-style-global"' not in html


def test_visitors_get_compressed_pages_and_a_form_with_a_token_does_not(client):
    response = client.get(reverse("home"), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert b"Is our strategy working?" in gzip.decompress(response.content)
    login = client.get(reverse("login"), headers={"accept-encoding": "gzip"})
    assert not login.has_header("Content-Encoding")  # it carries a CSRF token (BREACH)


def test_signed_in_pages_are_not_compressed(client, approver):
    client.force_login(approver)
    response = client.get(reverse("home"), headers={"accept-encoding": "gzip"})
    assert not response.has_header("Content-Encoding")


def test_every_page_has_a_meta_description(client):
    for url in (reverse("home"), HLE, reverse("login")):
        assert '<meta name="description" content="' in client.get(url).content.decode()


def test_the_trajectories_are_in_a_table_beside_the_chart(client):
    html = client.get(HLE).content.decode()
    rows = html.split('id="table-trajectories"')[1].split("</table>")[0]
    barnsley = rows.split('scope="row">Barnsley</th>')[1].split("</tr>")[0]
    # baseline 57.2 (2018-20), 58.2 expected by 2022-24 on the line to 60.2 by the end of 2030
    assert "57.2 years" in barnsley and "58.2 years" in barnsley and "60.2 years" in barnsley
    assert "by 31 December 2030" in barnsley


def test_every_example_link_on_the_api_docs_works(client):
    html = client.get("/api/v1/docs").content.decode()
    links = [part.split('"')[0] for part in html.split('class="st-long-url" href="')[1:]]
    assert len(links) >= 9
    for link in links:
        assert link.startswith("/api/v1/") and not link.startswith("/api/v1/api/")
        assert client.get(link).status_code == 200, link
