"""The home page: every outcome with its measures by area (the "tartan rug")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from dashboards.selectors.cells import Cell, Headlines, build_cells, last_updated
from dashboards.selectors.series import Areas, areas_for_dashboard
from outcomes.models import Measure, Outcome
from places.models import Place


@dataclass
class MeasureRow:
    """One measure on an overview or outcome page: a cell per area shown, and the benchmarks."""

    measure: Measure
    cells: list[Cell]
    benchmark: Cell | None
    region: Cell | None

    @property
    def awaiting_first_data(self) -> bool:
        """No value yet in any area shown (e.g. a new measure whose owner has not reported)."""
        return not any(cell.points for cell in [*self.cells, self.benchmark] if cell)


@dataclass
class OutcomeGrid:
    outcome: Outcome
    rows: list[MeasureRow]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]


def _rows(measures: Iterable[Measure], areas: Areas, columns: Sequence[Place], cells) -> list:
    return [
        MeasureRow(
            measure=measure,
            cells=[cells[(measure.pk, place.pk)] for place in columns],
            benchmark=cells.get((measure.pk, areas.benchmark.pk)) if areas.benchmark else None,
            region=cells.get((measure.pk, areas.region.pk)) if areas.region else None,
        )
        for measure in measures
    ]


@dataclass
class Overview:
    areas: Areas
    outcomes: list[OutcomeGrid]
    headlines: Headlines
    last_updated: datetime | None

    @property
    def rows(self) -> list[MeasureRow]:
        return [row for grid in self.outcomes for row in grid.rows]


def overview(*, last_updated_at: datetime | None = None) -> Overview:
    """The home page: every outcome, each with its measures by area (the "tartan rug").

    Given ``last_updated_at`` (the latest publication, which the caller may already know), the
    values are read without their publication times; otherwise it is worked out from them."""
    areas = areas_for_dashboard()
    outcomes = list(Outcome.objects.all())
    measures = list(Measure.objects.for_dashboard())
    cells = build_cells(
        measures,
        areas,
        areas.shown,
        all_measures=True,
        with_published_at=last_updated_at is None,
    )
    by_outcome: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_outcome[measure.outcome_id].append(measure)
    grids = [
        OutcomeGrid(outcome, _rows(by_outcome[outcome.pk], areas, areas.shown, cells))
        for outcome in outcomes
    ]
    shown = [cell for grid in grids for cell in grid.cells]
    return Overview(
        areas=areas,
        outcomes=grids,
        headlines=Headlines.of(shown),
        last_updated=last_updated_at or last_updated(cells.values()),
    )
