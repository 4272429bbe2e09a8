"""The one CSV and XLSX reader and writer: every spreadsheet the app reads or writes goes
through here.

Reading (``read_table``) keeps to stated bounds (``Limits``), checked before anything is
expanded, so that a small hostile file cannot take a worker's memory or time:

- an XLSX is a zip: the uncompressed sizes its members declare are added up before any is
  inflated (Python's zipfile never inflates a member past its declared size, and a member that
  inflates to more fails its CRC check), and the sheet is read cell by cell from its XML
  (lxml's iterparse, every finished element dropped), each cell's row and column checked
  against the bounds before it is used; the ``<dimension>`` a sheet declares is ignored, so a
  sheet cannot make the reader pad a million empty rows;
- a CSV is read record by record with a bound on the length of a field, the number of lines
  and of cells in a line;
- both stop at a time bound.
Past a bound, ``SpreadsheetError`` says which bound and what to do; nothing has been saved.

Writing:

- **Formula injection** (OWASP's CSV injection rule): a text cell that a spreadsheet would run
  as a formula, one starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return, a line
  feed or NUL (and the full-width ``＝ ＋ － ＠`` that some spreadsheets treat alike), is written
  with a leading single quote, in CSV and XLSX alike. Numbers stay numbers (a negative value is
  data, not a formula); only text is touched. ``restore_text`` undoes it for a file read back in.
- **Bounded memory**: CSV is streamed a block of rows at a time (``csv_response``); XLSX uses
  openpyxl's write-only workbook, which writes rows to a temporary file as they come, and the
  response streams that file (``xlsx_response``).
- Characters XML cannot hold (control characters other than tab and newlines) are dropped from
  XLSX text, so stored text never turns a download into an error.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "＝", "＋", "－", "＠")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_PER_CHUNK = 500


# -------------------------------------------------------------------------------------------------
# Reading, within bounds
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What a spreadsheet may hold. The defaults admit any file a person would make for this app
    (the demo's 1,208 values are 1,209 lines of 16 columns) many times over."""

    lines: int = 50_000  # lines, the header included
    columns: int = 50  # the last column a cell may be in (AX)
    cells: int = 1_000_000  # cells with something in them
    unzipped_bytes: int = 20 * 1024 * 1024  # an XLSX's members, uncompressed, together
    zip_members: int = 200
    cell_chars: int = 32_767  # Excel's own limit for one cell
    seconds: float = 20.0


LIMITS = Limits()
# For a file an operator imports from the command line (import_values): a national publication
# (1.2 million values) fits; still bounded, so a wrong file cannot run away with the machine.
COMMAND_LIMITS = Limits(
    lines=2_000_000,
    cells=40_000_000,
    unzipped_bytes=1024 * 1024 * 1024,
    zip_members=1000,
    seconds=1800.0,
)


class SpreadsheetError(ValueError):
    """The file cannot be read, or is past a bound: the message says which and what to do."""


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


class _Clock:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise SpreadsheetError(
                f"Reading the file took more than {self.limits.seconds:g} seconds, so it was "
                "stopped. Save only the rows of values, as CSV, and upload that."
            )


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _past_lines(line: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file goes on past line {limits.lines:,} (it has something on line {line:,}); a "
        f"file may have at most {limits.lines:,} lines. Split it into smaller files."
    )


def _past_columns(line: int, column: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"Line {line:,} has a cell in column {column_letter(column)}, past column "
        f"{column_letter(limits.columns)}, the last a file may use. Delete the cells to the "
        "right of the table."
    )


def _too_many_cells(limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file has more than {limits.cells:,} filled cells, the most a file may have. "
        "Split it into smaller files."
    )


def _cell_too_long(line: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"Line {line:,} has a cell longer than {limits.cell_chars:,} characters, the most a "
        "cell may hold."
    )


def read_csv(text: str, limits: Limits = LIMITS) -> list[list[str]]:
    """The records of a CSV text, within the bounds."""
    clock = _Clock(limits)
    old_limit = csv.field_size_limit(limits.cell_chars)
    table: list[list[str]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                line = len(table) + 1
                if "field larger than field limit" in str(exc):
                    raise _cell_too_long(line, limits) from None
                raise SpreadsheetError(f"Line {line:,} cannot be read as CSV ({exc}).") from None
            line = len(table) + 1
            if line > limits.lines:
                raise _past_lines(line, limits)
            while record and not record[-1].strip():  # trailing empty cells count for nothing
                record.pop()
            if len(record) > limits.columns:
                raise _past_columns(line, len(record), limits)
            cells += len(record)
            if cells > limits.cells:
                raise _too_many_cells(limits)
            if line % 1000 == 0:
                clock.check()
            table.append(record)
    finally:
        csv.field_size_limit(old_limit)
    return table


def _check_zip(data: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise SpreadsheetError("The file could not be opened as an XLSX workbook.") from exc
    if len(members) > limits.zip_members:
        raise SpreadsheetError(
            f"The workbook has {len(members):,} parts, more than the {limits.zip_members:,} a "
            "workbook of values needs. Save only the sheet of values, as CSV, and upload that."
        )
    unzipped = sum(member.file_size for member in members)
    if unzipped > limits.unzipped_bytes:
        raise SpreadsheetError(
            f"The workbook unpacks to {_megabytes(unzipped)}, more than the "
            f"{_megabytes(limits.unzipped_bytes)} a file may. Save only the sheet of values, "
            "as CSV, and upload that."
        )


def read_xlsx(data: bytes, limits: Limits = LIMITS) -> list[list[str]]:
    """The rows of the first sheet of an XLSX workbook (cell values as text), within the bounds."""
    from openpyxl import load_workbook

    _check_zip(data, limits)
    clock = _Clock(limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise SpreadsheetError("The file could not be opened as an XLSX workbook.") from exc
    try:
        return _sheet_rows(workbook, sheet, limits, clock)
    finally:
        workbook.close()


def _sheet_rows(workbook, sheet, limits: Limits, clock: _Clock) -> list[list[str]]:
    """Cell by cell from the sheet's XML; openpyxl's own parser turns each cell's XML into its
    value (shared strings, numbers, dates by their number format, booleans)."""
    from lxml import etree
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    cell_tag, row_tag = f"{{{SHEET_MAIN_NS}}}c", f"{{{SHEET_MAIN_NS}}}row"
    table: list[list[str]] = []
    filled = 0
    line = column = 0
    in_cell = False
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        events = etree.iterparse(
            source, events=("start", "end"), resolve_entities=False, no_network=True
        )
        try:
            for event, element in events:
                if event == "start":
                    if element.tag == row_tag:
                        line = _row_number(element.get("r"), line)
                        column = 0
                        if line > limits.lines:
                            raise _past_lines(line, limits)
                    elif element.tag == cell_tag:
                        in_cell = True
                    continue
                if element.tag == cell_tag:
                    in_cell = False
                    reference = element.get("r")
                    if reference:
                        cell_line, column = coordinate_to_tuple(reference)
                        if cell_line != line:
                            raise SpreadsheetError(
                                f"Cell {reference} is on line {line:,} of the sheet's XML; the "
                                "workbook is damaged. Save it again from Excel."
                            )
                    else:
                        column += 1
                    if column > limits.columns:
                        raise _past_columns(line, column, limits)
                    parser.row_counter, parser.col_counter = line, column - 1
                    try:
                        value = parser.parse_cell(element)["value"]
                    except (IndexError, ValueError, TypeError) as exc:
                        raise SpreadsheetError(
                            f"Cell {column_letter(column)}{line} cannot be read; the workbook is "
                            "damaged. Save it again from Excel."
                        ) from exc
                    if value is not None and value != "":
                        filled += 1
                        if filled > limits.cells:
                            raise _too_many_cells(limits)
                        text = _cell_text(value)
                        if len(text) > limits.cell_chars:
                            raise _cell_too_long(line, limits)
                        while len(table) < line:
                            table.append([])
                        row = table[line - 1]
                        row.extend([""] * (column - len(row)))
                        row[column - 1] = text
                        if filled % 1000 == 0:
                            clock.check()
                if not in_cell:
                    element.clear()
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise SpreadsheetError("The file could not be opened as an XLSX workbook.") from exc
    return table


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        raise SpreadsheetError(
            f"The sheet's XML has a row numbered {text[:20]!r}; the workbook is damaged. Save it "
            "again from Excel."
        ) from None


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading quote before a formula's first character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_text(text: str) -> str:
    """The text as entered, from a cell ``neutralise`` wrote (a file downloaded, edited and
    uploaded again): the leading quote before a formula's first character is taken off."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def csv_text(value) -> str:
    """A cell of a CSV file: numbers plain (never in exponent form), dates in ISO 8601, text
    neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(str(value))


def xlsx_value(value):
    """A cell of a workbook: numbers as numbers (Excel holds doubles), dates as dates, empty text
    as an empty cell, text neutralised and without the characters XML cannot hold."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat() if value.tzinfo else value
    if isinstance(value, date):
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class _Echo:
    """A file-like object whose write returns the line: csv.writer without a buffer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable], *, bom: bool = False) -> Iterator[str]:
    """The CSV text in blocks of rows (CRLF line ends, as RFC 4180 has them)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    block: list[str] = ["\ufeff"] if bom else []
    for row in rows:
        block.append(writer.writerow([csv_text(cell) for cell in row]))
        if len(block) >= ROWS_PER_CHUNK:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


def csv_bytes(rows: Iterable[Iterable], *, bom: bool = False) -> bytes:
    return "".join(csv_lines(rows, bom=bom)).encode("utf-8")


def csv_response(
    rows: Iterable[Iterable], *, filename: str, bom: bool = False
) -> StreamingHttpResponse:
    """A CSV attachment streamed as it is written. ``bom`` adds a byte-order mark, so that Excel
    reads UTF-8 (the £ and en dashes) right."""
    response = StreamingHttpResponse(
        (block.encode("utf-8") for block in csv_lines(rows, bom=bom)), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass
class Sheet:
    """A worksheet to write: its name and rows; ``header`` makes the first row bold and keeps it
    in view."""

    name: str
    rows: Iterable[Iterable]
    header: bool = False


def write_xlsx(sheets: Iterable[Sheet], file) -> None:
    """Write the sheets to ``file`` (a path or a binary file) with a write-only workbook: rows go
    to disk as they come, so memory does not grow with the number of rows."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        if spec.header:
            sheet.freeze_panes = "A2"
        for index, row in enumerate(spec.rows):
            cells = [xlsx_value(value) for value in row]
            if spec.header and index == 0:
                cells = [_bold(sheet, value, bold) for value in cells]
            sheet.append(cells)
    workbook.save(file)


def _bold(sheet, value, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def xlsx_response(sheets: Iterable[Sheet], *, filename: str) -> FileResponse:
    """An XLSX attachment written to a temporary file and streamed from it (the file goes when
    the response is closed)."""
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    write_xlsx(sheets, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
