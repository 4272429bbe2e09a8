"""The import_values command against the real published data and every kind of bad row."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from outcomes.models import Measure, Period, Value
from places.models import Place

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
VALUES = FIXTURES / "south_yorkshire" / "values.csv"
MORE = FIXTURES / "data" / "south_yorkshire_more_indicators.csv"
HEADER = "area_code,indicator,period,value,unit,lci_95,uci_95\n"

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_values", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


def write(tmp_path, text, name="values.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def file_rows():
    with open(VALUES, newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_demo_holds_the_shared_file_exactly():
    assert Place.objects.count() == 7
    assert (
        Measure.objects.count() == 23
    )  # + the claimant count, persistent absence and 5 Core20PLUS5 measures
    published = Value.objects.published().filter(breakdown__isnull=True)
    assert published.exclude(measure__slug="persistent-absence").count() == 1383
    assert published.exclude(measure__slug="persistent-absence").exclude(value=None).count() == 1377

    codes = Place.objects.code_map()
    names = Measure.objects.name_map()
    stored = {
        (v.measure_id, v.place_id, v.period.start, v.period.end): v
        for v in published.select_related("period")
    }
    from methods.periods import parse_period

    for row in file_rows():
        period = parse_period(row["period"])
        key = (
            names[row["indicator"].lower()].pk,
            codes[row["area_code"]].pk,
            period.start,
            period.end,
        )
        value = stored[key]
        expected = Decimal(row["value"]).quantize(Decimal("0.000001")) if row["value"] else None
        assert value.value == expected, row
        if row["lci_95"]:
            assert value.lower_ci == Decimal(row["lci_95"]).quantize(Decimal("0.000001"))
            assert value.upper_ci == Decimal(row["uci_95"]).quantize(Decimal("0.000001"))
        else:
            assert value.lower_ci is None and value.upper_ci is None


def test_importing_the_file_again_changes_nothing():
    before = list(Value.objects.values_list("pk", "version", "updated_at").order_by("pk"))
    ok, out, _ = run(VALUES)
    assert ok
    assert "0 created, 0 updated, 1383 unchanged, 40 identical repeats skipped" in out
    assert list(Value.objects.values_list("pk", "version", "updated_at").order_by("pk")) == before


def test_import_into_an_empty_database_reports_repeats_and_keeps_one():
    from outcomes.models import ValueEvent

    ValueEvent.objects.all().delete()  # the audit record protects the values it is about
    Value.objects.all().delete()
    ok, out, _ = run(VALUES)
    assert ok
    assert "1383 created, 0 updated, 0 unchanged, 40 identical repeats skipped" in out
    assert "line 150: repeats line 142 exactly; kept one." in out
    assert Value.objects.count() == 1383


def test_rows_with_no_value_are_kept_as_no_value_published():
    doncaster = Place.objects.get(slug="doncaster")
    cancer = Measure.objects.get(slug="cancers-diagnosed-early")
    missing = Value.objects.get(measure=cancer, place=doncaster, period__start="2013-01-01")
    assert missing.value is None
    assert missing.state == Value.State.PUBLISHED
    assert missing.formatted == "–"


def test_former_codes_map_to_the_same_place():
    assert Place.objects.with_code("E08000016").get().name == "Barnsley"
    assert Place.objects.with_code("e08000038").get().name == "Barnsley"
    assert Place.objects.with_code("E08000019").get().name == "Sheffield"


def test_dry_run_saves_nothing(tmp_path):
    path = write(tmp_path, HEADER + "E08000017,Employment rate,2025,71.5,%,,\n")
    ok, out, _ = run(path, "--dry-run")
    assert ok and "Dry run, nothing saved: 1 created" in out
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2025-01-01"
    ).exists()


def test_a_changed_value_is_updated_and_counted(tmp_path):
    path = write(tmp_path, HEADER + "E08000017,Employment rate,2023,70.1,%,,\n")
    ok, out, _ = run(path)
    assert ok and "0 created, 1 updated, 0 unchanged" in out
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2023-01-01"
    )
    assert value.value == Decimal("70.1") and value.version == 2


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("E09999999,Employment rate,2023,70,%,,", "unknown area code E09999999"),
        ("E08000017,Happiness index,2023,70,%,,", "unknown measure 'Happiness index'"),
        ("E08000017,Employment rate,2023-ish,70,%,,", "Could not read the period '2023-ish'"),
        ("E08000017,Employment rate,2023,seventy,%,,", "the value 'seventy' is not a number"),
        ("E08000017,Employment rate,2023,70,%,71,75", "must contain the value 70"),
        (
            "E08000017,Employment rate,2023,70,%,65,",
            "Give both ends of the 95% confidence interval",
        ),
        ("E08000017,Employment rate,2023,104,%,,", "A percentage must be between 0 and 100; 104"),
        ("E08000017,Employment rate,2023,-1,%,,", "A percentage must be between 0 and 100; -1"),
        (
            "E08000017,Employment rate,2023/24,70,%,,",
            "is a financial year (April to March), but Employment rate",
        ),
        (",Employment rate,2023,70,%,,", "the area code is empty"),
        ("E08000017,Employment rate,2040,70,%,,", "the period 2040 is in the future"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_saved(tmp_path, row, reason):
    good = "E08000018,Employment rate,2024,70.0,%,,\n"
    path = write(tmp_path, HEADER + good + row + "\n")
    ok, _, err = run(path)
    assert not ok
    assert "line 3: " in err and reason.lower() in err.lower()
    assert "1 of 2 rows are bad" in err and "nothing was saved" in err
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01"
    ).exists()


def test_the_same_slot_twice_with_different_values_is_an_error(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "E08000016,Employment rate,2024,70.0,%,,\n"
        + "E08000038,Employment rate,2024,71.0,%,,\n",
    )
    ok, _, err = run(path)
    assert not ok
    assert "line 3: Employment rate, ages 16 to 64, Barnsley, 2024 is already on line 2" in err
    assert "70 there, 71 here" in err


def test_every_bad_row_is_reported_not_just_the_first(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "E09999999,Employment rate,2023,70,%,,\n"
        + "E08000017,Employment rate,2023,70,%,,\n"
        + "E08000017,Nope,2023,70,%,,\n",
    )
    ok, _, err = run(path)
    assert not ok
    assert "line 2: unknown area code" in err and "line 4: unknown measure" in err
    assert "line 3" not in err


def test_a_breakdown_is_its_own_slot(tmp_path):
    header = HEADER.strip() + ",breakdown_dimension,breakdown_category\n"
    path = write(
        tmp_path,
        header
        + "E08000017,Employment rate,2023,60.0,%,,,Sex,Female\n"
        + "E08000017,Employment rate,2023,65.0,%,,,Sex,Male\n",
    )
    ok, out, _ = run(path)
    assert ok and "2 created" in out
    labels = set(
        Value.objects.filter(breakdown__dimension="Sex").values_list(
            "breakdown__category", flat=True
        )
    )
    assert labels == {"Female", "Male"}


@pytest.mark.parametrize(
    ("text", "name", "says"),
    [
        (
            "area_code,indicator,period\nE08000017,Employment rate,2023\n",
            "a.csv",
            "missing column value",
        ),
        (HEADER.strip() + ",colour\n", "a.csv", "unexpected column colour"),
        ("", "a.csv", "The file is empty"),
        ("hello", "a.txt", "is not a CSV or XLSX file"),
        ("not really excel", "a.xlsx", "could not be opened as an XLSX workbook"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(tmp_path, text, name, says):
    ok, _, err = run(write(tmp_path, text, name))
    assert not ok and says in err


def test_bom_and_windows_1252_files_are_read(tmp_path):
    bom = write(
        tmp_path, "\ufeff" + HEADER + "E08000017,Employment rate,2024,70.0,%,,\n", "bom.csv"
    )
    ok, out, _ = run(bom, "--dry-run")
    assert ok and "1 created" in out
    cp = write(
        tmp_path,
        HEADER.strip() + ",note\nE08000017,Employment rate,2024,70.0,%,,,Café survey £\n",
        "cp.csv",
        encoding="cp1252",
    )
    ok, out, _ = run(cp)
    assert ok
    assert (
        Value.objects.get(measure__slug="employment-rate", period__start="2024-01-01").note
        == "Café survey £"
    )


def test_empty_rows_are_skipped_and_said(tmp_path):
    path = write(tmp_path, HEADER + ",,,,,,\nE08000017,Employment rate,2024,70.0,%,,\n")
    ok, out, _ = run(path)
    assert ok and "Skipped 1 empty rows (lines 2)" in out


def test_xlsx_is_read_like_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["area_code", "indicator", "period", "value", "lci_95", "uci_95"])
    sheet.append(["E08000017", "employment-rate", "2024", 70.25, 68.0, 72.5])
    path = tmp_path / "values.xlsx"
    book.save(path)
    ok, out, _ = run(path)
    assert ok and "1 created" in out
    value = Value.objects.get(measure__slug="employment-rate", period__start="2024-01-01")
    assert (value.value, value.lower_ci, value.upper_ci) == (
        Decimal("70.25"),
        Decimal("68"),
        Decimal("72.5"),
    )


def test_the_messier_file_without_its_measures_saves_nothing_and_names_every_row():
    ok, _, err = run(MORE)
    assert not ok
    assert "738 of 738 rows are bad" in err
    assert err.count("unknown measure") == 738


def test_the_messier_file_with_create_measures_saves_every_row_with_its_period():
    periods_before = Period.objects.count()
    ok, out, _ = run(MORE, "--create-measures", "--outcome", "skills-and-resources-to-thrive")
    assert ok, out
    assert "720 created, 0 updated, 0 unchanged, 18 identical repeats skipped" in out
    neet = Measure.objects.get(title="16-17 year olds NEET")
    assert neet.period_type == "span" and neet.outcome.slug == "skills-and-resources-to-thrive"
    labels = set(Value.objects.filter(measure=neet).values_list("period__start", "period__end"))
    from datetime import date

    assert (date(2020, 12, 1), date(2021, 2, 28)) in labels
    sickness = Measure.objects.get(title__startswith="Economically inactive people")
    assert sickness.period_type == "calendar_year"
    assert Period.objects.count() > periods_before
    # and again: nothing changes
    ok, out, _ = run(MORE, "--create-measures", "--outcome", "skills-and-resources-to-thrive")
    assert ok and "0 created, 0 updated, 720 unchanged" in out


def test_create_measures_needs_an_outcome():
    ok, _, err = run(MORE, "--create-measures")
    assert not ok and "--create-measures needs --outcome SLUG" in err


def test_a_value_that_disagrees_with_its_counts_is_a_row_error(tmp_path):
    header = "area_code,indicator,period,value,unit,lci_95,uci_95,numerator,denominator\n"
    good = "E08000018,Employment rate,2024,15.2,%,,,50,329\n"
    bad = "E08000017,Employment rate,2024,33.0,%,,,50,329\n"
    ok, _, err = run(write(tmp_path, header + good + bad))
    assert not ok
    assert "line 3: " in err
    assert "the value 33 does not match its numerator and denominator" in err.lower()
    assert "50 / 329 × 100 = 15.2%" in err
    assert not Value.objects.filter(
        measure__slug="employment-rate", period__start="2024-01-01"
    ).exists()
    # The same good row alone imports, with its count as whole numbers.
    ok, out, err = run(write(tmp_path, header + good))
    assert ok, err
    saved = Value.objects.get(
        measure__slug="employment-rate", period__start="2024-01-01", place__slug="rotherham"
    )
    assert (saved.numerator, saved.denominator) == (Decimal(50), Decimal(329))


def test_the_issues_rate_example_is_refused():
    """33.0 per 100,000 with 100 deaths in 400,000 people (25.0 per 100,000) used to import and
    be published as "better than England (31.0)" on an interval (20.3-30.4) that excludes it."""
    from outcomes.models import value_errors

    rate = Measure(value_kind="rate_100k", decimal_places=1, unit_label="per 100,000")
    errors = value_errors(
        measure=rate,
        value=Decimal("33.0"),
        lower_ci=None,
        upper_ci=None,
        numerator=Decimal(100),
        denominator=Decimal(400000),
    )
    assert errors["value"].startswith(
        "The value 33 does not match its numerator and denominator: 100 / 400000 × 100,000 = "
        "25.0 per 100,000 (to 1 decimal place)."
    )
    # Rounding to the measure's decimal places is allowed: 25.04 and 24.95 round to 25.0.
    for near in ("25.04", "24.95", "25"):
        assert (
            value_errors(
                measure=rate,
                value=Decimal(near),
                lower_ci=None,
                upper_ci=None,
                numerator=Decimal(100),
                denominator=Decimal(400000),
            )
            == {}
        )
