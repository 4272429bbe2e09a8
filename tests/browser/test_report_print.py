"""Browser journeys for the board report and the commitments list, in Debian's Chromium with
axe-core. Self-contained until the shared browser harness (tests/browser/conftest.py, from the
front-end branch) is merged: then ``browser_page`` can give way to its fixtures."""

from __future__ import annotations

import os
import shutil

import pytest
from django.utils import timezone

from commitments.report import Quarter

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("REQUIRE_BROWSER"),
        reason="Chromium is not installed (apt-get install chromium)",
    ),
]


@pytest.fixture
def browser_page(live_server, demo_data):
    from commitments.services import commitments_demo_seed

    commitments_demo_seed()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM beside Playwright's event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def assert_no_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_board_report_reads_prints_and_is_accessible(browser_page, live_server):
    page = browser_page
    quarter = Quarter.containing(timezone.localdate())
    page.goto(f"{live_server.url}/report/")
    assert_no_axe_violations(page)
    page.select_option("#id_quarter", quarter.slug)
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(f"**/report/{quarter.slug}/")
    assert page.locator("h1").inner_text().endswith(quarter.label)
    assert page.locator(".st-report__outcome").count() == 4
    assert_no_axe_violations(page)

    # In print, the navigation and the controls go; each outcome starts a new page.
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible()
    assert not page.locator(".st-report__controls").is_visible()
    breaks = page.locator(".st-report__outcome").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["page"] * 4
    page.emulate_media(media="screen")
    assert page.locator(".st-report__controls").is_visible()


def test_the_commitments_list_filters_with_and_without_htmx(browser_page, live_server):
    page = browser_page
    page.goto(f"{live_server.url}/commitments/")
    assert_no_axe_violations(page)
    assert page.locator(".st-commitment").count() == 4
    page.get_by_label("Delayed").check()
    page.get_by_role("button", name="Show commitments").click()
    page.wait_for_url("**/commitments/?*status=delayed*")
    page.wait_for_function("document.querySelectorAll('.st-commitment').length === 1")
    assert "Build warm, affordable housing" in page.locator("#results").inner_text()
    assert_no_axe_violations(page)
    page.locator(".st-commitment a").first.click()
    page.wait_for_url("**/commitments/warm-affordable-housing/")
    assert page.locator(".st-timeline__item").count() == 3
    assert_no_axe_violations(page)
