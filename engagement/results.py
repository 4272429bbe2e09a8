"""An exercise's results, aggregated in the database: a fixed number of queries whatever the
number of responses, each a GROUP BY over an index, never a row per response in Python.

Rankings are counted by (priority, rank): at most n x n rows for n priorities. From those counts:
mean rank = sum(rank x count) / sum(count); Borda points, with n priorities, give a rank r
n - r + 1 points (first place n points, last place 1), so Borda = sum((n - r + 1) x count).
The two orders agree when every response ranks every priority, as the form requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from engagement.models import (
    Exercise,
    FeedbackTheme,
    Issue,
    IssuePick,
    Priority,
    Ranking,
    Response,
)
from places.models import Place


@dataclass(frozen=True)
class PriorityResult:
    priority: Priority
    rank_counts: tuple[int, ...]  # how many responses gave it rank 1, 2, ..., n

    @property
    def n_priorities(self) -> int:
        return len(self.rank_counts)

    @property
    def responses(self) -> int:
        """How many responses ranked it."""
        return sum(self.rank_counts)

    @property
    def rank_sum(self) -> int:
        return sum(rank * count for rank, count in enumerate(self.rank_counts, start=1))

    @property
    def first_choices(self) -> int:
        return self.rank_counts[0] if self.rank_counts else 0

    @property
    def mean_rank(self) -> Decimal | None:
        if not self.responses:
            return None
        return (Decimal(self.rank_sum) / Decimal(self.responses)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def borda(self) -> int:
        n = self.n_priorities
        return sum((n - rank + 1) * count for rank, count in enumerate(self.rank_counts, 1))

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
    """Every priority with its rank counts, most important first. Two queries: the priorities,
    and the rankings counted by (priority, rank), an index-only scan of (priority, rank)."""
    priorities = list(Priority.objects.filter(exercise=exercise).order_by("order", "id"))
    # Unfiltered: by the exercise's priorities (an index-only scan of (priority, rank)). For one
    # place: by that place's responses to the exercise (the (exercise, place) index) instead.
    if place is None:
        rankings = Ranking.objects.filter(priority__exercise=exercise)
    else:
        rankings = Ranking.objects.filter(response__exercise=exercise, response__place=place)
    counts = {
        (priority_id, rank): n
        for priority_id, rank, n in rankings.order_by()
        .values_list("priority_id", "rank")
        .annotate(n=Count("*"))
        .values_list("priority_id", "rank", "n")
    }
    size = len(priorities)
    results = [
        PriorityResult(
            priority=p, rank_counts=tuple(counts.get((p.pk, r), 0) for r in range(1, size + 1))
        )
        for p in priorities
    ]
    # Most important first: lowest mean rank, then most Borda points, then the exercise's order.
    return sorted(
        results,
        key=lambda r: (r.mean_rank is None, r.mean_rank or 0, -r.borda, r.priority.order),
    )


def issue_results(
    exercise: Exercise, *, responses: int, place: Place | None = None
) -> list[IssueResult]:
    """Every issue with how many responses picked it, most picked first. Two queries."""
    issues = list(
        Issue.objects.filter(priority__exercise=exercise)
        .select_related("priority")
        .order_by("priority__order", "order", "id")
    )
    if place is None:
        picks = IssuePick.objects.filter(issue__priority__exercise=exercise)
    else:
        picks = IssuePick.objects.filter(response__exercise=exercise, response__place=place)
    counts = dict(
        picks.order_by().values_list("issue_id").annotate(n=Count("*")).values_list("issue_id", "n")
    )
    results = [
        IssueResult(issue=i, picks=counts.get(i.pk, 0), of_responses=responses) for i in issues
    ]
    return sorted(results, key=lambda r: -r.picks)  # stable: ties keep the exercise's order


def response_counts(exercise: Exercise, places: list[Place]) -> tuple[int, list[PlaceCount]]:
    """(total, counts for each of these places, "somewhere else" and "not given"). One query,
    grouped by place over the (exercise, place) index."""
    rows = (
        Response.objects.for_exercise(exercise)
        .order_by()
        .values_list("place_id", "lives_elsewhere")
        .annotate(n=Count("*"))
        .values_list("place_id", "lives_elsewhere", "n")
    )
    by_place_id: dict[int, int] = {}
    elsewhere = not_given = 0
    for place_id, lives_elsewhere, n in rows:
        if place_id is not None:
            by_place_id[place_id] = by_place_id.get(place_id, 0) + n
        elif lives_elsewhere:
            elsewhere += n
        else:
            not_given += n
    total = sum(by_place_id.values()) + elsewhere + not_given
    counts = [PlaceCount(label=p.name, responses=by_place_id.pop(p.pk, 0), place=p) for p in places]
    # A place no longer offered (its kind changed) still counts: it is in the total, so show it.
    if by_place_id:
        counts.append(PlaceCount(label="Other areas", responses=sum(by_place_id.values())))
    counts += [
        PlaceCount(label="Somewhere else", responses=elsewhere),
        PlaceCount(label="Not given", responses=not_given),
    ]
    return total, counts


QUOTES_SHOWN = 20


def exercise_results(
    exercise: Exercise, *, place: Place | None = None, places: list[Place] | None = None
) -> Results:
    """Everything the results page shows, in a fixed number of queries (10, or 11 when the
    places are not given)."""
    if places is None:
        places = list(Place.objects.places())
    total, by_place = response_counts(exercise, places)
    if place is None:
        responses = total
    else:
        responses = next((c.responses for c in by_place if c.place == place), 0)
    quotes = Response.objects.for_exercise(exercise).quotes()
    return Results(
        exercise=exercise,
        place=place,
        responses=responses,
        total_responses=total,
        by_place=by_place,
        priorities=priority_results(exercise, place=place),
        issues=issue_results(exercise, responses=responses, place=place),
        quotes=list(quotes.select_related("place")[:QUOTES_SHOWN]),
        quote_count=quotes.count(),
        themes=list(FeedbackTheme.objects.for_exercise(exercise).with_links()),
    )
