"""The public pages: the overview, an outcome, a measure; and their downloads. Thin views: each
asks a selector for its page's grid and renders it. Every page is cacheable (see caching.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from outcomes import charts, downloads, selectors, stats
from outcomes.caching import public_page
from outcomes.forms import PlaceFilterForm
from outcomes.models import Measure, Outcome


def common_context(areas: selectors.Areas) -> dict:
    """What every public page shows beside its data: the key and the statistics note."""
    return {
        "about": stats.about_the_statistics(areas.benchmark_name),
        "key": selectors.status_key(areas.benchmark_name),
    }


def download_urls(name: str, *args, query: str = "") -> dict:
    suffix = f"?{query}" if query else ""
    return {f"{fmt}_url": reverse(name, args=[*args, fmt]) + suffix for fmt in downloads.FORMATS}


@public_page
def home(request: HttpRequest) -> HttpResponse:
    page = selectors.overview()
    return render(request, "home.html", {"page": page, **common_context(page.areas)})


def _outcome_page(request: HttpRequest, slug: str):
    outcome = get_object_or_404(Outcome, slug=slug)
    areas = selectors.areas_for_dashboard()
    form = PlaceFilterForm(request.GET or None, areas=areas)
    place = form.cleaned_data["place"] if form.is_valid() else None
    return form, selectors.outcome_page(outcome, areas=areas, place=place)


@public_page
def outcome_detail(request: HttpRequest, slug: str) -> HttpResponse:
    form, page = _outcome_page(request, slug)
    query = f"place={page.columns[0].slug}" if len(page.columns) == 1 else ""
    template = "outcomes/outcome_detail.html" + ("#measure-panel" if request.htmx else "")
    context = {
        "page": page,
        "form": form,
        **common_context(page.areas),
        **download_urls("outcomes:outcome-download", slug, query=query),
    }
    return render(request, template, context)


@public_page
def outcome_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _form, page = _outcome_page(request, slug)
    download = downloads.outcome_download(page)
    return downloads.response(download, fmt, url=request.build_absolute_uri())


def _measure_page(slug: str) -> selectors.MeasurePage:
    measure = get_object_or_404(Measure.objects.for_dashboard(), slug=slug)
    return selectors.measure_page(measure, areas=selectors.areas_for_dashboard())


@public_page
def measure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _measure_page(slug)
    context = {
        "page": page,
        "time_series": charts.time_series_figure(page),
        "comparison": charts.comparison_figure(page),
        **common_context(page.areas),
        **download_urls("outcomes:measure-download", slug),
    }
    return render(request, "outcomes/measure_detail.html", context)


@public_page
def measure_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    download = downloads.measure_download(_measure_page(slug))
    return downloads.response(download, fmt, url=request.build_absolute_uri())
