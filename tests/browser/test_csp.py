"""Under the app's own Content Security Policy (not a test double), Chromium reports no violation
on any kind of page: every public page type found by following links, the error pages (404, 500,
503), the sign-in page, what an officer sees, and the Django admin. Charts must still draw (plotly
under a style-src without 'unsafe-inline')."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from outcomes.models import Value
from tests.conftest import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.ops.urls"),
]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
    + (e.sample ? ` (${e.sample})` : "")
  );
});
"""
# Downloads (files, and the report PDF at /report/<quarter>/pdf/) are not pages to check.
SKIP = ("/static/", "/ops-test/", "logout", ".csv", ".xlsx", ".pdf", "/pdf/", "/api/")
PER_ROUTE = 2  # pages visited for each URL pattern (e.g. two different measures)
MAX_PAGES = 60


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}:{match.route}"


class Visitor:
    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.visited: dict[str, int] = {}  # url -> status
        self.per_route: dict[str, int] = {}
        self.violations: list[str] = []
        self.console: list[str] = []
        page.add_init_script(LISTEN)
        page.on(
            "console",
            lambda m: (
                self.console.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )

    def visit(self, path: str, expect: int = 200) -> None:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        assert response.status == expect, f"{path}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (path, policy)
        # Server-drawn charts (data-chart-lazy) load plotly.js only when the reader asks.
        if self.page.locator("[data-chart]:not([data-chart-lazy])").count():
            self.page.wait_for_selector(".js-plotly-plot", state="attached")
        found = self.page.evaluate("window.__cspViolations")
        self.violations += [f"{path}: {v}" for v in found]
        self.visited[path] = response.status

    def crawl(self, start: str) -> None:
        queue = [start]
        while queue and len(self.visited) < MAX_PAGES:
            path = queue.pop(0)
            route = _route(urlsplit(path).path)
            if path in self.visited or route is None:
                continue
            if self.per_route.get(route, 0) >= PER_ROUTE:
                continue
            self.per_route[route] = self.per_route.get(route, 0) + 1
            self.visit(path)
            for href in self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                url = urlsplit(urljoin(self.base + path, href))
                link = url.path + (f"?{url.query}" if url.query else "")
                if url.netloc == urlsplit(self.base).netloc and not any(s in link for s in SKIP):
                    queue.append(link)


def _sign_in(visitor: Visitor, username: str) -> None:
    page = visitor.page
    visitor.visit(reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def test_no_csp_violation_on_any_kind_of_page(live_server, browser, demo_data):
    context = browser.new_context()
    visitor = Visitor(context.new_page(), live_server.url)

    # the public, signed out: every page type reachable from the home page, and the errors
    visitor.crawl("/")
    visitor.visit("/no-such-page/", expect=404)
    visitor.visit("/ops-test/broken/", expect=500)
    visitor.visit("/ops-test/database-down/", expect=503)
    public_routes = len(visitor.per_route)

    # an officer, then an admin, signed in through the real form
    _sign_in(visitor, "officer.barnsley")
    visitor.crawl("/")
    context.clear_cookies()
    _sign_in(visitor, "admin")
    admin = reverse("admin:index")
    visitor.visit(admin)
    visitor.visit(reverse("admin:outcomes_value_changelist"))
    value = Value.objects.first()
    visitor.visit(reverse("admin:outcomes_value_change", args=[value.pk]))
    visitor.visit(reverse("admin:outcomes_measure_add"))
    context.close()

    assert public_routes >= 2, visitor.visited
    assert not visitor.violations, "CSP violations:\n" + "\n".join(visitor.violations)
    assert not visitor.console, "CSP errors in the console:\n" + "\n".join(visitor.console)
