"""The board's quarterly progress report: for each outcome, its measures' statuses at the end of
the quarter, what changed since the previous quarter, overdue data, commitments at risk or
delayed, and what residents said.

"At the end of the quarter" means what had been published by then: values and commitment updates
with ``published_at`` before the quarter's end (or now, for the quarter in progress), so a
report for a past quarter shows what the board could have seen then. The statuses are the public
pages' own (``dashboards.selectors.cells.Cell``, built from the same published points, filtered by
publication time), so the report and the pages agree.

Quarters are NHS financial-year quarters: Q1 is April to June.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Max, Min
from django.utils import timezone

from commitments.models import Commitment, CommitmentStatus, CommitmentUpdate
from dashboards.selectors.cells import Cell, build_cells
from dashboards.selectors.series import Areas, Point, areas_for_dashboard
from engagement.models import FeedbackTheme
from methods.base import Status
from outcomes.models import Measure, Outcome, Value

QUARTER_SLUG = re.compile(r"^(\d{4})-(\d{2})-q([1-4])$")
MONTHS = ["April", "July", "October", "January"]
END_MONTHS = ["June", "September", "December", "March"]


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter: ``year`` is the year the financial year starts (2026 for
    2026/27), ``number`` 1 (April to June) to 4 (January to March)."""

    year: int
    number: int

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def from_slug(cls, slug: str) -> Quarter | None:
        match = QUARTER_SLUG.match(slug)
        if not match:
            return None
        year, short, number = int(match[1]), int(match[2]), int(match[3])
        if (year + 1) % 100 != short:
            return None
        return cls(year, number)

    @property
    def slug(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}-q{self.number}"

    @property
    def start(self) -> datetime.date:
        month = 4 + 3 * (self.number - 1)
        year = self.year + (month > 12)
        return datetime.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the quarter."""
        return self.next.start - datetime.timedelta(days=1)

    @property
    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.financial_year}"

    @property
    def months(self) -> str:
        start_year = self.start.year
        end_year = self.end.year
        first, last = MONTHS[self.number - 1], END_MONTHS[self.number - 1]
        if start_year == end_year:
            return f"{first} to {last} {end_year}"
        return f"{first} {start_year} to {last} {end_year}"

    @property
    def long_label(self) -> str:
        return f"{self.label} ({self.months})"

    def cutoff(self) -> datetime.datetime:
        """The first moment after the quarter, in the site's time zone."""
        start = self.next.start
        return timezone.make_aware(datetime.datetime(start.year, start.month, start.day))


def publication_range() -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The first and the latest publication (values and commitment updates): two queries."""
    values = Value.objects.published().aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    updates = CommitmentUpdate.objects.published().aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    firsts = [d for d in (values["first"], updates["first"]) if d]
    lasts = [d for d in (values["last"], updates["last"]) if d]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def available_quarters(*, today: datetime.date | None = None) -> list[Quarter]:
    """Every quarter from the first publication's to the current one, newest first."""
    today = today or timezone.localdate()
    current = Quarter.containing(today)
    first, _ = publication_range()
    earliest = Quarter.containing(timezone.localtime(first).date()) if first else current
    quarters = []
    quarter = current
    while quarter >= earliest:
        quarters.append(quarter)
        quarter = quarter.previous
    return quarters


# -------------------------------------------------------------------------------------------------
# Cells as they stood at a moment
# -------------------------------------------------------------------------------------------------


def cells_as_at(
    cells: dict[tuple[int, int], Cell],
    measures: list[Measure],
    areas: Areas,
    cutoff: datetime.datetime,
) -> dict[tuple[int, int], Cell]:
    """The same cells with only the points published before ``cutoff``: the statuses the pages
    would have shown then (by the same rules)."""

    def before(cell: Cell) -> list[Point]:
        return [p for p in cell.points if p.published_at is not None and p.published_at < cutoff]

    out: dict[tuple[int, int], Cell] = {}
    for measure in measures:
        bench = None
        if areas.benchmark is not None:
            current = cells[(measure.pk, areas.benchmark.pk)]
            bench = Cell(measure, areas.benchmark, before(current), is_benchmark=True)
            out[(measure.pk, areas.benchmark.pk)] = bench
        for (measure_id, place_id), cell in cells.items():
            if measure_id != measure.pk or (bench is not None and place_id == bench.place.pk):
                continue
            out[(measure_id, place_id)] = Cell(
                measure, cell.place, before(cell), benchmark=bench, target=cell.target
            )
    return out


# -------------------------------------------------------------------------------------------------
# The report
# -------------------------------------------------------------------------------------------------


@dataclass
class Change:
    measure: Measure
    place_name: str
    sentence: str


@dataclass
class MeasureLine:
    measure: Measure
    cells: list[Cell]  # one per area shown (the system first)
    overdue_since: datetime.date | None = None


@dataclass
class CommitmentLine:
    commitment: Commitment
    status: str
    previous_status: str
    latest: CommitmentUpdate | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label

    @property
    def previous_label(self) -> str:
        return CommitmentStatus(self.previous_status).label

    @property
    def colour(self) -> str:
        from commitments.models import STATUS_TAG_COLOURS

        return STATUS_TAG_COLOURS[CommitmentStatus(self.status)]

    @property
    def changed(self) -> bool:
        return self.status != self.previous_status


@dataclass
class OutcomeSection:
    outcome: Outcome
    measures: list[MeasureLine]
    changes: list[Change]
    new_data: list[str]
    commitments: list[CommitmentLine]
    themes: list = field(default_factory=list)

    @property
    def overdue(self) -> list[MeasureLine]:
        return [line for line in self.measures if line.overdue_since]

    @property
    def commitments_of_concern(self) -> list[CommitmentLine]:
        return [
            line
            for line in self.commitments
            if line.status in (CommitmentStatus.AT_RISK, CommitmentStatus.DELAYED) or line.overdue
        ]

    @property
    def commitments_changed(self) -> list[CommitmentLine]:
        return [line for line in self.commitments if line.changed]


@dataclass
class Report:
    quarter: Quarter
    as_at: datetime.datetime
    in_progress: bool
    areas: Areas
    sections: list[OutcomeSection]
    had_earlier_data: bool

    @cached_property
    def summary(self) -> dict[str, int]:
        cells = [c for s in self.sections for line in s.measures for c in line.cells]
        trend = [c.trend.status for c in cells if c.latest]
        return {
            "results": len([c for c in cells if c.latest]),
            "improving": trend.count(Status.IMPROVING),
            "getting_worse": trend.count(Status.GETTING_WORSE),
            "better": [c.comparison for c in cells].count(Status.BETTER),
            "worse": [c.comparison for c in cells].count(Status.WORSE),
            "overdue": sum(len(s.overdue) for s in self.sections),
            "commitments": sum(len(s.commitments) for s in self.sections),
            "of_concern": sum(len(s.commitments_of_concern) for s in self.sections),
        }


def _describe_changes(now: Cell, then: Cell) -> str | None:
    """One sentence for what changed in a cell between two quarter ends, or None."""
    if now.latest is None or then.latest is None:
        return None
    parts = []
    if now.latest.period.pk != then.latest.period.pk:
        parts.append(
            f"new data for {now.latest.period.label}: {now.latest_formatted} "
            f"(was {then.latest_formatted} for {then.latest.period.label})"
        )
    if now.comparison != then.comparison:
        parts.append(
            f"now {now.comparison_tag.label.lower()} (was {then.comparison_tag.label.lower()})"
        )
    if now.trend.status != then.trend.status:
        parts.append(
            f"trend now {now.trend_tag.label.lower()} (was {then.trend_tag.label.lower()})"
        )
    if now.has_target and now.target_assessment.status != then.target_assessment.status:
        parts.append(
            f"target now {now.target_tag.label.lower()} (was {then.target_tag.label.lower()})"
        )
    return "; ".join(parts) if parts else None


def _overdue_since(measure: Measure, day: datetime.date) -> datetime.date | None:
    """The date an update was due, when that date had passed by ``day``: the measure page's own
    rule (the next update date is moved on when new data is published)."""
    due = measure.next_update_due
    return due if due is not None and due < day else None


def _themes_by_outcome() -> dict[int, list]:
    """Published "you said, we did" themes for each outcome: linked to it, to one of its
    measures, or to one of its commitments (four queries)."""
    themes = list(FeedbackTheme.objects.published().with_links().prefetch_related("commitments"))
    by_outcome: dict[int, list] = defaultdict(list)
    for theme in themes:
        linked = (
            {o.pk for o in theme.outcomes.all()}
            | {m.outcome_id for m in theme.measures.all()}
            | {c.outcome_id for c in theme.commitments.all()}
        )
        for outcome_id in linked:
            by_outcome[outcome_id].append(theme)
    return by_outcome


def _commitment_lines(cutoff: datetime.datetime, previous_cutoff: datetime.datetime, day):
    """Every commitment with its status at the two quarter ends, from one query of updates."""
    commitments = list(
        Commitment.objects.select_related("outcome", "lead_partner").prefetch_related("places")
    )
    updates = list(
        CommitmentUpdate.objects.published()
        .filter(published_at__lt=cutoff)
        .order_by("commitment_id", "as_of", "published_at", "pk")
    )
    by_commitment: dict[int, list[CommitmentUpdate]] = defaultdict(list)
    for update in updates:
        by_commitment[update.commitment_id].append(update)
    lines: dict[int, list[CommitmentLine]] = defaultdict(list)
    for commitment in commitments:
        history = by_commitment.get(commitment.pk, [])
        earlier = [u for u in history if u.published_at < previous_cutoff]
        latest = history[-1] if history else None
        status = latest.status if latest else CommitmentStatus.NOT_STARTED
        previous = earlier[-1].status if earlier else CommitmentStatus.NOT_STARTED
        lines[commitment.outcome_id].append(
            CommitmentLine(
                commitment=commitment,
                status=status,
                previous_status=previous,
                latest=latest,
                overdue=commitment.due_date < day and status != CommitmentStatus.DONE,
            )
        )
    return lines


def board_report(quarter: Quarter, *, now: datetime.datetime | None = None) -> Report:
    """The report for one quarter, from a fixed number of queries."""
    now = now or timezone.now()
    cutoff = min(quarter.cutoff(), now)
    previous_cutoff = quarter.previous.cutoff()
    day = timezone.localtime(cutoff).date()

    areas = areas_for_dashboard()
    outcomes = list(Outcome.objects.all())
    measures = list(Measure.objects.for_dashboard())
    current = build_cells(measures, areas, areas.shown, all_measures=True)
    at_end = cells_as_at(current, measures, areas, cutoff)
    at_start = cells_as_at(current, measures, areas, previous_cutoff)
    had_earlier_data = any(c.points for c in at_start.values())
    commitments = _commitment_lines(cutoff, previous_cutoff, day)
    themes = _themes_by_outcome()

    sections = []
    for outcome in outcomes:
        lines, changes, new_data = [], [], []
        for measure in [m for m in measures if m.outcome_id == outcome.pk]:
            cells = [at_end[(measure.pk, area.pk)] for area in areas.shown]
            lines.append(
                MeasureLine(
                    measure=measure,
                    cells=cells,
                    overdue_since=_overdue_since(measure, day),
                )
            )
            first_published = [
                c.place.name
                for c in cells
                if c.latest and not at_start[(measure.pk, c.place.pk)].latest
            ]
            if first_published and had_earlier_data:
                new_data.append(
                    f"{measure.title}: first published for {', '.join(first_published)}."
                )
            for cell in cells:
                sentence = _describe_changes(cell, at_start[(measure.pk, cell.place.pk)])
                if sentence:
                    changes.append(Change(measure, cell.place.name, sentence))
        sections.append(
            OutcomeSection(
                outcome=outcome,
                measures=lines,
                changes=changes,
                new_data=new_data,
                commitments=commitments.get(outcome.pk, []),
                themes=themes.get(outcome.pk, []),
            )
        )
    return Report(
        quarter=quarter,
        as_at=cutoff,
        in_progress=cutoff < quarter.cutoff(),
        areas=areas,
        sections=sections,
        had_earlier_data=had_earlier_data,
    )
