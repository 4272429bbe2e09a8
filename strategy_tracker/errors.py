"""The server-error handler: a database outage is a 503 ("try again shortly"), anything else a 500.

Django calls `handler500` from inside its exception handling, whichever layer raised (a view, a
template, the session middleware saving), so `sys.exc_info()` says what went wrong. The pages are
rendered without a RequestContext, as Django's own `server_error` does: context processors could
touch the very database that is down.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import TemplateDoesNotExist, loader
from django.views.decorators.csrf import requires_csrf_token

from core.context_processors import OGL_ATTRIBUTION

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_is_down(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, DATABASE_DOWN):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _render(template_name: str, status: int, fallback: str) -> HttpResponse:
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_SHORT_NAME": settings.SITE_SHORT_NAME,
        "OGL_ATTRIBUTION": OGL_ATTRIBUTION,
        "error_page": True,
    }
    try:
        body = loader.get_template(template_name).render(context)
    except TemplateDoesNotExist:
        body = f"<!doctype html><title>{fallback}</title><h1>{fallback}</h1>"
    return HttpResponse(body, status=status)


@requires_csrf_token
def server_error(request, template_name: str = "500.html") -> HttpResponse:
    if database_is_down(sys.exc_info()[1]):
        response = _render("503.html", 503, "Sorry, the service is unavailable")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _render(template_name, 500, "Sorry, there is a problem with the service")


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: 429 and a page saying for how long."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
