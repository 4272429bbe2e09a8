"""The rows of the CSV exports of an exercise's responses for staff, read in chunks so 100,000
responses never sit in memory at once. They are written (streamed, and every cell made safe for
spreadsheets) by the shared writer, ``core.spreadsheets``."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from engagement.models import Exercise, IssuePick, Ranking, Response

CHUNK = 2000


def responses_rows(exercise: Exercise) -> Iterator[list]:
    """One row per response: when, place, the rank given each priority, the issues picked
    under each, the free text and its moderation. No names or email addresses."""
    priorities = list(exercise.priorities.prefetch_related("issues"))
    issue_priority = {i.pk: p.pk for p in priorities for i in p.issues.all()}
    yield (
        ["response_id", "submitted_at", "place", "is_demo"]
        + [f"rank: {p.title}" for p in priorities]
        + [f"issues: {p.title}" for p in priorities]
        + ["free_text", "moderation", "published_quote"]
    )
    responses = (
        Response.objects.for_exercise(exercise)
        .select_related("place")
        .prefetch_related(
            Prefetch("rankings", queryset=Ranking.objects.only("response", "priority", "rank")),
            Prefetch("issue_picks", queryset=IssuePick.objects.select_related("issue")),
        )
        .order_by("submitted_at", "id")
    )
    for response in responses.iterator(chunk_size=CHUNK):
        ranks = {r.priority_id: r.rank for r in response.rankings.all()}
        picked: dict[int, list[str]] = {}
        for pick in response.issue_picks.all():
            picked.setdefault(issue_priority.get(pick.issue_id), []).append(pick.issue.title)
        yield (
            [response.pk, response.submitted_at.isoformat(), response.place_label, response.is_demo]
            + [ranks.get(p.pk, "") for p in priorities]
            + ["; ".join(picked.get(p.pk, [])) for p in priorities]
            + [
                response.free_text,
                response.get_moderation_display(),
                response.quote if response.moderation == Response.Moderation.PUBLISHED else "",
            ]
        )


def contacts_rows(exercise: Exercise) -> Iterator[list]:
    """Those who opted in to hear back: name, email, when they consented."""
    yield ["response_id", "name", "email", "consented_at"]
    contacts = Response.objects.for_exercise(exercise).with_contact().order_by("id")
    for response in contacts.iterator(chunk_size=CHUNK):
        yield [
            response.pk,
            response.contact_name,
            response.contact_email,
            response.contact_consented_at.isoformat() if response.contact_consented_at else "",
        ]
