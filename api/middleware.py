"""HTTP behaviour of the open data API (/api/), in one small middleware:

- CORS for reading: ``Access-Control-Allow-Origin: *`` on GET and HEAD responses, and an answer
  to browsers' preflight requests that allows GET only. No credentials are ever allowed: the API
  has nothing private, and a wildcard origin cannot be combined with credentials anyway.
- Conditional GET: a strong ``ETag`` (a hash of the body) and, where the response says when its
  data was last published, ``Last-Modified``; ``If-None-Match`` / ``If-Modified-Since`` then get
  ``304 Not Modified`` (Django's own ``get_conditional_response``).
- ``Cache-Control: public, max-age=300``: the data is public and changes when officers publish.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Content-Disposition"
MAX_AGE_SECONDS = 300


class ApiHttpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self._preflight()
        response = self.get_response(request)
        if request.method in READ_METHODS:
            if response.status_code == 200 and not response.streaming:
                response = self._conditional(request, response)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    @staticmethod
    def _preflight() -> HttpResponse:
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = "86400"
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # api.reads.last_published() leaves the stamp on the request for this.
        last_published = getattr(request, "_api_last_published", None)
        last_modified = int(last_published.timestamp()) if last_published else None
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
        set_response_etag(response)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
