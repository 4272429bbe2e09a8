"""Reads for the public revision log and the staff pages, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

from outcomes.models import FIGURE_FIELDS, Measure, Value, ValueEvent, figures_from_json

FIELD_NAMES = {
    "value": "value",
    "lower_ci": "confidence interval",
    "upper_ci": "confidence interval",
    "numerator": "numerator",
    "denominator": "denominator",
    "note": "note",
    "source": "source",
}


@dataclass
class Revision:
    at: datetime
    figure: str
    reason: str
    changed: list[str]  # what changed, in words: "value", "confidence interval", "source"...

    @property
    def value_changed(self) -> bool:
        return "value" in self.changed


@dataclass
class RevisionLogEntry:
    """One published value that was later revised: when and as what it was first published,
    then each revision."""

    value: Value
    first_published_at: datetime | None  # None: published before the audit record began
    first_figure: str
    revisions: list[Revision] = field(default_factory=list)

    @property
    def place(self):
        return self.value.place

    @property
    def period_label(self) -> str:
        return self.value.period.label

    @property
    def breakdown_label(self) -> str:
        return self.value.breakdown_label

    @property
    def sentence(self) -> str:
        """e.g. "2024/25 first published 12 Mar 2026 as 31.2%; revised 4 Jun 2026 to 31.0%
        (source corrected)." """
        when = f" {_day(self.first_published_at)}" if self.first_published_at else ""
        parts = [f"{self.period_label} first published{when} as {self.first_figure}"]
        for revision in self.revisions:
            if revision.value_changed:
                text = f"revised {_day(revision.at)} to {revision.figure}"
            else:
                text = (
                    f"revised {_day(revision.at)}: {_words(revision.changed)} changed, "
                    f"value still {revision.figure}"
                )
            if revision.reason:
                text += f" ({revision.reason})"
            parts.append(text)
        return "; ".join(parts) + "."


def _figure(measure: Measure, figures: dict) -> str:
    return "no value" if figures["value"] is None else measure.format_value(figures["value"])


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def changed_fields(old: dict, new: dict) -> list[str]:
    names: list[str] = []
    for name in FIGURE_FIELDS:
        if (old.get(name) or None) != (new.get(name) or None):
            word = FIELD_NAMES[name]
            if word not in names:
                names.append(word)
    return names


def revision_log(measure: Measure, *, place=None) -> list[RevisionLogEntry]:
    """Published values of this measure (at this place, if given) that were later revised, with
    their first publication and every revision, in one query. Only published figures appear:
    proposals under review never do.

    Ordered by place, then period, then breakdown."""
    revised = ValueEvent.objects.revisions().for_measure(measure).values("value_id")
    events = (
        ValueEvent.objects.public()
        .for_measure(measure)
        .filter(value__in=revised, value__state=Value.State.PUBLISHED)
        .select_related("value__place", "value__period", "value__breakdown", "proposal")
        .order_by(
            "value__place__order",
            "value__place__name",
            "value__period__start",
            "value__breakdown_id",
            "value_id",
            "at",
            "pk",
        )
    )
    if place is not None:
        events = events.filter(value__place=place)
    entries: list[RevisionLogEntry] = []
    current: RevisionLogEntry | None = None
    for event in events:
        new = figures_from_json(event.new)
        figure = _figure(measure, new)
        old = figures_from_json(event.old)
        if current is None or current.value.pk != event.value_id:
            event.value.measure = measure
            current = RevisionLogEntry(
                value=event.value, first_published_at=event.at, first_figure=figure
            )
            entries.append(current)
            if old is None:
                continue
            # Published before the record began: the first figure is known, not its date.
            current.first_published_at = None
            current.first_figure = _figure(measure, old)
        if old is None:
            continue
        # An approval shows the officer's public reason (never the approver's private comment);
        # an import shows the command's comment.
        reason = event.proposal.reason if event.proposal_id else event.comment
        current.revisions.append(
            Revision(at=event.at, figure=figure, reason=reason, changed=changed_fields(old, new))
        )
    return [entry for entry in entries if entry.revisions]


# --- Staff pages -------------------------------------------------------------------------------

DUE_SOON_DAYS = 28


@dataclass
class Due:
    tone: str  # "overdue", "soon", "later", "done", "none": picks the tag colour
    text: str


@dataclass
class MeasureRow:
    """One measure at one place on "My measures"."""

    measure: Measure
    place: object
    latest: Value | None  # the latest published value (all people)
    waiting: list  # open proposals, latest period first
    due: Due


@dataclass
class PlaceMeasures:
    place: object
    rows: list[MeasureRow]


def _due(measure: Measure, waiting: list, last_approved, today) -> Due:
    due = measure.next_update_due
    if due is None:
        return Due("none", "No date set")
    when = f"{due.day} {due:%b %Y}"
    if due <= today:
        if waiting:
            return Due("done", f"Due {when}: in progress")
        if last_approved is not None and timezone.localdate(last_approved) >= due:
            return Due("done", f"Due {when}: updated {_day(last_approved)}")
        return Due("overdue", f"Overdue since {when}")
    if (due - today).days <= DUE_SOON_DAYS:
        return Due("soon", f"Due {when}")
    return Due("later", f"Due {when}")


def my_measures(access, *, today=None) -> list[PlaceMeasures]:
    """For each place the user enters values for: every measure, its latest published value,
    the values waiting for review, and whether an update is due. Four queries, whatever the
    number of places, measures or values.

    An update counts as made when a value for the place was approved (or is waiting) since the
    measure's next-update date; a bulk import by an admin does not count, since it is not the
    place's update (an admin importing a new release moves the measure's date on too)."""
    from django.db.models import Max

    from outcomes.models import Proposal

    today = today or timezone.localdate()
    places = list(access.editable_places().order_by("order", "name"))
    if not places:
        return []
    measures = list(Measure.objects.select_related("outcome"))
    latest = {
        (v.measure_id, v.place_id): v
        for v in Value.objects.published()
        .all_people()
        .filter(place__in=places)
        .select_related("period")
        .latest_per_slot()
    }
    waiting: dict[tuple, list] = {}
    for proposal in (
        Proposal.objects.open()
        .filter(value__place__in=places, value__breakdown__isnull=True)
        .select_related("value__period")
        .order_by("-value__period__start")
    ):
        waiting.setdefault((proposal.value.measure_id, proposal.value.place_id), []).append(
            proposal
        )
    approved = {
        (row["value__measure_id"], row["value__place_id"]): row["last"]
        for row in ValueEvent.objects.filter(
            action=ValueEvent.Action.APPROVE, value__place__in=places
        )
        .values("value__measure_id", "value__place_id")
        .annotate(last=Max("at"))
    }
    result = []
    for place in places:
        rows = []
        for measure in measures:
            key = (measure.pk, place.pk)
            if key in latest:
                latest[key].measure = measure
            rows.append(
                MeasureRow(
                    measure=measure,
                    place=place,
                    latest=latest.get(key),
                    waiting=waiting.get(key, []),
                    due=_due(measure, waiting.get(key, []), approved.get(key), today),
                )
            )
        result.append(PlaceMeasures(place=place, rows=rows))
    return result


def approval_queue(access):
    """Submitted values the user may review, oldest first, each with the published value it
    would replace and the previous period's published value, in one query."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from outcomes.models import Proposal

    previous = (
        Value.objects.published()
        .filter(
            measure=OuterRef("value__measure"),
            place=OuterRef("value__place"),
            period__start__lt=OuterRef("value__period__start"),
            value__isnull=False,
        )
        .annotate(slot_breakdown=Coalesce("breakdown_id", 0))
        .filter(slot_breakdown=Coalesce(OuterRef("value__breakdown_id"), 0))
        .order_by("-period__start")
    )
    return (
        Proposal.objects.submitted()
        .for_places(access.approvable_place_filter())
        .with_related()
        .annotate(
            previous_value=Subquery(previous.values("value")[:1]),
            previous_start=Subquery(previous.values("period__start")[:1]),
            previous_end=Subquery(previous.values("period__end")[:1]),
            previous_type=Subquery(previous.values("period__type")[:1]),
        )
        .order_by("submitted_at", "pk")
    )
