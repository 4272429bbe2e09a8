"""A measure linked to a national indicator: its values for the partnership's areas come from
the national import, each change recorded as a revision dated with the release's date, and shown
on the public revision log."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags

from national.models import Indicator
from outcomes.models import Measure, Value, ValueEvent
from tests.national.test_import import NATIONAL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not NATIONAL.exists(), reason="the national data folder is not here"),
]


def _current_hle(tmp_path):
    folder = tmp_path / "indicators"
    folder.mkdir(parents=True)
    for suffix in (".csv", ".json"):
        shutil.copy(NATIONAL / "indicators" / f"healthy-life-expectancy{suffix}", folder)
    return folder


def _linked_measure() -> Measure:
    """A copy of the demo's men's healthy life expectancy with no values yet."""
    measure = Measure.objects.get(slug="male-healthy-life-expectancy")
    measure.pk = None
    measure.slug = "hle-men-national"
    measure.title = "Healthy life expectancy, men (national import)"
    measure.baseline_period = None
    measure.national_indicator = None
    measure.save()
    return measure


def test_a_newer_release_shows_real_revisions_on_the_public_log(client, tmp_path):
    measure = _linked_measure()
    call_command(
        "import_national",
        str(NATIONAL / "releases" / "healthy-life-expectancy.2026-01-12.csv"),
        stdout=io.StringIO(),
    )
    measure.national_indicator = Indicator.objects.get(
        dataset__slug="healthy-life-expectancy", name="Male healthy life expectancy"
    )
    measure.save()
    # Linked after the first import: the next import of the same release publishes its values.
    call_command(
        "import_national",
        str(NATIONAL / "releases" / "healthy-life-expectancy.2026-01-12.csv"),
        stdout=io.StringIO(),
    )
    first = ValueEvent.objects.public().for_measure(measure)
    assert first.exists()
    assert {timezone.localtime(e.at).date() for e in first} == {date(2026, 1, 12)}
    barnsley = Value.objects.get(
        measure=measure, place__slug="barnsley", period__start=date(2020, 1, 1)
    )

    out = io.StringIO()
    call_command("import_national", str(_current_hle(tmp_path)), stdout=out)

    revisions = ValueEvent.objects.revisions().for_measure(measure)
    assert revisions.exists()
    assert {timezone.localtime(e.at).date() for e in revisions} == {date(2026, 2, 19)}
    new_period = Value.objects.filter(
        measure=measure, place__slug="barnsley", period__start=date(2022, 1, 1)
    ).get()
    assert new_period.published_at.date() == date(2026, 2, 19)
    barnsley.refresh_from_db()
    assert barnsley.events.count() >= 1
    page = " ".join(strip_tags(client.get(measure.get_absolute_url()).content.decode()).split())
    assert "first published 12 Jan 2026 as" in page
    assert "revised 19 Feb 2026 to" in page
    # A second import of the same release changes nothing.
    events = ValueEvent.objects.count()
    call_command("import_national", str(_current_hle(tmp_path / "again")), stdout=io.StringIO())
    assert ValueEvent.objects.count() == events
