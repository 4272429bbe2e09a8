"""Tags for the public pages' most repeated pieces: status tags, icons and latest values.

They are simple tags that build their HTML with ``format_html`` (which escapes every value)
rather than included templates: the overview repeats them for every measure in every place, and
an include costs far more than a function call. A status tag's HTML depends only on the tag, so
each distinct one is built once per process.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dashboards.selectors.cells import Cell, Tag
from methods.base import Tone

register = template.Library()

ICON_PATHS = {
    "tick": "M6.2 12.6 2 8.4l1.4-1.4 2.8 2.8 6.4-6.4L14 4.8z",
    "cross": (
        "M4.1 2.7 8 6.6l3.9-3.9 1.4 1.4L9.4 8l3.9 3.9-1.4 1.4L8 9.4l-3.9 3.9-1.4-1.4L6.6 8 2.7 4.1z"
    ),
    "equal": "M3 5h10v2H3zm0 4h10v2H3z",
    "up": "M8 2 13.5 8h-4v6h-3V8h-4z",
    "down": "M8 14 2.5 8h4V2h3v6h4z",
    "flat": "M14 8 8.5 13V9.5H2v-3h6.5V3z",
    "star": "m8 1.5 2 4.3 4.6.5-3.4 3.1 1 4.6L8 11.6 3.8 14l1-4.6-3.4-3.1 4.6-.5z",
    "dash": "M3 7h10v2H3z",
}


@register.simple_tag
def icon_sprite() -> SafeString:
    """Every icon once, as SVG symbols, for ``icon`` to point at (once per page)."""
    symbols = "".join(
        f'<symbol id="st-icon-{name}" viewBox="0 0 16 16"><path d="{path}" fill="currentColor"/>'
        "</symbol>"
        for name, path in ICON_PATHS.items()
    )
    return mark_safe(
        '<svg xmlns="http://www.w3.org/2000/svg" class="st-sprite" aria-hidden="true" '
        f'focusable="false">{symbols}</svg>'
    )


@lru_cache(maxsize=32)
def _icon(name: str) -> SafeString:
    name = name if name in ICON_PATHS else "dash"
    return format_html(
        '<svg class="st-icon" width="16" height="16" aria-hidden="true" focusable="false">'
        '<use href="#st-icon-{}"></use></svg>',
        name,
    )


@register.simple_tag
def icon(name: str) -> SafeString:
    """A status icon. The words beside it carry the meaning, so it is hidden from screen
    readers."""
    return _icon(name)


@lru_cache(maxsize=256)
def _status_tag(tag: Tag) -> SafeString:
    return format_html(
        '<strong class="nhsuk-tag {} st-status st-status--{}">{}<span>{}</span></strong>',
        tag.css_class,
        tag.tone,
        _icon(tag.icon),
        tag.label,
    )


@register.simple_tag
def status_tag(tag: Tag | None) -> SafeString:
    """A status as words, icon and colour: colour never carries it alone."""
    return _status_tag(tag) if tag is not None else mark_safe("")


@register.simple_tag
def latest_value(cell: Cell | None) -> SafeString:
    """The latest value and its period, or a dash with the reason none was published."""
    if cell is None:
        return mark_safe("")
    latest = cell.latest
    if latest is not None and latest.value is not None:
        return format_html(
            '<span class="st-value">{}</span> <span class="st-period">{}</span>',
            cell.latest_formatted,
            latest.period.label,
        )
    return format_html(
        '<span class="st-value" aria-hidden="true">–</span> <span class="st-period">{}</span>',
        cell.missing_note,
    )


@register.simple_tag
def status_line(tag: Tag, prefix: str = "") -> SafeString:
    """A compact status line (icon and words, no colour) for the overview's cells."""
    label = f"{prefix}{tag.label[0].lower()}{tag.label[1:]}" if prefix else tag.label
    return format_html('<span class="st-trend">{}{}</span>', _icon(tag.icon), label)


# Sorting a rug column (static/js/tables.js) puts the worst first.
SORT_RANK = {Tone.BAD: 0, Tone.NEUTRAL: 1, Tone.GOOD: 2}


@register.simple_tag
def rug_cell(cell: Cell) -> SafeString:
    """One cell of the overview's tartan rug: the latest value, its comparison with England as
    a coloured tag, and the trend and target as words with icons."""
    comparison = cell.comparison_tag
    target = status_line(cell.target_tag, "Target: ") if cell.has_target else ""
    return format_html(
        '<td class="nhsuk-table__cell st-rug__cell st-rug__cell--{}" data-sort="{}">'
        "{} {} {}{}</td>",
        comparison.tone,
        SORT_RANK.get(comparison.tone, len(SORT_RANK)),
        latest_value(cell),
        _status_tag(comparison),
        status_line(cell.trend_tag),
        target,
    )
