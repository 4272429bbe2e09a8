from django.urls import path

from api import views
from api.endpoints import api

urlpatterns = [
    path("docs", views.docs, name="api-docs"),
    path("", api.urls),
]
