"""What the workflow refuses, in the browser: another place's draft, a bulk upload with a bad row,
and a stale save. Each page is checked with axe-core under the strict CSP."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from outcomes.models import Proposal, Upload, Value
from places.models import Membership, Place
from tests.browser.helpers import assert_no_axe_violations
from tests.browser.officer_steps import go, settle
from tests.outcomes.workflow_helpers import new_value

pytestmark = pytest.mark.browser


def let_uploads_through(page) -> None:
    """Chromium gives request interceptors no file bytes, so the harness's CSP route (which
    re-sends each page request) would send an empty file: let the upload POST go as it is. Its
    response then lacks the strict CSP header; every other page keeps it."""

    def handle(route):
        if route.request.method == "POST":
            route.continue_()
        else:
            route.fallback()

    page.route(re.compile(r".*/manage/upload/$"), handle)


def test_the_doncaster_officer_cannot_see_or_change_sheffields_drafts(
    page, site, demo_data, sign_in, django_user_model, screenshot, page_problems
):
    sheffield_officer = django_user_model.objects.get(username="officer.sheffield")
    draft = new_value(sheffield_officer, place="sheffield", value="71.9", note="Sheffield draft")
    sign_in(page, django_user_model.objects.get(username="officer.doncaster"))

    go(page, site.url("manage:index"))
    expect(page.locator("main")).not_to_contain_text("Sheffield")
    for name, args in [
        ("manage:value", [draft.pk]),
        ("manage:value_edit", [draft.pk]),
        ("manage:slot", ["sheffield", "employment-rate"]),
        ("manage:value_new", ["sheffield", "employment-rate"]),
    ]:
        go(page, site.url(name, *args))
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.locator("main")).not_to_contain_text("71.9")
        expect(page.locator("main")).not_to_contain_text("Sheffield draft")
    assert_no_axe_violations(page)
    screenshot(page, "manage-other-place-refused")

    # Nor can a forged form change it: the action URL refuses too.
    status = page.evaluate(
        """async ([url, version]) => {
            const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch(url, {method: "POST", body: new URLSearchParams(
                {version, csrfmiddlewaretoken: csrf})});
            return response.status;
        }""",
        [site.url("manage:value_submit", draft.pk), str(draft.version)],
    )
    assert status == 404
    page_problems.remove(f"HTTP 404: {site.url('manage:value_submit', draft.pk)}")
    assert Proposal.objects.get(value=draft).state == "draft"


def test_a_bulk_upload_with_one_bad_row_saves_nothing_and_names_the_row(
    page, site, demo_data, sign_in, django_user_model, tmp_path: Path, screenshot
):
    sign_in(page, django_user_model.objects.get(username="officer.doncaster"))
    let_uploads_through(page)
    go(page, site.url("manage:upload"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a spreadsheet of values")
    assert_no_axe_violations(page)
    screenshot(page, "manage-upload")

    upload = tmp_path / "doncaster-values.csv"
    same = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2022-01-01"
    )
    upload.write_text(
        "area_code,area_name,indicator,period,value,lci_95,uci_95,source\n"
        "E08000017,Doncaster,Employment rate,2024,73.9,71.0,76.8,ONS APS 2024\n"
        "E08000017,Doncaster,economic-inactivity,2024,122.0,,,ONS APS 2024\n"
        f"E08000017,Doncaster,Employment rate,2022,{same.value},{same.lower_ci},"
        f"{same.upper_ci},{same.source}\n"
    )
    page.get_by_label("Spreadsheet of values").set_input_files(str(upload))
    settle(page)
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("1 row of doncaster-values.csv has a problem")
    expect(summary).to_contain_text("nothing has been saved")
    expect(summary).to_contain_text("Line 3: a percentage must be between 0 and 100; 122 is not.")
    # With a problem, the page lists only the problem rows (it stays small whatever the file).
    expect(page.locator("#line-3")).to_contain_text("between 0 and 100")
    expect(page.locator("#line-2")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert_no_axe_violations(page)
    screenshot(page, "manage-upload-bad-row")
    assert not Proposal.objects.exists() and not Upload.objects.exists()
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01", place__slug="doncaster"
    ).exists()

    # Corrected, it previews, and saves every row in one go when confirmed.
    upload.write_text(
        upload.read_text().replace(
            "economic-inactivity,2024,122.0", "economic-inactivity,2024,22.0"
        )
    )
    settle(page)
    page.get_by_role("link", name="Upload a different file").click()
    page.get_by_label("Spreadsheet of values").set_input_files(str(upload))
    settle(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your upload")
    expect(page.locator("main")).to_contain_text("2 new, 0 changed, 1 unchanged")
    assert_no_axe_violations(page)
    settle(page)
    page.get_by_role("button", name="Save 2 values as drafts").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Saved 2 values from doncaster-values.csv as drafts"
    )
    assert Proposal.objects.filter(state="draft").count() == 2


def test_a_second_officers_stale_save_is_refused_with_the_other_change_shown(
    browser, page, site, demo_data, sign_in, django_user_model, screenshot
):
    first = django_user_model.objects.get(username="officer.doncaster")
    second = django_user_model.objects.create_user(
        "officer.doncaster.two", first_name="Dana", last_name="Second"
    )
    Membership.objects.create(
        user=second, place=Place.objects.get(slug="doncaster"), role="officer"
    )
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2023-01-01"
    )
    edit = site.url("manage:value_edit", value.pk)

    other_context = browser.new_context()
    other = other_context.new_page()
    sign_in(page, second)
    sign_in(other, first)
    go(page, edit)  # both open the form at the same version
    go(other, edit)

    other.get_by_label("Value", exact=True).fill("74.8")
    other.get_by_label("Why is the published value changing?").fill("ONS revised it")
    other.get_by_label("Source (optional)").fill("ONS APS, revised table")
    settle(other)
    other.get_by_role("button", name="Save as draft").click()
    expect(other.locator(".nhsuk-notification-banner")).to_contain_text("Saved as a draft")
    other_context.close()

    page.get_by_label("Value", exact=True).fill("74.1")
    page.get_by_label("Why is the published value changing?").fill("My correction")
    page.get_by_role("button", name="Save as draft").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Someone else changed this value while you were working on it")
    expect(conflict).to_contain_text("Doncaster officer")
    expect(conflict).to_contain_text("74.8%")
    expect(conflict).to_contain_text("ONS APS, revised table")
    expect(conflict).to_be_focused()
    assert_no_axe_violations(page)
    screenshot(page, "manage-stale-save-refused")
    proposal = Proposal.objects.get(value=value)
    assert proposal.value_figure == Decimal("74.8") and proposal.entered_by == first
