"""Helpers for browser tests: axe-core checks and the Content Security Policy pages are served with.

from tests.browser.helpers import assert_no_axe_violations
"""

from __future__ import annotations

from collections.abc import Iterable

# The policy the site is meant to run under; every browser test serves pages with it, so inline
# scripts, inline styles and third-party hosts show up as test failures now, not in production.
STRICT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page, *, context: str | None = None) -> list[dict]:
    """Run axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on the page; return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    # While axe runs, the CSP reporter in conftest.py ignores violations: axe injects <style>.
    page.evaluate("window.__axeRunning = true")
    try:
        return Axe().run(page, context=context, options=options).response["violations"]
    finally:
        page.evaluate("window.__axeRunning = false")


def format_violations(violations: Iterable[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(
    page, *, impacts: Iterable[str] | None = None, context: str | None = None
) -> list[dict]:
    """Fail with a readable list if axe finds violations (only of these `impacts`, if given:
    "minor", "moderate", "serious", "critical"). Returns every violation found, for reports."""
    violations = axe_violations(page, context=context)
    failing = [v for v in violations if impacts is None or v["impact"] in set(impacts)]
    assert not failing, (
        f"axe found {len(failing)} accessibility violation(s) on {page.url}:\n"
        + format_violations(failing)
    )
    return violations
