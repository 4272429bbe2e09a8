"""A visitor reads the home page, goes to sign in, gets the form wrong, then signs in and out."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-2030"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        username="visitor.officer", password=PASSWORD, first_name="Vic", last_name="Officer"
    )


def test_visitor_reads_the_home_page(page, site, demo_data, screenshot):
    page.goto(site.url("home"))

    expect(page).to_have_title("Home – Strategy Tracker")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy Tracker")
    expect(page.locator(".nhsuk-card__heading").first).to_be_visible()
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text(
        "Contains public sector information licensed under the Open Government Licence v3.0."
    )
    expect(footer.get_by_role("link", name="Open Government Licence")).to_have_attribute(
        "href", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )
    # The NHS.UK stylesheet is there: the header is NHS blue.
    header_colour = page.locator(".nhsuk-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"
    # nhsuk-frontend's JavaScript ran (under the strict CSP): it marks components it set up.
    expect(page.locator("[data-nhsuk-header-init]")).to_have_count(1)
    assert_no_axe_violations(page)
    screenshot(page, "home-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "home-mobile")


def test_visitor_signs_in_after_a_mistake_and_signs_out(page, site, officer, screenshot):
    page.goto(site.url("home"))
    page.get_by_role("link", name="Sign in").click()

    expect(page).to_have_title("Sign in – Strategy Tracker")
    expect(page.get_by_label("Username")).to_have_attribute("autocomplete", "username")
    expect(page.get_by_label("Password")).to_have_attribute("autocomplete", "current-password")
    assert_no_axe_violations(page)
    screenshot(page, "login")

    page.get_by_label("Username").fill("visitor.officer")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – Strategy Tracker")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()  # nhsuk-frontend moves focus to the summary
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username")).to_be_focused()
    assert_no_axe_violations(page)
    screenshot(page, "login-error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(site.url("home"))
    account = page.get_by_role("navigation", name="Account")
    expect(account).to_contain_text("Vic Officer")
    expect(page.get_by_role("link", name="Manage")).to_have_count(0)  # not staff
    assert_no_axe_violations(page)

    account.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Sign in")
    assert_no_axe_violations(page)


def test_page_not_found_is_nhs_styled(page, site, screenshot):
    response = page.goto(site.path("/no-such-page/"))

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_no_axe_violations(page)
    screenshot(page, "404")
