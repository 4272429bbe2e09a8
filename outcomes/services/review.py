"""The review workflow: enter, submit, approve, return, delete; each write locks the value,
checks its version and appends an event, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import publication
from outcomes.models import (
    NUMBER_FIELDS,
    Breakdown,
    Measure,
    Period,
    Proposal,
    Value,
    ValueEvent,
    figures_equal,
    figures_json,
    figures_of,
    value_errors,
)
from outcomes.services.values import VALUE_FIELDS

# --- The review workflow: enter, submit, approve, return, delete ---------------------------------
#
# Every write locks the value's row (SELECT ... FOR UPDATE), compares its version with the one the
# person loaded, bumps it, and appends an event, all in one transaction. A version that moved
# means someone else changed the value since: the write is refused with their change(s).


class StaleEdit(Exception):
    """Someone changed the value since the version this write was based on."""

    def __init__(self, value: Value, events: list[ValueEvent]):
        self.value = value
        self.events = events
        super().__init__(f"{value} changed since it was loaded (now version {value.version}).")


class WorkflowError(Exception):
    """The action does not fit the value's state, or this person may not take it."""


def _lock(value_id: int, expected_version: int) -> Value:
    value = (
        Value.objects.select_for_update(of=("self",))
        .select_related("measure", "place", "period", "breakdown")
        .get(pk=value_id)
    )
    if value.version != expected_version:
        raise StaleEdit(value, _events_since(value, expected_version))
    return value


def _events_since(value: Value, version: int) -> list[ValueEvent]:
    return list(value.events.filter(version__gt=version).with_related().order_by("at", "pk"))


def _record(
    value: Value,
    *,
    action: str,
    user,
    proposal: Proposal | None = None,
    old: dict | None = None,
    new: dict | None = None,
    comment: str = "",
    published: bool = False,
) -> ValueEvent:
    """Bump the value's version and append the event (the caller holds the row lock)."""
    now = timezone.now()
    value.version += 1
    Value.objects.filter(pk=value.pk).update(version=value.version, updated_at=now)
    if published:
        publication.changed()  # public pages and API responses on every server, at once
    return ValueEvent.objects.create(
        value=value,
        proposal=proposal,
        action=action,
        actor=user,
        at=now,
        version=value.version,
        old=figures_json(old),
        new=figures_json(new),
        comment=comment,
        published=published,
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def value_slot_get(*, measure: Measure, place, period: Period, breakdown=None) -> Value | None:
    return (
        Value.objects.filter(measure=measure, place=place, period=period, breakdown=breakdown)
        .select_related("measure", "place", "period", "breakdown")
        .first()
    )


def proposal_save(
    *,
    user,
    measure: Measure,
    place,
    period: Period,
    breakdown: Breakdown | None = None,
    expected_version: int,
    figures: dict,
    reason: str = "",
) -> Proposal | None:
    """Enter new figures for a slot, or correct them: they become the slot's open proposal, in
    draft (an edit of a submitted or returned proposal puts it back to draft).

    `expected_version` is the value's version when the form was loaded (0: the slot had no
    value). Returns the proposal, or None when the figures are the same as before (nothing is
    written). Raises StaleEdit, PermissionDenied, or ValidationError (figures break the rules, or
    repeat the published figures)."""
    from outcomes.permissions import staff_access

    _require(staff_access(user).can_edit(place.pk), f"You cannot enter values for {place}.")
    with transaction.atomic():
        slot = Value.objects.filter(
            measure=measure, place=place, period=period, breakdown=breakdown
        ).values_list("pk", flat=True)
        if not slot:
            if expected_version != 0:
                raise WorkflowError("The value you were editing no longer exists.")
            try:
                with transaction.atomic():
                    created = Value.objects.create(
                        measure=measure,
                        place=place,
                        period=period,
                        breakdown=breakdown,
                        state=Value.State.DRAFT,
                        version=0,
                        entered_by=user,
                    )
            except IntegrityError:
                # Someone made this slot a moment ago: their change wins; show it.
                slot = Value.objects.filter(
                    measure=measure, place=place, period=period, breakdown=breakdown
                ).values_list("pk", flat=True)
            else:
                slot = [created.pk]
        value = _lock(slot[0], expected_version)
        proposal = value.proposals.open().first()
        old = proposal.figures if proposal else None
        if value.is_published and figures_equal(figures, value.published_figures):
            raise ValidationError(
                {"value": "These are the published figures already; change a figure to correct it."}
            )
        reason = reason.strip() if value.is_published else ""
        if old is not None and figures_equal(old, figures) and proposal.reason == reason:
            return None
        errors = value_errors(
            measure=measure, **{name: figures.get(name) for name in NUMBER_FIELDS}
        )
        if errors:
            raise ValidationError(errors)
        if proposal is None:
            proposal = Proposal(value=value)
        proposal.set_figures(figures)
        proposal.reason = reason
        proposal.state = Proposal.State.DRAFT
        proposal.entered_by = user
        proposal.submitted_at = None
        proposal.full_clean(exclude=["value"])
        proposal.save()
        _record(
            value,
            action=ValueEvent.Action.EDIT if old else ValueEvent.Action.CREATE,
            user=user,
            proposal=proposal,
            old=old,
            new=proposal.figures,
            comment=proposal.reason,
        )
        return proposal


def _open_proposal(value: Value, *states: str) -> Proposal:
    proposal = value.proposals.open().select_related("entered_by").first()
    if proposal is None:
        raise WorkflowError("Nothing is waiting on this value: there is no draft or submission.")
    if states and proposal.state not in states:
        raise WorkflowError(
            f"This value is {proposal.get_state_display().lower()}; that cannot be done now."
        )
    return proposal


@transaction.atomic
def proposal_submit(*, user, value: Value, expected_version: int, comment: str = "") -> Proposal:
    """Send the value's draft (or returned) figures to the approvers."""
    from outcomes.permissions import staff_access

    _require(staff_access(user).can_edit(value.place_id), "You cannot submit this value.")
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value, Proposal.State.DRAFT, Proposal.State.RETURNED)
    proposal.state = Proposal.State.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["state", "submitted_at", "updated_at"])
    _record(
        value,
        action=ValueEvent.Action.SUBMIT,
        user=user,
        proposal=proposal,
        new=proposal.figures,
        comment=comment,
    )
    return proposal


@dataclass
class SubmitManyOutcome:
    submitted: list[Value] = field(default_factory=list)
    refused: list[tuple[Value, str]] = field(default_factory=list)  # (value, why)


def proposals_submit_many(*, user, versions: dict[int, int]) -> SubmitManyOutcome:
    """Submit several drafts at once, each at the version the officer saw. Each is its own
    transaction: one that changed since (or is no longer a draft) is refused and said, and the
    others go ahead. Values at places the user does not edit are ignored."""
    from outcomes.permissions import staff_access

    access = staff_access(user)
    outcome = SubmitManyOutcome()
    values = (
        Value.objects.filter(pk__in=list(versions))
        .select_related("measure", "place", "period")
        .order_by("measure__order", "period__start", "pk")
    )
    for value in values:
        if not access.can_edit(value.place_id):
            continue
        try:
            proposal_submit(user=user, value=value, expected_version=versions[value.pk])
        except StaleEdit as stale:
            who = ", ".join(sorted({_name(event.actor) for event in stale.events}))
            outcome.refused.append((value, f"changed since you loaded the page (by {who})"))
        except WorkflowError as error:
            outcome.refused.append((value, str(error)))
        else:
            outcome.submitted.append(value)
    return outcome


def _name(user) -> str:
    return "an import" if user is None else (user.get_full_name() or user.get_username())


def _check_decider(user, value: Value, proposal: Proposal) -> None:
    from outcomes.permissions import staff_access

    access = staff_access(user)
    _require(
        access.can_approve_place(value.place_id), f"You do not approve values for {value.place}."
    )
    _require(
        proposal.entered_by_id != user.pk,
        "You entered these figures, so someone else must review them.",
    )


@transaction.atomic
def proposal_approve(*, user, value: Value, expected_version: int, comment: str = "") -> Value:
    """Publish the submitted figures: they replace the public ones (the old ones stay on record)."""
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value, Proposal.State.SUBMITTED)
    _check_decider(user, value, proposal)
    old = value.published_figures
    now = timezone.now()
    for name, figure in proposal.figures.items():
        setattr(value, name, figure)
    value.full_clean(exclude=["measure", "place", "period", "breakdown", "entered_by"])
    value.state = Value.State.PUBLISHED
    value.entered_by = proposal.entered_by
    value.published_at = now
    value.save(update_fields=[*VALUE_FIELDS, "state", "entered_by", "published_at", "updated_at"])
    proposal.state = Proposal.State.APPROVED
    proposal.decided_by = user
    proposal.decided_at = now
    proposal.review_comment = comment
    proposal.save(
        update_fields=["state", "decided_by", "decided_at", "review_comment", "updated_at"]
    )
    _record(
        value,
        action=ValueEvent.Action.APPROVE,
        user=user,
        proposal=proposal,
        old=old,
        new=figures_of(value),
        comment=comment,
        published=True,
    )
    return value


@transaction.atomic
def proposal_return(*, user, value: Value, expected_version: int, comment: str) -> Proposal:
    """Send the submitted figures back to the officers, saying why."""
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change before it can be published."})
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value, Proposal.State.SUBMITTED)
    _check_decider(user, value, proposal)
    proposal.state = Proposal.State.RETURNED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.review_comment = comment.strip()
    proposal.save(
        update_fields=["state", "decided_by", "decided_at", "review_comment", "updated_at"]
    )
    _record(
        value,
        action=ValueEvent.Action.RETURN,
        user=user,
        proposal=proposal,
        new=proposal.figures,
        comment=proposal.review_comment,
    )
    return proposal


@transaction.atomic
def proposal_delete(*, user, value: Value, expected_version: int) -> Proposal:
    """Delete the open draft, returned or submitted figures; the published ones stay."""
    from outcomes.permissions import staff_access

    _require(staff_access(user).can_edit(value.place_id), "You cannot change this value.")
    value = _lock(value.pk, expected_version)
    proposal = _open_proposal(value)
    proposal.state = Proposal.State.DELETED
    proposal.save(update_fields=["state", "updated_at"])
    _record(
        value,
        action=ValueEvent.Action.DELETE,
        user=user,
        proposal=proposal,
        old=proposal.figures,
    )
    return proposal


def change_share(previous: Decimal | None, new: Decimal | None) -> Decimal | None:
    """How far `new` moved from `previous`, as a share of `previous` (0.25 = 25%)."""
    if previous is None or new is None or previous == 0:
        return None
    return abs(new - previous) / abs(previous)


def previous_published(*, measure: Measure, place, period: Period, breakdown=None) -> Value | None:
    """The published value of the latest earlier period, for the same measure, place and
    breakdown (the one a new value is compared with)."""
    return (
        Value.objects.published()
        .filter(
            measure=measure,
            place=place,
            breakdown=breakdown,
            period__start__lt=period.start,
            value__isnull=False,
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


def uploads_purge(*, older_than_hours: int = 24) -> int:
    """Forget uploaded files nobody confirmed."""
    from datetime import timedelta

    from outcomes.models import Upload

    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    deleted, _ = Upload.objects.filter(created_at__lt=cutoff).delete()
    return deleted
