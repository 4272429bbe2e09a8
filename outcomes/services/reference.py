"""Loading a partnership's reference data (themes, outcomes, measures, targets) from a folder."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from methods.periods import parse_period
from outcomes.models import (
    Measure,
    Outcome,
    Value,
)
from outcomes.services.values import periods_get_or_create


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
        national = data.pop("national", None)
        if national:
            data["national_indicator"] = _national_indicator(*national)
        baseline = data.pop("baseline_period", None)
        if baseline:
            parsed = parse_period(baseline, data["period_type"])
            data["baseline_period"] = periods_get_or_create(
                {(parsed.start, parsed.end, parsed.type)}
            )[(parsed.start, parsed.end)]
        written += _upsert(Measure, slug=data.pop("slug"), fields=data)
    return written


def _national_indicator(dataset_slug: str, name: str):
    """The national indicator a measure is (dataset slug and indicator name, as in the national
    folder); made as a placeholder when the national data is not imported yet, filled in by
    `import_national`."""
    from national.models import Dataset, Indicator

    dataset, _ = Dataset.objects.get_or_create(
        slug=dataset_slug, defaults={"title": dataset_slug.replace("-", " ").capitalize()}
    )
    indicator = Indicator.objects.filter(dataset=dataset, name__iexact=name).first()
    return indicator or Indicator.objects.create(dataset=dataset, name=name)


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
