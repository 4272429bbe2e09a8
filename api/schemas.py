"""The API's response and filter shapes (pydantic, through django-ninja): the OpenAPI schema at
/api/v1/openapi.json is generated from these, so the documentation cannot drift from the code."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000

# The public statuses of a commitment (commitments.models.CommitmentStatus; a test keeps the two
# the same).
CommitmentStatusName = Literal["not_started", "on_track", "at_risk", "delayed", "done"]


class Meta(Schema):
    """Every response carries this: whose data it is and on what terms it may be reused."""

    publisher: str = Field(description="The partnership that publishes this data.")
    licence: str = Field(examples=["Open Government Licence v3.0"])
    licence_url: str
    attribution: str = Field(
        description="Show this wherever you show or republish the data.",
        examples=[
            "Contains public sector information licensed under the Open Government Licence v3.0."
        ],
    )
    api_version: str
    documentation: str = Field(description="Where the API is described for people.")
    last_published: datetime.datetime | None = Field(
        description="When anything in this API was last published (values or commitment "
        "updates); the Last-Modified header says the same."
    )


class Pagination(Schema):
    count: int = Field(description="How many results match, across all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="The next page's URL, or null on the last page.")
    previous: str | None


class Error(Schema):
    meta: Meta
    detail: str | list[dict] = Field(
        description="What was wrong: a sentence, or one entry per invalid parameter."
    )


def _iso_date_only(value):
    """Dates as YYYY-MM-DD only: pydantic would otherwise read "0" as 1 January 1970."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Give a date as YYYY-MM-DD, e.g. 2024-03-31.")
    if not isinstance(value, str | datetime.date):
        raise ValueError("Give a date as YYYY-MM-DD, e.g. 2024-03-31.")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]


# --- filters ------------------------------------------------------------------------------------


class Page(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Results per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many results to skip.")


class MeasureFilters(Page):
    outcome: str | None = Field(
        None, pattern=SLUG_PATTERN, description="Only this outcome's measures (its slug)."
    )


class ValueFilters(Schema):
    measure: str | None = Field(None, pattern=SLUG_PATTERN, description="A measure's slug.")
    place: str | None = Field(
        None,
        pattern=SLUG_PATTERN,
        description="A place's slug or ONS code, current or former (e.g. barnsley, E08000038, "
        "E08000016).",
    )
    period_from: IsoDate | None = Field(
        None, description="Only periods that start on or after this date (YYYY-MM-DD)."
    )
    period_to: IsoDate | None = Field(
        None, description="Only periods that end on or before this date (YYYY-MM-DD)."
    )


class ValuePage(ValueFilters, Page):
    pass


class StatusFilters(Page):
    measure: str | None = Field(None, pattern=SLUG_PATTERN, description="A measure's slug.")
    place: str | None = Field(None, pattern=SLUG_PATTERN, description="A place's slug or ONS code.")


class CommitmentFilters(Page):
    outcome: str | None = Field(None, pattern=SLUG_PATTERN, description="An outcome's slug.")
    place: str | None = Field(None, pattern=SLUG_PATTERN, description="A place's slug or code.")
    partner: str | None = Field(None, pattern=SLUG_PATTERN, description="The lead partner's slug.")
    status: list[CommitmentStatusName] | None = Field(
        None, description="One or more statuses (repeat the parameter)."
    )


# --- resources ----------------------------------------------------------------------------------


class PlaceOut(Schema):
    slug: str
    name: str
    code: str = Field(description="The current ONS (GSS) code.")
    former_codes: list[str]
    kind: str = Field(description="system, place, neighbourhood or comparator.")
    parent: str | None = Field(description="The slug of the place this one is part of.")
    population: int | None
    population_source: str


class OutcomeOut(Schema):
    slug: str
    title: str
    theme: str | None
    ambition: str
    description: str
    measures: list[str] = Field(description="Slugs of the outcome's measures.")


class TargetOut(Schema):
    place: str | None = Field(description="A place's slug; null for every place.")
    value: float
    target_date: datetime.date
    baseline_value: float | None
    description: str
    is_demo: bool = Field(description="A demonstration target, not one the partnership adopted.")


class PeriodOut(Schema):
    label: str = Field(examples=["2022-24", "2024/25"])
    start: datetime.date
    end: datetime.date
    type: str


class MeasureOut(Schema):
    slug: str
    title: str
    outcome: str
    aliases: list[str]
    definition: str
    why_it_matters: str
    value_kind: str
    unit_label: str
    decimal_places: int
    polarity: str = Field(
        description="higher or lower (which is better); none (compared, neither better); "
        "not_applicable (not compared)."
    )
    source: str
    source_url: str
    licence: str
    period_type: str
    update_frequency: str
    next_update_due: datetime.date | None
    owner_organisation: str
    baseline_period: PeriodOut | None
    baseline_value: float | None
    targets: list[TargetOut]


class ValueOut(Schema):
    measure: str
    place: str
    place_code: str
    period: PeriodOut
    breakdown: str = Field(examples=["All people"])
    value: float | None = Field(description="null: no value was published for this period.")
    value_formatted: str = Field(description="As the pages show it.", examples=["52.5%"])
    lower_ci: float | None = Field(description="95% confidence interval, lower end.")
    upper_ci: float | None
    numerator: float | None
    denominator: float | None
    note: str
    source: str
    published_at: datetime.datetime | None


class StatusTag(Schema):
    status: str = Field(examples=["better", "improving", "on_track"])
    label: str = Field(examples=["Better than England"])
    tone: str = Field(description="good, bad, neutral or none.")
    sentence: str = Field(description="The plain-English explanation the pages show.")


class StatusOut(Schema):
    measure: str
    place: str
    latest_period: PeriodOut | None
    latest_value: float | None
    latest_value_formatted: str
    benchmark: str = Field(description="The area compared with, e.g. England.")
    benchmark_value: float | None
    comparison: StatusTag
    trend: StatusTag
    target: StatusTag
    target_value: float | None
    target_date: datetime.date | None


class PartnerOut(Schema):
    slug: str
    name: str
    website: str


class CommitmentUpdateOut(Schema):
    date: datetime.date
    status: str
    status_label: str
    progress: str
    next_steps: str
    published_at: datetime.datetime


class CommitmentOut(Schema):
    slug: str
    title: str
    summary: str
    outcome: str
    places: list[str]
    measures: list[str]
    lead_partner: PartnerOut
    due_date: datetime.date
    status: str = Field(description="not_started, on_track, at_risk, delayed or done.")
    status_label: str
    overdue: bool
    is_demo: bool = Field(description="A demonstration commitment, not a real one.")
    url: str = Field(description="The commitment's public page.")
    updates: list[CommitmentUpdateOut] = Field(description="Published updates, newest first.")


# --- envelopes ----------------------------------------------------------------------------------


class Index(Schema):
    meta: Meta
    links: dict[str, str]


class PlaceList(Schema):
    meta: Meta
    pagination: Pagination
    results: list[PlaceOut]


class PlaceDetail(Schema):
    meta: Meta
    result: PlaceOut


class OutcomeList(Schema):
    meta: Meta
    pagination: Pagination
    results: list[OutcomeOut]


class OutcomeDetail(Schema):
    meta: Meta
    result: OutcomeOut


class MeasureList(Schema):
    meta: Meta
    pagination: Pagination
    results: list[MeasureOut]


class MeasureDetail(Schema):
    meta: Meta
    result: MeasureOut


class ValueList(Schema):
    meta: Meta
    pagination: Pagination
    results: list[ValueOut]


class StatusList(Schema):
    meta: Meta
    pagination: Pagination
    results: list[StatusOut]


class CommitmentList(Schema):
    meta: Meta
    pagination: Pagination
    results: list[CommitmentOut]


class CommitmentDetail(Schema):
    meta: Meta
    result: CommitmentOut
