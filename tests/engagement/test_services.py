import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.models import Exercise, FeedbackTheme, IssuePick, Ranking, Response, token_hash
from engagement.results import exercise_results
from engagement.services import (
    ExerciseClosed,
    engagement_demo_seed,
    exercise_priorities_from_outcomes,
    ranking_errors,
    response_contact_delete,
    response_submit,
    responses_contact_delete_by_email,
    responses_moderate,
)
from tests.engagement.conftest import make_exercise, submit

pytestmark = pytest.mark.django_db

ORDER = ["Best start", "Healthier lives", "Safe communities"]


def test_a_true_ordering_has_no_errors(exercise):
    priorities = list(exercise.priorities.all())
    ranks = {p.pk: rank for p, rank in zip(priorities, [2, 3, 1], strict=True)}
    assert ranking_errors(priorities, ranks) == {}


def test_a_shared_rank_is_an_error_on_each_priority_that_shares_it(exercise):
    a, b, c = exercise.priorities.all()
    errors = ranking_errors([a, b, c], {a.pk: 1, b.pk: 1, c.pk: 2})
    assert set(errors) == {a.pk, b.pk}
    assert errors[a.pk] == (
        "You gave Healthier lives rank 1, the same as Best start. "
        "Give each priority a different rank from 1 to 3"
    )


def test_missing_and_out_of_range_ranks_are_errors(exercise):
    a, b, c = exercise.priorities.all()
    errors = ranking_errors([a, b, c], {a.pk: None, b.pk: 4, c.pk: 0})
    assert errors == {
        a.pk: "Choose a rank for Healthier lives",
        b.pk: "Choose a rank from 1 to 3 for Best start",
        c.pk: "Choose a rank from 1 to 3 for Safe communities",
    }


def test_submit_records_the_ranking_issues_text_and_place(exercise, barnsley):
    submitted = submit(
        exercise, ORDER, issues=["Help to stop smoking"], free_text="  More GPs  ", place=barnsley
    )
    response = submitted.response
    assert submitted.deletion_token is None
    ranks = dict(response.rankings.values_list("priority__title", "rank"))
    assert ranks == {"Best start": 1, "Healthier lives": 2, "Safe communities": 3}
    assert [p.issue.title for p in response.issue_picks.all()] == ["Help to stop smoking"]
    assert response.free_text == "More GPs"
    assert response.moderation == Response.Moderation.PENDING
    assert response.place == barnsley and response.contact_email == ""


def test_submit_without_free_text_needs_no_moderation(exercise):
    assert submit(exercise, ORDER).response.moderation == Response.Moderation.NONE


@pytest.mark.parametrize(
    ("opens_in", "closes_in", "status", "words"),
    [
        (1, 10, Exercise.Status.UPCOMING, "opens on"),
        (-10, -1, Exercise.Status.CLOSED, "closed on"),
    ],
)
def test_submit_is_refused_outside_the_dates(opens_in, closes_in, status, words):
    exercise = make_exercise(opens_in=opens_in, closes_in=closes_in)
    with pytest.raises(ExerciseClosed) as refused:
        submit(exercise, ORDER)
    assert refused.value.status == status
    assert words in str(refused.value)
    assert not Response.objects.filter(exercise=exercise).exists()


def test_the_first_and_last_days_are_open():
    today = timezone.localdate()
    exercise = make_exercise(opens_in=0, closes_in=0)
    assert submit(exercise, ORDER).response.pk
    assert exercise.status_on(today + datetime.timedelta(days=1)) == Exercise.Status.CLOSED


def test_submit_refuses_a_false_ordering(exercise):
    a, b, c = exercise.priorities.all()
    with pytest.raises(ValidationError):
        response_submit(exercise=exercise, ranks={a.pk: 1, b.pk: 1, c.pk: 2})
    with pytest.raises(ValidationError):
        response_submit(exercise=exercise, ranks={a.pk: 1, b.pk: 2})
    assert not Response.objects.filter(exercise=exercise).exists()


def test_submit_refuses_issues_from_another_exercise(exercise):
    other = make_exercise(slug="other")
    foreign = other.priorities.get(title="Healthier lives").issues.first()
    a, b, c = exercise.priorities.all()
    with pytest.raises(ValidationError):
        response_submit(
            exercise=exercise, ranks={a.pk: 1, b.pk: 2, c.pk: 3}, issue_ids=[foreign.pk]
        )


def test_submit_refuses_more_issues_than_the_limit():
    exercise = make_exercise(issue_choice_limit=1)
    with pytest.raises(ValidationError):
        submit(exercise, ORDER, issues=["Access to GP appointments", "Help to stop smoking"])


def test_submit_refuses_overlong_text(exercise):
    with pytest.raises(ValidationError):
        submit(exercise, ORDER, free_text="x" * 2001)
    assert submit(exercise, ORDER, free_text="x" * 2000).response.free_text == "x" * 2000


def test_contact_details_get_a_deletion_token_stored_only_as_a_hash(exercise):
    submitted = submit(exercise, ORDER, contact_name="Sam", contact_email="sam@example.com")
    response = Response.objects.get(pk=submitted.response.pk)
    token = submitted.deletion_token
    assert token and len(token) >= 40
    assert response.deletion_token_hash == token_hash(token) != token
    assert response.contact_consented_at is not None


def test_a_name_without_an_email_is_refused(exercise):
    with pytest.raises(ValidationError):
        submit(exercise, ORDER, contact_name="Sam")


def test_the_deletion_token_deletes_the_contact_details_once(exercise):
    submitted = submit(exercise, ORDER, contact_name="Sam", contact_email="sam@example.com")
    assert response_contact_delete(token=submitted.deletion_token) == 1
    response = Response.objects.get(pk=submitted.response.pk)
    assert (response.contact_name, response.contact_email, response.deletion_token_hash) == (
        "",
        "",
        "",
    )
    assert response.rankings.count() == 3  # the anonymous answers stay
    assert response_contact_delete(token=submitted.deletion_token) == 0
    assert response_contact_delete(token="not-a-token") == 0


def test_staff_can_delete_contact_details_by_email(exercise):
    submit(exercise, ORDER, contact_email="Sam@Example.com")
    submit(exercise, ORDER, contact_email="sam@example.com")
    submit(exercise, ORDER, contact_email="other@example.com")
    assert responses_contact_delete_by_email(email=" sam@example.com ") == 2
    assert list(Response.objects.with_contact().values_list("contact_email", flat=True)) == [
        "other@example.com"
    ]


def test_moderation_publishes_text_as_a_quote_and_leaves_empty_responses_alone(
    exercise, admin_user
):
    with_text = submit(exercise, ORDER, free_text="Buses to the hospital").response
    without = submit(exercise, ORDER).response
    changed = responses_moderate(
        responses=Response.objects.filter(pk__in=[with_text.pk, without.pk]),
        decision=Response.Moderation.PUBLISHED,
        user=admin_user,
    )
    assert changed == 1
    with_text.refresh_from_db()
    assert with_text.quote == "Buses to the hospital"
    assert with_text.moderated_by == admin_user and with_text.moderated_at
    assert Response.objects.get(pk=without.pk).moderation == Response.Moderation.NONE
    assert list(Response.objects.quotes()) == [with_text]
    responses_moderate(responses=[with_text], decision=Response.Moderation.PENDING, user=admin_user)
    with_text.refresh_from_db()
    assert with_text.moderated_by is None and not Response.objects.quotes().exists()


def test_the_database_refuses_a_rank_used_twice_in_one_response(exercise):
    response = submit(exercise, ORDER).response
    other = exercise.priorities.exclude(pk=response.rankings.get(rank=1).priority_id).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ranking.objects.filter(response=response, priority=other).update(rank=1)


def test_the_database_refuses_overlong_text_and_contact_without_consent(exercise):
    response = submit(exercise, ORDER).response
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=response.pk).update(free_text="x" * 2001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=response.pk).update(contact_email="a@example.com")


def test_the_outcomes_can_be_added_as_priorities_until_responses_arrive():
    exercise = make_exercise(slug="outcomes", titles=())
    assert exercise_priorities_from_outcomes(exercise=exercise) == 4
    assert exercise_priorities_from_outcomes(exercise=exercise) == 0
    titles = list(exercise.priorities.values_list("title", flat=True))
    assert titles[1] == "People live longer, healthier lives"
    priorities = list(exercise.priorities.all())
    response_submit(exercise=exercise, ranks={p.pk: i for i, p in enumerate(priorities, 1)})
    with pytest.raises(ValidationError):
        exercise_priorities_from_outcomes(exercise=exercise)


def test_the_demo_seed_is_labelled_and_gives_the_same_results_every_run():
    engagement_demo_seed()
    first = exercise_results(Exercise.objects.get(slug__startswith="what-matters"))
    counts = (Response.objects.count(), Ranking.objects.count(), IssuePick.objects.count())
    engagement_demo_seed()
    again = exercise_results(Exercise.objects.get(slug__startswith="what-matters"))
    assert (Response.objects.count(), Ranking.objects.count(), IssuePick.objects.count()) == (
        counts
    )
    assert [(r.priority.title, r.rank_sum, r.responses) for r in first.priorities] == [
        (r.priority.title, r.rank_sum, r.responses) for r in again.priorities
    ]
    assert first.total_responses == 360 and first.quote_count == 6
    assert Exercise.objects.filter(is_demo=False).count() == 0
    assert not Response.objects.filter(is_demo=False).exists()
    assert FeedbackTheme.objects.filter(is_demo=True).count() == 3
    open_demo = Exercise.objects.get(slug__startswith="what-matters")
    assert open_demo.status_on(datetime.date(2026, 11, 24)) == Exercise.Status.OPEN
    closed_demo = Exercise.objects.get(slug="draft-priorities-2025-demo")
    assert closed_demo.status_on(datetime.date(2026, 11, 24)) == Exercise.Status.CLOSED
