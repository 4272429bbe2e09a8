import csv
from datetime import date
from pathlib import Path

import pytest

from methods.periods import PeriodError, PeriodType, parse_period

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize(
    ("text", "start", "end", "type_", "label"),
    [
        (
            "2022-01-01/P3Y",
            date(2022, 1, 1),
            date(2024, 12, 31),
            PeriodType.POOLED_YEARS,
            "2022-24",
        ),
        (
            "2001-01-01/P3Y",
            date(2001, 1, 1),
            date(2003, 12, 31),
            PeriodType.POOLED_YEARS,
            "2001-03",
        ),
        (
            "1999-01-01/P3Y",
            date(1999, 1, 1),
            date(2001, 12, 31),
            PeriodType.POOLED_YEARS,
            "1999-2001",
        ),
        (
            "2024-09-01/P1Y",
            date(2024, 9, 1),
            date(2025, 8, 31),
            PeriodType.ACADEMIC_YEAR,
            "2024/25",
        ),
        (
            "2006-08-01/P1Y",
            date(2006, 8, 1),
            date(2007, 7, 31),
            PeriodType.ACADEMIC_YEAR,
            "2006/07",
        ),
        (
            "2024-04-01/P1Y",
            date(2024, 4, 1),
            date(2025, 3, 31),
            PeriodType.FINANCIAL_YEAR,
            "2024/25",
        ),
        ("2023-01-01/P1Y", date(2023, 1, 1), date(2023, 12, 31), PeriodType.CALENDAR_YEAR, "2023"),
        ("1997-01-01/P1Y", date(1997, 1, 1), date(1997, 12, 31), PeriodType.CALENDAR_YEAR, "1997"),
        (
            "2024-11-16/P1Y",
            date(2024, 11, 16),
            date(2025, 11, 15),
            PeriodType.SURVEY_YEAR,
            "Nov 2024 - Nov 2025",
        ),
        ("2025-04-01/P3M", date(2025, 4, 1), date(2025, 6, 30), PeriodType.QUARTER, "Q1 2025/26"),
        ("2025-01-01/P3M", date(2025, 1, 1), date(2025, 3, 31), PeriodType.QUARTER, "Q4 2024/25"),
        ("2025-03-01/P1M", date(2025, 3, 1), date(2025, 3, 31), PeriodType.MONTH, "Mar 2025"),
        ("2023", date(2023, 1, 1), date(2023, 12, 31), PeriodType.CALENDAR_YEAR, "2023"),
        ("2004", date(2004, 1, 1), date(2004, 12, 31), PeriodType.CALENDAR_YEAR, "2004"),
        ("2024/25", date(2024, 4, 1), date(2025, 3, 31), PeriodType.FINANCIAL_YEAR, "2024/25"),
        ("1999/00", date(1999, 4, 1), date(2000, 3, 31), PeriodType.FINANCIAL_YEAR, "1999/00"),
        ("2022-24", date(2022, 1, 1), date(2024, 12, 31), PeriodType.POOLED_YEARS, "2022-24"),
        ("Q1 2025/26", date(2025, 4, 1), date(2025, 6, 30), PeriodType.QUARTER, "Q1 2025/26"),
        ("q3 2025/26", date(2025, 10, 1), date(2025, 12, 31), PeriodType.QUARTER, "Q3 2025/26"),
        ("2025-03", date(2025, 3, 1), date(2025, 3, 31), PeriodType.MONTH, "Mar 2025"),
        ("Mar 2025", date(2025, 3, 1), date(2025, 3, 31), PeriodType.MONTH, "Mar 2025"),
        (
            "2021 (Dec-Feb average)",
            date(2020, 12, 1),
            date(2021, 2, 28),
            PeriodType.SPAN,
            "Dec 2020 - Feb 2021",
        ),
        (
            "2024 (Dec-Feb average)",
            date(2023, 12, 1),
            date(2024, 2, 29),
            PeriodType.SPAN,
            "Dec 2023 - Feb 2024",
        ),
        ("  2023  ", date(2023, 1, 1), date(2023, 12, 31), PeriodType.CALENDAR_YEAR, "2023"),
    ],
)
def test_reads_each_form(text, start, end, type_, label):
    period = parse_period(text)
    assert (period.start, period.end, period.type, period.label) == (start, end, type_, label)


def test_academic_year_label_follows_the_measures_period_type():
    period = parse_period("2024/25", PeriodType.ACADEMIC_YEAR)
    assert (period.start, period.end, period.label) == (
        date(2024, 9, 1),
        date(2025, 8, 31),
        "2024/25",
    )


def test_ambiguous_pooled_or_month_follows_the_hint():
    assert parse_period("2010-12").type == PeriodType.POOLED_YEARS
    assert parse_period("2010-12", PeriodType.MONTH).label == "Dec 2010"


def test_a_label_and_its_iso_interval_are_the_same_period():
    assert parse_period("2022-24") == parse_period("2022-01-01/P3Y")
    assert parse_period("2024/25") == parse_period("2024-04-01/P1Y")
    assert parse_period("Q1 2025/26") == parse_period("2025-04-01/P3M")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("banana", "Could not read the period 'banana'"),
        ("2024/26", "the second year must follow the first"),
        ("2023-02-30/P1Y", "is not a date"),
        ("2023-01-01/P0Y", "a duration of zero"),
        ("2024-13", "neither a month"),
        ("Q5 2025/26", "Could not read"),
        ("2025-01-01/2024-01-01", "ends before it starts"),
    ],
)
def test_rejects_with_a_message_that_says_what_it_expected(text, says):
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    assert says in str(raised.value)
    assert "Expected an ISO 8601 interval such as 2022-01-01/P3Y" in str(raised.value)


@pytest.mark.parametrize(
    "name",
    ["south_yorkshire/values.csv", "data/south_yorkshire_more_indicators.csv"],
)
def test_every_period_in_the_shared_files_is_read(name):
    with open(FIXTURES / name, newline="") as handle:
        periods = {row["period"] for row in csv.DictReader(handle)}
    labels = {text: parse_period(text).label for text in periods}
    assert len(labels) == len(periods) > 20
    for text in periods:  # every period reads back from its own label
        period = parse_period(text)
        # A survey year's label drops the day; DfE's absence data starts its academic years on
        # 1 August, where "2024/25" as a label means the usual 1 September start.
        if period.type != PeriodType.SURVEY_YEAR and period.start.month != 8:
            assert parse_period(period.label, period.type) == period


def test_a_plain_year_and_its_iso_interval_agree():
    assert parse_period("2004") == parse_period("2004-01-01/P1Y")


@pytest.mark.parametrize(
    ("label", "hint", "following"),
    [
        ("2023", None, "2024"),
        ("2024/25", None, "2025/26"),
        ("2023/24", "academic_year", "2024/25"),
        ("2020-22", None, "2021-23"),
        ("Q4 2024/25", None, "Q1 2025/26"),
        ("2025-12", "month", "Jan 2026"),
        ("2024-11-16/P1Y", None, "Nov 2025 - Nov 2026"),
    ],
)
def test_shift_period_steps_to_the_next_period_of_the_same_type(label, hint, following):
    from methods.periods import shift_period

    period = parse_period(label, hint)
    after = shift_period(period.start, period.end, period.type)
    assert after.label == following and after.type == period.type
    back = shift_period(after.start, after.end, after.type, -1)
    assert (back.start, back.end) == (period.start, period.end)


def test_an_irregular_span_has_no_next_period():
    from methods.periods import shift_period

    period = parse_period("2021 (Dec-Feb average)")
    assert shift_period(period.start, period.end, period.type) is None
