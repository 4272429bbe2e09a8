"""A place's public page: every measure for one place, beside the system and England."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from outcomes import downloads, selectors
from outcomes.caching import public_page
from outcomes.views import common_context, download_urls


def _place_page(slug: str) -> selectors.PlacePage:
    areas = selectors.areas_for_dashboard()
    place = next((area for area in areas.shown if area.slug == slug), None)
    if place is None:
        raise Http404("No such place.")
    return selectors.place_page(place, areas=areas)


@public_page
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _place_page(slug)
    context = {
        "page": page,
        **common_context(page.areas),
        **download_urls("places:download", slug),
    }
    return render(request, "places/place_detail.html", context)


@public_page
def place_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    page = _place_page(slug)
    return downloads.response(downloads.place_download(page), fmt, url=request.build_absolute_uri())
