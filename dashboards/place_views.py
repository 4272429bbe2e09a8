"""A place's public page: every measure for one place, beside the system and England."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards import downloads
from dashboards.caching import latest_publication, public_page
from dashboards.forms import StatusFilterForm
from dashboards.selectors import place as place_selectors
from dashboards.selectors import series
from dashboards.selectors.status_filter import matching_measures
from dashboards.views import common_context, download_urls, home_crumb


def _place_page(request: HttpRequest, slug: str, *, with_source: bool = False):
    areas = series.areas_for_dashboard()
    place = next((area for area in areas.shown if area.slug == slug), None)
    if place is None:
        raise Http404("No such place.")
    return place_selectors.place_page(
        place,
        areas=areas,
        with_source=with_source,
        last_updated_at=latest_publication(request),
    )


@public_page
def place_index(request: HttpRequest) -> HttpResponse:
    areas = series.areas_for_dashboard()
    return render(
        request, "dashboards/place_index.html", {"areas": areas, "breadcrumbs": [home_crumb()]}
    )


@public_page
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _place_page(request, slug)
    status_form = StatusFilterForm(request.GET, benchmark_name=page.areas.benchmark_name)
    status = status_form.chosen()
    rows = ((row.measure.pk, [row.cell]) for row in page.rows)
    context = {
        "page": page,
        "status_form": status_form,
        "matching": matching_measures(rows, status) if status else None,
        "breadcrumbs": [home_crumb(), ("Places", reverse("places:index"))],
        **common_context(page.areas),
        **download_urls("places:download", slug),
    }
    return render(request, "dashboards/place_detail.html", context)


@public_page
def place_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    page = _place_page(request, slug, with_source=True)
    return downloads.response(downloads.place_download(page), fmt, url=request.build_absolute_uri())
