"""Importing values: every row checked, then all saved or none, each change on the record."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from methods.periods import PeriodError, parse_period
from outcomes.importing import CheckedRow, CheckResult, Row, check_rows
from outcomes.models import (
    Breakdown,
    Measure,
    Outcome,
    Period,
    Proposal,
    Value,
    ValueEvent,
    figures_equal,
    figures_json,
    figures_of,
)

UNIT_KINDS = {
    "%": (Measure.ValueKind.PERCENTAGE, "%", 1),
    "yrs": (Measure.ValueKind.YEARS, "years", 1),
    "years": (Measure.ValueKind.YEARS, "years", 1),
    "£": (Measure.ValueKind.MONEY, "£", 0),
    "score out of 10": (Measure.ValueKind.SCORE, "out of 10", 2),
    "rate per 100,000 population": (Measure.ValueKind.RATE_PER_100K, "per 100,000", 1),
}

VALUE_FIELDS = ["value", "lower_ci", "upper_ci", "numerator", "denominator", "note", "source"]
PROPOSAL_FIGURES = ["value_figure", *VALUE_FIELDS[1:]]


@dataclass
class ImportOutcome:
    """What an import did or would do: every row's fate, and the counts."""

    check: CheckResult
    created: list[CheckedRow] = field(default_factory=list)
    updated: list[tuple[CheckedRow, Value]] = field(default_factory=list)
    unchanged: list[CheckedRow] = field(default_factory=list)
    measures_created: list[Measure] = field(default_factory=list)
    saved: bool = False
    # Each row's figures before: for officers' proposals the open proposal's figures, else the
    # published ones (None: nothing yet). Keyed by the row's key.
    before: dict[tuple, dict | None] = field(default_factory=dict)
    # Each row's slot version when checked (0: no value yet), keyed by `slot_key`.
    versions: dict[str, int] = field(default_factory=dict)
    # Rows whose value changed since the versions the caller expected (a stale preview).
    stale: list[CheckedRow] = field(default_factory=list)
    _slots: dict[tuple, Value] = field(default_factory=dict, repr=False)
    _proposals: dict[int, Proposal] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.check.ok and not self.stale


def slot_key(key: tuple) -> str:
    """A row's key (measure, place, start, end, breakdown) as text, for JSON."""
    measure_id, place_id, start, end, breakdown = key
    extra = f":{breakdown[0]}|{breakdown[1]}" if breakdown else ""
    return f"{measure_id}:{place_id}:{start.isoformat()}:{end.isoformat()}{extra}"


def measures_create_from_rows(*, rows: list[Row], outcome: Outcome) -> list[Measure]:
    """Create the measures that rows name but the database lacks, from the rows' indicator,
    unit and polarity columns and the type of their first readable period."""
    known = Measure.objects.name_map()
    created: list[Measure] = []
    for row in rows:
        title = row.get("indicator")
        if not title or title.lower() in known:
            continue
        unit = row.get("unit")
        kind, unit_label, decimals = UNIT_KINDS.get(
            unit.lower(), (Measure.ValueKind.COUNT, unit, 1)
        )
        try:
            period_type = parse_period(row.get("period")).type
        except PeriodError:
            continue  # the row will be reported; its measure is made from a later row if any
        polarity = row.get("polarity").lower()
        measure = Measure(
            outcome=outcome,
            title=title[:200],
            slug=_free_slug(title),
            value_kind=kind,
            unit_label=unit_label or "",
            decimal_places=decimals,
            polarity=polarity if polarity in Measure.Polarity.values else Measure.Polarity.NONE,
            period_type=period_type,
            licence=row.get("licence"),
            order=100 + len(created),
        )
        measure.full_clean()
        measure.save()
        known[title.lower()] = measure
        created.append(measure)
    return created


def _free_slug(title: str) -> str:
    base = slugify(title)[:190] or "measure"
    slug, n = base, 2
    while Measure.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def values_import(
    *,
    rows: list[Row],
    empty_lines: list[int] | None = None,
    state: str = Value.State.PUBLISHED,
    user=None,
    dry_run: bool = False,
    create_measures_in: Outcome | None = None,
    allowed_places: set[int] | None = None,
    expected_versions: dict[str, int] | None = None,
    reason: str = "",
    comment: str = "",
    today=None,
    at=None,
) -> ImportOutcome:
    """Check every row; if all are good (and not a dry run) save them all in one transaction.

    `state` published: the figures are published directly (the import command, for data its
    publisher has already checked); each created or changed value gets an import event.
    `state` draft: each new or changed row becomes a draft proposal entered by `user` (the
    officers' upload); the public figures stay as they are until an approver approves.
    `expected_versions` (from a preview's `versions`) refuses the whole save, listing the rows in
    `stale`, when any of their values changed since. `reason` is kept on proposals that correct a
    published value (the public revision log shows it); `comment` goes on every event.

    Returns what happened to each row. Saves nothing when any row is bad.
    """
    if state not in (Value.State.PUBLISHED, Value.State.DRAFT):
        raise ValueError(f"values_import saves published values or draft proposals, not {state}")
    with transaction.atomic():
        measures_created = (
            measures_create_from_rows(rows=rows, outcome=create_measures_in)
            if create_measures_in
            else []
        )
        check = check_rows(rows, allowed_places=allowed_places, today=today)
        check.empty_lines = list(empty_lines or [])
        outcome = ImportOutcome(check=check, measures_created=measures_created)
        _classify(outcome, state=state, lock=check.ok and not dry_run)
        if expected_versions is not None:
            outcome.stale = [
                row
                for row in check.rows
                if expected_versions.get(slot_key(row.key), 0)
                != outcome.versions[slot_key(row.key)]
            ]
        if not outcome.ok or dry_run:
            transaction.set_rollback(True)
            return outcome
        if state == Value.State.PUBLISHED:
            _save(outcome, state=state, user=user, comment=comment, at=at)
        else:
            _save_proposals(outcome, user=user, reason=reason, comment=comment)
        outcome.saved = True
        return outcome


def _existing_values(rows: list[CheckedRow], *, lock: bool = False) -> dict[tuple, Value]:
    measure_ids = {r.measure.pk for r in rows}
    place_ids = {r.place.pk for r in rows}
    existing = Value.objects.filter(
        measure_id__in=measure_ids, place_id__in=place_ids
    ).select_related("period", "breakdown")
    if lock:
        existing = existing.select_for_update(of=("self",)).order_by("pk")
    return {
        (
            v.measure_id,
            v.place_id,
            v.period.start,
            v.period.end,
            (v.breakdown.dimension, v.breakdown.category) if v.breakdown else None,
        ): v
        for v in existing
    }


def _classify(outcome: ImportOutcome, *, state: str, lock: bool = False) -> None:
    existing = _existing_values(outcome.check.rows, lock=lock)
    outcome._slots = existing
    proposing = state != Value.State.PUBLISHED
    if proposing and existing:
        open_proposals = Proposal.objects.open().filter(value__in=list(existing.values()))
        if lock:
            open_proposals = open_proposals.select_for_update()
        outcome._proposals = {p.value_id: p for p in open_proposals}
    for row in outcome.check.rows:
        current = existing.get(row.key)
        outcome.versions[slot_key(row.key)] = current.version if current else 0
        if proposing:
            proposal = outcome._proposals.get(current.pk) if current else None
            before = proposal.figures if proposal else (current and current.published_figures)
            outcome.before[row.key] = before
            if before is None:
                outcome.created.append(row)
            elif figures_equal(before, figures_of(row)):
                outcome.unchanged.append(row)
            else:
                outcome.updated.append((row, current))
            continue
        outcome.before[row.key] = current.published_figures if current else None
        if current is None:
            outcome.created.append(row)
        elif current.state == state and all(
            _eq(getattr(current, name), getattr(row, name)) for name in VALUE_FIELDS
        ):
            outcome.unchanged.append(row)
        else:
            outcome.updated.append((row, current))


def _eq(a, b) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return (a or None) == (b or None)


def periods_get_or_create(spans: set[tuple]) -> dict[tuple, Period]:
    """Periods for (start, end, type) spans, made where missing, in two queries."""
    starts = {s[0] for s in spans}
    found = {(p.start, p.end): p for p in Period.objects.filter(start__in=starts)}
    missing = [Period(start=s, end=e, type=t) for s, e, t in spans if (s, e) not in found]
    if missing:
        Period.objects.bulk_create(missing, ignore_conflicts=True)
        found = {(p.start, p.end): p for p in Period.objects.filter(start__in=starts)}
    return found


def _breakdowns(keys: set[tuple[str, str]]) -> dict[tuple[str, str], Breakdown]:
    found = {}
    for dimension, category in keys:
        breakdown, _ = Breakdown.objects.get_or_create(dimension=dimension, category=category)
        found[(dimension, category)] = breakdown
    return found


def _save(outcome: ImportOutcome, *, state: str, user, comment: str = "", at=None) -> None:
    """Publish the rows directly, recording an import event for each value written."""
    now = at or timezone.now()
    rows = outcome.created + [row for row, _ in outcome.updated]
    periods = periods_get_or_create({(r.period_start, r.period_end, r.period_type) for r in rows})
    breakdowns = _breakdowns({r.breakdown for r in rows if r.breakdown})
    published_at = now if state == Value.State.PUBLISHED else None
    new_values = [
        Value(
            measure=row.measure,
            place=row.place,
            period=periods[(row.period_start, row.period_end)],
            breakdown=breakdowns.get(row.breakdown) if row.breakdown else None,
            state=state,
            entered_by=user,
            published_at=published_at,
            **{name: getattr(row, name) for name in VALUE_FIELDS},
        )
        for row in outcome.created
    ]
    Value.objects.bulk_create(new_values, batch_size=1000)
    events = [
        _import_event(value, None, user=user, at=now, comment=comment) for value in new_values
    ]
    changed = []
    for row, value in outcome.updated:
        old = value.published_figures
        for name in VALUE_FIELDS:
            setattr(value, name, getattr(row, name))
        value.state = state
        value.entered_by = user
        value.version += 1
        value.updated_at = now
        if published_at:
            value.published_at = published_at
        changed.append(value)
        events.append(_import_event(value, old, user=user, at=now, comment=comment))
    Value.objects.bulk_update(
        changed,
        [*VALUE_FIELDS, "state", "entered_by", "version", "updated_at", "published_at"],
        batch_size=1000,
    )
    ValueEvent.objects.bulk_create(events, batch_size=1000)


def _import_event(value: Value, old: dict | None, *, user, at, comment: str) -> ValueEvent:
    return ValueEvent(
        value=value,
        action=ValueEvent.Action.IMPORT,
        actor=user,
        at=at,
        version=value.version,
        old=figures_json(old),
        new=figures_json(figures_of(value)),
        comment=comment,
        published=True,
    )


def _save_proposals(outcome: ImportOutcome, *, user, reason: str, comment: str) -> None:
    """Make each new or changed row a draft proposal entered by `user`; public figures stay."""
    now = timezone.now()
    rows = outcome.created + [row for row, _ in outcome.updated]
    slots = outcome._slots
    missing = [row for row in rows if row.key not in slots]
    if missing:
        periods = periods_get_or_create(
            {(r.period_start, r.period_end, r.period_type) for r in missing}
        )
        breakdowns = _breakdowns({r.breakdown for r in missing if r.breakdown})
        placeholders = [
            Value(
                measure=row.measure,
                place=row.place,
                period=periods[(row.period_start, row.period_end)],
                breakdown=breakdowns.get(row.breakdown) if row.breakdown else None,
                state=Value.State.DRAFT,
                version=0,
                entered_by=user,
            )
            for row in missing
        ]
        Value.objects.bulk_create(placeholders, batch_size=1000)
        slots.update({row.key: value for row, value in zip(missing, placeholders, strict=True)})
    created, changed, events = [], [], []
    for row in rows:
        value = slots[row.key]
        proposal = outcome._proposals.get(value.pk)
        old = proposal.figures if proposal else None
        if proposal is None:
            proposal = Proposal(value=value, entered_by=user)
            created.append(proposal)
        else:
            changed.append(proposal)
        proposal.set_figures(figures_of(row))
        proposal.state = Proposal.State.DRAFT
        proposal.entered_by = user
        proposal.submitted_at = None
        proposal.updated_at = now
        if value.is_published and reason:
            proposal.reason = reason
        value.version += 1
        value.updated_at = now
        events.append((value, proposal, old))
    Proposal.objects.bulk_create(created, batch_size=1000)
    Proposal.objects.bulk_update(
        changed,
        [*PROPOSAL_FIGURES, "state", "entered_by", "submitted_at", "updated_at", "reason"],
        batch_size=1000,
    )
    Value.objects.bulk_update([v for v, _, _ in events], ["version", "updated_at"], batch_size=1000)
    ValueEvent.objects.bulk_create(
        [
            ValueEvent(
                value=value,
                proposal=proposal,
                action=ValueEvent.Action.CREATE if old is None else ValueEvent.Action.EDIT,
                actor=user,
                at=now,
                version=value.version,
                old=figures_json(old),
                new=figures_json(proposal.figures),
                comment=comment,
            )
            for value, proposal, old in events
        ],
        batch_size=1000,
    )
