"""Writes that span rows. Each is a keyword-only function that runs in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from outcomes.importing import CheckedRow, CheckResult, Row, check_rows
from outcomes.models import Breakdown, Measure, Outcome, Period, Value
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


@dataclass
class ImportOutcome:
    """What an import did or would do: every row's fate, and the counts."""

    check: CheckResult
    created: list[CheckedRow] = field(default_factory=list)
    updated: list[tuple[CheckedRow, Value]] = field(default_factory=list)
    unchanged: list[CheckedRow] = field(default_factory=list)
    measures_created: list[Measure] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return self.check.ok


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
) -> ImportOutcome:
    """Check every row; if all are good (and not a dry run) save them all in one transaction.

    Returns what happened to each row. Saves nothing when any row is bad.
    """
    with transaction.atomic():
        measures_created = (
            measures_create_from_rows(rows=rows, outcome=create_measures_in)
            if create_measures_in
            else []
        )
        check = check_rows(rows, allowed_places=allowed_places)
        check.empty_lines = list(empty_lines or [])
        outcome = ImportOutcome(check=check, measures_created=measures_created)
        _classify(outcome, state=state)
        if not check.ok or dry_run:
            transaction.set_rollback(True)
            return outcome
        _save(outcome, state=state, user=user)
        outcome.saved = True
        return outcome


def _existing_values(rows: list[CheckedRow]) -> dict[tuple, Value]:
    measure_ids = {r.measure.pk for r in rows}
    place_ids = {r.place.pk for r in rows}
    existing = Value.objects.filter(
        measure_id__in=measure_ids, place_id__in=place_ids
    ).select_related("period", "breakdown")
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


def _classify(outcome: ImportOutcome, *, state: str) -> None:
    existing = _existing_values(outcome.check.rows)
    for row in outcome.check.rows:
        current = existing.get(row.key)
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


def _save(outcome: ImportOutcome, *, state: str, user) -> None:
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
    changed = []
    for row, value in outcome.updated:
        for name in VALUE_FIELDS:
            setattr(value, name, getattr(row, name))
        value.state = state
        value.entered_by = user
        value.version += 1
        value.updated_at = now
        if published_at:
            value.published_at = published_at
        changed.append(value)
    Value.objects.bulk_update(
        changed,
        [*VALUE_FIELDS, "state", "entered_by", "version", "updated_at", "published_at"],
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
