"""Engagement fixtures: exercises made relative to today, so they are open, closed or not yet
open whatever day the tests run."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from engagement.models import Exercise, Issue, Priority
from engagement.services import response_submit
from places.models import Place


def make_exercise(
    *,
    slug: str = "test-exercise",
    titles: tuple[str, ...] = ("Healthier lives", "Best start", "Safe communities"),
    issues: dict[int, list[str]] | None = None,
    opens_in: int = -10,
    closes_in: int = 10,
    **fields,
) -> Exercise:
    today = timezone.localdate()
    exercise = Exercise.objects.create(
        title=fields.pop("title", "Test exercise"),
        slug=slug,
        introduction="Why we ask.\n\nWhat happens next.",
        opens_on=today + datetime.timedelta(days=opens_in),
        closes_on=today + datetime.timedelta(days=closes_in),
        is_published=fields.pop("is_published", True),
        **fields,
    )
    issues = (
        {0: ["Access to GP appointments", "Help to stop smoking"]} if issues is None else issues
    )
    for order, title in enumerate(titles, start=1):
        priority = Priority.objects.create(exercise=exercise, title=title, order=order)
        for issue_order, issue in enumerate(issues.get(order - 1, []), start=1):
            Issue.objects.create(priority=priority, title=issue, order=issue_order)
    return exercise


def submit(exercise: Exercise, order: list[str], **kwargs):
    """A response ranking the priorities with these titles first to last."""
    by_title = {p.title: p for p in exercise.priorities.all()}
    ranks = {by_title[title].pk: rank for rank, title in enumerate(order, start=1)}
    issues = kwargs.pop("issues", [])
    issue_ids = [Issue.objects.get(priority__exercise=exercise, title=title).pk for title in issues]
    return response_submit(exercise=exercise, ranks=ranks, issue_ids=issue_ids, **kwargs)


def rank_data(exercise: Exercise, order: list[str]) -> dict[str, str]:
    """POST data ranking the priorities with these titles first to last."""
    by_title = {p.title: p for p in exercise.priorities.all()}
    return {f"rank_{by_title[t].pk}": str(rank) for rank, t in enumerate(order, start=1)}


@pytest.fixture
def exercise(db) -> Exercise:
    return make_exercise()


@pytest.fixture
def barnsley(db) -> Place:
    return Place.objects.get(slug="barnsley")


@pytest.fixture
def doncaster(db) -> Place:
    return Place.objects.get(slug="doncaster")
