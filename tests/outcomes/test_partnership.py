"""Any partnership: the partnership is data (name, description, areas) that names the site and
introduces the home page; outcomes group under themes; Lancashire and South Cumbria loads as a
second demo with real values; Core20PLUS5 measures await their first data."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from outcomes import partnership as partnership_module
from outcomes.models import Outcome, Partnership
from outcomes.partnership import forget_site_identity, site_identity
from tests.outcomes.html_tables import table
from tests.outcomes.public_helpers import clear_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache", "fresh_identity")]

LSC = settings.BASE_DIR / "fixtures" / "lancashire_south_cumbria"


@pytest.fixture
def fresh_identity():
    """Each test reads the partnership afresh; after it (its changes rolled back) the demo's
    names are kept again, so that other tests' query counts need no read."""
    demo = site_identity()
    forget_site_identity()
    yield
    partnership_module._memo["site"] = (0.0, demo)


def test_the_site_is_named_by_the_partnership(client):
    partnership = Partnership.objects.get()
    assert partnership.name == "South Yorkshire Integrated Care Partnership"
    assert partnership.areas.count() == 5
    partnership.name = "Test Valley Health and Care Partnership"
    partnership.logo_text = "Test Valley tracker"
    partnership.save()
    forget_site_identity()
    html = client.get(reverse("home")).content.decode()
    assert "Test Valley Health and Care Partnership has four shared outcomes" in html
    assert '<span class="nhsuk-header__service-name">Test Valley tracker</span>' in html


def test_without_a_partnership_the_setting_names_the_site(client):
    Partnership.objects.all().delete()
    html = client.get(reverse("home")).content.decode()
    assert f"{settings.SITE_NAME} has four shared outcomes" in html


def test_the_home_introduction_counts_and_names_its_own_outcomes(client):
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert (
        "has four shared outcomes: "
        '<a href="/outcomes/best-start-in-life/">Children and young people have the best start '
        "in life</a>;"
    ) in html
    Outcome.objects.create(slug="a-fifth", title="A fifth outcome", ambition="Test.", order=9)
    cache.clear()  # reference data shows within PUBLIC_PAGE_CACHE_SECONDS
    html = " ".join(client.get(reverse("home")).content.decode().split())
    assert "has five shared outcomes" in html and ">A fifth outcome</a>." in html
    assert "four shared outcomes" not in html


def test_the_admin_edits_the_partnership(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    partnership = Partnership.objects.get()
    url = reverse("admin:outcomes_partnership_change", args=[partnership.pk])
    assert client.get(url).status_code == 200
    form = {
        "name": "Edited Partnership",
        "short_name": "Edited",
        "description": "Who we are.",
        "logo_text": "",
        "areas": list(partnership.areas.values_list("pk", flat=True)),
    }
    with django_capture_on_commit_callbacks(execute=True):  # as when the save commits
        assert client.post(url, form).status_code == 302
    client.logout()
    html = client.get(reverse("home")).content.decode()
    assert "Edited Partnership has four shared outcomes" in html and "Who we are." in html
    # one partnership per site
    client.force_login(admin_user)
    assert client.get(reverse("admin:outcomes_partnership_add")).status_code == 403


def test_lancashire_and_south_cumbria_loads_as_a_second_demo_with_real_values(client):
    out = io.StringIO()
    call_command("load_reference", str(LSC), "--with-values", stdout=out)
    assert "values.csv: " in out.getvalue() and "0 updated" in out.getvalue()
    partnership = Partnership.objects.get()
    assert partnership.name == "Lancashire and South Cumbria Health and Care Partnership"
    codes = set(partnership.areas.values_list("code", flat=True))
    assert codes == {"E54000048", "E10000017", "E06000008", "E06000009", "E06000064"}

    # Its six priorities under its four themes (South Yorkshire's, without themes, follow).
    html = client.get(reverse("outcomes:index")).content.decode()
    for theme in ("Starting well", "Living well", "Ageing well", "Dying well"):
        assert f">{theme}</h2>" in html
    living = html.split(">Living well</h2>")[1].split("</h2>")[0]
    assert living.count("<h3") == 3

    # Real values: DfE's persistent absence in Blackpool, 2024/25 (22.0181%; FSM 32.91559%).
    page = client.get(reverse("outcomes:measure", args=["lsc-persistent-absence"]))
    lens = table(page.content, "Pupils persistently absent from school by pupil group")
    blackpool = next(r for r in lens["rows"] if r[0] == "Blackpool")
    assert blackpool[1:5] == ["2024/25", "22.0%", "32.9%", "18.3%"]


def test_core20plus5_measures_await_their_first_data(client):
    html = client.get(reverse("outcomes:measure", args=["core20plus5-asthma"])).content.decode()
    assert "Awaiting first data" in html
    assert "NHS South Yorkshire Integrated Care Board" in html
    assert "Lower is better" in html and "per 100,000" in html
    home = client.get(reverse("home")).content.decode()
    for area in ("asthma", "diabetes", "epilepsy", "oral-health", "mental-health"):
        assert f'href="/measures/core20plus5-{area}/"' in home
    assert home.count("Awaiting first data") == 5
