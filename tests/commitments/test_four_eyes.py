"""Four eyes on progress updates (issue 14, finding 5), as the attack was made: a user who may
both post and approve rewrites an officer's draft, submits it and tries to publish it. The
editor becomes the author, every change is on the record, a save must say which version it
changes, and nobody publishes or returns an update they wrote or edited."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from commitments.models import CommitmentStatus, CommitmentUpdate, UpdateState
from commitments.permissions import reviewable_updates
from commitments.services import (
    commitment_update_create,
    commitment_update_publish,
    commitment_update_return,
)
from places.models import Membership, Place

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def poster_and_approver(db):
    """An officer and an approver of Sheffield in one account."""
    user = User.objects.create_user("officer.approver.sheffield", password="x")
    sheffield = Place.objects.get(slug="sheffield")
    Membership.objects.create(user=user, place=sheffield, role=Membership.Role.OFFICER)
    Membership.objects.create(user=user, place=sheffield, role=Membership.Role.APPROVER)
    return user


@pytest.fixture
def officers_draft(demo_commitments, officer_sheffield):
    return commitment_update_create(
        user=officer_sheffield,
        commitment=demo_commitments["warm-affordable-housing"],
        as_of=TODAY,
        status=CommitmentStatus.DELAYED,
        progress="Work on site stopped for a month.",
    )


def edit(client, update, version, progress="All 2,500 homes done.", action="save"):
    data = {
        "as_of": TODAY.isoformat(),
        "status": CommitmentStatus.ON_TRACK,
        "progress": progress,
        "next_steps": "",
        "action": action,
    }
    if version is not None:
        data["version"] = version
    return client.post(reverse("commitments:update-edit", args=[update.pk]), data)


def test_rewriting_an_officers_draft_makes_you_its_author_and_you_cannot_publish_it(
    client, officers_draft, officer_sheffield, poster_and_approver
):
    client.force_login(poster_and_approver)
    response = edit(client, officers_draft, officers_draft.version, action="submit")
    assert response.status_code == 302
    update = CommitmentUpdate.objects.get(pk=officers_draft.pk)
    assert update.state == UpdateState.SUBMITTED
    assert update.author == poster_and_approver  # not attributed to the officer
    assert update.progress == "All 2,500 homes done."

    # Not in their queue, the review page is not theirs, and the service refuses outright.
    assert update not in reviewable_updates(poster_and_approver)
    review = reverse("commitments:update-review", args=[update.pk])
    assert client.post(review, {"action": "publish"}).status_code == 404
    with pytest.raises(PermissionDenied, match="You wrote or edited this update"):
        commitment_update_publish(user=poster_and_approver, update=update)
    with pytest.raises(PermissionDenied, match="You wrote or edited this update"):
        commitment_update_return(user=poster_and_approver, update=update, reason="No.")
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED and update.published_at is None


def test_the_first_writer_cannot_publish_it_either(
    officers_draft, officer_sheffield, poster_and_approver, approver
):
    """Edited by someone else, the original writer is still one of its writers."""
    Membership.objects.create(
        user=officer_sheffield,
        place=Place.objects.get(slug="sheffield"),
        role=Membership.Role.APPROVER,
    )
    from commitments.services import commitment_update_edit, commitment_update_submit

    update = commitment_update_edit(
        user=poster_and_approver,
        update=officers_draft,
        as_of=TODAY,
        status=CommitmentStatus.ON_TRACK,
        progress="Rewritten.",
        version=officers_draft.version,
    )
    update = commitment_update_submit(user=poster_and_approver, update=update)
    with pytest.raises(PermissionDenied):
        commitment_update_publish(user=officer_sheffield, update=update)
    published = commitment_update_publish(user=approver, update=update)  # a third person
    assert published.state == UpdateState.PUBLISHED


def test_every_edit_is_on_the_record_with_the_text_it_left(
    client, officers_draft, officer_sheffield, poster_and_approver, approver
):
    client.force_login(poster_and_approver)
    edit(client, officers_draft, officers_draft.version, progress="First rewrite.")
    edit(client, officers_draft, officers_draft.version + 1, progress="Second rewrite.")
    events = list(CommitmentUpdate.objects.get(pk=officers_draft.pk).events.all())
    assert [(e.action, e.actor, e.text["progress"]) for e in events] == [
        ("create", officer_sheffield, "Work on site stopped for a month."),
        ("edit", poster_and_approver, "First rewrite."),
        ("edit", poster_and_approver, "Second rewrite."),
    ]
    assert [e.version for e in events] == [1, 2, 3]


def test_a_save_without_the_version_is_refused_and_overwrites_nothing(
    client, officers_draft, officer_sheffield
):
    client.force_login(officer_sheffield)
    response = edit(client, officers_draft, None, progress="Blind overwrite.")
    assert response.status_code == 200
    assert "did not say which version of the update it changes" in response.content.decode()
    officers_draft.refresh_from_db()
    assert officers_draft.progress == "Work on site stopped for a month."
    stale = edit(client, officers_draft, officers_draft.version - 1, progress="Stale.")
    assert "Someone else changed this update" in stale.content.decode()


def test_the_approver_sees_who_wrote_and_edited_it(
    client, officers_draft, poster_and_approver, approver
):
    client.force_login(poster_and_approver)
    edit(client, officers_draft, officers_draft.version, action="submit")
    client.force_login(approver)
    page = client.get(reverse("commitments:update-review", args=[officers_draft.pk]))
    html = page.content.decode()
    assert "Written by " in html
    assert "Edited by officer.approver.sheffield" in html
    assert "Submitted for review by officer.approver.sheffield" in html
