from django.urls import path

from engagement import views

app_name = "engagement"

urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("forget/<str:token>/", views.forget, name="forget"),
    path("<slug:slug>/", views.exercise_detail, name="exercise"),
    path("<slug:slug>/thank-you/", views.thanks, name="thanks"),
    path("<slug:slug>/results/", views.results, name="results"),
]
