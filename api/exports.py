"""Values as CSV and XLSX: the same rows, columns and numbers as the JSON listing.

Written by the shared writer (``core.spreadsheets``): formula-safe, the CSV streamed a block of
rows at a time and the XLSX from a write-only workbook, with the rows read from the database in
chunks, so a worker's memory does not grow with the download. A download holds at most
``settings.EXPORT_MAX_ROWS`` values; a larger selection is refused with a message saying how to
narrow it (or page through the JSON listing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.http.response import HttpResponseBase

from api.reads import ATTRIBUTION, LICENCE, LICENCE_URL
from core import spreadsheets
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

XLSX_TYPE = spreadsheets.XLSX_TYPE
CHUNK = 2000


class TooManyRows(Exception):
    """The selection is larger than a download may be."""

    def __init__(self, count: int, limit: int):
        self.count, self.limit = count, limit
        super().__init__(
            f"This selection has {count:,} published values; a download holds at most "
            f"{limit:,}. Narrow it with measure, place, period_from or period_to, or page "
            "through /api/v1/values with limit and offset."
        )


def check_size(values) -> None:
    """Refuse a selection larger than ``EXPORT_MAX_ROWS`` (one COUNT query) before writing."""
    limit = settings.EXPORT_MAX_ROWS
    count = values.count()
    if count > limit:
        raise TooManyRows(count, limit)


def rows(values) -> Iterator[list]:
    """The header, then the JSON listing's fields, flattened; numbers exactly as published (as
    the pages' downloads write them: 60.900000 -> 60.9). Read in chunks."""
    yield COLUMNS
    for value in values.iterator(chunk_size=CHUNK):
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


def _link_header(response: HttpResponseBase) -> HttpResponseBase:
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def csv_response(values, *, filename: str) -> HttpResponseBase:
    """UTF-8 with a byte-order mark, so that Excel reads the £ and en dashes right."""
    check_size(values)
    response = spreadsheets.csv_response(rows(values), filename=f"{filename}.csv", bom=True)
    return _link_header(response)


def _about(title: str, filters: str) -> Iterable[list]:
    return [
        [title],
        ["Filters", filters or "none: every published value"],
        ["Licence", LICENCE],
        ["Licence terms", LICENCE_URL],
        ["Attribution", ATTRIBUTION],
    ]


def xlsx_response(values, *, filename: str, title: str, filters: str) -> HttpResponseBase:
    """A "Values" sheet and an "About" sheet with the licence, attribution and the filters."""
    check_size(values)
    response = spreadsheets.xlsx_response(
        [
            spreadsheets.Sheet("Values", rows(values), header=True),
            spreadsheets.Sheet("About", _about(title, filters)),
        ],
        filename=f"{filename}.xlsx",
    )
    return _link_header(response)
