"""Shared set-up for the workflow tests: values in each state, made through the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from outcomes.models import Measure, Period, Value
from outcomes.services.review import proposal_save, proposal_submit
from places.models import Place


def figures(value, lower=None, upper=None, **extra) -> dict:
    data = {
        "value": None if value is None else Decimal(value),
        "lower_ci": None if lower is None else Decimal(lower),
        "upper_ci": None if upper is None else Decimal(upper),
        "numerator": None,
        "denominator": None,
        "note": "",
        "source": "",
    }
    data.update(extra)
    return data


def calendar_year(year: int) -> Period:
    period, _ = Period.objects.get_or_create(
        start=date(year, 1, 1), end=date(year, 12, 31), defaults={"type": "calendar_year"}
    )
    return period


def new_value(
    user,
    *,
    place="doncaster",
    measure="employment-rate",
    year=2024,
    value="70.5",
    submit=False,
    **extra,
) -> Value:
    """A value for a period with none yet, entered (and maybe submitted) by `user`."""
    proposal = proposal_save(
        user=user,
        measure=Measure.objects.get(slug=measure),
        place=Place.objects.get(slug=place),
        period=calendar_year(year),
        expected_version=0,
        figures=figures(value, **extra),
    )
    value_obj = proposal.value
    if submit:
        proposal_submit(user=user, value=value_obj, expected_version=value_obj.version)
        value_obj.refresh_from_db()
    return value_obj


def published(place="doncaster", measure="employment-rate", year=2023) -> Value:
    return Value.objects.get(
        measure__slug=measure, place__slug=place, period__start=date(year, 1, 1)
    )


def signed_in_queries() -> int:
    """Queries every signed-in request makes before the page's own: the session (none when the
    sessions are cached_db, as with REDIS_URL: read from the cache) and the user, and, where the
    session is saved on every request (an idle timeout), its savepoint, update and release."""
    from django.conf import settings

    cached = settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    return (0 if cached else 1) + 1 + (3 if settings.SESSION_SAVE_EVERY_REQUEST else 0)
