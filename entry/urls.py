"""Officers' and approvers' pages, mounted at /manage/."""

from django.urls import path

from entry import dsr_views, upload_views, views

app_name = "manage"

urlpatterns = [
    path("", views.home, name="index"),
    path("review/", views.review, name="review"),
    path("submit/", views.submit_drafts, name="submit_drafts"),
    path("upload/", upload_views.upload, name="upload"),
    path("upload/template/", upload_views.upload_template, name="upload_template"),
    path("upload/<uuid:token>/", upload_views.upload_preview, name="upload_preview"),
    path("values/<int:pk>/", views.value_detail, name="value"),
    path("values/<int:pk>/edit/", views.value_edit, name="value_edit"),
    path("values/<int:pk>/submit/", views.value_submit, name="value_submit"),
    path("values/<int:pk>/delete/", views.value_delete, name="value_delete"),
    path("values/<int:pk>/approve/", views.value_approve, name="value_approve"),
    path("values/<int:pk>/return/", views.value_return, name="value_return"),
    path("places/<slug:place_slug>/<slug:measure_slug>/", views.slot, name="slot"),
    path("places/<slug:place_slug>/<slug:measure_slug>/new/", views.value_new, name="value_new"),
    path(
        "places/<slug:place_slug>/<slug:measure_slug>/age-bands/",
        dsr_views.value_dsr,
        name="value_dsr",
    ),
]
