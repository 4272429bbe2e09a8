"""What the API reads: published data only, in a stable order, turned into plain dicts that the
schemas in ``api.schemas`` describe. Drafts, submitted and returned values or updates are never
read here: every query starts from ``.published()``."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from ninja.errors import HttpError

from commitments.models import Commitment, CommitmentStatus, CommitmentUpdate, Partner
from core.context_processors import OGL_ATTRIBUTION
from dashboards.selectors.cells import build_cells
from dashboards.selectors.series import areas_for_dashboard
from outcomes.models import ALL_PEOPLE, Measure, Outcome, Value
from places.models import Place

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = OGL_ATTRIBUTION
API_VERSION = "1"


def _num(value) -> float | None:
    return None if value is None else float(value)


# --- metadata -----------------------------------------------------------------------------------


def last_published(request: HttpRequest | None = None) -> datetime.datetime | None:
    """When a value or a commitment update was last published (two small queries, once per
    request)."""
    if request is not None and hasattr(request, "_api_last_published"):
        return request._api_last_published
    stamps = [
        Value.objects.published().aggregate(at=Max("published_at"))["at"],
        CommitmentUpdate.objects.published().aggregate(at=Max("published_at"))["at"],
    ]
    found = max((s for s in stamps if s is not None), default=None)
    if request is not None:
        request._api_last_published = found
    return found


def meta(request: HttpRequest) -> dict:
    return {
        "publisher": settings.SITE_NAME,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
        "api_version": API_VERSION,
        "documentation": request.build_absolute_uri(reverse("api-docs")),
        "last_published": last_published(request),
    }


def page(request: HttpRequest, queryset_or_list, *, limit: int, offset: int) -> tuple[list, dict]:
    """One page of results and its pagination block (the count is one more query)."""
    count = (
        len(queryset_or_list) if isinstance(queryset_or_list, list) else queryset_or_list.count()
    )
    items = list(queryset_or_list[offset : offset + limit])

    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(new_offset), str(limit)
        encoded = urlencode(sorted(query.lists()), doseq=True)
        return request.build_absolute_uri(f"{request.path}?{encoded}")

    return items, {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
    }


# --- looking things up by slug --------------------------------------------------------------------


def get_place(key: str) -> Place:
    place = Place.objects.filter(slug=key).first() or Place.objects.with_code(key).first()
    if place is None:
        raise HttpError(404, f"There is no place with the slug or ONS code {key!r}.")
    return place


def get_measure(slug: str) -> Measure:
    measure = Measure.objects.filter(slug=slug).select_related("baseline_period").first()
    if measure is None:
        raise HttpError(404, f"There is no measure with the slug {slug!r}.")
    return measure


def get_outcome(slug: str) -> Outcome:
    outcome = Outcome.objects.filter(slug=slug).first()
    if outcome is None:
        raise HttpError(404, f"There is no outcome with the slug {slug!r}.")
    return outcome


def get_partner(slug: str) -> Partner:
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise HttpError(404, f"There is no partner with the slug {slug!r}.")
    return partner


# --- places, outcomes, measures -------------------------------------------------------------------


def places():
    return Place.objects.select_related("parent").order_by("order", "name", "pk")


def place_out(place: Place) -> dict:
    return {
        "slug": place.slug,
        "name": place.name,
        "code": place.code,
        "former_codes": list(place.former_codes),
        "kind": place.kind,
        "parent": place.parent.slug if place.parent else None,
        "population": place.population,
        "population_source": place.population_source,
    }


def outcomes():
    return (
        Outcome.objects.select_related("theme")
        .prefetch_related("measures")
        .order_by("order", "title", "pk")
    )


def outcome_out(outcome: Outcome) -> dict:
    return {
        "slug": outcome.slug,
        "title": outcome.title,
        "theme": outcome.theme.title if outcome.theme else None,
        "ambition": outcome.ambition,
        "description": outcome.description,
        "measures": [m.slug for m in outcome.measures.all()],
    }


def measures(outcome: Outcome | None = None):
    queryset = Measure.objects.select_related("outcome", "baseline_period").prefetch_related(
        "targets__place"
    )
    if outcome is not None:
        queryset = queryset.filter(outcome=outcome)
    return queryset.order_by("outcome__order", "order", "title", "pk")


def period_out(period) -> dict | None:
    if period is None:
        return None
    return {"label": period.label, "start": period.start, "end": period.end, "type": period.type}


def measure_out(measure: Measure) -> dict:
    return {
        "slug": measure.slug,
        "title": measure.title,
        "outcome": measure.outcome.slug,
        "aliases": list(measure.aliases),
        "definition": measure.definition,
        "why_it_matters": measure.why_it_matters,
        "value_kind": measure.value_kind,
        "unit_label": measure.unit_label,
        "decimal_places": measure.decimal_places,
        "polarity": measure.polarity,
        "source": measure.source,
        "source_url": measure.source_url,
        "licence": measure.licence,
        "period_type": measure.period_type,
        "update_frequency": measure.update_frequency,
        "next_update_due": measure.next_update_due,
        "owner_organisation": measure.owner_organisation,
        "baseline_period": period_out(measure.baseline_period),
        "baseline_value": _num(measure.baseline_value),
        "targets": [
            {
                "place": t.place.slug if t.place else None,
                "value": float(t.value),
                "target_date": t.target_date,
                "baseline_value": _num(t.baseline_value),
                "description": t.description,
                "is_demo": t.is_demo,
            }
            for t in measure.targets.all()
        ],
    }


# --- values ---------------------------------------------------------------------------------------


def published_values(
    *,
    measure: str | None = None,
    place: str | None = None,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
):
    """Published values only, filtered, in a stable order (measure, place, period, breakdown)."""
    queryset = Value.objects.published().with_related()
    if measure:
        queryset = queryset.filter(measure=get_measure(measure))
    if place:
        queryset = queryset.filter(place=get_place(place))
    if period_from:
        queryset = queryset.filter(period__start__gte=period_from)
    if period_to:
        queryset = queryset.filter(period__end__lte=period_to)
    return queryset.order_by(
        "measure__outcome__order",
        "measure__order",
        "measure__title",
        "measure_id",
        "place__order",
        "place__name",
        "place_id",
        "period__start",
        "period__end",
        "breakdown__dimension",
        "breakdown__order",
        "breakdown__category",
        "pk",
    )


def value_out(value: Value) -> dict:
    return {
        "measure": value.measure.slug,
        "place": value.place.slug,
        "place_code": value.place.code,
        "period": period_out(value.period),
        "breakdown": str(value.breakdown) if value.breakdown else ALL_PEOPLE,
        "value": _num(value.value),
        "value_formatted": value.formatted,
        "lower_ci": _num(value.lower_ci),
        "upper_ci": _num(value.upper_ci),
        "numerator": _num(value.numerator),
        "denominator": _num(value.denominator),
        "note": value.note,
        "source": value.source,
        "published_at": value.published_at,
    }


# --- commitments ----------------------------------------------------------------------------------


def commitments(
    *,
    outcome: str | None = None,
    place: str | None = None,
    partner: str | None = None,
    statuses: list[str] | None = None,
):
    queryset = Commitment.objects.for_listing().with_timeline()
    if outcome:
        queryset = queryset.for_outcome(get_outcome(outcome))
    if place:
        queryset = queryset.for_place(get_place(place))
    if partner:
        queryset = queryset.for_partner(get_partner(partner))
    if statuses:
        queryset = queryset.with_status(*statuses)
    return queryset.order_by("outcome__order", "order", "title", "pk")


def commitment_out(request: HttpRequest, commitment: Commitment, *, today: datetime.date) -> dict:
    return {
        "slug": commitment.slug,
        "title": commitment.title,
        "summary": commitment.summary,
        "outcome": commitment.outcome.slug,
        "places": [p.slug for p in commitment.places.all()],
        "measures": [m.slug for m in commitment.measures.all()],
        "lead_partner": {
            "slug": commitment.lead_partner.slug,
            "name": commitment.lead_partner.name,
            "website": commitment.lead_partner.website,
        },
        "due_date": commitment.due_date,
        "status": commitment.status,
        "status_label": commitment.status_label,
        "overdue": commitment.is_overdue(today),
        "is_demo": commitment.is_demo,
        "url": request.build_absolute_uri(commitment.get_absolute_url()),
        "updates": [
            {
                "date": u.as_of,
                "status": u.status,
                "status_label": CommitmentStatus(u.status).label,
                "progress": u.progress,
                "next_steps": u.next_steps,
                "published_at": u.published_at,
            }
            for u in commitment.timeline
        ],
    }


# --- statuses: the very cells the public pages show (dashboards.selectors.cells) ---------------


def status_cells(*, measure: str | None = None, place: str | None = None) -> list:
    """One cell per measure and area, from the same selector (and so the same status rules and
    numbers) as the public pages: the system, each place and the region, each compared with the
    benchmark (England). A fixed number of queries."""

    areas = areas_for_dashboard()
    wanted = [*areas.shown, *([areas.region] if areas.region else [])]
    if place:
        chosen = get_place(place)
        wanted = [chosen]
    measure_list = [get_measure(measure)] if measure else list(Measure.objects.for_dashboard())
    cells = build_cells(measure_list, areas, wanted, all_measures=not measure)
    return [cells[(m.pk, p.pk)] for m in measure_list for p in wanted]


def _tag(tag, sentence: str) -> dict:
    return {
        "status": str(tag.status),
        "label": tag.label,
        "tone": str(tag.tone),
        "sentence": sentence,
    }


def status_out(cell) -> dict:
    latest = cell.latest
    bench = cell.benchmark_point
    return {
        "measure": cell.measure.slug,
        "place": cell.place.slug,
        "latest_period": (
            {
                "label": latest.period.label,
                "start": latest.period.start,
                "end": latest.period.end,
                "type": latest.period.type,
            }
            if latest
            else None
        ),
        "latest_value": _num(latest.value) if latest else None,
        "latest_value_formatted": cell.latest_formatted,
        "benchmark": cell.benchmark_name,
        "benchmark_value": _num(bench.value) if bench else None,
        "comparison": _tag(cell.comparison_tag, cell.comparison_sentence),
        "trend": _tag(cell.trend_tag, cell.trend_sentence),
        "target": _tag(cell.target_tag, cell.target_sentence),
        "target_value": _num(cell.target.value) if cell.target else None,
        "target_date": cell.target.target_date if cell.target else None,
    }
