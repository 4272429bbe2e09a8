"""An outcome's page, and the list of outcomes with their measures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from dashboards.selectors.cells import Headlines, build_cells, last_updated
from dashboards.selectors.overview import MeasureRow, _rows
from dashboards.selectors.series import Areas
from outcomes.models import Measure, Outcome
from places.models import Place


@dataclass
class OutcomePage:
    outcome: Outcome
    areas: Areas
    columns: list[Place]
    rows: list[MeasureRow]
    headlines: Headlines
    last_updated: datetime | None


def outcome_page(
    outcome: Outcome,
    *,
    areas: Areas,
    place: Place | None = None,
    with_source: bool = False,
    last_updated_at: datetime | None = None,
) -> OutcomePage:
    """An outcome's measures, the latest value in each area (or one area) with its series.
    ``last_updated_at``: as for :func:`overview`."""
    measures = list(Measure.objects.for_dashboard().for_outcome(outcome))
    columns = [place] if place else areas.shown
    cells = build_cells(
        measures,
        areas,
        columns,
        with_source=with_source,
        with_published_at=last_updated_at is None,
    )
    rows = _rows(measures, areas, columns, cells)
    return OutcomePage(
        outcome=outcome,
        areas=areas,
        columns=columns,
        rows=rows,
        headlines=Headlines.of(cell for row in rows for cell in row.cells),
        last_updated=last_updated_at or last_updated(cells.values()),
    )


@dataclass
class OutcomeEntry:
    outcome: Outcome
    measures: list[Measure]


def outcomes_with_measures() -> list[OutcomeEntry]:
    """Every outcome with its measures, in two queries."""
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.all():
        measures[measure.outcome_id].append(measure)
    outcomes = Outcome.objects.select_related("theme").order_by(
        F("theme__order").asc(nulls_last=True), "theme__title", "order", "title"
    )  # grouped by theme, for the page's headings
    return [OutcomeEntry(o, measures[o.pk]) for o in outcomes]
