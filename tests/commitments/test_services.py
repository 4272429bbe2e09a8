"""The commitment-update workflow: the same review and publication rules as values."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commitments.models import Commitment, CommitmentStatus, CommitmentUpdate, UpdateState
from commitments.services import (
    commitment_update_create,
    commitment_update_edit,
    commitment_update_publish,
    commitment_update_return,
    commitment_update_submit,
    commitments_demo_seed,
)
from places.models import Membership, Place

TODAY = datetime.date(2026, 11, 1)


def public_status(commitment: Commitment) -> str:
    return Commitment.objects.with_public_status().get(pk=commitment.pk).public_status


def draft(user, commitment, status=CommitmentStatus.DELAYED, submit=False):
    return commitment_update_create(
        user=user,
        commitment=commitment,
        as_of=TODAY,
        status=status,
        progress="Work on site stopped for a month.",
        submit=submit,
    )


def test_an_officer_of_a_place_drafts_an_update_that_is_not_public(
    demo_commitments, officer_sheffield
):
    centre = demo_commitments["national-centre-child-health-technology"]
    before = public_status(centre)
    update = draft(officer_sheffield, centre)
    assert update.state == UpdateState.DRAFT
    assert update.author == officer_sheffield
    assert public_status(centre) == before == CommitmentStatus.AT_RISK
    assert update not in CommitmentUpdate.objects.published()


def test_an_officer_of_another_place_cannot_post(demo_commitments, officer_doncaster):
    centre = demo_commitments["national-centre-child-health-technology"]  # Sheffield only
    with pytest.raises(PermissionDenied):
        draft(officer_doncaster, centre)


def test_an_officer_named_on_the_commitment_can_post(demo_commitments, officer_doncaster):
    centre = demo_commitments["national-centre-child-health-technology"]
    centre.officers.add(officer_doncaster)
    assert draft(officer_doncaster, centre).state == UpdateState.DRAFT


def test_a_submitted_update_is_public_only_once_an_approver_publishes_it(
    demo_commitments, officer_sheffield, approver
):
    centre = demo_commitments["national-centre-child-health-technology"]
    update = draft(officer_sheffield, centre, submit=True)
    assert update.state == UpdateState.SUBMITTED
    assert public_status(centre) == CommitmentStatus.AT_RISK

    published = commitment_update_publish(user=approver, update=update)
    assert published.state == UpdateState.PUBLISHED
    assert published.reviewed_by == approver
    assert published.published_at is not None
    assert public_status(centre) == CommitmentStatus.DELAYED


def test_the_author_cannot_publish_their_own_update(demo_commitments, officer_sheffield):
    Membership.objects.create(user=officer_sheffield, place=None, role=Membership.Role.APPROVER)
    centre = demo_commitments["national-centre-child-health-technology"]
    update = draft(officer_sheffield, centre, submit=True)
    with pytest.raises(PermissionDenied, match="another approver"):
        commitment_update_publish(user=officer_sheffield, update=update)
    with pytest.raises(PermissionDenied):
        commitment_update_return(user=officer_sheffield, update=update, reason="Mine")
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


def test_approvers_review_only_their_places(
    demo_commitments, officer_sheffield, barnsley_approver, sheffield_approver
):
    centre = demo_commitments["national-centre-child-health-technology"]  # Sheffield only
    update = draft(officer_sheffield, centre, submit=True)
    with pytest.raises(PermissionDenied):
        commitment_update_publish(user=barnsley_approver, update=update)
    commitment_update_publish(user=sheffield_approver, update=update)


def test_an_officer_cannot_publish(demo_commitments, officer_sheffield, officer_barnsley):
    housing = demo_commitments["warm-affordable-housing"]
    update = draft(officer_sheffield, housing, submit=True)
    with pytest.raises(PermissionDenied):
        commitment_update_publish(user=officer_barnsley, update=update)


def test_only_a_submitted_update_can_be_reviewed(demo_commitments, officer_sheffield, approver):
    update = draft(officer_sheffield, demo_commitments["warm-affordable-housing"])
    with pytest.raises(ValidationError):
        commitment_update_publish(user=approver, update=update)


def test_returned_then_changed_then_published(demo_commitments, officer_sheffield, approver):
    housing = demo_commitments["warm-affordable-housing"]
    update = draft(officer_sheffield, housing, submit=True)
    with pytest.raises(ValidationError):
        commitment_update_return(user=approver, update=update, reason="  ")
    update = commitment_update_return(user=approver, update=update, reason="Say how many homes.")
    assert update.state == UpdateState.RETURNED
    assert update.return_reason == "Say how many homes."
    assert public_status(housing) == CommitmentStatus.DELAYED  # unchanged: the last published

    update = commitment_update_edit(
        user=officer_sheffield,
        update=update,
        as_of=TODAY,
        status=CommitmentStatus.AT_RISK,
        progress="2,100 of 2,500 homes retrofitted.",
        version=update.version,
    )
    assert update.state == UpdateState.RETURNED
    update = commitment_update_submit(user=officer_sheffield, update=update)
    commitment_update_publish(user=approver, update=update)
    assert public_status(housing) == CommitmentStatus.AT_RISK


def test_a_stale_edit_is_refused(demo_commitments, officer_sheffield):
    update = draft(officer_sheffield, demo_commitments["warm-affordable-housing"])
    kwargs = dict(
        user=officer_sheffield,
        update=update,
        as_of=TODAY,
        status=CommitmentStatus.ON_TRACK,
        progress="New words.",
    )
    commitment_update_edit(**kwargs, version=update.version)
    with pytest.raises(ValidationError, match="Someone else changed"):
        commitment_update_edit(**kwargs, version=update.version)  # the version read before


def test_a_submitted_update_cannot_be_edited(demo_commitments, officer_sheffield):
    update = draft(officer_sheffield, demo_commitments["warm-affordable-housing"], submit=True)
    with pytest.raises(ValidationError):
        commitment_update_edit(
            user=officer_sheffield,
            update=update,
            as_of=TODAY,
            status=CommitmentStatus.ON_TRACK,
            progress="Changed after submitting.",
            version=update.version,
        )


def test_an_update_needs_its_fields(demo_commitments, officer_sheffield):
    with pytest.raises(ValidationError):
        commitment_update_create(
            user=officer_sheffield,
            commitment=demo_commitments["warm-affordable-housing"],
            as_of=TODAY,
            status="nearly",
            progress="",
        )


def test_the_demo_seed_is_labelled_and_repeatable(demo_commitments):
    assert set(demo_commitments) == {
        "national-centre-child-health-technology",
        "limit-hot-food-takeaways-near-schools",
        "warm-affordable-housing",
        "working-win",
    }
    assert all(c.is_demo for c in demo_commitments.values())
    counts = (Commitment.objects.count(), CommitmentUpdate.objects.count())
    again = commitments_demo_seed()
    assert again["updates"] == 0
    assert (Commitment.objects.count(), CommitmentUpdate.objects.count()) == counts
    states = set(CommitmentUpdate.objects.values_list("state", flat=True))
    assert states == {UpdateState.PUBLISHED, UpdateState.SUBMITTED, UpdateState.DRAFT}
    statuses = dict(Commitment.objects.with_public_status().values_list("slug", "public_status"))
    assert statuses == {
        "national-centre-child-health-technology": CommitmentStatus.AT_RISK,
        "limit-hot-food-takeaways-near-schools": CommitmentStatus.ON_TRACK,
        "warm-affordable-housing": CommitmentStatus.DELAYED,
        "working-win": CommitmentStatus.ON_TRACK,
    }


def test_overdue_means_past_due_and_not_done(demo_commitments):
    overdue = Commitment.objects.with_public_status().overdue(datetime.date(2026, 11, 24))
    assert [c.slug for c in overdue] == ["warm-affordable-housing"]
    assert Commitment.objects.with_public_status().overdue(datetime.date(2025, 1, 1)).count() == 0


def test_places_and_statuses_filter(demo_commitments):
    sheffield = Place.objects.get(slug="sheffield")
    doncaster = Place.objects.get(slug="doncaster")
    assert Commitment.objects.for_place(sheffield).count() == 4
    assert Commitment.objects.for_place(doncaster).count() == 3
    at_risk = Commitment.objects.with_public_status().with_status(CommitmentStatus.AT_RISK)
    assert [c.slug for c in at_risk] == ["national-centre-child-health-technology"]


def test_an_admin_may_post_and_review_but_not_their_own(demo_commitments, admin_user, approver):
    housing = demo_commitments["warm-affordable-housing"]
    mine = draft(admin_user, housing, submit=True)
    with pytest.raises(PermissionDenied):
        commitment_update_publish(user=admin_user, update=mine)
    commitment_update_publish(user=approver, update=mine)
    other = draft(approver.__class__.objects.get(username="officer.barnsley"), housing, submit=True)
    commitment_update_publish(user=admin_user, update=other)


def test_an_inactive_officer_cannot_post(demo_commitments, officer_sheffield):
    officer_sheffield.is_active = False
    officer_sheffield.save()
    with pytest.raises(PermissionDenied):
        draft(officer_sheffield, demo_commitments["warm-affordable-housing"])
