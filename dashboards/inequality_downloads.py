"""The inequality lens as a download: every published value by group for the page's areas, and
each area's latest gap, with the Open Government Licence attribution on every row."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from core.context_processors import OGL_ATTRIBUTION
from dashboards.downloads import MEDIA_TYPES, plain_number
from dashboards.selectors.inequality import Lens

COLUMNS = [
    "measure",
    "place",
    "area_code",
    "dimension",
    "group",
    "period",
    "period_start",
    "period_end",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "counted_in_gap",
    "note",
    "source",
    "licence",
    "attribution",
]


def rows(lenses: list[Lens]) -> list[dict]:
    out = []
    for lens in lenses:
        for area in lens.areas:
            for cell in area.cells:
                group = cell.group
                for period_pk, figure in group.by_period.items():
                    out.append(
                        {
                            "measure": lens.measure.title,
                            "place": area.place.name,
                            "area_code": area.place.code,
                            "dimension": lens.dimension,
                            "group": group.label,
                            "_period": period_pk,
                            "value": plain_number(figure.value),
                            "lower_ci_95": plain_number(figure.lower),
                            "upper_ci_95": plain_number(figure.upper),
                            "counted_in_gap": "yes" if group.in_gap else "no",
                            "note": figure.note,
                            "source": figure.source,
                        }
                    )
            if area.gap is not None:
                out.append(
                    {
                        "measure": lens.measure.title,
                        "place": area.place.name,
                        "area_code": area.place.code,
                        "dimension": lens.dimension,
                        "group": f"Gap: {area.worse.label} minus {area.better.label}",
                        "_period": area.period.pk,
                        "value": round(area.gap.absolute, 6),
                        "lower_ci_95": "",
                        "upper_ci_95": "",
                        "counted_in_gap": "",
                        "note": f"{area.trend_label} since {area.then.label}" if area.then else "",
                        "source": "Computed here from the groups' values (see the page's method)",
                    }
                )
    return out


def response(lenses: list[Lens], fmt: str, *, slug: str) -> HttpResponse:
    periods = {pk: p for lens in lenses for pk, p in lens.periods.items()}
    table = rows(lenses)
    for row in table:
        period = periods.get(row.pop("_period"))
        row["period"] = period.label if period else ""
        row["period_start"] = period.start.isoformat() if period else ""
        row["period_end"] = period.end.isoformat() if period else ""
        row["licence"] = "Open Government Licence v3.0"
        row["attribution"] = OGL_ATTRIBUTION
    table.sort(key=lambda r: (r["place"], r["group"], r["period_start"]))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in table:
            writer.writerow({k: "" if row[k] is None else row[k] for k in COLUMNS})
        content = buffer.getvalue().encode("utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Data")
        sheet.append(COLUMNS)
        for row in table:
            sheet.append([_cell(row[k]) for k in COLUMNS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    result = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    name = f"{slug}-inequalities-{timezone.localdate():%Y-%m-%d}.{fmt}"
    result["Content-Disposition"] = f'attachment; filename="{name}"'
    return result


def _cell(value):
    if value is None or value == "":
        return None
    try:
        return float(value) if not isinstance(value, str) else value
    except (TypeError, ValueError):
        return str(value)
