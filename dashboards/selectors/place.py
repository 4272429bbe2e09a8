"""A place's page: every measure for one place beside England and the region."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from dashboards.selectors.cells import Cell, Headlines, build_cells, last_updated
from dashboards.selectors.series import Areas
from methods.base import Status
from outcomes.models import Measure, Outcome
from places.models import Place


@dataclass
class PlaceRow:
    measure: Measure
    cell: Cell
    system: Cell | None
    benchmark: Cell | None
    region: Cell | None


@dataclass
class PlaceOutcome:
    outcome: Outcome
    rows: list[PlaceRow]


@dataclass
class PlacePage:
    place: Place
    areas: Areas
    outcomes: list[PlaceOutcome]
    headlines: Headlines
    last_updated: datetime | None

    @property
    def rows(self) -> list[PlaceRow]:
        return [row for group in self.outcomes for row in group.rows]

    @property
    def improving(self) -> list[PlaceRow]:
        return [r for r in self.rows if r.cell.trend.status == Status.IMPROVING]

    @property
    def getting_worse(self) -> list[PlaceRow]:
        return [r for r in self.rows if r.cell.trend.status == Status.GETTING_WORSE]

    @property
    def system_shown(self) -> bool:
        return self.areas.system is not None and self.areas.system.pk != self.place.pk


def place_page(
    place: Place,
    *,
    areas: Areas,
    with_source: bool = False,
    last_updated_at: datetime | None = None,
) -> PlacePage:
    """Every measure for one area, beside the system and the benchmarks.
    ``last_updated_at``: as for :func:`overview`."""
    outcomes = list(Outcome.objects.all())
    measures = list(Measure.objects.for_dashboard())
    columns = [place] + ([areas.system] if areas.system and areas.system != place else [])
    cells = build_cells(
        measures,
        areas,
        columns,
        all_measures=True,
        with_source=with_source,
        with_published_at=last_updated_at is None,
    )
    by_outcome: dict[int, list[PlaceRow]] = defaultdict(list)
    for measure in measures:

        def cell(area, measure=measure):
            return cells.get((measure.pk, area.pk)) if area else None

        by_outcome[measure.outcome_id].append(
            PlaceRow(
                measure=measure,
                cell=cells[(measure.pk, place.pk)],
                system=cell(areas.system) if areas.system != place else None,
                benchmark=cell(areas.benchmark),
                region=cell(areas.region),
            )
        )
    groups = [PlaceOutcome(o, by_outcome[o.pk]) for o in outcomes if by_outcome[o.pk]]
    return PlacePage(
        place=place,
        areas=areas,
        outcomes=groups,
        headlines=Headlines.of(row.cell for group in groups for row in group.rows),
        last_updated=last_updated_at or last_updated(cells.values()),
    )
