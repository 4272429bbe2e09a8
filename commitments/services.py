"""Writes for commitments. Each is a keyword-only function that runs in one transaction.

A progress update follows the same review and publication rules as a value: an officer drafts
it and submits it; an approver who is not its author publishes it or returns it with a reason;
a returned update can be changed and submitted again. Only published updates are public, and a
commitment's public status is its latest published update's.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commitments.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentUpdateEvent,
    Partner,
    UpdateState,
)
from commitments.permissions import user_can_post_updates, user_is_approver_for
from core import publication


def _check_can_post(user, commitment: Commitment) -> None:
    if not user_can_post_updates(user, commitment):
        raise PermissionDenied("You cannot post updates for this commitment.")


def _check_version(update: CommitmentUpdate, version: int) -> None:
    if version != update.version:
        raise ValidationError(
            "Someone else changed this update while you were editing it. "
            "Reload it to see their changes."
        )


def _record(update: CommitmentUpdate, action: str, user, comment: str = "") -> None:
    """Put the change on the update's record (append-only)."""
    CommitmentUpdateEvent.objects.create(
        update=update,
        action=action,
        actor=user if getattr(user, "pk", None) else None,
        version=update.version,
        text={
            "as_of": update.as_of.isoformat(),
            "status": update.status,
            "progress": update.progress,
            "next_steps": update.next_steps,
        },
        comment=comment,
    )


@transaction.atomic
def commitment_update_create(
    *,
    user,
    commitment: Commitment,
    as_of: datetime.date,
    status: str,
    progress: str,
    next_steps: str = "",
    submit: bool = False,
) -> CommitmentUpdate:
    """Draft an update (and submit it for review at once when ``submit``)."""
    _check_can_post(user, commitment)
    update = CommitmentUpdate(
        commitment=commitment,
        as_of=as_of,
        status=status,
        progress=progress,
        next_steps=next_steps,
        author=user,
        state=UpdateState.DRAFT,
    )
    update.full_clean()
    update.save()
    _record(update, CommitmentUpdateEvent.Action.CREATE, user)
    if submit:
        return commitment_update_submit(user=user, update=update)
    return update


@transaction.atomic
def commitment_update_edit(
    *,
    user,
    update: CommitmentUpdate,
    as_of: datetime.date,
    status: str,
    progress: str,
    next_steps: str = "",
    version: int,
) -> CommitmentUpdate:
    """Change a draft or returned update, at the version the editor saw (required: a save made
    against an older version is refused). The editor becomes its author; whoever wrote it before
    stays on its record, and neither may publish it. A returned update stays returned until
    submitted."""
    update = CommitmentUpdate.objects.select_for_update().get(pk=update.pk)
    _check_can_post(user, update.commitment)
    if not update.is_editable:
        raise ValidationError("Only a draft or a returned update can be changed.")
    _check_version(update, version)
    update.as_of, update.status = as_of, status
    update.progress, update.next_steps = progress, next_steps
    update.author = user
    update.version += 1
    update.full_clean()
    update.save()
    _record(update, CommitmentUpdateEvent.Action.EDIT, user)
    return update


@transaction.atomic
def commitment_update_submit(*, user, update: CommitmentUpdate) -> CommitmentUpdate:
    """Send a draft or returned update for review."""
    update = CommitmentUpdate.objects.select_for_update().get(pk=update.pk)
    _check_can_post(user, update.commitment)
    if not update.is_editable:
        raise ValidationError("Only a draft or a returned update can be submitted.")
    update.state = UpdateState.SUBMITTED
    update.submitted_at = timezone.now()
    update.version += 1
    update.save()
    publication.changed()  # public pages and API responses on every server, at once
    _record(update, CommitmentUpdateEvent.Action.SUBMIT, user)
    return update


def _check_can_review(user, update: CommitmentUpdate) -> None:
    if update.state != UpdateState.SUBMITTED:
        raise ValidationError("Only a submitted update can be reviewed.")
    if update.written_by(user):
        raise PermissionDenied("You wrote or edited this update: another approver must review it.")
    if not user_is_approver_for(user, update.commitment):
        raise PermissionDenied("You are not an approver for this commitment.")


@transaction.atomic
def commitment_update_publish(*, user, update: CommitmentUpdate) -> CommitmentUpdate:
    """Approve a submitted update: it becomes public, and its status the commitment's."""
    update = CommitmentUpdate.objects.select_for_update().get(pk=update.pk)
    _check_can_review(user, update)
    now = timezone.now()
    update.state = UpdateState.PUBLISHED
    update.reviewed_by, update.reviewed_at, update.published_at = user, now, now
    update.return_reason = ""
    update.version += 1
    update.save()
    _record(update, CommitmentUpdateEvent.Action.PUBLISH, user)
    return update


@transaction.atomic
def commitment_update_return(*, user, update: CommitmentUpdate, reason: str) -> CommitmentUpdate:
    """Send a submitted update back to its author with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why you are returning the update."})
    update = CommitmentUpdate.objects.select_for_update().get(pk=update.pk)
    _check_can_review(user, update)
    update.state = UpdateState.RETURNED
    update.reviewed_by, update.reviewed_at = user, timezone.now()
    update.return_reason = reason.strip()
    update.version += 1
    update.save()
    _record(update, CommitmentUpdateEvent.Action.RETURN, user, comment=update.return_reason)
    return update


# -------------------------------------------------------------------------------------------------
# Demo data
# -------------------------------------------------------------------------------------------------

DEMO_NOTE = "Demo update, written for this demonstration; not a report by the partner."

DEMO_PARTNERS = [
    ("sheffield-childrens-nhs-ft", "Sheffield Children's NHS Foundation Trust"),
    ("south-yorkshire-mca", "South Yorkshire Mayoral Combined Authority"),
    ("rotherham-council", "Rotherham Metropolitan Borough Council"),
]

# (slug, title, summary, outcome, places, measures, partner, due date,
#  [(as_of, status, progress, next_steps, state)])
DEMO_COMMITMENTS = [
    (
        "national-centre-child-health-technology",
        "Develop a National Centre for Child Health Technology",
        "Build a national centre in Sheffield where clinicians, universities and companies "
        "develop and test technology for children's health, with families involved from the "
        "start.",
        "best-start-in-life",
        ["sheffield"],
        [],
        "sheffield-childrens-nhs-ft",
        datetime.date(2027, 3, 31),
        [
            (
                datetime.date(2025, 9, 30),
                CommitmentStatus.ON_TRACK,
                "Outline business case agreed by the partners; a site next to the children's "
                "hospital chosen.",
                "Secure funding for the full business case.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 3, 31),
                CommitmentStatus.ON_TRACK,
                "Full business case written; three universities and twelve companies signed "
                "letters of intent.",
                "Decision on capital funding expected in the summer.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 9, 30),
                CommitmentStatus.AT_RISK,
                "The capital funding decision has slipped by six months, so building work "
                "cannot start on time.",
                "Explore phasing the building so that the first labs open in 2027.",
                UpdateState.PUBLISHED,
            ),
        ],
    ),
    (
        "limit-hot-food-takeaways-near-schools",
        "Limit hot food takeaways around schools",
        "Use planning policy so that no new hot food takeaway opens within 400 metres of a "
        "school, to make healthy food the easy choice for children and young people.",
        "longer-healthier-lives",
        ["barnsley", "doncaster", "rotherham", "sheffield"],
        ["adult-obesity"],
        "rotherham-council",
        datetime.date(2026, 12, 31),
        [
            (
                datetime.date(2025, 12, 31),
                CommitmentStatus.ON_TRACK,
                "A shared planning guidance note drafted by the four councils' planning teams.",
                "Public consultation in the spring.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 6, 30),
                CommitmentStatus.ON_TRACK,
                "Consultation closed with 1,140 responses, most in favour; guidance adopted in "
                "Rotherham and Barnsley.",
                "Adoption in Doncaster and Sheffield by the end of the year.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 10, 31),
                CommitmentStatus.ON_TRACK,
                "Guidance adopted in Doncaster.",
                "Sheffield's cabinet to decide in December.",
                UpdateState.SUBMITTED,  # awaiting review: never public until approved
            ),
        ],
    ),
    (
        "warm-affordable-housing",
        "Build warm, affordable housing to tackle fuel poverty",
        "Build new affordable homes to a high energy standard and retrofit existing homes, so "
        "that fewer households live in cold homes they cannot afford to heat.",
        "safe-strong-vibrant-communities",
        ["barnsley", "doncaster", "rotherham", "sheffield"],
        [],
        "south-yorkshire-mca",
        datetime.date(2026, 3, 31),
        [
            (
                datetime.date(2025, 6, 30),
                CommitmentStatus.ON_TRACK,
                "Retrofit programme started: 420 homes insulated in its first quarter.",
                "Start on the first sites of new affordable homes.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 1, 31),
                CommitmentStatus.AT_RISK,
                "Rising build costs have paused two of the five new-build sites.",
                "Re-tender the paused sites.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 8, 31),
                CommitmentStatus.DELAYED,
                "The March 2026 date was missed: 1,900 of 2,500 homes retrofitted and 310 of "
                "600 new homes built. New completion date proposed for March 2027.",
                "The board is asked to agree the new date.",
                UpdateState.PUBLISHED,
            ),
        ],
    ),
    (
        "working-win",
        "Working Win: help people with health conditions into work",
        "Offer people with physical or mental health conditions one-to-one support from an "
        "employment specialist alongside their health care, to find and keep work.",
        "skills-and-resources-to-thrive",
        ["barnsley", "doncaster", "rotherham", "sheffield"],
        ["economic-inactivity", "employment-rate"],
        "south-yorkshire-mca",
        datetime.date(2028, 3, 31),
        [
            (
                datetime.date(2025, 12, 31),
                CommitmentStatus.ON_TRACK,
                "1,350 people joined the scheme this year; 38% of them are now in work.",
                "Open referrals from job centres as well as GPs.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 9, 30),
                CommitmentStatus.ON_TRACK,
                "Referrals from job centres opened in all four places; 2,010 people supported "
                "so far.",
                "Publish the independent evaluation.",
                UpdateState.PUBLISHED,
            ),
            (
                datetime.date(2026, 11, 15),
                CommitmentStatus.ON_TRACK,
                "Evaluation report drafted.",
                "",
                UpdateState.DRAFT,  # an officer's draft: never public
            ),
        ],
    ),
]

DEMO_AUTHORS = {
    "sheffield-childrens-nhs-ft": "officer.sheffield",
    "rotherham-council": "officer.rotherham",
    "south-yorkshire-mca": "officer.barnsley",
}


def _demo_published_at(as_of: datetime.date) -> datetime.datetime:
    """Demo updates are published a week after their date, at noon."""
    day = as_of + datetime.timedelta(days=7)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


@transaction.atomic
def commitments_demo_seed() -> dict[str, int]:
    """Create (or bring back) the South Yorkshire demo commitments, labelled as demo, with
    their updates. Needs the reference data (outcomes, places, measures); uses the demo users
    as authors and reviewers where they exist. Safe to run again: nothing is duplicated, and an
    update already there is left as it is."""
    from django.contrib.auth.models import User

    from outcomes.models import Measure, Outcome
    from places.models import Place

    partners = {}
    for slug, name in DEMO_PARTNERS:
        partners[slug], _ = Partner.objects.update_or_create(slug=slug, defaults={"name": name})
    users = {u.username: u for u in User.objects.filter(username__startswith="officer.")}
    approver = User.objects.filter(username="approver").first()

    counts = {"partners": len(partners), "commitments": 0, "updates": 0}
    for order, spec in enumerate(DEMO_COMMITMENTS, start=1):
        slug, title, summary, outcome, places, measures, partner, due, updates = spec
        commitment, _ = Commitment.objects.update_or_create(
            slug=slug,
            defaults=dict(
                title=title,
                summary=summary,
                outcome=Outcome.objects.get(slug=outcome),
                lead_partner=partners[partner],
                due_date=due,
                order=order,
                is_demo=True,
            ),
        )
        commitment.places.set(Place.objects.filter(slug__in=places))
        commitment.measures.set(Measure.objects.filter(slug__in=measures))
        counts["commitments"] += 1
        author = users.get(DEMO_AUTHORS.get(partner, ""))
        for as_of, status, progress, next_steps, state in updates:
            published = state == UpdateState.PUBLISHED
            at = _demo_published_at(as_of)
            _, made = CommitmentUpdate.objects.get_or_create(
                commitment=commitment,
                as_of=as_of,
                defaults=dict(
                    status=status,
                    progress=f"{progress}\n\n{DEMO_NOTE}",
                    next_steps=next_steps,
                    state=state,
                    author=author,
                    submitted_at=None if state == UpdateState.DRAFT else at,
                    reviewed_by=approver if published else None,
                    reviewed_at=at if published else None,
                    published_at=at if published else None,
                ),
            )
            counts["updates"] += made
    return counts
