from django.urls import path, register_converter

from dashboards import views


class DownloadFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadFormat, "format")

app_name = "outcomes"

urlpatterns = [
    path("outcomes/", views.outcome_index, name="index"),
    path("outcomes/<slug:slug>/", views.outcome_detail, name="outcome"),
    path(
        "outcomes/<slug:slug>/download.<format:fmt>",
        views.outcome_download,
        name="outcome-download",
    ),
    path("measures/<slug:slug>/", views.measure_detail, name="measure"),
    path(
        "measures/<slug:slug>/download.<format:fmt>",
        views.measure_download,
        name="measure-download",
    ),
    path(
        "measures/<slug:slug>/inequalities.<format:fmt>",
        views.measure_inequalities_download,
        name="measure-inequalities",
    ),
]
