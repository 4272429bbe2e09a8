"""Real national data for the pages that show it: one dataset of the ONS folder
(../shared/data/national), imported by `import_national` as a visitor's data would be, with the
demo measure that is that indicator linked to it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

NATIONAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "national"
if not NATIONAL.exists():
    NATIONAL = Path("/work/shared/data/national")

needs_national = pytest.mark.skipif(
    not NATIONAL.exists(), reason="the national data folder is not here"
)

CHILD_POVERTY = "children-in-relative-poverty"
BEFORE_HOUSING = "Children in relative poverty before housing costs"
MEASURE_SLUG = "children-in-relative-poverty-before-housing-costs"


def import_dataset(tmp_path: Path, slug: str) -> None:
    indicators = tmp_path / "indicators"
    indicators.mkdir(exist_ok=True)
    for suffix in (".csv", ".json"):
        shutil.copy(NATIONAL / "indicators" / f"{slug}{suffix}", indicators)
    geography = tmp_path / "geography"
    if not geography.exists():
        geography.symlink_to(NATIONAL / "geography")
    call_command("import_national", str(indicators), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def child_poverty(db, tmp_path):
    """Children in relative poverty (DWP, via ONS) for every area, the demo measure linked."""
    from national.models import Indicator
    from outcomes.models import Measure

    indicator = Indicator.objects.filter(dataset__slug=CHILD_POVERTY, name=BEFORE_HOUSING).first()
    if indicator is None or not indicator.observations.exists():  # seed_demo may have loaded it
        import_dataset(tmp_path, CHILD_POVERTY)
        indicator = Indicator.objects.get(dataset__slug=CHILD_POVERTY, name=BEFORE_HOUSING)
    measure = Measure.objects.get(slug=MEASURE_SLUG)
    measure.national_indicator = indicator
    measure.save(update_fields=["national_indicator"])
    return measure


@pytest.fixture
def unlinked(db):
    """A demo measure without national data (seed_demo links most of them when it can)."""
    from outcomes.models import Measure

    measure = Measure.objects.get(slug="life-satisfaction")
    measure.national_indicator = None
    measure.save(update_fields=["national_indicator"])
    return measure
