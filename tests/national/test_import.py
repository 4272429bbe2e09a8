"""import_national against the real files in ../shared/data/national: every row accounted for,
a second run changes nothing, a bad row saves nothing, ranks and quintiles as computed from the
file itself."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from national.models import Dataset, Indicator, Observation, Spread
from places.models import Place

NATIONAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "national"
if not NATIONAL.exists():
    NATIONAL = Path("/work/shared/data/national")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not NATIONAL.exists(), reason="the national data folder is not here"),
]


def _folder(tmp_path: Path, *slugs: str) -> Path:
    """A folder in the national layout holding just these datasets (and the geography)."""
    indicators = tmp_path / "indicators"
    indicators.mkdir()
    for slug in slugs:
        for suffix in (".csv", ".json"):
            shutil.copy(NATIONAL / "indicators" / f"{slug}{suffix}", indicators)
    (tmp_path / "geography").symlink_to(NATIONAL / "geography")
    return indicators


def _data_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if any(row.values())]


def _run(path) -> str:
    out = io.StringIO()
    call_command("import_national", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _snapshot() -> list[tuple]:
    return list(
        Observation.objects.order_by("pk").values_list(
            "pk", "value", "lower_ci", "upper_ci", "rank_low", "rank_high", "quintile", "note"
        )
    )


def test_every_row_is_loaded_and_a_second_run_changes_nothing(tmp_path):
    folder = _folder(tmp_path, "healthy-life-expectancy", "early-years")
    expected = sum(len(_data_rows(p)) for p in folder.glob("*.csv"))

    first = _run(folder)

    assert f"Loaded {expected:,} rows from 2 of 2 datasets" in first
    stored = Observation.objects.filter(
        indicator__dataset__slug__in=["healthy-life-expectancy", "early-years"]
    ).count()
    assert f"{stored:,} values stored ({stored:,} new" in first
    assert stored > 0.99 * expected
    hle = Dataset.objects.get(slug="healthy-life-expectancy")
    assert hle.release_date.isoformat() == "2026-02-19"
    assert hle.source_org == "Office for National Statistics"
    assert "interim methodological fix" in hle.caveats
    male = Indicator.objects.get(dataset=hle, name="Male healthy life expectancy")
    assert male.subtitle.startswith("Average years expected")
    assert male.measure == "Years"

    before = _snapshot()
    places = Place.objects.count()
    second = _run(folder)

    assert f"{stored:,} values stored (0 new, 0 changed, 0 removed)" in second
    assert _snapshot() == before
    assert Place.objects.count() == places


def test_every_area_is_a_place_of_its_kind(tmp_path):
    _run(_folder(tmp_path, "early-years"))

    barnsley = Place.objects.get(code="E08000038")
    assert barnsley.kind == Place.Kind.PLACE  # the partnership's place stays its own
    assert barnsley.area_type == Place.AreaType.DISTRICT
    areas = json.loads((NATIONAL / "geography" / "areas.json").read_text())
    leeds = Place.objects.get(code="E08000035")
    west_yorkshire = areas["E08000035"]["parents"][0]
    assert (leeds.kind, leeds.area_type, leeds.parent.code) == ("national", "ltla", west_yorkshire)
    assert leeds.parent.name == "West Yorkshire"
    assert Place.objects.get(code="E47000002").area_type == Place.AreaType.COMBINED_AUTHORITY
    assert Place.objects.get(code="E12000003").area_type == Place.AreaType.REGION
    # A district merged into North Yorkshire keeps its own past values but is not current.
    harrogate = Place.objects.filter(code="E07000165").first()
    if harrogate is not None:
        assert not harrogate.is_current


def _group(folder, slug, indicator, period, level) -> dict[str, Decimal]:
    """England's current areas of this level (areas.json) with a value in the file; the demo's
    Barnsley and Sheffield are current under their former codes too (recoded in 2025)."""
    areas = json.loads((NATIONAL / "geography" / "areas.json").read_text())
    for former in ("E08000016", "E08000019"):
        areas[former] = {k: v for k, v in areas[former].items() if k != "end"}
    return {
        r["areacd"]: Decimal(r["observation"])
        for r in _data_rows(folder / f"{slug}.csv")
        if r["indicator"] == indicator
        and r["period"] == period
        and r["areacd"].startswith("E")
        and r["observation"]
        and level in areas.get(r["areacd"], {}).get("level", [])
        and "end" not in areas.get(r["areacd"], {})
    }


def test_rank_and_quintile_are_those_of_the_file(tmp_path):
    """Healthy life expectancy is published for upper-tier authorities only: Sheffield (a
    metropolitan district, so also upper tier) is ranked among them all, counties included."""
    folder = _folder(tmp_path, "healthy-life-expectancy")
    _run(folder)
    group = _group(
        folder,
        "healthy-life-expectancy",
        "Female healthy life expectancy",
        "2022-01-01/P3Y",
        "utla",
    )
    values = sorted(group.values())
    sheffield = group["E08000039"]

    obs = Observation.objects.get(
        indicator__name="Female healthy life expectancy",
        area__code="E08000039",
        period="2022-01-01/P3Y",
    )

    assert obs.geography == "utla"
    assert obs.value == sheffield
    assert obs.rank_of == len(values) > 140
    assert obs.rank_low == 1 + sum(v < sheffield for v in values)
    assert obs.rank_high == 1 + sum(v > sheffield for v in values)
    # Equal values (Sheffield shares 57.4) share the quintile of their rank.
    assert obs.quintile == _ntile(obs.rank_low, len(values))
    assert obs.quintile_high == _ntile(obs.rank_high, len(values))
    spread = Spread.objects.get(
        indicator=obs.indicator, geography="utla", period_start=obs.period_start
    )
    assert (spread.count, spread.minimum, spread.maximum) == (len(values), values[0], values[-1])


def test_a_district_is_ranked_with_every_district_where_districts_are_published(tmp_path):
    folder = _folder(tmp_path, "employment-rate")
    _run(folder)
    period = "2023-01-01/P1Y"
    districts = _group(folder, "employment-rate", "Employment rate", period, "ltla")

    barnsley = Observation.objects.get(
        indicator__name="Employment rate", area__code="E08000038", period=period
    )

    assert barnsley.geography == "ltla"
    assert barnsley.rank_of == len(districts) > 280
    own = districts["E08000016"]  # Barnsley, published under its former code
    assert barnsley.rank_high == 1 + sum(v > own for v in districts.values())


def _ntile(position: int, n: int) -> int:
    for group in range(5):
        size = n // 5 + (1 if group < n % 5 else 0)
        if position <= size:
            return group + 1
        position -= size
    raise AssertionError("position beyond n")


def test_a_bad_row_saves_nothing_of_its_dataset(tmp_path):
    folder = _folder(tmp_path, "healthy-life-expectancy", "early-years")
    path = folder / "early-years.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[5].split(",")
    cells[5] = "about 70"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 dataset"):
        call_command("import_national", str(folder), stdout=io.StringIO(), stderr=err)

    assert "early-years.csv line 6: the value 'about 70' is not a number" in err.getvalue()
    assert not Dataset.objects.filter(slug="early-years").exists()
    assert Observation.objects.filter(indicator__dataset__slug="healthy-life-expectancy").exists()
