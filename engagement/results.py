"""An exercise's results, aggregated in the database: a fixed number of queries whatever the
number of responses (mean rank with AVG, Borda points from SUM and COUNT, picks with COUNT).

Borda count: with n priorities, a rank r earns n - r + 1 points (first place n points, last 1).
Summed over the responses that ranked a priority, that is count * (n + 1) - sum(rank), which is
what `PriorityResult.borda` computes from the two database aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from engagement.models import Exercise, FeedbackTheme, Issue, Priority, Response
from places.models import Place


@dataclass(frozen=True)
class PriorityResult:
    priority: Priority
    responses: int  # how many responses ranked it
    rank_sum: int
    first_choices: int
    n_priorities: int

    @property
    def mean_rank(self) -> Decimal | None:
        if not self.responses:
            return None
        return (Decimal(self.rank_sum) / Decimal(self.responses)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def borda(self) -> int:
        return self.responses * (self.n_priorities + 1) - self.rank_sum

    @property
    def first_choice_percent(self) -> Decimal | None:
        return _percent(self.first_choices, self.responses)


@dataclass(frozen=True)
class IssueResult:
    issue: Issue
    picks: int
    of_responses: int

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.picks, self.of_responses)


@dataclass(frozen=True)
class PlaceCount:
    label: str
    responses: int
    place: Place | None = None


@dataclass(frozen=True)
class Results:
    exercise: Exercise
    place: Place | None  # the place the rankings are filtered to, if any
    responses: int  # in the filter
    total_responses: int  # in the exercise
    by_place: list[PlaceCount]
    priorities: list[PriorityResult]  # by mean rank, most important first
    issues: list[IssueResult]  # most picked first
    quotes: list[Response]
    quote_count: int
    themes: list[FeedbackTheme]

    @property
    def has_responses(self) -> bool:
        return self.responses > 0

    @property
    def has_picks(self) -> bool:
        return any(row.picks for row in self.issues)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def priority_results(exercise: Exercise, *, place: Place | None = None) -> list[PriorityResult]:
    """Every priority with its mean rank and Borda points, most important first. One query."""
    within = Q(rankings__response__place=place) if place else Q()
    rows = list(
        Priority.objects.filter(exercise=exercise)
        .annotate(
            n_ranked=Count("rankings", filter=within),
            rank_sum=Sum("rankings__rank", filter=within, default=0),
            first_choices=Count("rankings", filter=within & Q(rankings__rank=1)),
        )
        .order_by("order", "id")
    )
    results = [
        PriorityResult(
            priority=row,
            responses=row.n_ranked,
            rank_sum=row.rank_sum,
            first_choices=row.first_choices,
            n_priorities=len(rows),
        )
        for row in rows
    ]
    # Most important first: lowest mean rank, then most Borda points, then the exercise's order.
    return sorted(
        results,
        key=lambda r: (r.mean_rank is None, r.mean_rank or 0, -r.borda, r.priority.order),
    )


def issue_results(
    exercise: Exercise, *, responses: int, place: Place | None = None
) -> list[IssueResult]:
    """Every issue with how many responses picked it, most picked first. One query."""
    within = Q(picks__response__place=place) if place else Q()
    issues = (
        Issue.objects.filter(priority__exercise=exercise)
        .select_related("priority")
        .annotate(n_picks=Count("picks", filter=within))
        .order_by("-n_picks", "priority__order", "order", "id")
    )
    return [IssueResult(issue=i, picks=i.n_picks, of_responses=responses) for i in issues]


def response_counts(exercise: Exercise) -> tuple[int, list[PlaceCount], int]:
    """(total, counts by place including "somewhere else" and "not given", published quotes).
    Two queries."""
    totals = Response.objects.for_exercise(exercise).aggregate(
        total=Count("id"),
        elsewhere=Count("id", filter=Q(lives_elsewhere=True)),
        not_given=Count("id", filter=Q(place__isnull=True, lives_elsewhere=False)),
        quotes=Count("id", filter=Q(moderation=Response.Moderation.PUBLISHED)),
    )
    places = Place.objects.places().annotate(
        n=Count("engagement_responses", filter=Q(engagement_responses__exercise=exercise))
    )
    by_place = [PlaceCount(label=p.name, responses=p.n, place=p) for p in places]
    # A place no longer offered (its kind changed) still counts: it is in the total, so show it.
    listed = sum(c.responses for c in by_place) + totals["elsewhere"] + totals["not_given"]
    if listed != totals["total"]:
        by_place.append(PlaceCount(label="Other areas", responses=totals["total"] - listed))
    by_place += [
        PlaceCount(label="Somewhere else", responses=totals["elsewhere"]),
        PlaceCount(label="Not given", responses=totals["not_given"]),
    ]
    return totals["total"], by_place, totals["quotes"]


QUOTES_SHOWN = 20


def exercise_results(exercise: Exercise, *, place: Place | None = None) -> Results:
    """Everything the results page shows, in a fixed number of queries (8)."""
    total, by_place, quote_count = response_counts(exercise)
    if place is None:
        responses = total
    else:
        responses = next((c.responses for c in by_place if c.place == place), 0)
    quotes = list(Response.objects.for_exercise(exercise).quotes()[:QUOTES_SHOWN])
    return Results(
        exercise=exercise,
        place=place,
        responses=responses,
        total_responses=total,
        by_place=by_place,
        priorities=priority_results(exercise, place=place),
        issues=issue_results(exercise, responses=responses, place=place),
        quotes=quotes,
        quote_count=quote_count,
        themes=list(FeedbackTheme.objects.for_exercise(exercise).with_links()),
    )
