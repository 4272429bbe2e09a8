"""The public pages: the overview, an outcome, a measure; and their downloads. Thin views: each
asks a selector for its page's grid and renders it. Every page is cacheable (see caching.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from commitments.selectors import commitments_for_outcome
from core import svg_chart
from dashboards import (
    charts,
    downloads,
    inequality_charts,
    inequality_downloads,
    spc_charts,
)
from dashboards.caching import latest_publication, public_page
from dashboards.forms import ChartAreasForm, PlaceFilterForm, StatusFilterForm
from dashboards.selectors import inequality as inequality_selectors
from dashboards.selectors import measure as measure_selectors
from dashboards.selectors import national as national_selectors
from dashboards.selectors import national_map
from dashboards.selectors import outcome as outcome_selectors
from dashboards.selectors import overview as overview_selectors
from dashboards.selectors.cells import status_key
from dashboards.selectors.series import Areas, areas_for_dashboard
from dashboards.selectors.status_filter import matching_measures
from methods import describe
from outcomes.models import Measure, Outcome
from outcomes.revisions import revision_log


def common_context(areas: Areas) -> dict:
    """What every public page shows beside its data: the key and the statistics note."""
    return {
        "about": describe.about_the_statistics(areas.benchmark_name),
        "key": status_key(areas.benchmark_name),
    }


def download_urls(name: str, *args, query: str = "") -> dict:
    suffix = f"?{query}" if query else ""
    return {f"{fmt}_url": reverse(name, args=[*args, fmt]) + suffix for fmt in downloads.FORMATS}


def home_crumb() -> tuple[str, str]:
    return ("Home", reverse("home"))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    page = overview_selectors.overview(last_updated_at=latest_publication(request))
    status_form = StatusFilterForm(request.GET, benchmark_name=page.areas.benchmark_name)
    status = status_form.chosen()
    rows = ((row.measure.pk, row.cells) for row in page.rows)
    context = {
        "page": page,
        "status_form": status_form,
        "matching": matching_measures(rows, status) if status else None,
        "inequality_measures": inequality_selectors.measures_with_groups(),
        **common_context(page.areas),
    }
    return render(request, "home.html", context)


@public_page
def outcome_index(request: HttpRequest) -> HttpResponse:
    outcomes = outcome_selectors.outcomes_with_measures()
    context = {"outcomes": outcomes, "breadcrumbs": [home_crumb()]}
    return render(request, "dashboards/outcome_index.html", context)


def _outcome_page(request: HttpRequest, slug: str, *, with_source: bool = False):
    outcome = get_object_or_404(Outcome, slug=slug)
    areas = areas_for_dashboard()
    form = PlaceFilterForm(request.GET or None, areas=areas)
    place = form.cleaned_data["place"] if form.is_valid() else None
    page = outcome_selectors.outcome_page(
        outcome,
        areas=areas,
        place=place,
        with_source=with_source,
        last_updated_at=latest_publication(request),
    )
    return form, page


@public_page
def outcome_detail(request: HttpRequest, slug: str) -> HttpResponse:
    form, page = _outcome_page(request, slug)
    query = f"place={page.columns[0].slug}" if len(page.columns) == 1 else ""
    template = "dashboards/outcome_detail.html" + ("#measure-panel" if request.htmx else "")
    context = {
        "page": page,
        "form": form,
        "breadcrumbs": [home_crumb(), ("Outcomes", reverse("outcomes:index"))],
        **common_context(page.areas),
        **download_urls("outcomes:outcome-download", slug, query=query),
    }
    if not request.htmx:  # the swapped panel shows the measures only
        context["commitments"] = commitments_for_outcome(page.outcome)
        context["today"] = timezone.localdate()
    return render(request, template, context)


@public_page
def outcome_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _form, page = _outcome_page(request, slug, with_source=True)
    download = downloads.outcome_download(page)
    return downloads.response(download, fmt, url=request.build_absolute_uri())


def _measure_page(slug: str) -> measure_selectors.MeasurePage:
    measure = get_object_or_404(Measure.objects.for_dashboard(), slug=slug)
    return measure_selectors.measure_page(measure, areas=areas_for_dashboard())


@public_page
def measure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _measure_page(slug)
    outcome = page.measure.outcome
    chart_form = ChartAreasForm(request.GET, areas=page.areas)
    shown, band = chart_form.chosen()
    time_series = charts.show_only(charts.time_series_figure(page), areas=shown, band=band)
    comparison = charts.comparison_figure(page)
    context = {
        "page": page,
        "breadcrumbs": [
            home_crumb(),
            ("Outcomes", reverse("outcomes:index")),
            (outcome.title, outcome.get_absolute_url()),
        ],
        "chart_form": chart_form,
        "time_series": time_series,
        "time_series_svg": svg_chart.render(time_series),
        "time_series_label": charts.time_series_label(page),
        "comparison": comparison,
        "comparison_svg": svg_chart.render(comparison) if comparison else None,
        "comparison_label": charts.comparison_label(page),
        "revision_log": revision_log(page.measure),
        "spc": spc_charts.spc_panels(page),
        "lenses": _lenses(page),
        "inequality_csv_url": reverse("outcomes:measure-inequalities", args=[slug, "csv"]),
        "inequality_xlsx_url": reverse("outcomes:measure-inequalities", args=[slug, "xlsx"]),
        "national": national_selectors.measure_context(page.measure, page.areas.all),
        # England's map (dashboards.choropleth), one query.
        "national_map": national_map.measure_map(page.measure, areas=page.areas),
        **common_context(page.areas),
        **download_urls("outcomes:measure-download", slug),
    }
    return render(request, "dashboards/measure_detail.html", context)


def _lenses(page: measure_selectors.MeasurePage) -> list[inequality_selectors.Lens]:
    return with_charts(inequality_selectors.lenses_for_cells(page.measure, page.all_cells))


def with_charts(lenses: list[inequality_selectors.Lens]) -> list[inequality_selectors.Lens]:
    """Each lens with its chart and the chart's accessible name."""
    for lens in lenses:
        lens.figure = inequality_charts.lens_figure(lens)
        lens.label = inequality_charts.lens_label(lens)
    return lenses


@public_page
def measure_inequalities_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    page = _measure_page(slug)
    lenses = inequality_selectors.lenses_for_cells(page.measure, page.all_cells)
    return inequality_downloads.response(lenses, fmt, slug=slug)


@public_page
def measure_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    download = downloads.measure_download(_measure_page(slug))
    return downloads.response(download, fmt, url=request.build_absolute_uri())
