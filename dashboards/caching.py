"""HTTP caching for the public pages: validators from the latest publication, and a server-side
copy of each rendered page keyed on it.

Every public page depends on the published values (and on reference data such as measure text,
which changes rarely). One cheap query gives the latest ``published_at`` and the number of
published values; together they change whenever a value is published, corrected or withdrawn.

- ``ETag`` and ``Last-Modified`` come from that stamp, so a browser that has the page gets a
  ``304 Not Modified`` until something is published (Django's ``condition`` decorator).
- ``Vary: HX-Request``: one URL serves the page and, to htmx, its fragment.
- For visitors who are not signed in, the rendered page is kept in Django's cache under a key
  that includes the stamp: a publication changes the key, so nobody sees a stale figure. Edits to
  reference data (a measure's definition, a target) show within ``PUBLIC_PAGE_CACHE_SECONDS``.
- Signed-in users (whose header differs) and requests with a flash message waiting are never
  served from, or stored in, the shared copy.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition
from django.views.decorators.vary import vary_on_headers

from core import pagecache, publication
from dashboards.selectors import cells as cell_selectors

CACHE_VERSION = "1"
"""Bump when a template or a status rule changes, so cached pages made before are not served."""

KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def publication_stamp(request: HttpRequest):
    """The (latest published_at, count) stamp, read once per request.

    For the public it comes from the shared publication version (core.publication):
    no query on most requests, renewed at once by a publication on any server (with REDIS_URL)
    and at the latest after ``PUBLIC_STAMP_SECONDS``; signed-in users always read it fresh.
    """
    if not hasattr(request, "_publication_stamp"):
        if _signed_in(request):
            stamp = cell_selectors.publication_stamp()
        else:
            version = publication.current(request)
            stamp = (version.latest, version.count)
        request._publication_stamp = stamp
    return request._publication_stamp


def latest_publication(request: HttpRequest):
    """When a value was last published (the pages' "data last updated"), from the stamp."""
    return publication_stamp(request)[0]


def forget_publication_stamp() -> None:
    """Make the next public request read the stamp afresh, e.g. straight after publishing."""
    publication.forget()


def _has_messages(request: HttpRequest) -> bool:
    # len() loads the waiting messages without marking them as read.
    return len(get_messages(request)) > 0


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _stamp_text(request: HttpRequest) -> str:
    latest, count = publication_stamp(request)
    return f"{latest.isoformat() if latest else '-'}|{count}|{CACHE_VERSION}"


def page_etag(request: HttpRequest, *args, **kwargs) -> str | None:
    if _has_messages(request):
        return None
    who = f"user-{request.user.pk}" if _signed_in(request) else "public"
    text = f"{_stamp_text(request)}|{who}|{bool(request.htmx)}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def page_last_modified(request: HttpRequest, *args, **kwargs):
    if _has_messages(request) or _signed_in(request):
        return None  # the ETag (which knows who is signed in) decides
    latest, _ = publication_stamp(request)
    return latest


def _cache_key(request: HttpRequest) -> str | None:
    # The publication version is in the key (pagecache); the stamp text adds CACHE_VERSION.
    key = pagecache.page_key(request, namespace="public-page")
    return key and f"{key}:{CACHE_VERSION}"


def public_page(view):
    """Make a public view cacheable: validators, ``Vary: HX-Request`` and a server-side copy."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        shareable = (
            request.method in ("GET", "HEAD")
            and not _signed_in(request)
            and not _has_messages(request)
        )
        key = _cache_key(request) if shareable else None
        if key:
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return response
        response = view(request, *args, **kwargs)
        storable = key and response.status_code == 200 and not response.streaming
        if storable and pagecache.storable(request, key):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response

    conditional = condition(etag_func=page_etag, last_modified_func=page_last_modified)(cached_view)

    @wraps(view)
    def public_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        patch_cache_control(response, max_age=0, must_revalidate=True)
        return response

    return vary_on_headers("HX-Request")(public_view)
