"""charts.js draws json_script figures with plotly.js's basic bundle, under the strict CSP, on the
page and in fragments htmx swaps in; and the harness really enforces that CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.browser.chart_urls")]


def test_charts_draw_on_the_page_and_in_htmx_fragments(page, site, screenshot):
    page.goto(site.path("/chart-demo/"))

    trend = page.locator("#trend")
    expect(trend).to_have_class(re.compile(r"\bapp-chart--drawn\b"))
    expect(trend).to_have_attribute("role", "img")
    # The band (fill: tonexty) and the line are drawn.
    filled = trend.locator("path.js-fill").evaluate_all(
        "paths => paths.filter(p => (p.getAttribute('d') || '').includes('L')).length"
    )
    assert filled == 1
    expect(trend.locator("g.trace.scatter")).to_have_count(3)
    expect(page.get_by_role("table")).to_contain_text("61.5")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Compare places").click()
    places = page.locator("#places")
    expect(places).to_have_class(re.compile(r"\bapp-chart--small\b.*\bapp-chart--drawn\b"))
    expect(places.locator("g.trace.bars g.point")).to_have_count(4)
    expect(places.locator("g.errorbar")).to_have_count(4)
    expect(page.locator(".app-status")).to_have_count(4)
    assert_no_axe_violations(page)
    screenshot(page, "chart-demo")
    # plotly.js was fetched once, by charts.js, not by the page.
    assert page.evaluate("document.querySelectorAll('script[src*=plotly-basic]').length") == 1


def test_pages_without_charts_do_not_load_plotly(page, site):
    page.goto(site.url("home"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.Plotly") == "undefined"


def test_the_harness_enforces_the_strict_csp(page, site, page_problems):
    response = page.goto(site.url("home"))
    assert "script-src 'self'" in response.headers["content-security-policy"]

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
        }"""
    )

    assert page.evaluate("window.inlineRan") is None
    assert any("CSP violation: script-src" in problem for problem in page_problems)
    page_problems.clear()
