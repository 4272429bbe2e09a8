"""Read the tables of a rendered page as text, so tests can check each number where it is shown."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._hidden = 0  # depth inside aria-hidden elements

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden or attrs.get("aria-hidden") == "true":
            self._hidden += 1  # hidden content here has no void elements (svg shapes close)
        if tag == "table":
            self._stack.append({"caption": "", "rows": []})
        elif tag == "caption" and self._stack:
            self._caption = []
        elif tag == "tr" and self._stack:
            self._stack[-1]["rows"].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = []

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= 1
        if tag == "table" and self._stack:
            self.tables.append(self._stack.pop())
        elif tag == "caption" and self._caption is not None:
            self._stack[-1]["caption"] = _squash(" ".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._stack[-1]["rows"][-1].append(_squash(" ".join(self._cell)))
            self._cell = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None and not self._hidden:
            self._cell.append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tables(html: str | bytes) -> list[dict]:
    """Every table: {"caption": text, "rows": [[cell text, ...], ...]} (header row first).
    Text hidden from screen readers (aria-hidden) is left out, as a screen reader would."""
    parser = _Tables()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.tables


def table(html: str | bytes, caption_starts: str) -> dict:
    found = [t for t in tables(html) if t["caption"].startswith(caption_starts)]
    assert len(found) == 1, f"expected one table captioned {caption_starts!r}, found {len(found)}"
    return found[0]
