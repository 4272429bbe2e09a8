"""The open data API, /api/v1/: read-only JSON (and CSV/XLSX for values) of published data.

Built with django-ninja: the operations below are typed by the pydantic schemas in
``api.schemas``, and the OpenAPI 3 document at /api/v1/openapi.json is generated from them.
Every response carries ``meta`` with the Open Government Licence attribution. Caching headers
(ETag, Last-Modified) and CORS are added by ``api.middleware``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from api import exports, national, reads
from api.schemas import (
    CommitmentDetail,
    CommitmentFilters,
    CommitmentList,
    Error,
    Index,
    MeasureDetail,
    MeasureFilters,
    MeasureList,
    OutcomeDetail,
    OutcomeList,
    Page,
    PlaceDetail,
    PlaceList,
    StatusFilters,
    StatusList,
    ValueFilters,
    ValueList,
    ValuePage,
)

DESCRIPTION = f"""Published data from {settings.SITE_NAME}'s strategy tracker: places, outcomes,
measures with their metadata and targets, every published value, the statuses the pages show,
and the partners' commitments with their published progress updates. Drafts are never shown.

Read-only and open: no key, CORS allowed from any origin for GET. Lists are paginated with
`limit` and `offset` in a stable order. Responses carry `ETag` and `Last-Modified`; send
`If-None-Match` or `If-Modified-Since` to get `304 Not Modified` when nothing changed.
Values also download as CSV and XLSX with the same filters.

{reads.ATTRIBUTION}"""

api = NinjaAPI(
    title=f"{settings.SITE_SHORT_NAME} open data API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,  # the human docs are our own page, /api/v1/docs (api.views.docs)
    openapi_extra={
        "info": {
            "license": {"name": reads.LICENCE, "url": reads.LICENCE_URL},
        },
    },
)

FILTER_ERRORS = {404: Error, 422: Error}

api.add_router("/national", national.router)  # national values, ranks and quintiles (issue 12)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(
        request, {"meta": reads.meta(request), "detail": str(exc)}, status=exc.status_code
    )


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError):
    detail = [
        {"loc": list(error.get("loc", [])), "msg": error.get("msg", ""), "type": error.get("type")}
        for error in exc.errors
    ]
    return api.create_response(request, {"meta": reads.meta(request), "detail": detail}, status=422)


# --- index --------------------------------------------------------------------------------------


@api.get("/", response=Index, summary="What the API offers", tags=["about"])
def index(request: HttpRequest):
    links = {
        name: request.build_absolute_uri(reverse(f"api-v1:{name}"))
        for name in ["places", "outcomes", "measures", "values", "statuses", "commitments"]
    }
    links["openapi"] = request.build_absolute_uri(reverse("api-v1:openapi-json"))
    links["docs"] = request.build_absolute_uri(reverse("api-docs"))
    return {"meta": reads.meta(request), "links": links}


# --- places -------------------------------------------------------------------------------------


@api.get(
    "/places",
    response={200: PlaceList, 422: Error},
    url_name="places",
    summary="Places",
    tags=["places"],
)
def place_list(request: HttpRequest, filters: Query[Page]):
    """The partnership (system), its places, and the comparators (England, the region)."""
    items, pagination = reads.page(
        request, reads.places(), limit=filters.limit, offset=filters.offset
    )
    return {
        "meta": reads.meta(request),
        "pagination": pagination,
        "results": [reads.place_out(p) for p in items],
    }


@api.get(
    "/places/{slug}",
    response={200: PlaceDetail, 404: Error},
    url_name="place",
    summary="One place",
    tags=["places"],
)
def place_detail(request: HttpRequest, slug: str):
    """A place by its slug or its ONS code (current or former)."""
    place = reads.get_place(slug)
    return {"meta": reads.meta(request), "result": reads.place_out(place)}


# --- outcomes -----------------------------------------------------------------------------------


@api.get(
    "/outcomes",
    response={200: OutcomeList, 422: Error},
    url_name="outcomes",
    summary="Outcomes",
    tags=["outcomes"],
)
def outcome_list(request: HttpRequest, filters: Query[Page]):
    """The strategy's shared outcomes, each with the slugs of its measures."""
    items, pagination = reads.page(
        request, reads.outcomes(), limit=filters.limit, offset=filters.offset
    )
    return {
        "meta": reads.meta(request),
        "pagination": pagination,
        "results": [reads.outcome_out(o) for o in items],
    }


@api.get(
    "/outcomes/{slug}",
    response={200: OutcomeDetail, 404: Error},
    url_name="outcome",
    summary="One outcome",
    tags=["outcomes"],
)
def outcome_detail(request: HttpRequest, slug: str):
    reads.get_outcome(slug)
    outcome = reads.outcomes().get(slug=slug)
    return {"meta": reads.meta(request), "result": reads.outcome_out(outcome)}


# --- measures -----------------------------------------------------------------------------------


@api.get(
    "/measures",
    response={200: MeasureList, **FILTER_ERRORS},
    url_name="measures",
    summary="Measures, with their metadata",
    tags=["measures"],
)
def measure_list(request: HttpRequest, filters: Query[MeasureFilters]):
    """Each measure's definition, unit, polarity (which direction is better), source, licence,
    update frequency, baseline and targets."""
    outcome = reads.get_outcome(filters.outcome) if filters.outcome else None
    items, pagination = reads.page(
        request, reads.measures(outcome), limit=filters.limit, offset=filters.offset
    )
    return {
        "meta": reads.meta(request),
        "pagination": pagination,
        "results": [reads.measure_out(m) for m in items],
    }


@api.get(
    "/measures/{slug}",
    response={200: MeasureDetail, 404: Error},
    url_name="measure",
    summary="One measure",
    tags=["measures"],
)
def measure_detail(request: HttpRequest, slug: str):
    reads.get_measure(slug)
    measure = reads.measures().get(slug=slug)
    return {"meta": reads.meta(request), "result": reads.measure_out(measure)}


# --- values -------------------------------------------------------------------------------------


def _values(filters: ValueFilters):
    return reads.published_values(
        measure=filters.measure,
        place=filters.place,
        period_from=filters.period_from,
        period_to=filters.period_to,
    )


@api.get(
    "/values",
    response={200: ValueList, **FILTER_ERRORS},
    url_name="values",
    summary="Published values",
    tags=["values"],
)
def value_list(request: HttpRequest, filters: Query[ValuePage]):
    """Every published value (never a draft), filtered by measure, place and period range,
    ordered by measure, place, period and breakdown. A null value means that no value was
    published for that period."""
    items, pagination = reads.page(
        request, _values(filters), limit=filters.limit, offset=filters.offset
    )
    return {
        "meta": reads.meta(request),
        "pagination": pagination,
        "results": [reads.value_out(v) for v in items],
    }


def _download_name(filters: ValueFilters) -> str:
    parts = ["values", filters.measure, filters.place]
    if filters.period_from:
        parts.append(f"from-{filters.period_from.isoformat()}")
    if filters.period_to:
        parts.append(f"to-{filters.period_to.isoformat()}")
    return "-".join(p for p in parts if p)


def _filters_text(filters: ValueFilters) -> str:
    return ", ".join(
        f"{name}={value}" for name, value in filters.dict().items() if value not in (None, "")
    )


def _file_responses(content_type: str, schema: dict) -> dict:
    return {
        "responses": {
            "200": {
                "description": "Every matching published value, one row each.",
                "content": {content_type: {"schema": schema}},
            }
        }
    }


@api.get(
    "/values.csv",
    response={200: None, **FILTER_ERRORS},
    url_name="values-csv",
    summary="Published values as CSV",
    tags=["values"],
    openapi_extra=_file_responses("text/csv", {"type": "string"}),
)
def value_csv(request: HttpRequest, filters: Query[ValueFilters]):
    """The same rows as /values (all pages at once, up to EXPORT_MAX_ROWS: a larger selection
    is refused with a 422 saying how to narrow it), as UTF-8 CSV with a licence column."""
    reads.last_published(request)  # for Last-Modified
    try:
        return exports.csv_response(_values(filters), filename=_download_name(filters))
    except exports.TooManyRows as exc:
        raise HttpError(422, str(exc)) from None


@api.get(
    "/values.xlsx",
    response={200: None, **FILTER_ERRORS},
    url_name="values-xlsx",
    summary="Published values as XLSX",
    tags=["values"],
    openapi_extra=_file_responses(exports.XLSX_TYPE, {"type": "string", "format": "binary"}),
)
def value_xlsx(request: HttpRequest, filters: Query[ValueFilters]):
    """The same rows as /values, as an Excel workbook with an "About" sheet (licence,
    attribution and the filters used)."""
    reads.last_published(request)  # for Last-Modified
    try:
        return exports.xlsx_response(
            _values(filters),
            filename=_download_name(filters),
            title=f"{settings.SITE_NAME}: published values",
            filters=_filters_text(filters),
        )
    except exports.TooManyRows as exc:
        raise HttpError(422, str(exc)) from None


# --- statuses -----------------------------------------------------------------------------------


@api.get(
    "/statuses",
    response={200: StatusList, **FILTER_ERRORS},
    url_name="statuses",
    summary="Statuses, as the pages show them",
    tags=["statuses"],
)
def status_list(request: HttpRequest, filters: Query[StatusFilters]):
    """For each measure and area: the latest published value, and its three statuses with the
    sentences that explain them: compared with England (by the 95% confidence interval), the
    trend over the last five periods, and progress towards a target. Computed by the same code
    as the public pages, so the numbers and words are the same."""
    cells = reads.status_cells(measure=filters.measure, place=filters.place)
    items, pagination = reads.page(request, cells, limit=filters.limit, offset=filters.offset)
    return {
        "meta": reads.meta(request),
        "pagination": pagination,
        "results": [reads.status_out(cell) for cell in items],
    }


# --- commitments --------------------------------------------------------------------------------


@api.get(
    "/commitments",
    response={200: CommitmentList, **FILTER_ERRORS},
    url_name="commitments",
    summary="Partners' commitments",
    tags=["commitments"],
)
def commitment_list(request: HttpRequest, filters: Query[CommitmentFilters]):
    """The strategy's actions: who leads each, when it is due, its status (from its latest
    published update) and its published updates, newest first. Filter by outcome, place, lead
    partner and status."""
    queryset = reads.commitments(
        outcome=filters.outcome,
        place=filters.place,
        partner=filters.partner,
        statuses=filters.status,
    )
    items, pagination = reads.page(request, queryset, limit=filters.limit, offset=filters.offset)
    today = timezone.localdate()
    return {
        "meta": reads.meta(request),
        "pagination": pagination,
        "results": [reads.commitment_out(request, c, today=today) for c in items],
    }


@api.get(
    "/commitments/{slug}",
    response={200: CommitmentDetail, 404: Error},
    url_name="commitment",
    summary="One commitment",
    tags=["commitments"],
)
def commitment_detail(request: HttpRequest, slug: str):
    commitment = reads.commitments().filter(slug=slug).first()
    if commitment is None:
        raise HttpError(404, f"There is no commitment with the slug {slug!r}.")
    return {
        "meta": reads.meta(request),
        "result": reads.commitment_out(request, commitment, today=timezone.localdate()),
    }
