"""Reading and checking a file of measure values: one set of rules for every way in.

`read_table` turns a CSV or XLSX file into rows of text with their line numbers; `check_rows`
validates every row against the database (places, measures, periods, the value rules in
`outcomes.models.value_errors`) and against the other rows, without writing anything. The writes
live in `outcomes.services.values_import`, which calls these first and saves only when every row
is good. The management command `import_values` and the officers' upload both use them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from django.utils import timezone

from core.spreadsheets import LIMITS, Limits, SpreadsheetError, read_csv, read_xlsx, restore_text
from methods.periods import ParsedPeriod, PeriodError, PeriodType, parse_period
from outcomes.models import Measure, text_errors, value_errors
from places.models import Place

REQUIRED_COLUMNS = ["area_code", "indicator", "period", "value"]
OPTIONAL_COLUMNS = [
    "area_name",
    "unit",
    "lci_95",
    "uci_95",
    "numerator",
    "denominator",
    "polarity",
    "source",
    "licence",
    "note",
    "breakdown_dimension",
    "breakdown_category",
]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
PLACES = Decimal("0.000001")  # values are stored to 6 decimal places


class FileError(ValueError):
    """The file as a whole cannot be read: wrong type, encoding, columns."""


@dataclass
class Row:
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError("The file is not text in UTF-8 or Windows-1252; save it as CSV UTF-8.")


NAMING_COLUMNS = {"area_code", "area_name", "indicator"}


def read_table(
    data: bytes, filename: str, *, limits: Limits = LIMITS
) -> tuple[list[Row], list[int]]:
    """Rows of text keyed by lower-case column name, and the line numbers of empty rows.

    Line numbers are those a spreadsheet shows: the header is line 1. The file is read within
    ``limits`` (lines, columns, cells, unzipped size, time; see ``core.spreadsheets``).
    """
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            table = read_csv(_decode(data), limits)
        elif suffix in (".xlsx", ".xlsm"):
            table = read_xlsx(data, limits)
        else:
            raise FileError(f"{filename!r} is not a CSV or XLSX file; save it as .csv or .xlsx.")
    except SpreadsheetError as exc:
        raise FileError(str(exc)) from None
    if not table or not any(c.strip() for c in table[0]):
        raise FileError("The file is empty: the first line must name the columns.")
    header = [h.strip().lower() for h in table[0]]
    _check_columns(header)
    rows: list[Row] = []
    empty: list[int] = []
    # A row that names only its area and indicator (a template row for a measure still awaiting
    # its first data, say) has nothing to import: skipped, as an empty row is.
    figures = [i for i, name in enumerate(header) if name not in NAMING_COLUMNS]
    for index, cells in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in cells) or not any(
            str(cells[i]).strip() for i in figures if i < len(cells)
        ):
            empty.append(index)
            continue
        if len(cells) > len(header) and any(str(c).strip() for c in cells[len(header) :]):
            rows.append(Row(index, {"__overflow__": "yes"}))
            continue
        texts = (restore_text(str(c)) for c in cells)
        rows.append(Row(index, dict(zip(header, texts, strict=False))))
    return rows, empty


def _check_columns(header: list[str]) -> None:
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append("missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing))
    extra = [c for c in header if c and c not in COLUMNS]
    if extra:
        problems.append("unexpected column" + ("s " if len(extra) > 1 else " ") + ", ".join(extra))
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        problems.append("repeated column " + ", ".join(duplicated))
    if problems:
        raise FileError(
            "The columns are not right: "
            + "; ".join(problems)
            + ". Expected the columns "
            + ", ".join(REQUIRED_COLUMNS)
            + " and optionally "
            + ", ".join(OPTIONAL_COLUMNS)
            + "."
        )


def parse_number(text: str, what: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("£", "").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1].strip()
    if cleaned == "":
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"the {what} {text!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"the {what} {text!r} is not a number")
    try:
        number = number.quantize(PLACES, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # too many digits to keep 6 places (1e100): value_errors says so
        return number
    # No trailing zeros: "50" is 50, not 50.000000 (which a count's 4 decimal places refuse).
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


@dataclass
class CheckedRow:
    """A row that passed every check: ready to save."""

    line: int
    measure: Measure
    place: Place
    period_start: object
    period_end: object
    period_type: str
    breakdown: tuple[str, str] | None
    value: Decimal | None
    lower_ci: Decimal | None
    upper_ci: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    note: str
    source: str

    @property
    def key(self) -> tuple:
        return (self.measure.pk, self.place.pk, self.period_start, self.period_end, self.breakdown)

    @property
    def figures(self) -> tuple:
        return (self.value, self.lower_ci, self.upper_ci, self.numerator, self.denominator)


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class CheckResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    repeats: list[tuple[int, int]] = field(default_factory=list)  # (line, line it repeats)
    empty_lines: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


MEASURE_COLUMNS_HINT = "Use the measure's title or slug as shown on its page."


def period_problem(measure: Measure, period: ParsedPeriod, *, today: date | None = None) -> str:
    """The rule a value's period keeps, whoever enters it: the measure's own period type, and a
    period that has ended (a value for a period still running, or in the future, is a mistake).
    Returns the problem, or an empty string."""
    if period.type != measure.period_type:
        return (
            f"the period {period.label} is {_a(PeriodType(period.type).label)}, "
            f"but {measure.title} is reported by "
            f"{_lower_first(PeriodType(measure.period_type).label)}"
        )
    today = today or timezone.localdate()
    if period.end >= today:
        when = "is in the future" if period.start > today else "has not ended yet"
        return (
            f"the period {period.label} {when} (it ends on {period.end.day} "
            f"{period.end:%B %Y}); values are entered once a period has ended"
        )
    return ""


def check_rows(
    rows: Iterable[Row],
    *,
    places: dict[str, Place] | None = None,
    measures: dict[str, Measure] | None = None,
    allowed_places: set[int] | None = None,
    today: date | None = None,
) -> CheckResult:
    """Check every row; collect every problem rather than stopping at the first."""
    places = places if places is not None else Place.objects.code_map()
    measures = measures if measures is not None else Measure.objects.name_map()
    today = today or timezone.localdate()
    result = CheckResult()
    seen: dict[tuple, CheckedRow] = {}
    for row in rows:
        checked, problems = _check_row(row, places, measures, allowed_places, today)
        if problems:
            result.errors.extend(RowError(row.line, p) for p in problems)
            continue
        earlier = seen.get(checked.key)
        if earlier is None:
            seen[checked.key] = checked
            result.rows.append(checked)
        elif earlier.figures == checked.figures:
            result.repeats.append((row.line, earlier.line))
        else:
            result.errors.append(
                RowError(
                    row.line,
                    f"{checked.measure.title}, {checked.place.name}, "
                    f"{parse_period(row.get('period')).label}"
                    f"{_breakdown_text(checked.breakdown)} is already on line {earlier.line} "
                    f"with a different value ({_text(earlier.value)} there, "
                    f"{_text(checked.value)} here)",
                )
            )
    return result


def _text(number: Decimal | None) -> str:
    return "no value" if number is None else f"{number.normalize():f}"


def _breakdown_text(breakdown: tuple[str, str] | None) -> str:
    return f" ({breakdown[0]}: {breakdown[1]})" if breakdown else ""


def _check_row(
    row: Row,
    places: dict[str, Place],
    measures: dict[str, Measure],
    allowed_places: set[int] | None,
    today: date,
) -> tuple[CheckedRow | None, list[str]]:
    if "__overflow__" in row.cells:
        return None, ["the row has more cells than the header has columns"]
    problems: list[str] = []
    code = row.get("area_code").upper()
    place = places.get(code)
    if not code:
        problems.append("the area code is empty")
    elif place is None:
        name = row.get("area_name")
        problems.append(f"unknown area code {code}" + (f" ({name})" if name else ""))
    elif allowed_places is not None and place.pk not in allowed_places:
        problems.append(f"you cannot enter values for {place.name}")

    indicator = row.get("indicator")
    measure = measures.get(indicator.lower()) if indicator else None
    if not indicator:
        problems.append("the indicator is empty")
    elif measure is None:
        problems.append(f"unknown measure {indicator!r}. {MEASURE_COLUMNS_HINT}")

    period = None
    try:
        period = parse_period(row.get("period"), measure.period_type if measure else None)
    except PeriodError as exc:
        problems.append(str(exc))
    if period and measure:
        problem = period_problem(measure, period, today=today)
        if problem:
            problems.append(problem)

    numbers: dict[str, Decimal | None] = {}
    for column, what in [
        ("value", "value"),
        ("lci_95", "lower confidence limit"),
        ("uci_95", "upper confidence limit"),
        ("numerator", "numerator"),
        ("denominator", "denominator"),
    ]:
        try:
            numbers[column] = parse_number(row.get(column), what)
        except ValueError as exc:
            problems.append(str(exc))
            numbers[column] = None

    dimension, category = row.get("breakdown_dimension"), row.get("breakdown_category")
    if bool(dimension) != bool(category):
        problems.append("give both breakdown_dimension and breakdown_category, or neither")
    breakdown = (dimension, category) if dimension and category else None

    if measure is not None and not problems:
        rule_errors = value_errors(
            measure=measure,
            value=numbers["value"],
            lower_ci=numbers["lci_95"],
            upper_ci=numbers["uci_95"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
        )
        problems.extend(_lower_first(message) for message in rule_errors.values())
    problems.extend(
        _lower_first(message)
        for message in text_errors(note=row.get("note"), source=row.get("source")).values()
    )
    if problems:
        return None, problems
    return (
        CheckedRow(
            line=row.line,
            measure=measure,
            place=place,
            period_start=period.start,
            period_end=period.end,
            period_type=period.type,
            breakdown=breakdown,
            value=numbers["value"],
            lower_ci=numbers["lci_95"],
            upper_ci=numbers["uci_95"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            note=row.get("note"),
            source=row.get("source"),
        ),
        [],
    )


def _a(noun: str) -> str:
    """ "a financial year", "an other span": the article and the noun, lower case first."""
    noun = _lower_first(noun)
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message else message
