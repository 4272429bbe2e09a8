"""Results are aggregated in the database. A small case computed by hand, a generated case
checked against a plain Python count, and query counts that do not grow with responses."""

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement.models import FeedbackTheme
from engagement.results import exercise_results
from outcomes.models import Measure, Outcome
from places.models import Place
from tests.engagement.conftest import make_exercise, submit

pytestmark = pytest.mark.django_db

A, B, C = "A: healthier lives", "B: best start", "C: safe communities"


@pytest.fixture
def small_case(barnsley, doncaster):
    """Four responses, ranks by hand:

    r1 (Barnsley)        A1 B2 C3  picks a1, a2
    r2 (Barnsley)        B1 A2 C3  picks a1
    r3 (Doncaster)       A1 C2 B3  picks a1
    r4 (somewhere else)  C1 A2 B3  picks c1
    """
    exercise = make_exercise(titles=(A, B, C), issues={0: ["a1", "a2"], 1: ["b1"], 2: ["c1"]})
    submit(exercise, [A, B, C], place=barnsley, issues=["a1", "a2"])
    submit(exercise, [B, A, C], place=barnsley, issues=["a1"])
    submit(exercise, [A, C, B], place=doncaster, issues=["a1"])
    submit(exercise, [C, A, B], lives_elsewhere=True, issues=["c1"])
    return exercise


def test_the_small_case_matches_the_hand_computed_results(small_case):
    results = exercise_results(small_case)
    assert results.total_responses == results.responses == 4
    # A: ranks 1,2,1,2 -> mean 1.5, Borda 3+2+3+2 = 10, first twice.
    # B: ranks 2,1,3,3 -> mean 2.25, Borda 2+3+1+1 = 7, first once.
    # C: ranks 3,3,2,1 -> mean 2.25, Borda 1+1+2+3 = 7, first once (B and C tie; B is listed
    # first in the exercise, so it comes first).
    assert [
        (r.priority.title, r.mean_rank, r.borda, r.first_choices, r.responses)
        for r in results.priorities
    ] == [
        (A, Decimal("1.50"), 10, 2, 4),
        (B, Decimal("2.25"), 7, 1, 4),
        (C, Decimal("2.25"), 7, 1, 4),
    ]
    assert results.priorities[0].first_choice_percent == Decimal("50.0")
    assert [(i.issue.title, i.picks, i.percent) for i in results.issues] == [
        ("a1", 3, Decimal("75.0")),
        ("a2", 1, Decimal("25.0")),
        ("c1", 1, Decimal("25.0")),
        ("b1", 0, Decimal("0.0")),
    ]
    assert [(c.label, c.responses) for c in results.by_place] == [
        ("Barnsley", 2),
        ("Doncaster", 1),
        ("Rotherham", 0),
        ("Sheffield", 0),
        ("Somewhere else", 1),
        ("Not given", 0),
    ]


def test_the_small_case_filtered_to_one_place(small_case, barnsley):
    results = exercise_results(small_case, place=barnsley)
    assert results.responses == 2 and results.total_responses == 4
    # Barnsley: A 1,2 -> 1.5, Borda 3+2 = 5; B 2,1 -> 1.5, 5; C 3,3 -> 3.0, 2.
    assert [(r.priority.title, r.mean_rank, r.borda) for r in results.priorities] == [
        (A, Decimal("1.50"), 5),
        (B, Decimal("1.50"), 5),
        (C, Decimal("3.00"), 2),
    ]
    assert [(i.issue.title, i.picks) for i in results.issues][:2] == [("a1", 2), ("a2", 1)]


def test_an_exercise_with_no_responses(exercise):
    results = exercise_results(exercise)
    assert not results.has_responses
    assert all(r.mean_rank is None and r.borda == 0 for r in results.priorities)
    assert all(i.percent is None for i in results.issues)


def test_generated_responses_match_a_plain_python_count(barnsley, doncaster):
    """400 seeded random responses: the database's figures equal a count done in Python."""
    titles = ("P1", "P2", "P3", "P4", "P5")
    exercise = make_exercise(titles=titles, issues={i: [f"i{i}a", f"i{i}b"] for i in range(5)})
    rng = random.Random(42)
    places = [barnsley, doncaster, None]
    rank_sums, borda, firsts, picks, by_place = (
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
    )
    for _ in range(400):
        order = rng.sample(titles, k=5)
        chosen = [f"i{i}{x}" for i in range(5) for x in "ab" if rng.random() < 0.3]
        place = rng.choice(places)
        submit(exercise, order, place=place, issues=chosen)
        for rank, title in enumerate(order, start=1):
            rank_sums[title] += rank
            borda[title] += 5 - rank + 1
        firsts[order[0]] += 1
        picks.update(chosen)
        by_place[place.name if place else "Not given"] += 1

    results = exercise_results(exercise)
    for row in results.priorities:
        title = row.priority.title
        assert row.rank_sum == rank_sums[title]
        assert row.borda == borda[title]
        assert row.mean_rank == (Decimal(rank_sums[title]) / 400).quantize(Decimal("0.01"))
        assert row.first_choices == firsts[title]
    assert {i.issue.title: i.picks for i in results.issues} == {
        f"i{i}{x}": picks[f"i{i}{x}"] for i in range(5) for x in "ab"
    }
    counts = {c.label: c.responses for c in results.by_place}
    assert counts["Barnsley"] == by_place["Barnsley"]
    assert counts["Doncaster"] == by_place["Doncaster"]
    assert counts["Not given"] == by_place["Not given"]
    assert sum(row.borda for row in results.priorities) == 400 * (5 + 4 + 3 + 2 + 1)


def test_borda_and_mean_rank_orders_agree(small_case):
    results = exercise_results(small_case)
    by_mean = [r.priority.pk for r in results.priorities]
    by_borda = [r.priority.pk for r in sorted(results.priorities, key=lambda r: -r.borda)]
    assert by_mean == by_borda


def _queries(exercise, place=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        exercise_results(exercise, place=place)
    return len(captured)


def add_theme(exercise, title="Access to GP appointments"):
    theme = FeedbackTheme.objects.create(
        exercise=exercise, title=title, you_said="Waits are long.", we_did="We measured it."
    )
    theme.outcomes.set(Outcome.objects.all()[:2])
    theme.measures.set(Measure.objects.all()[:3])
    return theme


def test_aggregation_takes_a_fixed_number_of_queries(small_case, django_assert_num_queries):
    add_theme(small_case)
    with django_assert_num_queries(11):  # 10, and the places
        exercise_results(small_case)
    before = _queries(small_case)
    for _ in range(30):
        submit(small_case, [C, B, A], free_text="More buses", lives_elsewhere=True)
    add_theme(small_case, "Cost of living")
    assert _queries(small_case) == before
    assert _queries(small_case, place=Place.objects.get(slug="barnsley")) == before
