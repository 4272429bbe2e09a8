"""The national pages in Chromium at desktop and phone widths: the measure page with England's
map, compare areas (chosen, and searching by name as one types), and search. axe finds nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser

MEASURE = "children-in-relative-poverty-before-housing-costs"
PAGES = {
    "measure with map": f"/measures/{MEASURE}/",
    "compare": f"/compare/?area=E08000038&area=E08000035&area=E47000002&measure={MEASURE}",
    "compare, searching": "/compare/?q=york",
    "compare, bad input": "/compare/?area=NOPE",
    "search": "/search/?q=barns",
}
WIDTHS = [1280, 375]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_national_pages_have_no_axe_violations(page, site, demo_data, screenshot, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.path(PAGES[name]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")
    assert_no_axe_violations(page)
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"national-{name.replace(',', '').replace(' ', '-')}-{width}")


def test_typing_a_name_lists_matching_areas_to_tick(page, site, demo_data):
    page.goto(site.path("/compare/"))
    page.get_by_label("Find an area by name").fill("sheff")
    sheffield = page.get_by_role("checkbox", name="Sheffield District")
    expect(sheffield).to_be_visible()
    sheffield.check()
    page.get_by_label("Measure").select_option(
        label="Children in relative poverty before housing costs"
    )
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("table").filter(has_text="Sheffield")).to_be_visible()
