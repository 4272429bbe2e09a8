"""Writes for engagement. Each is a keyword-only function that runs in one transaction."""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from engagement.models import (
    FREE_TEXT_MAX,
    Exercise,
    FeedbackTheme,
    Issue,
    IssuePick,
    Priority,
    Ranking,
    Response,
    token_hash,
)
from places.models import Place


class ExerciseClosed(Exception):
    """Responses are refused before an exercise opens and after it closes."""

    def __init__(self, exercise: Exercise, status: Exercise.Status):
        self.exercise = exercise
        self.status = status
        super().__init__(closed_message(exercise, status))


def closed_message(exercise: Exercise, status: Exercise.Status) -> str:
    if status == Exercise.Status.UPCOMING:
        return (
            f"This exercise opens on {date_format(exercise.opens_on, 'j F Y')}. "
            "You cannot send a response before then."
        )
    return (
        f"This exercise closed on {date_format(exercise.closes_on, 'j F Y')}. "
        "We are no longer accepting responses."
    )


def ranking_errors(priorities: list[Priority], ranks: Mapping[int, int | None]) -> dict[int, str]:
    """Check that ranks (priority id -> rank) are a true ordering of these priorities: each
    priority given exactly one rank from 1 to n, and each rank used once. Returns the problems
    by priority id; empty when the ordering is true."""
    n = len(priorities)
    errors: dict[int, str] = {}
    by_rank: dict[int, list[Priority]] = {}
    for priority in priorities:
        rank = ranks.get(priority.pk)
        if rank is None:
            errors[priority.pk] = f"Choose a rank for {priority.title}"
        elif not 1 <= rank <= n:
            errors[priority.pk] = f"Choose a rank from 1 to {n} for {priority.title}"
        else:
            by_rank.setdefault(rank, []).append(priority)
    for rank, sharing in by_rank.items():
        if len(sharing) > 1:
            for priority in sharing:
                others = " and ".join(p.title for p in sharing if p != priority)
                errors.setdefault(
                    priority.pk,
                    f"You gave {priority.title} rank {rank}, the same as {others}. "
                    f"Give each priority a different rank from 1 to {n}",
                )
    return errors


@dataclass(frozen=True)
class Submitted:
    response: Response
    deletion_token: str | None  # shown to the resident once; only its hash is stored


@transaction.atomic
def response_submit(
    *,
    exercise: Exercise,
    ranks: Mapping[int, int],
    issue_ids: Iterable[int] = (),
    free_text: str = "",
    place: Place | None = None,
    lives_elsewhere: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    today: datetime.date | None = None,
    is_demo: bool = False,
) -> Submitted:
    """Record one resident's response. Refuses (ExerciseClosed) outside the exercise's dates and
    (ValidationError) anything the form should have caught: a false ordering, issues from
    another exercise or over the limit, over-long text, contact details without an email."""
    status = exercise.status_on(today or timezone.localdate())
    if status != Exercise.Status.OPEN:
        raise ExerciseClosed(exercise, status)

    priorities = list(exercise.priorities.all())
    errors = ranking_errors(priorities, ranks)
    if errors or set(ranks) != {p.pk for p in priorities}:
        raise ValidationError("The ranking must give each priority a different rank.")

    issue_ids = set(issue_ids)
    issues = list(Issue.objects.filter(priority__exercise=exercise, pk__in=issue_ids))
    if len(issues) != len(issue_ids):
        raise ValidationError("Some issues picked are not in this exercise.")
    if exercise.issue_choice_limit:
        per_priority: dict[int, int] = {}
        for issue in issues:
            per_priority[issue.priority_id] = per_priority.get(issue.priority_id, 0) + 1
        if any(n > exercise.issue_choice_limit for n in per_priority.values()):
            raise ValidationError("Too many issues picked under one priority.")
    if place is not None and lives_elsewhere:
        raise ValidationError("A response has one place, or somewhere else, not both.")

    free_text = free_text.strip()
    contact_name, contact_email = contact_name.strip(), contact_email.strip()
    if contact_name and not contact_email:
        raise ValidationError("A name is kept only with an email address to reply to.")
    token = secrets.token_urlsafe(32) if contact_email else None
    response = Response(
        exercise=exercise,
        place=place,
        lives_elsewhere=lives_elsewhere,
        free_text=free_text[: FREE_TEXT_MAX + 1],  # full_clean refuses anything longer
        moderation=Response.Moderation.PENDING if free_text else Response.Moderation.NONE,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_consented_at=timezone.now() if contact_email else None,
        deletion_token_hash=token_hash(token) if token else "",
        is_demo=is_demo,
    )
    response.full_clean()
    response.save()
    Ranking.objects.bulk_create(
        Ranking(response=response, priority_id=pk, rank=rank) for pk, rank in ranks.items()
    )
    IssuePick.objects.bulk_create(IssuePick(response=response, issue=i) for i in issues)
    return Submitted(response=response, deletion_token=token)


@transaction.atomic
def response_contact_delete(*, token: str | None = None, response: Response | None = None) -> int:
    """Delete a resident's name and email (keeping their anonymous answers), found by the
    deletion token they were shown, or given directly (staff). Returns how many were cleared."""
    if (token is None) == (response is None):
        raise TypeError("Give a token or a response.")
    queryset = (
        Response.objects.filter(deletion_token_hash=token_hash(token))
        if token is not None
        else Response.objects.filter(pk=response.pk)
    )
    return queryset.with_contact().update(
        contact_name="", contact_email="", contact_consented_at=None, deletion_token_hash=""
    )


@transaction.atomic
def responses_contact_delete_by_email(*, email: str) -> int:
    """Staff: delete the contact details of every response given with this email address."""
    return (
        Response.objects.filter(contact_email__iexact=email.strip())
        .exclude(contact_email="")
        .update(
            contact_name="", contact_email="", contact_consented_at=None, deletion_token_hash=""
        )
    )


@transaction.atomic
def responses_moderate(
    *, responses: Iterable[Response], decision: Response.Moderation, user
) -> int:
    """Publish free text as a quote, refuse it, or put it back to awaiting moderation. Responses
    with no free text are left alone. Returns how many changed."""
    if decision == Response.Moderation.NONE:
        raise ValueError("Moderation decides about free text; choose publish, reject or pending.")
    changed = 0
    now = timezone.now()
    for response in responses:
        if not response.free_text or response.moderation == decision:
            continue
        response.moderation = decision
        if decision == Response.Moderation.PUBLISHED and not response.quote:
            response.quote = response.free_text
        pending = decision == Response.Moderation.PENDING
        response.moderated_at = None if pending else now
        response.moderated_by = None if pending else user
        response.full_clean()
        response.save(update_fields=["moderation", "quote", "moderated_at", "moderated_by"])
        changed += 1
    return changed


@transaction.atomic
def exercise_priorities_from_outcomes(*, exercise: Exercise) -> int:
    """Add the outcomes as the exercise's priorities (those not already there)."""
    from outcomes.models import Outcome

    if exercise.responses.exists():
        raise ValidationError("Priorities cannot change once responses have been received.")
    have = set(exercise.priorities.exclude(outcome=None).values_list("outcome_id", flat=True))
    start = exercise.priorities.count()
    added = 0
    for outcome in Outcome.objects.exclude(pk__in=have):
        priority = Priority(
            exercise=exercise,
            title=outcome.title,
            description=outcome.ambition,
            order=start + added + 1,
            outcome=outcome,
        )
        priority.full_clean()
        priority.save()
        added += 1
    return added


# ---------------------------------------------------------------------------------------------
# Demo data
# ---------------------------------------------------------------------------------------------

DEMO_OPEN_SLUG = "what-matters-to-you-ranking-our-shared-outcomes"
DEMO_CLOSED_SLUG = "draft-priorities-2025-demo"

DEMO_ISSUES = {
    "best-start-in-life": [
        "Support for parents in the first years",
        "Children ready for school",
        "Child poverty",
        "Young people's mental health",
    ],
    "longer-healthier-lives": [
        "Access to GP appointments",
        "Help to stop smoking",
        "Finding cancer early",
        "Healthy food and exercise",
    ],
    "safe-strong-vibrant-communities": [
        "Feeling safe in my area",
        "Loneliness and isolation",
        "Green spaces and places to meet",
    ],
    "skills-and-resources-to-thrive": [
        "Cost of living",
        "Good jobs and fair pay",
        "Help back into work after ill health",
        "Skills and training",
    ],
}

DEMO_QUOTES = [
    "It took me three weeks to get a GP appointment for my son. Being seen sooner matters more "
    "to me than anything else.",
    "Heating or eating is a real choice for families on our street this winter.",
    "The park used to be where everyone met. Since the cafe shut there is nowhere to go.",
    "My dad waited too long to see anyone about his cough. Please make it easier to get checked.",
    "I'd like to work again but there is no help fitting a job around my condition.",
    "Nursery places near us are full, and the ones that are free are miles away.",
]

DEMO_THEMES = [
    {
        "title": "Access to GP appointments",
        "you_said": "Getting an appointment with a GP or practice nurse was the issue raised "
        "most often: people told us long waits stop them getting help early.",
        "we_did": "Demonstration text: the partnership added early cancer diagnosis and "
        "preventable heart disease deaths to the measures it reports, so that being seen early "
        "is tracked in public.",
        "outcomes": ["longer-healthier-lives"],
        "measures": ["cancers-diagnosed-early", "preventable-cardiovascular-mortality"],
    },
    {
        "title": "Cost of living",
        "you_said": "Many people said money worries are what most affect their health: heating, "
        "food and rent, and children growing up in poverty.",
        "we_did": "Demonstration text: household income and child poverty became measures of "
        "the outcomes on the best start in life and on skills and resources to thrive.",
        "outcomes": ["skills-and-resources-to-thrive", "best-start-in-life"],
        "measures": [
            "gross-disposable-household-income",
            "children-in-relative-poverty-after-housing-costs",
        ],
    },
    {
        "title": "Feeling safe and connected where you live",
        "you_said": "People told us that loneliness, feeling unsafe and losing places to meet "
        "harm their wellbeing.",
        "we_did": "Demonstration text: residents' own ratings of their life satisfaction are now "
        "reported for every place, so the partnership can see whether this improves.",
        "outcomes": ["safe-strong-vibrant-communities"],
        "measures": ["life-satisfaction"],
    },
]


def _demo_exercise(*, slug: str, defaults: dict) -> tuple[Exercise, bool]:
    exercise = Exercise.objects.filter(slug=slug).first()
    created = exercise is None
    if created:
        exercise = Exercise(slug=slug)
    for key, value in defaults.items():
        setattr(exercise, key, value)
    exercise.full_clean()
    exercise.save()
    return exercise, created


def _demo_priorities(exercise: Exercise, outcomes) -> list[Priority]:
    if exercise.priorities.exists():
        return list(exercise.priorities.all())
    for order, outcome in enumerate(outcomes, start=1):
        priority = Priority.objects.create(
            exercise=exercise,
            title=outcome.title,
            description=outcome.ambition,
            order=order,
            outcome=outcome,
        )
        for issue_order, title in enumerate(DEMO_ISSUES.get(outcome.slug, []), start=1):
            Issue.objects.create(priority=priority, title=title, order=issue_order)
    return list(exercise.priorities.all())


def _demo_responses(
    *, exercise: Exercise, count: int, seed: int, weights: list[float], user
) -> None:
    """Deterministic generated responses (a seeded generator), replacing earlier demo ones.
    Rankings follow a Plackett-Luce draw with the given weights, so the results have a shape."""
    rng = random.Random(seed)
    Response.objects.filter(exercise=exercise, is_demo=True).delete()
    priorities = list(exercise.priorities.prefetch_related("issues"))
    weights = (list(weights) + [1.0] * len(priorities))[: len(priorities)]
    places = list(Place.objects.places())
    population = [p.population or 1 for p in places]
    day = datetime.datetime.combine(exercise.opens_on, datetime.time(9), tzinfo=datetime.UTC)
    span = max(1, min((exercise.closes_on - exercise.opens_on).days, 20))
    responses = []
    for i in range(count):
        roll = rng.random()
        place = rng.choices(places, population)[0] if roll < 0.85 and places else None
        responses.append(
            Response(
                exercise=exercise,
                submitted_at=day + datetime.timedelta(days=rng.randrange(span), minutes=i),
                place=place,
                lives_elsewhere=place is None and roll < 0.93,
                is_demo=True,
            )
        )
    Response.objects.bulk_create(responses)
    rankings, picks = [], []
    for response in responses:
        remaining = list(zip(priorities, weights, strict=True))
        for rank in range(1, len(priorities) + 1):
            chosen = rng.choices(range(len(remaining)), [w for _, w in remaining])[0]
            priority, _ = remaining.pop(chosen)
            rankings.append(Ranking(response=response, priority=priority, rank=rank))
        for priority in priorities:
            issues = list(priority.issues.all())
            how_many = min(len(issues), rng.choice([0, 1, 1, 2]))
            picks += [IssuePick(response=response, issue=i) for i in rng.sample(issues, how_many)]
    Ranking.objects.bulk_create(rankings, batch_size=2000)
    IssuePick.objects.bulk_create(picks, batch_size=2000)
    now = timezone.now()
    for text, response in zip(DEMO_QUOTES, responses, strict=False):
        response.free_text = response.quote = text
        response.moderation = Response.Moderation.PUBLISHED
        response.moderated_at, response.moderated_by = now, user
    Response.objects.bulk_update(
        responses[: len(DEMO_QUOTES)],
        ["free_text", "quote", "moderation", "moderated_at", "moderated_by"],
    )


@transaction.atomic
def engagement_demo_seed(*, today: datetime.date | None = None) -> dict[str, int]:
    """The engagement demo: an open exercise ranking the four outcomes (open on `today`,
    2026-11-24 in the demo), a closed one, deterministic generated responses with a few
    moderated quotes, and "you said, we did" themes. Everything is labelled as demo. Running it
    again gives the same data. Needs the reference data (outcomes, measures, places) first."""
    from django.contrib.auth.models import User

    from outcomes.models import Measure, Outcome

    today = today or datetime.date(2026, 11, 24)
    outcomes = list(Outcome.objects.order_by("order"))
    if not outcomes:
        raise ValidationError("Load the reference data (outcomes) before the engagement demo.")
    staff = User.objects.filter(username="admin").first()
    open_exercise, _ = _demo_exercise(
        slug=DEMO_OPEN_SLUG,
        defaults={
            "title": "What matters to you? Ranking our shared outcomes",
            "introduction": (
                "Our strategy was shaped by asking you: what matters to you about your health "
                "and wellbeing? Now we want to know which of our four shared outcomes matter "
                "most to you, and which issues within each.\n\n"
                "It takes about 5 minutes. You do not need to give your name. We will publish "
                "the results, and what we do about them, on this site.\n\n"
                "This is a demonstration exercise: the responses shown are generated, not real."
            ),
            "opens_on": today - datetime.timedelta(days=23),
            "closes_on": today + datetime.timedelta(days=68),
            "issue_choice_limit": 2,
            "other_formats": (
                "You can ask for this survey in easy read, large print or another language, or "
                "answer it by phone. Call 0114 000 0000 (demonstration number) or ask at any "
                "library in South Yorkshire."
            ),
            "is_published": True,
            "is_demo": True,
        },
    )
    closed_exercise, _ = _demo_exercise(
        slug=DEMO_CLOSED_SLUG,
        defaults={
            "title": "Draft priorities for 2025",
            "introduction": (
                "We asked residents to rank the draft priorities of the strategy before it was "
                "agreed.\n\nThis is a demonstration exercise: the responses are generated."
            ),
            "opens_on": datetime.date(today.year - 1, 6, 1),
            "closes_on": datetime.date(today.year - 1, 8, 31),
            "is_published": True,
            "is_demo": True,
        },
    )
    _demo_priorities(open_exercise, outcomes)
    _demo_priorities(closed_exercise, outcomes)
    _demo_responses(
        exercise=open_exercise,
        count=360,
        seed=20261124,
        user=staff,
        weights=[1.6, 2.4, 0.9, 1.9],
    )
    _demo_responses(
        exercise=closed_exercise,
        count=240,
        seed=20250831,
        user=staff,
        weights=[2.2, 1.8, 1.0, 1.4],
    )

    outcome_by_slug = {o.slug: o for o in outcomes}
    measure_by_slug = {m.slug: m for m in Measure.objects.all()}
    for order, spec in enumerate(DEMO_THEMES, start=1):
        theme = FeedbackTheme.objects.filter(title=spec["title"], is_demo=True).first()
        theme = theme or FeedbackTheme(title=spec["title"], is_demo=True)
        theme.exercise = closed_exercise
        theme.you_said, theme.we_did, theme.order = spec["you_said"], spec["we_did"], order
        theme.is_published = True
        theme.full_clean()
        theme.save()
        theme.outcomes.set([outcome_by_slug[s] for s in spec["outcomes"] if s in outcome_by_slug])
        theme.measures.set([measure_by_slug[s] for s in spec["measures"] if s in measure_by_slug])
    return {
        "exercises": 2,
        "responses": Response.objects.filter(is_demo=True).count(),
        "themes": len(DEMO_THEMES),
    }
