"""Compare areas: pick any areas and a measure, see them side by side over time. Every view is a
GET link (the address reproduces it); htmx swaps only the list of matching areas as one types."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

from dashboards.compare_forms import CompareForm
from dashboards.downloads import MEDIA_TYPES, plain_number
from dashboards.selectors import national_compare

COLUMNS = [
    "area_code",
    "area_name",
    "indicator",
    "unit",
    "period",
    "period_start",
    "period_end",
    "value",
    "lower_ci_95",
    "upper_ci_95",
    "rank_highest_first",
    "ranked_among",
    "kind_of_area",
    "source",
    "attribution",
]


def _form(request: HttpRequest) -> CompareForm:
    return CompareForm(request.GET, indicators=national_compare.indicator_choices())


def _query(form: CompareForm) -> str:
    query = QueryDict(mutable=True)
    query.setlist("area", [p.code for p in form.places])
    if form.chosen_indicator:
        query["indicator"] = str(form.chosen_indicator.pk)
    return query.urlencode()


def compare(request: HttpRequest) -> HttpResponse:
    return _page(request, _form(request))


def _page(request: HttpRequest, form: CompareForm, *, status: int = 200) -> HttpResponse:
    valid = form.is_valid()
    text = form.cleaned_data.get("q", "") if valid else ""
    chosen = [p.code for p in form.places]
    context = {
        "form": form,
        "matches": national_compare.find_areas(text, exclude=chosen) if text else [],
        "searched": bool(text),
        "chosen": form.places,
        "max_areas": national_compare.MAX_AREAS,
        "breadcrumbs": [("Home", reverse("home"))],
    }
    if request.htmx and request.htmx.target == "area-matches":
        return render(request, "dashboards/compare.html#area-matches", context)
    if form.ready:
        comparison = national_compare.compare(form.chosen_indicator, form.places)
        query = _query(form)
        context.update(
            comparison=comparison,
            figure=comparison.figure(),
            share_url=f"{reverse('compare')}?{query}",
            csv_url=f"{reverse('compare-download', args=['csv'])}?{query}",
            xlsx_url=f"{reverse('compare-download', args=['xlsx'])}?{query}",
        )
    return render(request, "dashboards/compare.html", context, status=status)


def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    if not form.ready:
        if form.is_valid() and not form.errors:
            form.add_error(None, "Choose at least one area and a measure to download.")
        return _page(request, form, status=400)
    comparison = national_compare.compare(form.chosen_indicator, form.places)
    rows = national_compare.download_rows(comparison)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: _plain(row[k]) for k in COLUMNS} for row in rows)
        content = buffer.getvalue().encode("utf-8")
    else:
        content = _xlsx(comparison, rows, url=request.build_absolute_uri())
    response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
    name = slugify(f"compare {comparison.indicator}")[:80]
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    )
    return response


def _plain(value):
    if value is None:
        return ""
    return plain_number(value) if isinstance(value, Decimal) else value


def _xlsx(comparison, rows: list[dict], *, url: str) -> bytes:
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("Data")
    data.append(COLUMNS)
    for row in rows:
        data.append([float(v) if hasattr(v, "as_tuple") else v for v in (row[k] for k in COLUMNS)])
    about = workbook.create_sheet("About")
    dataset = comparison.indicator.dataset
    about.append([f"{comparison.indicator}: areas compared"])
    about.append(["Attribution", comparison.attribution])
    about.append(["Source", dataset.source_org])
    about.append(["Source link", dataset.source_url])
    about.append(["Released", dataset.release_date])
    about.append(["Description", comparison.indicator.long_description])
    about.append(["Caveats", comparison.indicator.caveats or dataset.caveats])
    about.append(["Rank", "1 is the highest value among England's areas of the same kind."])
    about.append(["Page", url])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
