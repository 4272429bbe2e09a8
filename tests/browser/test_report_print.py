"""Browser journeys for the board report and the commitments list: Debian's Chromium under the
strict CSP (the shared harness fails a test on any CSP violation or console error), axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commitments.report import Quarter
from tests.browser.helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_commitments_live(demo_data):
    from commitments.services import commitments_demo_seed

    commitments_demo_seed()


def test_the_board_report_reads_prints_and_is_accessible(
    page, site, demo_commitments_live, screenshot
):
    quarter = Quarter.containing(timezone.localdate())
    page.goto(site.url("report:index"))
    assert_no_axe_violations(page)
    page.get_by_label("Choose a quarter").select_option(quarter.slug)
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(f"**/report/{quarter.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Progress report to the partnership board: {quarter.label}"
    )
    expect(page.locator(".st-report__outcome")).to_have_count(4)
    assert_no_axe_violations(page)
    screenshot(page, "report-screen")

    # In print the navigation and the controls go, and each outcome starts a new page.
    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    expect(page.locator(".st-report__controls")).to_be_hidden()
    breaks = page.locator(".st-report__outcome").evaluate_all(
        "sections => sections.map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["page"] * 4
    page.emulate_media(media="screen")
    expect(page.locator(".st-report__controls")).to_be_visible()


def test_the_commitments_list_filters_and_leads_to_a_timeline(
    page, site, demo_commitments_live, screenshot
):
    page.goto(site.url("commitments:list"))
    assert_no_axe_violations(page)
    expect(page.locator(".st-commitment")).to_have_count(4)
    page.get_by_label("Delayed").check()
    page.get_by_role("button", name="Show commitments").click()
    page.wait_for_url("**/commitments/?*status=delayed*")
    expect(page.locator(".st-commitment")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Build warm, affordable housing")
    assert_no_axe_violations(page)
    page.locator(".st-commitment a").first.click()
    page.wait_for_url("**/commitments/warm-affordable-housing/")
    expect(page.locator(".st-timeline__item")).to_have_count(3)
    assert_no_axe_violations(page)
    screenshot(page, "commitment-detail")
