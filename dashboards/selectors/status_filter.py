"""The status filter of the home and place pages: which measures have a given status."""

from __future__ import annotations

from collections.abc import Iterable

from dashboards.selectors.cells import Cell
from methods.base import Status

# What a reader can filter by, in the words of the status tags.
FILTERS: list[tuple[str, str]] = [
    (Status.WORSE, "Worse than {benchmark}"),
    (Status.SIMILAR, "Similar to {benchmark}"),
    (Status.BETTER, "Better than {benchmark}"),
    (Status.GETTING_WORSE, "Getting worse"),
    (Status.IMPROVING, "Improving"),
    (Status.MOVING_AWAY, "Moving away from target"),
    (Status.LIMITED_PROGRESS, "Limited progress"),
    (Status.ACCELERATION_NEEDED, "Progress, acceleration needed"),
    (Status.ON_TRACK, "On track"),
]


def cell_statuses(cell: Cell) -> set[str]:
    statuses = {str(cell.comparison), str(cell.trend.status)}
    if cell.has_target:
        statuses.add(str(cell.target_assessment.status))
    return statuses


def matching_measures(rows: Iterable[tuple[int, list[Cell]]], status: str) -> set[int]:
    """The measures (by pk) any of whose cells has ``status``; ``rows`` gives each measure's pk
    with the cells the page shows for it (every place on the home page, one on a place page)."""
    return {pk for pk, cells in rows if any(status in cell_statuses(c) for c in cells)}
