"""Who may do what with a commitment's updates. One helper per question, tested role by role.

- Post (create, edit, submit) an update: an officer named on the commitment, or an officer of one
  of its places (as an officer enters values for their own place).
- Review (publish or return) a submitted update: an approver of every place, or of one of the
  commitment's places; never the update's author (the same rule as values).
- An admin (superuser) may do both, as for values, but still never reviews their own update.

These mirror the review branch's ``outcomes.permissions.staff_access`` rules for values; once that
is on main, these helpers can ask it (officer places, approver places) instead of Membership.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from commitments.models import Commitment, CommitmentUpdate, CommitmentUpdateEvent, UpdateState
from places.models import Membership


def user_can_post_updates(user, commitment: Commitment) -> bool:
    return (
        user.is_authenticated
        and Commitment.objects.updatable_by(user).filter(pk=commitment.pk).exists()
    )


def user_is_approver_for(user, commitment: Commitment) -> bool:
    """An approver of every place, or of one of the commitment's places."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    approvals = Membership.objects.approvers().filter(user=user)
    if approvals.filter(place__isnull=True).exists():
        return True
    return approvals.filter(place__in=commitment.places.all()).exists()


def user_can_review(user, update: CommitmentUpdate) -> bool:
    """Whether this user may publish or return this update now."""
    return (
        update.state == UpdateState.SUBMITTED
        and user_is_approver_for(user, update.commitment)
        and not update.written_by(user)
    )


def user_can_edit(user, update: CommitmentUpdate) -> bool:
    """Drafts and returned updates can be changed by whoever may post for the commitment."""
    return update.is_editable and user_can_post_updates(user, update.commitment)


def reviewable_updates(user):
    """The submitted updates this user may review, oldest first."""
    if not user.is_authenticated or not user.is_active:
        return CommitmentUpdate.objects.none()
    approvals = Membership.objects.approvers().filter(user=user)
    updates = (
        CommitmentUpdate.objects.awaiting_review()
        .exclude(author=user)
        .exclude(events__actor=user, events__action__in=CommitmentUpdateEvent.WRITING)
    )
    if not user.is_superuser and not approvals.filter(place__isnull=True).exists():
        places = approvals.values("place")
        updates = updates.filter(commitment__places__in=places).distinct()
    return updates.select_related("commitment", "commitment__lead_partner", "author").order_by(
        "submitted_at", "pk"
    )


def get_updatable_commitment_or_404(user, slug: str) -> Commitment:
    return get_object_or_404(Commitment.objects.updatable_by(user), slug=slug)


def get_editable_update_or_404(user, pk: int) -> CommitmentUpdate:
    update = get_object_or_404(CommitmentUpdate.objects.select_related("commitment"), pk=pk)
    if not user_can_edit(user, update):
        raise Http404("No editable update here.")
    return update


def get_reviewable_update_or_404(user, pk: int) -> CommitmentUpdate:
    update = get_object_or_404(
        CommitmentUpdate.objects.select_related("commitment", "author"), pk=pk
    )
    if not user_can_review(user, update):
        raise Http404("No update for you to review here.")
    return update
