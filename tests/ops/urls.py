"""The real URLs plus a few views that fail on purpose or count queries, for tests/ops."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from outcomes.models import Value
from strategy_tracker.urls import handler500, urlpatterns  # noqa: F401 (handler500 re-exported)


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def broken(request):
    raise ValueError("a bug")


def published_count(request):
    return HttpResponse(f"<p>{Value.objects.published().count()} published values</p>")


urlpatterns = [
    path("ops-test/database-down/", database_down),
    path("ops-test/broken/", broken),
    path("ops-test/published-count/", published_count),
    *urlpatterns,
]
