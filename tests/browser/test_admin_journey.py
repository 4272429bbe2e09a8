"""An administrator signs in to the Django admin, adds an outcome, then a measure under it.

The admin is Django's own (not NHS-styled); static/css/admin.css gives its filter links WCAG 2.2's
24px targets. axe runs on each page and any violation fails the test; all are also recorded in
test-results/admin-axe.json. The strict CSP applies here too.
To add a journey for another model, call
`admin_add(page, site, "app/model", {"Label": value, ...}, admin_report)`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from outcomes.models import Measure, Outcome
from tests.browser.helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-admin-password-2030"


class Choose(str):
    """A value for a <select>: the visible text of the option to choose."""


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser(
        username="journey.admin", email="admin@example.org", password=PASSWORD
    )


@pytest.fixture
def admin_report(pytestconfig):
    """Each admin page's axe violations, written to test-results/admin-axe.json at the end."""
    report: dict[str, list[dict]] = {}
    yield report
    summary = {
        name: [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
            for v in violations
        ]
        for name, violations in report.items()
    }
    folder = Path(pytestconfig.getoption("--output"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "admin-axe.json").write_text(json.dumps(summary, indent=2))


def check_admin_page(page: Page, report: dict, name: str) -> None:
    report[name] = assert_no_axe_violations(page)


def field(page: Page, label: str):
    """The admin form control labelled `label` (Django's admin labels end with a colon)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def fill_admin_form(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        if isinstance(value, Choose):
            field(page, label).select_option(label=str(value))
        else:
            field(page, label).fill(value)


def admin_add(page: Page, site, model: str, values: dict[str, str], report: dict) -> None:
    """Open the admin's add form for "app/model" from its index link, fill it and save it."""
    page.goto(site.admin_url)
    app_label, model_name = model.split("/")
    page.locator(f"tr.model-{model_name}").get_by_role("link", name="Add").click()
    expect(page).to_have_url(re.compile(rf"/{app_label}/{model_name}/add/$"))
    check_admin_page(page, report, f"{model} add")
    fill_admin_form(page, values)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    check_admin_page(page, report, f"{model} changelist after adding")


def test_admin_signs_in_and_adds_an_outcome_and_a_measure(
    page, site, administrator, admin_report, screenshot
):
    page.goto(site.admin_url)
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    check_admin_page(page, admin_report, "login")
    page.get_by_label("Username").fill("journey.admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    check_admin_page(page, admin_report, "index")

    admin_add(
        page,
        site,
        "outcomes/outcome",
        {
            "Title": "Everyone can get help with their mental health early",
            "Order": "9",
            "Ambition": "People get support for their mental health when they first need it.",
            "Description": "Added by the admin journey test.",
        },
        admin_report,
    )
    outcome = Outcome.objects.get(title="Everyone can get help with their mental health early")
    # The admin's prepopulated-fields script filled the slug from the title, under the CSP.
    assert outcome.slug == "everyone-can-get-help-with-their-mental-health-early"
    assert outcome.order == 9

    admin_add(
        page,
        site,
        "outcomes/measure",
        {
            "Outcome": Choose(outcome.title),
            "Title": "Waiting time for a first talking therapy appointment",
            "Value kind": Choose("Count"),
            "Unit label": "days",
            "Decimal places": "0",
            "Polarity": Choose("Lower is better"),
            "Period type": Choose("Quarter (financial)"),
        },
        admin_report,
    )
    screenshot(page, "admin-measure-added")
    measure = Measure.objects.get(title="Waiting time for a first talking therapy appointment")
    assert measure.outcome == outcome
    assert measure.slug == "waiting-time-for-a-first-talking-therapy-appointment"
    assert measure.polarity == Measure.Polarity.LOWER
