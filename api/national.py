"""/api/v1/national/values: the published national values for every area, with the ranks and
quintiles stored at import, filtered as /values is (measure, place, period_from, period_to) and
by indicator; paged by keyset (`after`, the last id seen), so a page deep in the 280,000 rows
costs what the first does. Attribution as the README of the data asks."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from api import reads
from api.schemas import SLUG_PATTERN, Error, IsoDate, Meta
from national.models import Observation

NATIONAL_ATTRIBUTION = (
    "Source: Office for National Statistics and other government departments, licensed under "
    "the Open Government Licence v3.0."
)
MAX_LIMIT = 1000
MAX_ID = 2**62

router = Router(tags=["national"])


class NationalFilters(Schema):
    measure: str | None = Field(
        None, pattern=SLUG_PATTERN, description="A measure's slug: its national indicator."
    )
    indicator: int | None = Field(None, ge=1, le=MAX_ID, description="A national indicator's id.")
    place: str | None = Field(
        None,
        pattern=r"^[-a-zA-Z0-9_]+$",
        max_length=120,
        description="An area's slug or ONS code, current or former (barnsley, E08000038).",
    )
    period_from: IsoDate | None = Field(
        None, description="Only periods that start on or after this date (YYYY-MM-DD)."
    )
    period_to: IsoDate | None = Field(
        None, description="Only periods that end on or before this date (YYYY-MM-DD)."
    )
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="Results per page.")
    after: int = Field(
        0, ge=0, le=MAX_ID, description="Keyset cursor: the `id` of the last result seen."
    )


class NationalValue(Schema):
    id: int
    area_code: str
    area_name: str
    kind_of_area: str = Field(description="As published: ltla, utla, cauth, rgn, ctry, ...")
    indicator_id: int
    indicator: str
    dataset: str
    period: str = Field(description="As published (ISO 8601 interval).")
    period_start: datetime.date
    period_end: datetime.date
    value: float | None
    lower_ci_95: float | None
    upper_ci_95: float | None
    rank_low: int | None = Field(
        description="1 = the lowest value among England's areas of its kind."
    )
    rank_high: int | None = Field(description="1 = the highest value.")
    rank_of: int | None = Field(description="How many areas of its kind in England are ranked.")
    quintile: int | None = Field(description="1 = the fifth with the lowest values.")
    quintile_high: int | None = Field(description="1 = the fifth with the highest values.")


class KeysetPagination(Schema):
    limit: int
    after: int
    next: str | None = Field(description="The next page's URL, or null on the last page.")


class NationalValueList(Schema):
    meta: Meta
    attribution: str
    pagination: KeysetPagination
    results: list[NationalValue]


def _num(value) -> float | None:
    return None if value is None else float(value)


def _filtered(filters: NationalFilters):
    rows = Observation.objects.all()
    if filters.measure:
        measure = reads.get_measure(filters.measure)
        if measure.national_indicator_id is None:
            raise HttpError(404, f"The measure {filters.measure!r} has no national indicator.")
        rows = rows.filter(indicator_id=measure.national_indicator_id)
    if filters.indicator:
        rows = rows.filter(indicator_id=filters.indicator)
    if filters.place:
        key = filters.place.strip()
        rows = rows.filter(
            Q(area__slug=key)
            | Q(area__code=key.upper())
            | Q(area__former_codes__contains=[key.upper()])
        )
    if filters.period_from:
        rows = rows.filter(period_start__gte=filters.period_from)
    if filters.period_to:
        rows = rows.filter(period_end__lte=filters.period_to)
    return rows


@router.get(
    "/values",
    response={200: NationalValueList, 404: Error, 422: Error},
    url_name="national-values",
    summary="National values, ranks and quintiles for every area",
)
def national_values(request: HttpRequest, filters: Query[NationalFilters]):
    """Every published value of the national datasets (ONS "Explore local statistics"), with its
    rank and quintile among England's areas of the same kind (stored at import). Pages by keyset:
    follow `pagination.next`."""
    rows = list(
        _filtered(filters)
        .filter(pk__gt=filters.after)
        .order_by("pk")
        .values(
            "id",
            "area__code",
            "area__name",
            "geography",
            "indicator_id",
            "indicator__name",
            "indicator__dataset__title",
            "period",
            "period_start",
            "period_end",
            "value",
            "lower_ci",
            "upper_ci",
            "rank_low",
            "rank_high",
            "rank_of",
            "quintile",
            "quintile_high",
        )[: filters.limit + 1]
    )
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    next_url = None
    if more:
        query = request.GET.copy()
        query["after"], query["limit"] = str(rows[-1]["id"]), str(filters.limit)
        encoded = urlencode(sorted(query.lists()), doseq=True)
        next_url = request.build_absolute_uri(f"{request.path}?{encoded}")
    return {
        "meta": reads.meta(request),
        "attribution": NATIONAL_ATTRIBUTION,
        "pagination": {"limit": filters.limit, "after": filters.after, "next": next_url},
        "results": [
            {
                "id": r["id"],
                "area_code": r["area__code"],
                "area_name": r["area__name"],
                "kind_of_area": r["geography"],
                "indicator_id": r["indicator_id"],
                "indicator": r["indicator__name"],
                "dataset": r["indicator__dataset__title"],
                "period": r["period"],
                "period_start": r["period_start"],
                "period_end": r["period_end"],
                "value": _num(r["value"]),
                "lower_ci_95": _num(r["lower_ci"]),
                "upper_ci_95": _num(r["upper_ci"]),
                "rank_low": r["rank_low"],
                "rank_high": r["rank_high"],
                "rank_of": r["rank_of"],
                "quintile": r["quintile"],
                "quintile_high": r["quintile_high"],
            }
            for r in rows
        ],
    }
