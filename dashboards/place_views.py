"""The public pages of the areas: the system, a place and a neighbourhood, each with every
measure beside the level above it and England; a place's page lists its neighbourhoods."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards import downloads
from dashboards.caching import latest_publication, public_page
from dashboards.forms import StatusFilterForm
from dashboards.selectors import inequality as inequality_selectors
from dashboards.selectors import neighbourhoods as neighbourhood_selectors
from dashboards.selectors import place as place_selectors
from dashboards.selectors import series
from dashboards.selectors.status_filter import matching_measures
from dashboards.views import common_context, download_urls, home_crumb, with_charts


def _place_page(request: HttpRequest, slug: str, *, with_source: bool = False):
    areas = series.areas_for_dashboard()
    place = next((area for area in areas.shown if area.slug == slug), None)
    if place is None:
        place = neighbourhood_selectors.neighbourhood_or_none(slug)
        if place is None:
            raise Http404("No such place.")
        areas = neighbourhood_selectors.areas_for_neighbourhood(place, areas)
    return place_selectors.place_page(
        place,
        areas=areas,
        with_source=with_source,
        last_updated_at=latest_publication(request),
    )


@public_page
def place_index(request: HttpRequest) -> HttpResponse:
    areas = series.areas_for_dashboard()
    neighbourhoods = neighbourhood_selectors.neighbourhoods_by_place(areas.places)
    context = {
        "areas": areas,
        "cards": [(area, neighbourhoods.get(area.pk, [])) for area in areas.shown],
        "breadcrumbs": [home_crumb()],
    }
    return render(request, "dashboards/place_index.html", context)


@public_page
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _place_page(request, slug)
    status_form = StatusFilterForm(request.GET, benchmark_name=page.areas.benchmark_name)
    status = status_form.chosen()
    rows = ((row.measure.pk, [row.cell]) for row in page.rows)
    crumbs = [home_crumb(), ("Places", reverse("places:index"))]
    if page.place.kind == page.place.Kind.NEIGHBOURHOOD:
        crumbs.append((page.areas.system.name, page.areas.system.get_absolute_url()))
    neighbourhoods = neighbourhood_selectors.neighbourhoods_of(page.place)
    wanted = request.GET.get("measure", "")
    chosen = next((row.measure for row in page.rows if row.measure.slug == wanted), None)
    across = None
    if chosen is not None and neighbourhoods:
        across = neighbourhood_selectors.measure_across_neighbourhoods(
            chosen, page.place, neighbourhoods, page.areas
        )
    context = {
        "page": page,
        "status_form": status_form,
        "matching": matching_measures(rows, status) if status else None,
        "neighbourhoods": neighbourhoods,
        "across": across,
        "measure_error": bool(wanted) and chosen is None,
        "lenses": with_charts(inequality_selectors.place_lenses(page.rows)),
        "breadcrumbs": crumbs,
        **common_context(page.areas),
        **download_urls("places:download", slug),
    }
    return render(request, "dashboards/place_detail.html", context)


@public_page
def place_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    page = _place_page(request, slug, with_source=True)
    return downloads.response(downloads.place_download(page), fmt, url=request.build_absolute_uri())
