"""The partnership's published values of measures linked to a national indicator, kept in step
with the national data: after each dataset's import, each linked measure's values for the
partnership's areas (its places, the system, England, the region) are created or updated
through the same import service as any file, and each change is recorded as a revision dated
with the release's date, so that the public revision log shows what the publisher revised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from methods.periods import add_months
from national.models import Observation
from outcomes.importing import Row
from outcomes.models import Measure, Value
from outcomes.services.values import values_import
from places.models import Place


@dataclass
class SyncResult:
    measure: Measure
    created: int
    updated: int
    errors: list[str]


def release_moment(day: date | None) -> datetime | None:
    """A release date as the moment its values were published (the start of that day)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def citation(dataset) -> str:
    released = f", released {dataset.release_date:%-d %B %Y}" if dataset.release_date else ""
    source = dataset.source_org or "Office for National Statistics"
    return f"{source}: {dataset.title}{released} (via ONS Explore local statistics)"


def national_values_sync(*, indicator_ids: list[int]) -> list[SyncResult]:
    """Create or update the linked measures' values from these indicators' observations; one
    measure's values all or none. Values already published keep their source and note."""
    measures = list(
        Measure.objects.filter(national_indicator_id__in=indicator_ids).select_related(
            "national_indicator__dataset"
        )
    )
    if not measures:
        return []
    areas = {p.pk: p for p in Place.objects.partnership()}
    kept = {
        (m, code, start, end): (source, note)
        for m, code, start, end, source, note in Value.objects.filter(
            measure__in=measures, breakdown__isnull=True
        ).values_list("measure_id", "place__code", "period__start", "period__end", "source", "note")
    }
    results = []
    for measure in measures:
        dataset = measure.national_indicator.dataset
        rows = []
        observations = (
            Observation.objects.filter(indicator=measure.national_indicator, area_id__in=areas)
            .order_by("area_id", "period_start")
            .values_list(
                "area_id", "period", "period_start", "period_end", "value", "lower_ci", "upper_ci"
            )
        )
        for line, (area_id, period, start, end, value, lci, uci) in enumerate(observations, 2):
            code = areas[area_id].code
            source, note = kept.get((measure.pk, code, start, end), (citation(dataset), ""))
            cells = {
                "area_code": code,
                "indicator": measure.slug,
                "period": period,
                "value": _text(value),
                "lci_95": _text(lci),
                "uci_95": _text(uci),
                "source": source,
                "note": note,
            }
            rows.append(Row(line, cells))
        outcome = values_import(
            rows=rows,
            comment=f"National import: {citation(dataset)}",
            at=release_moment(dataset.release_date),
        )
        _next_update_due(measure, dataset.release_date)
        results.append(
            SyncResult(
                measure=measure,
                created=len(outcome.created) if outcome.saved else 0,
                updated=len(outcome.updated) if outcome.saved else 0,
                errors=[str(e) for e in outcome.check.errors[:10]],
            )
        )
    return results


FREQUENCY_MONTHS = {
    Measure.Frequency.MONTHLY: 1,
    Measure.Frequency.QUARTERLY: 3,
    Measure.Frequency.ANNUALLY: 12,
}


def _next_update_due(measure: Measure, released: date | None) -> None:
    """The next release is due one frequency after this one (annually: a year on)."""
    months = FREQUENCY_MONTHS.get(measure.update_frequency)
    if released is None or months is None:
        return
    due = add_months(released, months)
    if measure.next_update_due != due:
        measure.next_update_due = due
        measure.save(update_fields=["next_update_due"])


def _text(number) -> str:
    return "" if number is None else f"{number.normalize():f}"
