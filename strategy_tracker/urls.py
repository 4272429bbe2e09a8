"""
URL configuration for strategy_tracker project.

The `urlpatterns` list routes URLs to views. For more information please see:
    https://docs.djangoproject.com/en/6.0/topics/http/urls/
Examples:
Function views
    1. Add an import:  from my_app import views
    2. Add a URL to urlpatterns:  path('', views.home, name='home')
Class-based views
    1. Add an import:  from other_app.views import Home
    2. Add a URL to urlpatterns:  path('', Home.as_view(), name='home')
Including another URLconf
    1. Import the include() function: from django.urls import include, path
    2. Add a URL to urlpatterns:  path('blog/', include('blog.urls'))
"""

from django.contrib import admin
from django.urls import include, path

from outcomes import views as outcome_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", outcome_views.home, name="home"),
    path("", include("outcomes.urls")),
    path("", include("places.urls")),
    path("api/v1/", include("api.urls")),
    path("commitments/", include("commitments.urls")),
    path("report/", include("commitments.report_urls")),
    path("have-your-say/", include("engagement.urls")),
]
