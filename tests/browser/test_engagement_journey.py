"""A resident has their say by keyboard alone, with JavaScript (move up / move down, announced)
and without it (a rank select each, a clear error for a false ordering); a closed exercise
refuses; what they wrote, script and all, shows as plain text wherever it appears."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engagement.models import Response
from engagement.services import responses_moderate
from tests.browser.helpers import assert_no_axe_violations
from tests.engagement.conftest import make_exercise, submit

pytestmark = pytest.mark.browser

XSS = "<script>alert(1)</script>"
PRIORITIES = ("Healthier lives", "Best start", "Safe communities")


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """These journeys post from one address many times; the limit has its own tests."""
    settings.ENGAGEMENT_RESPONSES_PER_HOUR = 1000


@pytest.fixture
def exercise(demo_data):
    return make_exercise(
        slug="what-matters",
        title="What matters to you?",
        titles=PRIORITIES,
        issues={0: ["Access to GP appointments", "Help to stop smoking"], 2: ["Loneliness"]},
        issue_choice_limit=2,
        other_formats="Ask for easy read or large print by phone.",
    )


@pytest.fixture
def dialogs(page) -> list[str]:
    """Any alert() a script payload manages to run."""
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def focused(page, locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, limit: int = 120, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the element has focus: how a keyboard user gets there."""
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, locator):
            return
    raise AssertionError(f"{locator} never took focus after {limit} presses of {key}")


SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script>", re.IGNORECASE | re.DOTALL)


def assert_no_axe_violations_without_javascript(browser, page) -> None:
    """axe-core is JavaScript, so it cannot run in a page with JavaScript off. Run it on the
    same markup instead: this page's HTML, its scripts removed, served at its own URL (so its
    stylesheets load) in a page where JavaScript is on only for axe."""
    html = SCRIPT_ELEMENT.sub("", page.content())
    context = browser.new_context()
    try:
        checker = context.new_page()
        checker.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
        checker.goto(page.url)
        assert checker.evaluate("document.querySelectorAll('script').length") == 0
        assert_no_axe_violations(checker)
    finally:
        context.close()


def ranks_of(response: Response) -> dict[str, int]:
    return dict(response.rankings.values_list("priority__title", "rank"))


def test_with_javascript_a_resident_ranks_by_keyboard_and_hears_each_move(
    page, site, exercise, screenshot, dialogs
):
    page.goto(site.url("engagement:exercise", slug=exercise.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text("What matters to you?")
    ranking = page.locator("[data-ranking-list]")
    expect(ranking.locator("li")).to_have_count(3)
    expect(page.locator("[data-ranking-selects]")).to_be_hidden()
    assert_no_axe_violations(page)
    screenshot(page, "engagement-form-js")

    status = page.locator("[data-ranking-status]")
    expect(status).to_have_attribute("aria-live", "polite")
    up_best = page.get_by_role("button", name="Move up: Best start")
    tab_to(page, up_best)
    page.keyboard.press("Enter")
    expect(status).to_have_text("Best start moved to position 1 of 3")
    assert focused(page, up_best), "focus stays on the button that was pressed"
    expect(ranking.locator("li").first).to_contain_text("1. Best start")

    page.keyboard.press("Enter")  # already first: says so, and nothing moves
    expect(status).to_have_text("Best start is already first, at position 1 of 3")
    assert focused(page, up_best)

    down_healthier = page.get_by_role("button", name="Move down: Healthier lives")
    tab_to(page, down_healthier)
    page.keyboard.press("Space")
    expect(status).to_have_text("Healthier lives moved to position 3 of 3")
    assert focused(page, down_healthier)
    expect(ranking.locator("li p")).to_have_text(
        ["1. Best start", "2. Safe communities", "3. Healthier lives"]
    )
    assert_no_axe_violations(page)

    tab_to(page, page.get_by_label("Help to stop smoking"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label(exercise.free_text_question))
    page.keyboard.type(f"Buses to the hospital {XSS}")
    tab_to(page, page.get_by_label("Barnsley"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Send my response"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your response has been sent"
    )
    assert_no_axe_violations(page)
    response = Response.objects.get(exercise=exercise)
    assert ranks_of(response) == {"Best start": 1, "Safe communities": 2, "Healthier lives": 3}
    assert [p.issue.title for p in response.issue_picks.all()] == ["Help to stop smoking"]
    assert response.free_text == f"Buses to the hospital {XSS}"
    assert response.place.name == "Barnsley"
    assert dialogs == []


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_a_resident_ranks_with_selects_and_fixes_a_false_ordering(
    page, site, exercise, screenshot, browser
):
    page.goto(site.url("engagement:exercise", slug=exercise.slug))
    expect(page.locator("[data-ranking-list]")).to_have_count(0)
    selects = {title: page.get_by_label(title, exact=True) for title in PRIORITIES}
    for select in selects.values():
        expect(select).to_be_visible()
    assert_no_axe_violations_without_javascript(browser, page)
    screenshot(page, "engagement-form-no-js")

    # Two priorities ranked 1: typing a number picks the option that starts with it.
    for title, key in zip(PRIORITIES, "113", strict=True):
        tab_to(page, selects[title])
        page.keyboard.press(key)
    tab_to(page, page.get_by_role("button", name="Send my response"))
    page.keyboard.press("Enter")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page).to_have_title("Error: What matters to you? – Strategy Tracker")
    expect(
        page.locator("#" + selects["Best start"].get_attribute("id") + "-error")
    ).to_contain_text("You gave Best start rank 1, the same as Healthier lives")
    assert_no_axe_violations_without_javascript(browser, page)
    screenshot(page, "engagement-form-no-js-error")
    assert not Response.objects.filter(exercise=exercise).exists()

    # The error summary's link takes the resident to the select to fix.
    summary.get_by_role("link").nth(1).focus()
    page.keyboard.press("Enter")
    expect(selects["Best start"]).to_be_focused()
    page.keyboard.press("2")
    tab_to(page, page.get_by_role("button", name="Send my response"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your response has been sent"
    )
    assert_no_axe_violations_without_javascript(browser, page)
    response = Response.objects.get(exercise=exercise)
    assert ranks_of(response) == {"Healthier lives": 1, "Best start": 2, "Safe communities": 3}


def test_opting_in_shows_a_deletion_link_once_that_deletes_the_contact_details(
    page, site, exercise, screenshot
):
    page.goto(site.url("engagement:exercise", slug=exercise.slug))
    hear_back = page.get_by_label("I would like to hear what happens as a result")
    tab_to(page, hear_back)
    page.keyboard.press("Space")
    email = page.get_by_label("Your email address")
    expect(email).to_be_visible()  # nhsuk-frontend reveals the conditional fields
    tab_to(page, email)
    page.keyboard.type("sam@example.com")
    page.get_by_role("button", name="Send my response").click()

    expect(page.get_by_text("Keep this link")).to_be_visible()
    assert_no_axe_violations(page)
    screenshot(page, "engagement-thanks-with-deletion-link")
    link = page.get_by_role("link", name="/have-your-say/forget/")
    href = link.get_attribute("href")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your name and email address")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Delete my name and email address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your name and email address have been deleted"
    )
    assert Response.objects.get(exercise=exercise).contact_email == ""
    page.wait_for_load_state("networkidle")  # let its scripts and icon load before leaving
    page.goto(site.base_url + href)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has already been used")


def test_a_closed_exercise_refuses_with_a_message(page, site, demo_data, screenshot):
    closed = make_exercise(
        slug="closed", title="Last year's priorities", opens_in=-60, closes_in=-5
    )
    page.goto(site.url("engagement:exercise", slug=closed.slug))
    expect(page.locator(".nhsuk-warning-callout")).to_contain_text("This exercise closed on")
    expect(page.get_by_role("button", name="Send my response")).to_have_count(0)
    assert_no_axe_violations(page)
    screenshot(page, "engagement-closed")


def test_results_show_moderated_words_as_plain_text_and_filter_by_place(
    page, site, exercise, admin_user, sign_in, screenshot, dialogs
):
    from places.models import Place

    barnsley = Place.objects.get(slug="barnsley")
    for i in range(6):
        order = list(PRIORITIES) if i % 3 else list(reversed(PRIORITIES))
        submit(exercise, order, place=barnsley if i % 2 else None, issues=["Loneliness"])
    quote = submit(exercise, list(PRIORITIES), free_text=f"Hello {XSS}", place=barnsley)
    responses_moderate(
        responses=[quote.response], decision=Response.Moderation.PUBLISHED, user=admin_user
    )

    page.goto(site.url("engagement:results", slug=exercise.slug))
    expect(page.locator("#priorities-chart .app-svg svg:visible").first).to_be_visible()
    expect(page.locator("#priorities-table tbody tr").first).to_contain_text("Healthier lives")
    expect(page.locator("blockquote")).to_contain_text(f"Hello {XSS}")
    assert_no_axe_violations(page)
    screenshot(page, "engagement-results")

    page.get_by_label("Show results from").select_option("Barnsley")
    page.get_by_role("button", name="Show results").click()
    expect(
        page.get_by_role("heading", name="Priorities in order of importance: Barnsley")
    ).to_be_visible()
    expect(page).to_have_url(site.url("engagement:results", slug=exercise.slug) + "?place=barnsley")
    expect(page.locator("#priorities-chart .app-svg svg:visible").first).to_be_visible()
    assert_no_axe_violations(page)

    # Staff see the same words, inert, in the admin.
    sign_in(page, admin_user)
    page.goto(site.admin_url + "engagement/response/")
    expect(page.locator("#result_list")).to_contain_text(f"Hello {XSS}")
    page.goto(site.admin_url + f"engagement/response/{quote.response.pk}/change/")
    expect(page.locator(".field-free_text")).to_contain_text(f"Hello {XSS}")
    assert dialogs == []
