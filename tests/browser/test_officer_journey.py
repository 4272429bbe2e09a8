"""The Doncaster officer signs in, enters a new value and submits it; the approver publishes it.
Then a correction to a published value goes the same way and leaves a public revision.
Each page is checked with axe-core, under the strict Content Security Policy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from outcomes.models import Proposal, Value
from tests.browser.helpers import assert_no_axe_violations
from tests.browser.officer_steps import go, settle, sign_in_with_the_form

pytestmark = pytest.mark.browser


def doncaster_2024_on_the_public_page(page) -> str:
    """The Doncaster cell for 2024 in the public measure page's table of values over time."""
    table = page.locator("#table-over-time")
    column = table.locator("thead th").all_inner_texts().index("Doncaster")
    row = table.locator("tbody tr", has=page.locator("th", has_text="2024"))
    if row.count() == 0:
        return ""
    return row.locator("th, td").nth(column).inner_text()


def test_officer_enters_and_submits_and_the_approver_publishes(
    page, site, demo_data, sign_in, django_user_model, screenshot
):
    sign_in_with_the_form(page, site, "officer.doncaster", "/manage/")
    expect(page).to_have_title("My measures – Strategy Tracker")
    expect(page.get_by_role("table", name="Doncaster")).to_be_visible()
    expect(page.get_by_text("Sheffield")).to_have_count(0)
    assert_no_axe_violations(page)
    screenshot(page, "manage-my-measures")

    settle(page)
    page.get_by_role("link", name="Employment rate, ages 16 to 64").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Employment rate, ages 16 to 64")
    assert_no_axe_violations(page)

    # With JavaScript the form opens in place (htmx), on the same page.
    page.get_by_role("button", name="Enter a value for a new period").click()
    expect(page.get_by_label("Period", exact=True)).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name="Enter a value for a new period")
    ).to_be_visible()
    assert page.url.endswith("/manage/places/doncaster/employment-rate/")
    page.get_by_label("Period", exact=True).fill("2024")
    page.get_by_label("Value", exact=True).fill("104")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("A percentage must be between 0 and 100; 104 is not.")
    expect(summary).to_be_focused()
    expect(page.locator("#id_value_error")).to_contain_text("between 0 and 100")
    assert_no_axe_violations(page)
    screenshot(page, "manage-value-error")

    page.get_by_label("Value", exact=True).fill("73.9")
    page.get_by_label("Lower limit").fill("71.0")
    page.get_by_label("Upper limit").fill("76.8")
    page.get_by_label("Source (optional)").fill("ONS Annual Population Survey, Jan-Dec 2024")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#value-panel")).to_contain_text("Saved as a draft")
    expect(page.locator("#value-panel")).to_contain_text("Draft")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#value-panel")).to_contain_text("Submitted for review.")
    assert_no_axe_violations(page)
    screenshot(page, "manage-value-submitted")
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2024-01-01"
    )
    assert Proposal.objects.get(value=value).state == "submitted"
    assert not Value.objects.published().filter(pk=value.pk).exists()

    # The public measure page does not show the submitted value.
    public = site.url("outcomes:measure", slug="employment-rate")
    go(page, public)
    assert "73.9" not in doncaster_2024_on_the_public_page(page)

    settle(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title("You have signed out – Strategy Tracker")
    sign_in(page, django_user_model.objects.get(username="approver"))
    go(page, site.url("manage:review"))
    row = page.locator(f"#queue-{value.pk}")
    expect(row).to_contain_text("Employment rate, ages 16 to 64")
    expect(row).to_contain_text("Previous period (2023): 74.5%")
    expect(row).to_contain_text("-0.6 (-0.8%)")
    assert_no_axe_violations(page)
    screenshot(page, "manage-review-queue")
    row.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#queue-{value.pk}")).to_contain_text("Published 2024.")
    assert_no_axe_violations(page)

    value.refresh_from_db()
    assert value.state == "published" and value.value == Decimal("73.9")
    go(page, public)  # signed in, so read afresh (the public sees it within seconds)
    assert "73.9%" in doncaster_2024_on_the_public_page(page)
    assert_no_axe_violations(page)
    screenshot(page, "public-measure-after-approval")


def test_a_correction_is_reviewed_and_leaves_a_public_revision(
    page, site, demo_data, sign_in, django_user_model, screenshot
):
    from outcomes.revisions import revision_log

    officer = django_user_model.objects.get(username="officer.doncaster")
    approver = django_user_model.objects.get(username="approver")
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2023-01-01"
    )
    sign_in(page, officer)
    go(page, site.url("manage:value", value.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("2023")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Correct the published figures").click()
    expect(page.get_by_label("Why is the published value changing?")).to_be_visible()
    page.get_by_label("Value", exact=True).fill("74.7")
    page.get_by_label("Why is the published value changing?").fill("ONS revised the estimate")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#value-panel")).to_contain_text("Why it is changing: ONS revised")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#value-panel")).to_contain_text("Submitted for review.")
    # Until it is approved, the public figure is the old one.
    assert Value.objects.published().get(pk=value.pk).value == Decimal("74.5")

    page.context.clear_cookies()
    sign_in(page, approver)
    go(page, site.url("manage:value", value.pk))
    expect(page.locator("#value-panel")).to_contain_text("Why it is changing: ONS revised")
    expect(page.get_by_role("button", name="Approve and publish")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "manage-value-review")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("#value-panel")).to_contain_text("Published 2023.")
    history = page.get_by_role("table", name="Every change to this value, newest first")
    expect(history).to_contain_text("Approved and published")
    expect(history).to_contain_text("74.5%")
    expect(history).to_contain_text("74.7%")
    assert_no_axe_violations(page)
    screenshot(page, "manage-value-history")

    log = revision_log(value.measure)
    assert len(log) == 1
    assert "first published" in log[0].sentence
    assert "as 74.5%; revised" in log[0].sentence
    assert log[0].sentence.endswith("to 74.7% (ONS revised the estimate).")


def test_the_public_measure_page_lists_the_revision(page, site, demo_data, django_user_model):
    from outcomes.services.review import proposal_approve, proposal_save, proposal_submit
    from tests.outcomes.workflow_helpers import figures

    officer = django_user_model.objects.get(username="officer.doncaster")
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2023-01-01"
    )
    v = value.version
    proposal_save(
        user=officer,
        measure=value.measure,
        place=value.place,
        period=value.period,
        expected_version=v,
        figures=figures("74.7"),
        reason="ONS revised the estimate",
    )
    proposal_submit(user=officer, value=value, expected_version=v + 1)
    proposal_approve(
        user=django_user_model.objects.get(username="approver"), value=value, expected_version=v + 2
    )
    from dashboards.caching import forget_publication_stamp  # the public sees it within seconds

    forget_publication_stamp()
    go(page, site.url("outcomes:measure", slug="employment-rate"))
    section = page.locator(".app-revision-log")
    expect(section).to_contain_text("Doncaster, 2023")
    expect(section).to_contain_text("to 74.7% (ONS revised the estimate)")
    assert_no_axe_violations(page)


def test_the_form_works_without_javascript(browser, site, demo_data, sign_in, django_user_model):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, django_user_model.objects.get(username="officer.doncaster"))
    go(page, site.url("manage:slot", "doncaster", "employment-rate"))
    page.get_by_role("button", name="Enter a value for a new period").click()
    expect(page).to_have_title(
        "Enter a value: Employment rate, ages 16 to 64, Doncaster – Strategy Tracker"
    )
    page.get_by_label("Period", exact=True).fill("2024")
    page.get_by_label("Value", exact=True).fill("95")  # 2023 was 74.5%: a big move asks to confirm
    page.get_by_role("button", name="Save as draft").click()
    expect(page).to_have_title(
        "Error: Enter a value: Employment rate, ages 16 to 64, Doncaster – Strategy Tracker"
    )
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("This value is 28% higher")
    page.get_by_label("I have checked this value and it is right").check()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Saved as a draft")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Submitted for review.")
    context.close()
