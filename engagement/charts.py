"""Plotly figure dicts for the results page: pure functions from results to JSON-able dicts,
drawn by the one static chart script. The same numbers are in a table beside each chart."""

from __future__ import annotations

import html
import textwrap

from engagement.results import IssueResult, PriorityResult

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
FONT = {"family": "Frutiger W01, Arial, sans-serif", "size": 16, "color": "#212b32"}
CONFIG = {"displayModeBar": False, "responsive": True}


def _wrap(text: str, width: int = 34) -> str:
    """Escaped (plotly reads a subset of HTML in labels) and wrapped onto short lines."""
    text = html.escape(text, quote=False)
    return "<br>".join(textwrap.wrap(text, width)) or text


def _bar_layout(*, x_title: str, rows: int) -> dict:
    return {
        "font": FONT,
        "height": max(220, 70 * rows + 90),
        "margin": {"l": 10, "r": 20, "t": 10, "b": 60},
        "xaxis": {"title": {"text": x_title}, "rangemode": "tozero", "fixedrange": True},
        "yaxis": {"automargin": True, "autorange": "reversed", "fixedrange": True},
        "bargap": 0.35,
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "showlegend": False,
    }


def priorities_figure(priorities: list[PriorityResult]) -> dict:
    """Borda points for each priority, most important first (mean rank in the hover text)."""
    rows = [p for p in priorities if p.responses]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [p.borda for p in rows],
                "y": [_wrap(p.priority.title) for p in rows],
                "customdata": [[str(p.mean_rank), p.responses] for p in rows],
                "hovertemplate": (
                    "%{y}<br>%{x:,} Borda points<br>mean rank %{customdata[0]} "
                    "from %{customdata[1]:,} responses<extra></extra>"
                ),
                "marker": {"color": NHS_BLUE},
                "text": [f"{p.borda:,}" for p in rows],
                "textposition": "auto",
            }
        ],
        "layout": _bar_layout(x_title="Borda points (more is more important)", rows=len(rows)),
        "config": CONFIG,
    }


def issues_figure(issues: list[IssueResult], *, top: int = 10) -> dict:
    """The most picked issues, most picked first."""
    rows = [i for i in issues if i.picks][:top]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [i.picks for i in rows],
                "y": [_wrap(i.issue.title) for i in rows],
                "customdata": [[i.issue.priority.title] for i in rows],
                "hovertemplate": "%{y}<br>%{x:,} picks<br>%{customdata[0]}<extra></extra>",
                "marker": {"color": NHS_DARK_BLUE},
                "text": [f"{i.picks:,}" for i in rows],
                "textposition": "auto",
            }
        ],
        "layout": _bar_layout(x_title="Responses that picked it", rows=len(rows)),
        "config": CONFIG,
    }
