"""Writes that span rows. Each is a keyword-only function that runs in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from outcomes.importing import CheckedRow, CheckResult, Row, check_rows
from outcomes.models import (
    NUMBER_FIELDS,
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
    value_errors,
)
from outcomes.periods import PeriodError, parse_period

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
            _save(outcome, state=state, user=user, comment=comment)
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


def _save(outcome: ImportOutcome, *, state: str, user, comment: str = "") -> None:
    """Publish the rows directly, recording an import event for each value written."""
    now = timezone.now()
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


def _upsert(model, *, slug: str, fields: dict) -> bool:
    """Create or update one row keyed by slug; True when anything was written."""
    obj = model.objects.filter(slug=slug).first() or model(slug=slug)
    before = {k: getattr(obj, k) for k in fields} if obj.pk else None
    for key, value in fields.items():
        setattr(obj, key, value)
    if before == {k: getattr(obj, k) for k in fields}:
        return False
    obj.full_clean()
    obj.save()
    return True


@transaction.atomic
def outcomes_load(*, themes: list[dict], outcomes: list[dict]) -> int:
    from outcomes.models import Theme

    written = 0
    for record in themes:
        data = dict(record)
        written += _upsert(Theme, slug=data.pop("slug"), fields=data)
    for record in outcomes:
        data = dict(record)
        theme = data.pop("theme", None)
        data["theme"] = Theme.objects.get(slug=theme) if theme else None
        written += _upsert(Outcome, slug=data.pop("slug"), fields=data)
    return written


@transaction.atomic
def measures_load(*, records: list[dict]) -> int:
    """Create or update measures (keyed by slug) from reference records."""
    from datetime import date

    written = 0
    for record in records:
        data = dict(record)
        data["outcome"] = Outcome.objects.get(slug=data["outcome"])
        if data.get("next_update_due"):
            data["next_update_due"] = date.fromisoformat(data["next_update_due"])
        baseline = data.pop("baseline_period", None)
        if baseline:
            parsed = parse_period(baseline, data["period_type"])
            data["baseline_period"] = periods_get_or_create(
                {(parsed.start, parsed.end, parsed.type)}
            )[(parsed.start, parsed.end)]
        written += _upsert(Measure, slug=data.pop("slug"), fields=data)
    return written


@transaction.atomic
def targets_load(*, records: list[dict]) -> int:
    """Create or update targets. A record with "place": "*" applies to the system and each
    place, and may give "increase_from_baseline": the target is then the place's own value in
    the measure's baseline period plus that much (it needs the values loaded first)."""
    from datetime import date

    from outcomes.models import Target
    from places.models import Place

    written = 0
    for record in records:
        measure = Measure.objects.get(slug=record["measure"])
        target_date = date.fromisoformat(record["target_date"])
        if record["place"] == "*":
            places = list(Place.objects.of_kind(Place.Kind.SYSTEM, Place.Kind.PLACE))
        else:
            places = [Place.objects.get(slug=record["place"])]
        for place in places:
            fields = {"is_demo": record.get("is_demo", False), "description": record["description"]}
            if "increase_from_baseline" in record:
                baseline = (
                    Value.objects.published()
                    .filter(measure=measure, place=place, period=measure.baseline_period)
                    .all_people()
                    .values_list("value", flat=True)
                    .first()
                )
                if baseline is None:
                    continue
                fields["baseline_value"] = baseline
                fields["value"] = baseline + Decimal(record["increase_from_baseline"])
            else:
                fields["value"] = Decimal(record["value"])
            target, made = Target.objects.get_or_create(
                measure=measure, place=place, target_date=target_date, defaults=fields
            )
            changed = made
            for key, value in fields.items():
                if getattr(target, key) != value:
                    setattr(target, key, value)
                    changed = True
            if changed:
                target.full_clean()
                target.save()
                written += 1
    return written


def reference_load(*, folder) -> dict[str, int]:
    """Load a partnership's reference data (places, outcomes, measures) from a fixtures folder."""
    import json
    from pathlib import Path

    from places.services import places_load

    folder = Path(folder)
    counts = {}
    places = json.loads((folder / "places.json").read_text())
    counts["places created"], counts["places updated"] = places_load(records=places)
    outcomes = json.loads((folder / "outcomes.json").read_text())
    counts["themes and outcomes written"] = outcomes_load(
        themes=outcomes.get("themes", []), outcomes=outcomes["outcomes"]
    )
    measures_file = folder / "measures.json"
    if measures_file.exists():
        counts["measures written"] = measures_load(records=json.loads(measures_file.read_text()))
    return counts


# --- The review workflow: enter, submit, approve, return, delete ---------------------------------
#
# Every write locks the value's row (SELECT ... FOR UPDATE), compares its version with the one the
# person loaded, bumps it, and appends an event, all in one transaction. A version that moved
# means someone else changed the value since: the write is refused with their change(s).


class StaleEdit(Exception):
    """Someone changed the value since the version this write was based on."""

    def __init__(self, value: Value, events: list[ValueEvent]):
        self.value = value
        self.events = events
        super().__init__(f"{value} changed since it was loaded (now version {value.version}).")


class WorkflowError(Exception):
    """The action does not fit the value's state, or this person may not take it."""


def _lock(value_id: int, expected_version: int) -> Value:
    value = (
        Value.objects.select_for_update(of=("self",))
        .select_related("measure", "place", "period", "breakdown")
        .get(pk=value_id)
    )
    if value.version != expected_version:
        raise StaleEdit(value, _events_since(value, expected_version))
    return value


def _events_since(value: Value, version: int) -> list[ValueEvent]:
    return list(value.events.filter(version__gt=version).with_related().order_by("at", "pk"))


def _record(
    value: Value,
    *,
    action: str,
    user,
    proposal: Proposal | None = None,
    old: dict | None = None,
    new: dict | None = None,
    comment: str = "",
    published: bool = False,
) -> ValueEvent:
    """Bump the value's version and append the event (the caller holds the row lock)."""
    now = timezone.now()
    value.version += 1
    Value.objects.filter(pk=value.pk).update(version=value.version, updated_at=now)
    return ValueEvent.objects.create(
        value=value,
        proposal=proposal,
        action=action,
        actor=user,
        at=now,
        version=value.version,
        old=figures_json(old),
        new=figures_json(new),
        comment=comment,
        published=published,
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def value_slot_get(*, measure: Measure, place, period: Period, breakdown=None) -> Value | None:
    return (
        Value.objects.filter(measure=measure, place=place, period=period, breakdown=breakdown)
        .select_related("measure", "place", "period", "breakdown")
        .first()
    )


def proposal_save(
    *,
    user,
    measure: Measure,
    place,
    period: Period,
    breakdown: Breakdown | None = None,
    expected_version: int,
    figures: dict,
    reason: str = "",
) -> Proposal | None:
    """Enter new figures for a slot, or correct them: they become the slot's open proposal, in
    draft (an edit of a submitted or returned proposal puts it back to draft).

    `expected_version` is the value's version when the form was loaded (0: the slot had no
    value). Returns the proposal, or None when the figures are the same as before (nothing is
    written). Raises StaleEdit, PermissionDenied, or ValidationError (figures break the rules, or
    repeat the published figures)."""
    from outcomes.permissions import staff_access

    _require(staff_access(user).can_edit(place.pk), f"You cannot enter values for {place}.")
    with transaction.atomic():
        slot = Value.objects.filter(
            measure=measure, place=place, period=period, breakdown=breakdown
        ).values_list("pk", flat=True)
        if not slot:
            if expected_version != 0:
                raise WorkflowError("The value you were editing no longer exists.")
            try:
                with transaction.atomic():
                    created = Value.objects.create(
                        measure=measure,
                        place=place,
                        period=period,
                        breakdown=breakdown,
                        state=Value.State.DRAFT,
                        version=0,
                        entered_by=user,
                    )
            except IntegrityError:
                # Someone made this slot a moment ago: their change wins; show it.
                slot = Value.objects.filter(
                    measure=measure, place=place, period=period, breakdown=breakdown
                ).values_list("pk", flat=True)
            else:
                slot = [created.pk]
        value = _lock(slot[0], expected_version)
        proposal = value.proposals.open().first()
        old = proposal.figures if proposal else None
        if value.is_published and figures_equal(figures, value.published_figures):
            raise ValidationError(
                {"value": "These are the published figures already; change a figure to correct it."}
            )
        reason = reason.strip() if value.is_published else ""
        if old is not None and figures_equal(old, figures) and proposal.reason == reason:
            return None
        errors = value_errors(
            measure=measure, **{name: figures.get(name) for name in NUMBER_FIELDS}
        )
        if errors:
            raise ValidationError(errors)
        if proposal is None:
            proposal = Proposal(value=value)
        proposal.set_figures(figures)
        proposal.reason = reason
        proposal.state = Proposal.State.DRAFT
        proposal.entered_by = user
        proposal.submitted_at = None
        proposal.full_clean(exclude=["value"])
        proposal.save()
        _record(
            value,
            action=ValueEvent.Action.EDIT if old else ValueEvent.Action.CREATE,
            user=user,
            proposal=proposal,
            old=old,
            new=proposal.figures,
            comment=proposal.reason,
        )
        return proposal


def _open_proposal(value: Value, *states: str) -> Proposal:
    proposal = value.proposals.open().select_related("entered_by").first()
    if proposal is None:
        raise WorkflowError("Nothing is waiting on this value: there is no draft or submission.")
    if states and proposal.state not in states:
        raise WorkflowError(
            f"This value is {proposal.get_state_display().lower()}; that cannot be done now."
        )
    return proposal


@transaction.atomic
def proposal_submit(*, user, value: Value, expected_version: int, comment: str = "") -> Proposal:
    """Send the value's draft (or returned) figures to the approvers."""
    from outcomes.permissions import staff_access

    _require(staff_access(user).can_edit(value.place_id), "You cannot submit this value.")
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value, Proposal.State.DRAFT, Proposal.State.RETURNED)
    proposal.state = Proposal.State.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["state", "submitted_at", "updated_at"])
    _record(
        value,
        action=ValueEvent.Action.SUBMIT,
        user=user,
        proposal=proposal,
        new=proposal.figures,
        comment=comment,
    )
    return proposal


@dataclass
class SubmitManyOutcome:
    submitted: list[Value] = field(default_factory=list)
    refused: list[tuple[Value, str]] = field(default_factory=list)  # (value, why)


def proposals_submit_many(*, user, versions: dict[int, int]) -> SubmitManyOutcome:
    """Submit several drafts at once, each at the version the officer saw. Each is its own
    transaction: one that changed since (or is no longer a draft) is refused and said, and the
    others go ahead. Values at places the user does not edit are ignored."""
    from outcomes.permissions import staff_access

    access = staff_access(user)
    outcome = SubmitManyOutcome()
    values = (
        Value.objects.filter(pk__in=list(versions))
        .select_related("measure", "place", "period")
        .order_by("measure__order", "period__start", "pk")
    )
    for value in values:
        if not access.can_edit(value.place_id):
            continue
        try:
            proposal_submit(user=user, value=value, expected_version=versions[value.pk])
        except StaleEdit as stale:
            who = ", ".join(sorted({_name(event.actor) for event in stale.events}))
            outcome.refused.append((value, f"changed since you loaded the page (by {who})"))
        except WorkflowError as error:
            outcome.refused.append((value, str(error)))
        else:
            outcome.submitted.append(value)
    return outcome


def _name(user) -> str:
    return "an import" if user is None else (user.get_full_name() or user.get_username())


def _check_decider(user, value: Value, proposal: Proposal) -> None:
    from outcomes.permissions import staff_access

    access = staff_access(user)
    _require(
        access.can_approve_place(value.place_id), f"You do not approve values for {value.place}."
    )
    _require(
        proposal.entered_by_id != user.pk,
        "You entered these figures, so someone else must review them.",
    )


@transaction.atomic
def proposal_approve(*, user, value: Value, expected_version: int, comment: str = "") -> Value:
    """Publish the submitted figures: they replace the public ones (the old ones stay on record)."""
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value, Proposal.State.SUBMITTED)
    _check_decider(user, value, proposal)
    old = value.published_figures
    now = timezone.now()
    for name, figure in proposal.figures.items():
        setattr(value, name, figure)
    value.full_clean(exclude=["measure", "place", "period", "breakdown", "entered_by"])
    value.state = Value.State.PUBLISHED
    value.entered_by = proposal.entered_by
    value.published_at = now
    value.save(update_fields=[*VALUE_FIELDS, "state", "entered_by", "published_at", "updated_at"])
    proposal.state = Proposal.State.APPROVED
    proposal.decided_by = user
    proposal.decided_at = now
    proposal.review_comment = comment
    proposal.save(
        update_fields=["state", "decided_by", "decided_at", "review_comment", "updated_at"]
    )
    _record(
        value,
        action=ValueEvent.Action.APPROVE,
        user=user,
        proposal=proposal,
        old=old,
        new=figures_of(value),
        comment=comment,
        published=True,
    )
    return value


@transaction.atomic
def proposal_return(*, user, value: Value, expected_version: int, comment: str) -> Proposal:
    """Send the submitted figures back to the officers, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change before it can be published."})
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value, Proposal.State.SUBMITTED)
    _check_decider(user, value, proposal)
    proposal.state = Proposal.State.RETURNED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.review_comment = comment.strip()
    proposal.save(
        update_fields=["state", "decided_by", "decided_at", "review_comment", "updated_at"]
    )
    _record(
        value,
        action=ValueEvent.Action.RETURN,
        user=user,
        proposal=proposal,
        new=proposal.figures,
        comment=proposal.review_comment,
    )
    return proposal


@transaction.atomic
def proposal_delete(*, user, value: Value, expected_version: int) -> Proposal:
    """Delete the open draft, returned or submitted figures; the published ones stay."""
    from outcomes.permissions import staff_access

    _require(staff_access(user).can_edit(value.place_id), "You cannot change this value.")
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value)
    proposal.state = Proposal.State.DELETED
    proposal.save(update_fields=["state", "updated_at"])
    _record(
        value,
        action=ValueEvent.Action.DELETE,
        user=user,
        proposal=proposal,
        old=proposal.figures,
    )
    return proposal


def change_share(previous: Decimal | None, new: Decimal | None) -> Decimal | None:
    """How far `new` moved from `previous`, as a share of `previous` (0.25 = 25%)."""
    if previous is None or new is None or previous == 0:
        return None
    return abs(new - previous) / abs(previous)


def previous_published(*, measure: Measure, place, period: Period, breakdown=None) -> Value | None:
    """The published value of the latest earlier period, for the same measure, place and
    breakdown (the one a new value is compared with)."""
    return (
        Value.objects.published()
        .filter(
            measure=measure,
            place=place,
            breakdown=breakdown,
            period__start__lt=period.start,
            value__isnull=False,
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


def uploads_purge(*, older_than_hours: int = 24) -> int:
    """Forget uploaded files nobody confirmed."""
    from datetime import timedelta

    from outcomes.models import Upload

    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    deleted, _ = Upload.objects.filter(created_at__lt=cutoff).delete()
    return deleted
