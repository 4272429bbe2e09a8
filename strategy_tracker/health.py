"""`/healthz` for a load balancer: 200 when the database answers, 503 when it does not.

Answered by a middleware placed before Django's host and HTTPS checks, because load balancers
probe over plain HTTP with the server's own address as the Host.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connection
from django.http import JsonResponse

log = logging.getLogger(__name__)

PATH = "/healthz"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        log.warning("health check: database unreachable", exc_info=True)
        return False


def healthz() -> JsonResponse:
    started = time.perf_counter()
    ok = database_ok()
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if ok else "unreachable",
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH and request.method in ("GET", "HEAD"):
            return healthz()
        return self.get_response(request)
