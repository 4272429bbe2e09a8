"""Values as CSV and XLSX: the same rows, columns and numbers as the JSON listing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from api.reads import ATTRIBUTION, LICENCE, LICENCE_URL
from dashboards.downloads import plain_number
from outcomes.models import ALL_PEOPLE

COLUMNS = [
    "measure",
    "place",
    "place_code",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "value",
    "value_formatted",
    "lower_ci",
    "upper_ci",
    "numerator",
    "denominator",
    "note",
    "source",
    "published_at",
    "licence",
]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(values: Iterable) -> Iterable[list]:
    """The JSON listing's fields, flattened; numbers exactly as published (as the pages'
    downloads write them: 60.900000 -> 60.9)."""
    for value in values:
        yield [
            value.measure.slug,
            value.place.slug,
            value.place.code,
            value.period.label,
            value.period.start.isoformat(),
            value.period.end.isoformat(),
            str(value.breakdown) if value.breakdown else ALL_PEOPLE,
            plain_number(value.value),
            value.formatted,
            plain_number(value.lower_ci),
            plain_number(value.upper_ci),
            plain_number(value.numerator),
            plain_number(value.denominator),
            value.note,
            value.source,
            value.published_at.isoformat() if value.published_at else None,
            LICENCE,
        ]


def _link_header(response: HttpResponse) -> None:
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'


def csv_response(values: Iterable, *, filename: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel reads the £ and en dashes right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows(values):
        writer.writerow(["" if cell is None else cell for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    _link_header(response)
    return response


def xlsx_response(values: Iterable, *, filename: str, title: str, filters: str) -> HttpResponse:
    """A "Values" sheet and an "About" sheet with the licence, attribution and the filters."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Values"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(values):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("About")
    for line in [
        [title],
        ["Filters", filters or "none: every published value"],
        ["Licence", LICENCE],
        ["Licence terms", LICENCE_URL],
        ["Attribution", ATTRIBUTION],
    ]:
        about.append(line)
    about["A1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    _link_header(response)
    return response
