"""In Chromium: focus moves into a form that htmx opens in place (WCAG 2.4.3); no page scrolls
sideways at 320 px except inside a table's own scroll area (WCAG 1.4.10); the measure chart's
place picker redraws the chart for the places ticked."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.officer_steps import settle, sign_in_with_the_form

pytestmark = pytest.mark.browser

REFLOW_PAGES = [
    "/",
    "/outcomes/longer-healthier-lives/",
    "/places/barnsley/",
    "/measures/male-healthy-life-expectancy/",
    "/have-your-say/what-matters-to-you-ranking-our-shared-outcomes/results/",
    "/commitments/",
    "/report/2026-27-q2/",
    "/api/v1/docs",
]


@pytest.fixture(autouse=True)
def fresh_cache(page):
    cache.clear()
    page.set_default_navigation_timeout(60_000)  # a cold cache on a busy machine
    page.set_default_timeout(30_000)
    yield
    cache.clear()


def test_focus_moves_to_the_form_a_link_opens_in_place(page, site, demo_data):
    sign_in_with_the_form(page, site, "officer.doncaster", "/manage/")
    settle(page)
    page.get_by_role("link", name="Employment rate, ages 16 to 64").click()
    page.get_by_role("button", name="Enter a value for a new period").click()
    heading = page.get_by_role("heading", level=2, name="Enter a value for a new period")
    expect(heading).to_be_focused()
    page.keyboard.press("Tab")  # the next Tab goes into the form, not back to the page's top
    focused = page.evaluate("document.activeElement.closest('#value-editor') !== null")
    assert focused


def test_focus_moves_to_the_correction_form(page, site, demo_data):
    sign_in_with_the_form(page, site, "officer.barnsley", "/manage/")
    settle(page)
    page.get_by_role("link", name="Employment rate, ages 16 to 64").click()
    page.locator("table a").first.click()  # a published value
    settle(page)
    page.get_by_role("button", name="Correct the published figures").click()
    expect(page.locator("#value-editor h2")).to_be_focused()


@pytest.mark.parametrize("path", REFLOW_PAGES)
def test_no_page_scrolls_sideways_at_320_px(page, site, demo_data, path):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site.path(path))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path} is {width} px wide"


def test_the_place_picker_redraws_the_chart(page, site, demo_data):
    page.goto(site.path("/measures/male-healthy-life-expectancy/"))
    chart = page.locator("#time-series-chart")
    expect(chart.locator(".app-legend")).to_contain_text("England")
    expect(chart.locator(".app-legend")).not_to_contain_text("Barnsley")
    page.get_by_text("Choose the places on the chart").click()
    page.get_by_role("checkbox", name="Barnsley").check()
    expect(chart.locator(".app-legend")).to_contain_text("Barnsley")
    assert "area=barnsley" in page.url  # the address keeps the choice, to share or reload
    page.get_by_role("checkbox", name="England").uncheck()
    expect(chart.locator(".app-legend")).not_to_contain_text("England")
    assert not page.evaluate("!!window.Plotly")  # plotly.js loads only when asked
