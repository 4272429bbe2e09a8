from django.urls import path

from outcomes.urls import DownloadFormat  # noqa: F401  (registers the "format" converter)
from places import views

app_name = "places"

urlpatterns = [
    path("places/<slug:slug>/", views.place_detail, name="detail"),
    path("places/<slug:slug>/download.<format:fmt>", views.place_download, name="download"),
]
