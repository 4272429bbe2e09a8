"""Periods: exact spans of time, read from ISO 8601 intervals or the labels people write.

One parser for every way in: the import command, the officers' form and the spreadsheet upload.
A period's label is derived from its span, so "2024/25" always means the same thing on every page.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodType(StrEnum):
    """The kinds of reporting period, each with the label forms and the admin show."""

    CALENDAR_YEAR = "calendar_year"
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    POOLED_YEARS = "pooled_years"
    QUARTER = "quarter"
    MONTH = "month"
    SURVEY_YEAR = "survey_year"
    SPAN = "span"

    @property
    def label(self) -> str:
        return PERIOD_TYPE_LABELS[self]


PERIOD_TYPE_LABELS = {
    PeriodType.CALENDAR_YEAR: "Calendar year",
    PeriodType.FINANCIAL_YEAR: "Financial year (April to March)",
    PeriodType.ACADEMIC_YEAR: "Academic year",
    PeriodType.POOLED_YEARS: "Pooled years",
    PeriodType.QUARTER: "Quarter (financial)",
    PeriodType.MONTH: "Month",
    PeriodType.SURVEY_YEAR: "Survey year",
    PeriodType.SPAN: "Other span",
}

PERIOD_TYPE_CHOICES = [(kind.value, kind.label) for kind in PeriodType]
"""The (value, label) pairs for a model field's ``choices``."""


EXPECTED = (
    "Expected an ISO 8601 interval such as 2022-01-01/P3Y, or a label such as 2023 (a calendar "
    "year), 2024/25 (a financial or academic year), 2022-24 (pooled years), Q1 2025/26 (a "
    "financial quarter), 2025-03 (a month) or 2021 (Dec-Feb average)."
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedPeriod:
    start: date
    end: date  # inclusive
    type: str

    @property
    def label(self) -> str:
        return period_label(self.start, self.end, self.type)


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def infer_type(start: date, end: date) -> str:
    """What kind of period a span is, from its dates alone."""
    next_day = end + timedelta(days=1)
    months = (next_day.year - start.year) * 12 + next_day.month - start.month
    whole_months = start.day == 1 and next_day.day == 1
    if whole_months and months == 12:
        if start.month == 1:
            return PeriodType.CALENDAR_YEAR
        if start.month == 4:
            return PeriodType.FINANCIAL_YEAR
        if start.month in (8, 9):
            return PeriodType.ACADEMIC_YEAR
    if whole_months and months > 12 and months % 12 == 0 and start.month in (1, 4, 8, 9):
        return PeriodType.POOLED_YEARS
    if whole_months and months == 3 and start.month in (1, 4, 7, 10):
        return PeriodType.QUARTER
    if whole_months and months == 1:
        return PeriodType.MONTH
    if next_day == add_months(start, 12) and start.day == next_day.day:
        return PeriodType.SURVEY_YEAR
    return PeriodType.SPAN


def _year_pair(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def period_label(start: date, end: date, type_: str) -> str:
    """The UK label: 2023, 2024/25, 2022-24, Q1 2025/26, Mar 2025, Nov 2024 - Nov 2025."""
    if type_ == PeriodType.CALENDAR_YEAR:
        return str(start.year)
    if type_ in (PeriodType.FINANCIAL_YEAR, PeriodType.ACADEMIC_YEAR):
        return _year_pair(start.year)
    if type_ == PeriodType.POOLED_YEARS:
        if start.month == 1:
            if start.year // 100 == end.year // 100:
                return f"{start.year}-{end.year % 100:02d}"
            return f"{start.year}-{end.year}"
        return f"{_year_pair(start.year)} - {_year_pair(end.year - 1)}"
    if type_ == PeriodType.QUARTER:
        fy = start.year if start.month >= 4 else start.year - 1
        quarter = {4: 1, 7: 2, 10: 3, 1: 4}[start.month]
        return f"Q{quarter} {_year_pair(fy)}"
    if type_ == PeriodType.MONTH:
        return start.strftime("%b %Y")
    if type_ == PeriodType.SURVEY_YEAR:
        return f"{start:%b %Y} - {end + timedelta(days=1):%b %Y}"
    if start.day == 1 and end == month_end(end.year, end.month):
        if (start.year, start.month) == (end.year, end.month):
            return start.strftime("%b %Y")
        return f"{start:%b %Y} - {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"


ISO_DURATION = re.compile(r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+)D)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_iso(text: str) -> ParsedPeriod:
    start_text, _, rest = text.partition("/")
    try:
        start = date.fromisoformat(start_text)
    except ValueError as exc:
        raise PeriodError(f"{start_text!r} is not a date (YYYY-MM-DD).") from exc
    if ISO_DATE.match(rest):
        end = date.fromisoformat(rest)
    else:
        match = ISO_DURATION.match(rest)
        if not match or not any(match.groupdict().values()):
            raise PeriodError(f"{rest!r} is not an ISO 8601 duration such as P1Y or P3M.")
        parts = {k: int(v or 0) for k, v in match.groupdict().items()}
        if not any(parts.values()):
            raise PeriodError(f"{rest!r} is a duration of zero; a period needs some length.")
        after = add_months(start, parts["years"] * 12 + parts["months"])
        end = after + timedelta(days=parts["days"] - 1)
    if end < start:
        raise PeriodError("The period ends before it starts.")
    return ParsedPeriod(start, end, infer_type(start, end))


LABELS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$"), "year_pair"),
    (re.compile(r"^(\d{4})\s*-\s*(\d{2}|\d{4})$"), "pooled_or_month"),
    (re.compile(r"^Q([1-4])\s+(\d{4})\s*/\s*(\d{2}|\d{4})$", re.I), "quarter"),
    (re.compile(r"^([A-Za-z]{3})[a-z]*\s+(\d{4})$"), "month_name"),
    (
        re.compile(r"^(\d{4})\s*\(\s*([A-Za-z]{3})\s*-\s*([A-Za-z]{3})\s*average\s*\)$", re.I),
        "months_average",
    ),
    (
        re.compile(r"^([A-Za-z]{3})[a-z]*\s+(\d{4})\s*-\s*([A-Za-z]{3})[a-z]*\s+(\d{4})$"),
        "month_span",
    ),
]


def _second_year(first: int, text: str) -> int:
    second = int(text)
    if len(text) == 2:
        second = (first // 100) * 100 + second
        if second < first:
            second += 100
    return second


def _month(text: str) -> int:
    try:
        return MONTHS[text[:3].lower()]
    except KeyError as exc:
        raise PeriodError(f"{text!r} is not a month.") from exc


def _pooled_or_month(text: str, first: int, second_text: str, hint: str | None) -> ParsedPeriod:
    """2022-24 is pooled years; 2025-03 is a month. Only 2000-12 style text is both: the
    measure's period type decides, and pooled years win without one."""
    two_digit = len(second_text) == 2
    could_be_month = two_digit and 1 <= int(second_text) <= 12
    could_be_pooled = not two_digit or int(second_text) > first % 100
    if could_be_month and (hint == PeriodType.MONTH or not could_be_pooled):
        month = int(second_text)
        return ParsedPeriod(date(first, month, 1), month_end(first, month), PeriodType.MONTH)
    last = _second_year(first, second_text) if two_digit else int(second_text)
    if not could_be_pooled or not (first < last <= first + 20):
        raise PeriodError(f"{text!r} is neither a month (2025-03) nor pooled years (2022-24).")
    return ParsedPeriod(date(first, 1, 1), date(last, 12, 31), PeriodType.POOLED_YEARS)


def _parse_label(text: str, hint: str | None) -> ParsedPeriod | None:
    for pattern, kind in LABELS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groups()
        if kind == "year":
            year = int(groups[0])
            return ParsedPeriod(date(year, 1, 1), date(year, 12, 31), PeriodType.CALENDAR_YEAR)
        if kind == "year_pair":
            first = int(groups[0])
            if _second_year(first, groups[1]) != first + 1:
                raise PeriodError(
                    f"{text!r}: the second year must follow the first, as in 2024/25."
                )
            if hint == PeriodType.ACADEMIC_YEAR:
                return ParsedPeriod(date(first, 9, 1), date(first + 1, 8, 31), hint)
            return ParsedPeriod(
                date(first, 4, 1), date(first + 1, 3, 31), PeriodType.FINANCIAL_YEAR
            )
        if kind == "pooled_or_month":
            return _pooled_or_month(text, int(groups[0]), groups[1], hint)
        if kind == "quarter":
            quarter, first = int(groups[0]), int(groups[1])
            if _second_year(first, groups[2]) != first + 1:
                raise PeriodError(
                    f"{text!r}: the second year must follow the first, as in Q1 2025/26."
                )
            start = add_months(date(first, 4, 1), 3 * (quarter - 1))
            return ParsedPeriod(start, add_months(start, 3) - timedelta(days=1), PeriodType.QUARTER)
        if kind == "month_name":
            month, year = _month(groups[0]), int(groups[1])
            return ParsedPeriod(date(year, month, 1), month_end(year, month), PeriodType.MONTH)
        if kind == "months_average":
            # DfE's "2021 (Dec-Feb average)": the months that end in the named year.
            year, first_month, last_month = int(groups[0]), _month(groups[1]), _month(groups[2])
            start_year = year - 1 if first_month > last_month else year
            start = date(start_year, first_month, 1)
            end = month_end(year, last_month)
            return ParsedPeriod(start, end, infer_type(start, end))
        if kind == "month_span":
            start = date(int(groups[1]), _month(groups[0]), 1)
            end = month_end(int(groups[3]), _month(groups[2]))
            if end < start:
                raise PeriodError(f"{text!r}: the period ends before it starts.")
            return ParsedPeriod(start, end, infer_type(start, end))
    return None


def parse_period(text: str, hint: str | None = None) -> ParsedPeriod:
    """Read a period; `hint` is the measure's period type, which settles "2024/25" (academic or
    financial). Raises PeriodError saying what was expected."""
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        raise PeriodError(f"The period is empty. {EXPECTED}")
    try:
        if "/P" in cleaned.upper() or re.match(r"^\d{4}-\d{2}-\d{2}/", cleaned):
            return _parse_iso(cleaned.upper() if "/P" in cleaned.upper() else cleaned)
        parsed = _parse_label(cleaned, hint)
    except PeriodError as exc:
        raise PeriodError(f"Could not read the period {cleaned!r}: {exc} {EXPECTED}") from exc
    except ValueError as exc:  # an impossible date such as 2023-02-30
        raise PeriodError(f"Could not read the period {cleaned!r}: {exc}. {EXPECTED}") from exc
    if parsed is None:
        raise PeriodError(f"Could not read the period {cleaned!r}. {EXPECTED}")
    return parsed


STEP_MONTHS = {
    PeriodType.CALENDAR_YEAR: 12,
    PeriodType.FINANCIAL_YEAR: 12,
    PeriodType.ACADEMIC_YEAR: 12,
    PeriodType.POOLED_YEARS: 12,  # rolling: 2020-22 is followed by 2021-23
    PeriodType.SURVEY_YEAR: 12,
    PeriodType.QUARTER: 3,
    PeriodType.MONTH: 1,
}


def shift_period(start: date, end: date, type_: str, steps: int = 1) -> ParsedPeriod | None:
    """The period `steps` after (or before, if negative) this one, of the same type and length:
    2023 -> 2024, 2024/25 -> 2025/26, 2020-22 -> 2021-23, Q4 2024/25 -> Q1 2025/26.
    None for a period type with no regular step ("other span")."""
    months = STEP_MONTHS.get(type_)
    if months is None:
        return None
    new_start = add_months(start, months * steps)
    new_end = add_months(end + timedelta(days=1), months * steps) - timedelta(days=1)
    return ParsedPeriod(new_start, new_end, type_)
