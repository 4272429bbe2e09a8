from django.urls import path

from dashboards import compare_views, search_views
from dashboards.urls import DownloadFormat  # noqa: F401  (registers the "format" converter)

urlpatterns = [
    path("compare/", compare_views.compare, name="compare"),
    path("compare/download.<format:fmt>", compare_views.compare_download, name="compare-download"),
]

urlpatterns += [path("search/", search_views.search, name="search")]
