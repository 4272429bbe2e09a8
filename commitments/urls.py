from django.urls import path

from commitments import views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("manage/", views.manage, name="manage"),
    path("manage/<slug:slug>/new-update/", views.update_create, name="update-create"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("updates/<int:pk>/submit/", views.update_submit, name="update-submit"),
    path("updates/<int:pk>/review/", views.update_review, name="update-review"),
    path("<slug:slug>/", views.commitment_detail, name="detail"),
]
