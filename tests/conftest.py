"""Shared fixtures. The demo (reference data, 1,208 real values, demo users) is loaded once per
test run through the same services `seed_demo` uses; each test runs in a transaction that is
rolled back, so tests see the demo and leave it as it was."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

DEMO_PASSWORD = "demo-pass-2030"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--without-national", stdout=io.StringIO())


@pytest.fixture
def demo_data(django_db_blocker):
    """For transactional tests (live_server), which empty the tables when they end: put the
    demo back if it is gone."""
    from places.models import Place

    with django_db_blocker.unblock():
        if not Place.objects.exists():
            call_command("seed_demo", "--without-national", stdout=io.StringIO())


def _user(username):
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


@pytest.fixture
def officer_barnsley(db):
    return _user("officer.barnsley")


@pytest.fixture
def officer_doncaster(db):
    return _user("officer.doncaster")


@pytest.fixture
def officer_sheffield(db):
    return _user("officer.sheffield")


@pytest.fixture
def approver(db):
    return _user("approver")


@pytest.fixture
def admin_user(db):
    return _user("admin")
