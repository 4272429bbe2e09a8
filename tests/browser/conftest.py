"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live_server.

Fixtures and helpers here (see each one's docstring):
- `page` (pytest-playwright's, extended): every HTML page is served with STRICT_CSP, and every
  console error, uncaught exception, CSP violation or failed request fails the test at teardown;
  `page_problems` is that list (clear it in a test that expects one).
- `site`: the live server's base URL, with `site.url("home")` / `site.admin_url` helpers.
- `sign_in(page, user)`: signs a user in without the form (session cookie), for tests not about
  signing in.
- `screenshot(page, name)`: a full-page PNG in test-results/screenshots/.
- In tests/browser/helpers.py: `assert_no_axe_violations(page, impacts=...)` (axe-core, WCAG
  2.0/2.1/2.2 A and AA, a readable failure) and `axe_violations(page)`.

Mark every test here `@pytest.mark.browser` (or `pytestmark = pytest.mark.browser`). Where
/usr/bin/chromium is missing the tests are skipped, unless REQUIRE_BROWSER is set (CI sets it).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.helpers import STRICT_CSP

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from it
# unless told that is safe (it is: the loop is Playwright's, not ours).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("REQUIRE_BROWSER"):
        raise pytest.UsageError(f"REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }


# Runs in every page before its own scripts: reports each CSP violation, with the element at fault.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  if (window.__axeRunning) return;  // axe-core adds <style> elements of its own while it runs
  const target = event.target && event.target.outerHTML
    ? event.target.outerHTML.slice(0, 160) : String(event.target);
  console.error(
    `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || location.href}:${event.lineNumber})`
    + ` sample=${event.sample} at ${target}`);
});
"""


@pytest.fixture
def page_problems() -> list[str]:
    """What went wrong in the browser during the test; `page` fails the test if any remain."""
    return []


@pytest.fixture
def page(page, page_problems):
    """pytest-playwright's page, serving HTML with STRICT_CSP and recording every problem."""

    def add_csp(route):
        # max_redirects=0: hand redirects to the browser, so page.url follows them.
        response = route.fetch(max_redirects=0)
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    def on_request(route):
        if route.request.resource_type == "document":
            add_csp(route)
        else:
            route.continue_()

    def on_console(message):
        # "Failed to load resource" repeats what on_response reports (and a page's own 404 is
        # the test's business); Chrome's own CSP message repeats REPORT_CSP_VIOLATIONS's, which
        # says which element broke the policy.
        if message.type == "error" and not message.text.startswith(
            (
                "Failed to load resource",
                "Applying inline style violates",
                "Executing inline",
                "Refused to",
            )
        ):
            page_problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_request_failed(request):
        # A navigation cancels what the page it leaves was still loading (a favicon, say):
        # that is the browser's doing, not a broken resource.
        if request.failure == "net::ERR_ABORTED":
            return
        page_problems.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            page_problems.append(f"HTTP {response.status}: {response.url}")

    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.route("**/*", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page_problems.append(f"uncaught: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.set_default_timeout(10_000)
    yield page
    assert not page_problems, "Problems in the browser:\n" + "\n".join(page_problems)


@dataclass(frozen=True)
class Site:
    """The live server, with URL helpers: `site.url("home")`, `site.admin_url`."""

    base_url: str

    def url(self, name: str, *args, **kwargs) -> str:
        return self.base_url + reverse(name, args=args or None, kwargs=kwargs or None)

    def path(self, path: str) -> str:
        return self.base_url + path

    @property
    def admin_url(self) -> str:
        return f"{self.base_url}/{settings.ADMIN_PATH}"


@pytest.fixture
def site(live_server) -> Site:
    return Site(live_server.url)


@pytest.fixture
def sign_in(site):
    """sign_in(page, user): give the browser a signed-in session for `user`, without the form."""

    def _sign_in(page, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": site.base_url}]
        )

    return _sign_in


@pytest.fixture
def screenshot(pytestconfig):
    """screenshot(page, name): save a full-page PNG as test-results/screenshots/<name>.png."""
    folder = Path(pytestconfig.getoption("--output")) / "screenshots"

    def _screenshot(page, name: str, *, full_page: bool = True) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _screenshot
