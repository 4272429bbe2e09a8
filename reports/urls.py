from django.urls import path

from reports import views as report_views

app_name = "report"

urlpatterns = [
    path("", report_views.report_index, name="index"),
    path("<str:quarter>/", report_views.report_detail, name="detail"),
    path("<str:quarter>/pdf/", report_views.report_pdf, name="pdf"),
]
