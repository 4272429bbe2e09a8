"""Request ids and access logs, the client's address behind proxies, and the public page cache."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.middleware.gzip import GZipMiddleware

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
    """The visitor's address: the connecting one, or, behind TRUSTED_PROXY_COUNT proxies that each
    append to X-Forwarded-For, the address the outermost trusted proxy saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < proxies:
        return remote
    return chain[-proxies]


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


class PublicCacheUpdateMiddleware(UpdateCacheMiddleware):
    """Django's cache middleware, limited to public pages and to responses that set no cookie."""

    def process_response(self, request, response):
        if response.cookies or not _public(request):
            return response
        self.cache_timeout = settings.PUBLIC_CACHE_SECONDS
        return super().process_response(request, response)


class PublicCacheFetchMiddleware(FetchFromCacheMiddleware):
    def process_request(self, request):
        if not _public(request):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


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
