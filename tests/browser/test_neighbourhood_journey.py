"""A neighbourhood is added under Sheffield in the admin; it appears on Sheffield's page and at its
own URL; Sheffield's officer enters a value for it, the approver publishes it, and it shows on the
neighbourhood's page and across Sheffield's neighbourhoods. Then the inequality lens on the
persistent-absence page. Every new kind of page is axe-clean at 1280 and 375 pixels wide, under
the strict Content Security Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from outcomes.models import Value
from places.models import Place
from tests.browser.helpers import assert_no_axe_violations
from tests.browser.officer_steps import go, settle

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


def axe_at_both_widths(page, screenshot, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_neighbourhood_added_in_the_admin_gets_its_page_and_its_officers_values(
    page, site, demo_data, sign_in, django_user_model, screenshot
):
    page.set_default_navigation_timeout(30_000)  # the machine is shared; the admin is heavy
    sign_in(page, django_user_model.objects.get(username="admin"))
    go(page, site.admin_url + "places/place/add/")
    page.get_by_label(re.compile(r"^\s*Name:?\s*$")).fill("Firth Park")
    page.get_by_label(re.compile(r"^\s*ONS \(GSS\) code:?\s*$")).fill("E99999901")
    page.get_by_label(re.compile(r"^\s*Kind:?\s*$")).select_option(label="Neighbourhood")
    # The parent is an autocomplete (select2) field: choose Sheffield as its search would.
    sheffield = Place.objects.get(slug="sheffield")
    page.evaluate(
        "([pk, name]) => "
        "document.getElementById('id_parent').add(new Option(name, pk, true, true))",
        [sheffield.pk, sheffield.name],
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    neighbourhood = Place.objects.get(name="Firth Park")
    assert (neighbourhood.slug, neighbourhood.parent.slug) == ("firth-park", "sheffield")

    # Public: Sheffield's page lists it; its own page shows it beside Sheffield and England.
    settle(page)
    page.context.clear_cookies()  # a visitor
    go(page, site.url("places:detail", slug="sheffield"))
    expect(page.get_by_role("heading", name="Neighbourhoods of Sheffield")).to_be_visible()
    settle(page)
    page.get_by_role("link", name="Firth Park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Firth Park")
    expect(page.get_by_text("A neighbourhood of Sheffield")).to_be_visible()
    axe_at_both_widths(page, screenshot, "neighbourhood-page")

    # Sheffield's officer enters a value for it; the approver publishes it.
    sign_in(page, django_user_model.objects.get(username="officer.sheffield"))
    go(page, site.url("manage:slot", place_slug="firth-park", measure_slug="employment-rate"))
    page.get_by_role("button", name="Enter a value for a new period").click()
    page.get_by_label("Period", exact=True).fill("2023")
    page.get_by_label("Value", exact=True).fill("61.5")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#value-panel")).to_contain_text("Saved as a draft")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#value-panel")).to_contain_text("Submitted for review.")
    value = Value.objects.get(place=neighbourhood, measure__slug="employment-rate")

    page.context.clear_cookies()
    sign_in(page, django_user_model.objects.get(username="approver"))
    go(page, site.url("manage:review"))
    page.locator(f"#queue-{value.pk}").get_by_role("button", name="Approve").click()
    expect(page.locator(f"#queue-{value.pk}")).to_contain_text("Published 2023.")

    go(page, site.url("places:detail", slug="firth-park"))
    row = page.get_by_role("row", name=re.compile(r"^Employment rate, ages 16 to 64"))
    expect(row).to_contain_text("61.5% 2023")

    # Sheffield's page shows the measure across its neighbourhoods.
    go(page, site.url("places:detail", slug="sheffield"))
    page.get_by_label("Show one measure across the neighbourhoods").select_option(
        label="Employment rate, ages 16 to 64"
    )
    settle(page)
    page.get_by_role("button", name="Show").click()
    across = page.get_by_role("table", name=re.compile("in each neighbourhood of Sheffield"))
    expect(across.get_by_role("row", name=re.compile("^Firth Park"))).to_contain_text("61.5%")
    page.context.clear_cookies()
    go(page, page.url)
    axe_at_both_widths(page, screenshot, "place-page-neighbourhoods")


def test_the_inequality_lens_and_the_list_of_places_are_accessible(
    page, site, demo_data, screenshot
):
    Place.objects.create(
        name="Darnall",
        slug="darnall",
        code="E99999902",
        kind=Place.Kind.NEIGHBOURHOOD,
        parent=Place.objects.get(slug="sheffield"),
    )
    go(page, site.url("outcomes:measure", slug="persistent-absence"))
    lens = page.get_by_role("table", name=re.compile("by pupil group"))
    expect(lens.get_by_role("row", name=re.compile("^Sheffield"))).to_contain_text("36.7%")
    chart = page.locator("#inequality-chart-pupil-group")
    expect(chart).to_have_class(re.compile(r"\bapp-chart--drawn\b"))
    expect(chart.locator("g.trace.scatter")).to_have_count(3)  # a trace for each pupil group
    axe_at_both_widths(page, screenshot, "measure-inequalities")
    go(page, site.url("places:index"))
    expect(page.get_by_role("link", name="Darnall")).to_be_visible()
    axe_at_both_widths(page, screenshot, "places-with-neighbourhoods")
    go(page, site.url("home"))
    expect(page.get_by_role("heading", name="Inequalities")).to_be_visible()
    axe_at_both_widths(page, screenshot, "home-inequalities")
