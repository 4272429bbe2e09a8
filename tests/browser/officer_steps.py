"""Steps shared by the officers' browser tests (tests/browser/test_officer_*.py)."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "demo-pass-2030"  # the demo users' password (seed_demo)


def settle(page) -> None:
    """Wait until the page has loaded everything (scripts, favicon), so that leaving it never
    aborts a request half-way (the harness fails a test on any failed request)."""
    page.wait_for_load_state("networkidle")


def go(page, url: str) -> None:
    settle(page)
    page.goto(url)


def sign_in_with_the_form(page, site, username: str, next_path: str) -> None:
    """Open a staff page signed out, and sign in on the form it sends you to."""
    go(page, site.path(next_path))
    expect(page).to_have_title("Sign in – Strategy Tracker")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    settle(page)
    page.get_by_role("button", name="Sign in").click()
