from __future__ import annotations

import pytest

from commitments.services import commitments_demo_seed


@pytest.fixture
def demo_commitments(db):
    """The four demo commitments with their updates (published, one submitted, one draft)."""
    commitments_demo_seed()
    from commitments.models import Commitment

    return {c.slug: c for c in Commitment.objects.all()}


@pytest.fixture
def officer_rotherham(db):
    from django.contrib.auth.models import User

    return User.objects.get(username="officer.rotherham")


@pytest.fixture
def sheffield_approver(db):
    """An approver of Sheffield only."""
    from django.contrib.auth.models import User

    from places.models import Membership, Place

    user = User.objects.create_user("approver.sheffield", password="x")
    Membership.objects.create(
        user=user, place=Place.objects.get(slug="sheffield"), role=Membership.Role.APPROVER
    )
    return user


@pytest.fixture
def barnsley_approver(db):
    from django.contrib.auth.models import User

    from places.models import Membership, Place

    user = User.objects.create_user("approver.barnsley", password="x")
    Membership.objects.create(
        user=user, place=Place.objects.get(slug="barnsley"), role=Membership.Role.APPROVER
    )
    return user
