from django.urls import path

from dashboards import place_views as views
from dashboards.urls import DownloadFormat  # noqa: F401  (registers the "format" converter)

app_name = "places"

urlpatterns = [
    path("places/", views.place_index, name="index"),
    path("places/<slug:slug>/", views.place_detail, name="detail"),
    path("places/<slug:slug>/download.<format:fmt>", views.place_download, name="download"),
]
