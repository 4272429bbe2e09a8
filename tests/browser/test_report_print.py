"""Browser journeys for the board report and the commitments list: Debian's Chromium under the
strict CSP (the shared harness fails a test on any CSP violation or console error), axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.board import Quarter
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


def test_the_api_docs_page_is_accessible_and_links_the_schema(page, site, demo_data):
    page.goto(site.path("/api/v1/docs"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data API")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="openapi.json").click()
    page.wait_for_url("**/api/v1/openapi.json")
    assert '"openapi": "3.1.0"' in page.content()


def test_an_officer_posts_an_update_and_an_approver_publishes_it(
    page, site, demo_commitments_live, sign_in, django_user_model
):
    sign_in(page, django_user_model.objects.get(username="officer.doncaster"))
    page.goto(site.url("commitments:manage"))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Post an update to Working Win").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Submit for review").click()  # empty: errors first
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("At risk").check()
    page.get_by_label("Progress since the last update").fill("Referrals fell in Doncaster.")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/commitments/manage/")
    expect(page.get_by_text("sent for review")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, django_user_model.objects.get(username="approver"))
    page.goto(site.url("commitments:manage"))
    page.get_by_role("link", name="Review the update to Working Win").click()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Publish this update").click()
    page.wait_for_url("**/commitments/manage/")
    page.goto(site.url("commitments:detail", "working-win"))
    expect(page.locator(".st-timeline__item").first).to_contain_text("Referrals fell in Doncaster.")
