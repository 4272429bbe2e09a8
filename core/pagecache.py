"""Keys for the public page cache, bounded against junk query strings.

A key holds the publication version (``core.publication``), the host, the path, the
HTMX flag and the query string reduced to the parameters the public pages and the API read
(``settings.PAGE_CACHE_PARAMS``), sorted. So:

- ``?utm_source=x`` or ``?junk=123`` is served the real page's copy (the parameter is not in the
  key), and such a response is never stored (:func:`storable`), so a junk parameter cannot leak
  into a stored page's links either;
- a known parameter with a value that is not a plain slug, number or date is neither served from
  nor stored in the cache;
- each path keeps at most ``PAGE_CACHE_VARIANTS`` query-string variants per publication version
  (a shared counter): past that, the variant is served afresh and not stored, so junk values of a
  known parameter cannot multiply entries without limit or push the real pages out.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache

from core import publication

_VALUE = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")
MAX_PARAMS = 8


def normalised_query(request) -> str | None:
    """The known parameters, sorted, as a string; None when one of them cannot be keyed."""
    known = set(settings.PAGE_CACHE_PARAMS)
    pairs = []
    for name, values in request.GET.lists():
        if name not in known:
            continue
        for value in values:
            if not _VALUE.match(value):
                return None
            pairs.append((name, value))
    if len(pairs) > MAX_PARAMS:
        return None
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def has_unknown_params(request) -> bool:
    known = set(settings.PAGE_CACHE_PARAMS)
    return any(name not in known for name in request.GET)


def page_key(request, *, namespace: str) -> str | None:
    """The cache key for this request's page, or None when it should not use the cache."""
    query = normalised_query(request)
    if query is None:
        return None
    version = publication.current(request).token
    hx = "1" if request.headers.get("HX-Request") else "0"
    text = f"{request.get_host()}|{request.path}|{query}|{hx}"
    digest = hashlib.sha256(text.encode()).hexdigest()[:40]
    return f"{namespace}:{version}:{digest}"


def storable(request, key: str) -> bool:
    """Whether a response for this request may be stored under `key` (see the module notes)."""
    if has_unknown_params(request):
        return False
    if not request.GET:
        return True
    version = publication.current(request).token
    counter = f"page-variants:{version}:" + hashlib.sha256(request.path.encode()).hexdigest()[:24]
    cache.add(counter, 0, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    try:
        used = cache.incr(counter)
    except ValueError:  # expired a moment ago
        return False
    return used <= settings.PAGE_CACHE_VARIANTS
