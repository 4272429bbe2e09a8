"""The API's documentation for people: an NHS.UK page rendered on the server from the very
OpenAPI schema that /api/v1/openapi.json serves (no CDN, no script, so a strict CSP holds)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from api.docs import operations
from api.endpoints import api
from api.reads import ATTRIBUTION, LICENCE, LICENCE_URL


@require_safe
def docs(request):
    schema = api.get_openapi_schema(path_prefix=request.path.rsplit("docs", 1)[0].rstrip("/"))
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "operations": operations(schema),
            "openapi_url": request.build_absolute_uri("openapi.json"),
            "base_url": request.build_absolute_uri("./"),
            "site_url": request.build_absolute_uri("/").rstrip("/"),
            "attribution": ATTRIBUTION,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
        },
    )
