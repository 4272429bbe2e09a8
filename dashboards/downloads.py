"""CSV and XLSX downloads of what each public page shows: the published values with their period
labels, intervals, statuses and metadata, and the Open Government Licence attribution.

The CSV stays strictly machine-readable (one header row, then one row per value): the licence
and the attribution are columns on every row, so any subset of rows still carries them; there
are no comment lines for a CSV reader to trip on. The XLSX has the same rows on a "Data" sheet
and an "About" sheet with the title, the attribution, each measure's metadata and the methods.

Numbers are the published figures exactly as stored (not rounded for display); a value that was
not published is an empty cell with a note, never zero.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

from core import spreadsheets
from core.context_processors import OGL_ATTRIBUTION
from dashboards.selectors.cells import Cell, compare
from dashboards.selectors.measure import MeasurePage
from dashboards.selectors.outcome import OutcomePage
from dashboards.selectors.place import PlacePage
from methods import base, describe, intervals
from methods.periods import period_label
from outcomes.models import Measure, Value
from places.models import Place

COLUMNS = [
    "outcome",
    "measure",
    "place",
    "area_code",
    "period",
    "period_start",
    "period_end",
    "breakdown",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "numerator",
    "denominator",
    "unit",
    "polarity",
    "compared_with_england",
    "trend",
    "target",
    "target_value",
    "target_date",
    "note",
    "source",
    "source_detail",
    "licence",
    "attribution",
]
"""Every download's columns. ``compared_with_england`` is given for each value (against England
in the same period); ``trend`` and ``target`` describe a whole series, so they are given on the
latest row of each series shown on the page and left empty on earlier rows."""

DATE_COLUMNS = {"period_start", "period_end", "target_date"}
NUMBER_COLUMNS = {"value", "lower_ci_95", "upper_ci_95", "numerator", "denominator", "target_value"}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(MEDIA_TYPES)


@dataclass
class Download:
    """A table to download: its title, rows and the measures it draws on."""

    title: str
    filename: str
    rows: list[dict]
    measures: list[Measure]
    about: list[tuple[str, str]]


def plain_number(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the trailing zeros of its column (60.900000 -> 60.9)."""
    if value is None:
        return None
    normalised = value.normalize()
    # normalize() writes 100 as 1E+2; quantize back to a whole number keeps it plain.
    if normalised == normalised.to_integral():
        return normalised.quantize(Decimal(1))
    return normalised


def _status_label(status, benchmark_name: str = "England") -> str:
    return base.status_label(status, benchmark_name)


def _row(
    *,
    measure: Measure,
    place: Place,
    period_start: date,
    period_end: date,
    period_type: str,
    breakdown: str,
    value: Decimal | None,
    lower: Decimal | None,
    upper: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    note: str,
    source_detail: str,
    compared: str,
    cell: Cell | None = None,
) -> dict:
    no_value = "No value published for this period." if value is None else ""
    row = {
        "outcome": measure.outcome.title,
        "measure": measure.title,
        "place": place.name,
        "area_code": place.code,
        "period": period_label(period_start, period_end, period_type),
        "period_start": period_start,
        "period_end": period_end,
        "breakdown": breakdown,
        "value": plain_number(value),
        "lower_ci_95": plain_number(lower),
        "upper_ci_95": plain_number(upper),
        "numerator": plain_number(numerator),
        "denominator": plain_number(denominator),
        "unit": measure.unit_label,
        "polarity": measure.get_polarity_display(),
        "compared_with_england": compared,
        "trend": "",
        "target": "",
        "target_value": None,
        "target_date": None,
        "note": " ".join(part for part in (no_value, note) if part),
        "source": measure.source,
        "source_detail": source_detail,
        "licence": measure.licence,
        "attribution": OGL_ATTRIBUTION,
    }
    if cell is not None:
        row["trend"] = _status_label(cell.trend.status)
        if cell.target is not None:
            row["target"] = _status_label(cell.target_assessment.status)
            row["target_value"] = plain_number(cell.target.value)
            row["target_date"] = cell.target.target_date
    return row


def cell_rows(cells: Iterable[Cell]) -> list[dict]:
    """A row per published value in each cell's series, with statuses as the page shows them."""
    rows = []
    for cell in cells:
        latest = cell.latest
        for point in cell.points:
            rows.append(
                _row(
                    measure=cell.measure,
                    place=cell.place,
                    period_start=point.period.start,
                    period_end=point.period.end,
                    period_type=point.period.type,
                    breakdown="All people",
                    value=point.value,
                    lower=point.lower,
                    upper=point.upper,
                    numerator=point.numerator,
                    denominator=point.denominator,
                    note=point.note,
                    source_detail=point.source,
                    compared="" if cell.is_benchmark else _status_label(cell.compare_point(point)),
                    cell=cell if point is latest and not cell.is_benchmark else None,
                )
            )
    return rows


def measure_download(page: MeasurePage) -> Download:
    """Every published value of the measure: every area, every breakdown, every period.

    The rows the page shows (the system, its places and the benchmarks, for all people) carry the
    page's statuses; other published values (other areas, breakdowns) carry the comparison with
    England in the same period and breakdown. One query.
    """
    measure = page.measure
    values = list(
        Value.objects.published()
        .for_measure(measure)
        .select_related("place", "period", "breakdown")
        .order_by(
            "place__order",
            "place__name",
            "breakdown__dimension",
            "breakdown__order",
            "breakdown__category",
            "period__start",
            "period__end",
        )
    )
    cells = {cell.place.pk: cell for cell in page.all_cells}
    benchmark = page.areas.benchmark
    england = {
        (v.period_id, v.breakdown_id): v.value
        for v in values
        if benchmark is not None and v.place_id == benchmark.pk
    }
    rows = []
    for v in values:
        cell = cells.get(v.place_id) if v.breakdown_id is None else None
        is_benchmark = benchmark is not None and v.place_id == benchmark.pk
        if is_benchmark:
            compared = ""
        else:
            interval = (
                intervals.interval_for(
                    measure.value_kind, v.value, v.lower_ci, v.upper_ci, v.numerator, v.denominator
                )
                if v.value is not None
                else None
            )
            compared = _status_label(
                compare(measure, v.value, interval, england.get((v.period_id, v.breakdown_id)))
            )
        is_latest = (
            cell is not None and cell.latest is not None and cell.latest.period.pk == v.period_id
        )
        rows.append(
            _row(
                measure=measure,
                place=v.place,
                period_start=v.period.start,
                period_end=v.period.end,
                period_type=v.period.type,
                breakdown=v.breakdown_label,
                value=v.value,
                lower=v.lower_ci,
                upper=v.upper_ci,
                numerator=v.numerator,
                denominator=v.denominator,
                note=v.note,
                source_detail=v.source,
                compared=compared,
                cell=cell if is_latest and not is_benchmark else None,
            )
        )
    return Download(
        title=f"{measure.title}: every published value",
        filename=measure.slug,
        rows=rows,
        measures=[measure],
        about=[],
    )


def outcome_download(page: OutcomePage) -> Download:
    cells = [
        cell
        for row in page.rows
        for cell in [*row.cells, *(c for c in (row.benchmark, row.region) if c)]
    ]
    where = page.columns[0].name if len(page.columns) == 1 else "every place"
    return Download(
        title=f"{page.outcome.title}: published values for {where}",
        filename=page.outcome.slug + (f"-{page.columns[0].slug}" if len(page.columns) == 1 else ""),
        rows=cell_rows(cells),
        measures=[row.measure for row in page.rows],
        about=[("Outcome", page.outcome.title), ("Ambition", page.outcome.ambition)],
    )


def place_download(page: PlacePage) -> Download:
    cells = [
        cell
        for row in page.rows
        for cell in (row.cell, row.system, row.benchmark, row.region)
        if cell is not None
    ]
    return Download(
        title=f"{page.place.name}: published values for every measure",
        filename=page.place.slug,
        rows=cell_rows(cells),
        measures=[row.measure for row in page.rows],
        about=[("Area", f"{page.place.name} ({page.place.code})")],
    )


# -------------------------------------------------------------------------------------------------
# Writing the files
# -------------------------------------------------------------------------------------------------


def _data_rows(download: Download) -> Iterator[list]:
    yield COLUMNS
    for row in download.rows:
        yield [row[name] for name in COLUMNS]


def _about_rows(download: Download, *, url: str) -> Iterator[list]:
    generated = timezone.localtime().strftime("%-d %B %Y %H:%M")
    yield [download.title]
    yield ["Attribution", OGL_ATTRIBUTION]
    yield ["Licence", "Open Government Licence v3.0"]
    yield [
        "Licence link",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ]
    if url:
        yield ["Page", url]
    yield ["Downloaded", generated]
    yield from ([label, text] for label, text in download.about)
    yield []
    yield ["About the statistics"]
    yield from (["", paragraph] for paragraph in describe.about_the_statistics())
    yield []
    yield ["Measures"]
    yield [
        "measure",
        "definition",
        "why it matters",
        "unit",
        "polarity",
        "source",
        "source link",
        "owning organisation",
        "licence",
        "update frequency",
        "next update due",
    ]
    for measure in download.measures:
        yield [
            measure.title,
            measure.definition,
            measure.why_it_matters,
            measure.unit_label,
            measure.get_polarity_display(),
            measure.source,
            measure.source_url,
            measure.owner_organisation,
            measure.licence,
            measure.get_update_frequency_display(),
            measure.next_update_due,
        ]


def _sheets(download: Download, *, url: str) -> list[spreadsheets.Sheet]:
    return [
        spreadsheets.Sheet("Data", _data_rows(download)),
        spreadsheets.Sheet("About", _about_rows(download, url=url)),
    ]


def response(download: Download, fmt: str, *, url: str = "") -> HttpResponse:
    """The download as an attachment, named after the page and the date, written by the shared
    (formula-safe) writer. A page's download is no bigger than the page's own data, so it is
    written whole, and the page cache can keep it."""
    if fmt == "csv":
        # Plain UTF-8 without a byte order mark, for the programs that read it; people using
        # Excel have the XLSX.
        content = spreadsheets.csv_bytes(_data_rows(download))
    else:
        buffer = io.BytesIO()
        spreadsheets.write_xlsx(_sheets(download, url=url), buffer)
        content = buffer.getvalue()
    result = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    filename = f"{download.filename}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result
