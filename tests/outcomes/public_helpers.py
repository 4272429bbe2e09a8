"""Shared by the public page tests: the demo's own CSV read independently of the app, a cache
reset, and a way to multiply the data tenfold."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from methods.periods import parse_period

SHARED_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "south_yorkshire" / "values.csv"


@pytest.fixture
def clear_cache():
    """Rendered public pages are cached across requests; each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def csv_series() -> dict[tuple[str, str], list[dict]]:
    """(indicator lower case, area name) -> rows in period order, straight from the CSV (the
    same value repeated under a former area code counted once)."""
    series: dict[tuple[str, str], dict] = defaultdict(dict)
    with open(SHARED_CSV, newline="") as handle:
        for row in csv.DictReader(handle):
            period = parse_period(row["period"])
            row = {
                **row,
                "start": period.start,
                "end": period.end,
                "label": period.label,
                "value": Decimal(row["value"]) if row["value"] else None,
                "lci": Decimal(row["lci_95"]) if row["lci_95"] else None,
                "uci": Decimal(row["uci_95"]) if row["uci_95"] else None,
            }
            series[(row["indicator"].lower(), row["area_name"])][(period.start, period.end)] = row
    return {key: [rows[k] for k in sorted(rows)] for key, rows in series.items()}


def tenfold_data() -> int:
    """Add data until there is about ten times the demo: more places, measures and periods, all
    published, with targets. Returns the number of published values afterwards."""
    from outcomes.models import Measure, Outcome, Period, Target, Value
    from places.models import Place

    system = Place.objects.get(kind=Place.Kind.SYSTEM)
    places = list(Place.objects.all())
    for n in range(4):
        places.append(
            Place.objects.create(
                name=f"Extra place {n}",
                slug=f"extra-place-{n}",
                code=f"E0899990{n}",
                kind=Place.Kind.PLACE,
                parent=system,
                order=20 + n,
            )
        )
    periods = [
        Period.objects.get_or_create(
            start=date(1990 + y, 1, 1),
            end=date(1990 + y, 12, 31),
            defaults={"type": "calendar_year"},
        )[0]
        for y in range(20)
    ]
    outcomes = list(Outcome.objects.all())
    now = timezone.now()
    values = []
    for m in range(50):
        measure = Measure.objects.create(
            outcome=outcomes[m % len(outcomes)],
            title=f"Synthetic measure {m}",
            slug=f"synthetic-measure-{m}",
            value_kind="percentage",
            unit_label="%",
            polarity="higher" if m % 2 else "lower",
            period_type="calendar_year",
            baseline_period=periods[10],
            order=100 + m,
        )
        Target.objects.create(
            measure=measure, place=None, value=Decimal("60"), target_date=date(2030, 12, 31)
        )
        for p, place in enumerate(places):
            for y, period in enumerate(periods):
                value = Decimal(40 + (m + p + y) % 20)
                values.append(
                    Value(
                        measure=measure,
                        place=place,
                        period=period,
                        value=value,
                        lower_ci=value - 2,
                        upper_ci=value + 2,
                        state=Value.State.PUBLISHED,
                        published_at=now - timedelta(days=1),
                    )
                )
    Value.objects.bulk_create(values, batch_size=2000)
    return Value.objects.published().count()
