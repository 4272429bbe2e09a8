"""The public pages in Chromium: axe-core finds nothing on any of them, charts draw under a
strict Content Security Policy, the outcome filter works with and without JavaScript, and a
resident finds Barnsley's healthy life expectancy beside England's in at most two clicks."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "outcomes": "/outcomes/",
    "outcome": "/outcomes/longer-healthier-lives/",
    "outcome, one place": "/outcomes/longer-healthier-lives/?place=barnsley",
    "outcome, no place": "/outcomes/longer-healthier-lives/?place=atlantis",
    "places": "/places/",
    "place": "/places/barnsley/",
    "system": "/places/south-yorkshire/",
    "measure": "/measures/male-healthy-life-expectancy/",
    "measure, no intervals": "/measures/children-in-relative-poverty-before-housing-costs/",
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def open_every_details(page):
    """Axe checks what is shown: open the key and the notes so their content is checked too."""
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")


@pytest.mark.parametrize("name", PAGES)
def test_every_public_page_has_no_axe_violations(page, site, demo_data, screenshot, name):
    page.goto(site.path(PAGES[name]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if page.locator("[data-chart-lazy]").count():
        server_drawn = page.locator("[data-chart-lazy] .app-svg svg:visible").first
        expect(server_drawn).to_be_visible()
    open_every_details(page)
    assert_no_axe_violations(page)
    screenshot(page, "public-" + name.replace(",", "").replace(" ", "-"))


def test_home_on_a_phone_has_no_axe_violations(page, site, demo_data, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.path("/"))
    assert_no_axe_violations(page)
    screenshot(page, "public-home-mobile")


def test_from_home_to_barnsleys_healthy_life_expectancy_beside_england_in_one_click(
    page, site, demo_data
):
    page.goto(site.path("/"))
    # The home page already shows it; one click opens Barnsley's page, where it sits beside
    # South Yorkshire and England.
    rug = page.get_by_role("table", name="People live longer, healthier lives:")
    rug.get_by_role("link", name="Barnsley").click()  # click 1

    expect(page.get_by_role("heading", level=1)).to_have_text("Barnsley")
    row = page.get_by_role("row").filter(has_text="Healthy life expectancy at birth: men")
    expect(row).to_contain_text("55.2 years")
    expect(row).to_contain_text("60.9 years")
    expect(row).to_contain_text("Worse than England")
    expect(row).to_contain_text("is significantly lower than England (60.9 years)")


def test_from_home_to_the_measure_and_barnsleys_reason_in_two_clicks(page, site, demo_data):
    page.goto(site.path("/"))
    page.get_by_role("link", name="People live longer, healthier lives").first.click()  # 1
    page.get_by_role("link", name="Healthy life expectancy at birth: men").first.click()  # 2

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Healthy life expectancy at birth: men"
    )
    barnsley = page.locator("#place-barnsley")
    expect(barnsley).to_contain_text(
        "Barnsley, 55.2 years in 2022-24, is significantly lower than England (60.9 years): "
        "England's value lies outside its 95% confidence interval (as published). The trend "
        "cannot be calculated: the periods overlap"
    )
    expect(barnsley).to_contain_text("Worse than England")


def test_measure_charts_draw_under_a_strict_csp(page, site, demo_data):
    page.goto(
        site.path(
            PAGES["measure"] + "?area=barnsley&area=sheffield&area=england"
            "&area=yorkshire-and-the-humber"
        )
    )
    series = page.locator('[data-chart="time-series-data"]')
    expect(series.locator(".app-svg svg:visible").first).to_be_visible()  # drawn by the server
    expect(series).to_have_attribute("role", "img")
    for name in ["Barnsley", "Sheffield", "England", "Yorkshire and The Humber"]:
        expect(series.locator(".app-legend", has_text=name)).to_be_attached()
    bars = page.locator('[data-chart="comparison-data"]')
    expect(bars.locator(".app-svg svg:visible").first).to_be_visible()
    # `page` fails the test at teardown on any console error or CSP violation.


def test_outcome_filter_with_htmx_swaps_only_the_panel(page, site, demo_data):
    page.goto(site.path(PAGES["outcome"]))
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Show measures for").select_option("barnsley")
    page.get_by_role("button", name="Show").click()

    hle = page.get_by_role("table", name="Healthy life expectancy at birth: men:")
    expect(hle.get_by_role("row")).to_have_count(3)  # header, Barnsley, England
    expect(page).to_have_url(site.path(PAGES["outcome, one place"]))
    assert page.evaluate("window.__notReloaded") is True
    expect(page.get_by_text("Showing 6 measures for Barnsley;")).to_be_visible()
    expect(page.locator("#panel-announcement")).to_have_text("Showing 6 measures for Barnsley.")
    assert_no_axe_violations(page)


def test_outcome_filter_without_javascript_reloads_the_page(browser, site, demo_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site.path(PAGES["outcome"]))
        page.get_by_label("Show measures for").select_option("doncaster")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(site.path("/outcomes/longer-healthier-lives/?place=doncaster"))
        hle = page.get_by_role("table", name="Healthy life expectancy at birth: men:")
        expect(hle).to_contain_text("55.1 years")
        expect(hle.get_by_role("row")).to_have_count(3)
    finally:
        context.close()
