"""Reads for the officers' and approvers' pages, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from outcomes.models import Measure, Value, ValueEvent
from outcomes.revisions import short_date

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
            return Due("done", f"Due {when}: updated {short_date(last_approved)}")
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
