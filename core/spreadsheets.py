"""The one CSV and XLSX writer: every file the app writes goes through here.

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
import tempfile
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
