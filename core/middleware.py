"""Request ids and access logs, the client's address behind proxies, and the public page cache."""

from __future__ import annotations

import functools
import ipaddress
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_response_headers
from django.utils.http import parse_http_date_safe

from core import pagecache
from core.logging import request_id_var

access_log = logging.getLogger("strategy_tracker.access")

# A load balancer's or proxy's id is reused when it looks like one; anything else is replaced,
# so that a client cannot write arbitrary text into our logs.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


class RequestIdMiddleware:
    """Gives every request an id (the incoming X-Request-ID, or a new UUID), sets it on
    `request.id`, on every log record made while serving it, and on the response; then logs one
    access line with the method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _user_id(request) -> int | None:
    """The logged-in user's id, only if authentication already ran (never a query here)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", None)
    if wrapped is None or not hasattr(wrapped, "pk"):
        return None  # not evaluated, or an unset lazy object
    return wrapped.pk


def client_ip(request) -> str:
    """The visitor's address. A connection from one of settings.TRUSTED_PROXIES (the load
    balancers) is followed back through X-Forwarded-For, right to left, to the first address that
    is not a trusted proxy: the one our own proxy saw. Anyone else is their connecting address,
    whatever X-Forwarded-For they send."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not _is_trusted(remote, networks):
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    for address in reversed(chain):
        if not _is_trusted(address, networks):
            return address
    return chain[0] if chain else remote


@functools.cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy) for proxy in proxies)


def _is_trusted(address: str, networks: tuple) -> bool:
    if not networks:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _public(request) -> bool:
    """Cache only what every anonymous visitor would see: no session, no flash messages, not
    the admin or the login pages, and only while caching is switched on."""
    if settings.PUBLIC_CACHE_SECONDS <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    path = request.path_info.lstrip("/")
    excluded = (settings.ADMIN_PATH, "accounts/", "healthz")
    return not path.startswith(excluded)


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PublicCacheFetchMiddleware:
    """Serves an anonymous GET or HEAD from the shared page cache, answering 304 when the
    visitor's If-None-Match or If-Modified-Since matches the stored copy. The key
    (core.pagecache) holds the publication version, so a publication on any server
    retires every stored copy at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._public_cache_key = None
        if request.method not in ("GET", "HEAD") or not _public(request):
            return self.get_response(request)
        key = pagecache.page_key(request, namespace="response")
        request._public_cache_key = key
        stored = cache.get(key) if key else None
        if stored is None:
            return self.get_response(request)
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=headers.get("ETag"), last_modified=last_modified, response=response
        )


class PublicCacheUpdateMiddleware:
    """Stores what PublicCacheFetchMiddleware may serve: a 200 for an anonymous visitor that sets
    no cookie, says nothing against sharing (private, no-store, no-cache, max-age=0: views that
    manage their own caching are left alone), and varies on nothing but HX-Request. Kept for
    PUBLIC_CACHE_SECONDS (not the response's max-age: the version key retires it sooner)."""

    VARY_ALLOWED = {"hx-request", "cookie", "accept-encoding"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_public_cache_key", None)
        if key and self._storable(request, response):
            patch_response_headers(response, settings.PUBLIC_CACHE_SECONDS)
            headers = {name: value for name, value in response.items()}
            if pagecache.storable(request, key):
                cache.set(key, (response.content, headers), settings.PUBLIC_CACHE_SECONDS)
        return response

    def _storable(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not _public(request) or "messages" in request.COOKIES:
            return False
        control = response.get("Cache-Control", "").lower().replace(" ", "")
        directives = set(control.split(","))
        if directives & {"private", "no-store", "no-cache", "max-age=0"}:
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return vary <= self.VARY_ALLOWED


class AnonymousGZipMiddleware(GZipMiddleware):
    """Compresses HTML and JSON for visitors who are not signed in, on responses that carry no
    CSRF token: BREACH needs a secret in a compressed body that also reflects the attacker's
    input, and these responses hold no secret (Django's own GZip also pads with random bytes).
    A signed-in page or a form with a token goes uncompressed."""

    def process_response(self, request, response):
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.cookies
        ):
            return response
        return super().process_response(request, response)
