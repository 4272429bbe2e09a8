"""The site's URLs. An app adds its own with `path("outcomes/", include("dashboards.urls"))`."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.forms import LoginForm
from dashboards import views as dashboard_views

admin.site.site_header = f"{settings.SITE_SHORT_NAME} administration"
admin.site.site_title = settings.SITE_SHORT_NAME
admin.site.site_url = "/"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: base.html's header has the sign-out form.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("have-your-say/", include("engagement.urls")),
    path("api/v1/", include("api.urls")),
    path("commitments/", include("commitments.urls")),
    path("report/", include("reports.urls")),
    path("", include("dashboards.urls")),
    path("", include("dashboards.place_urls")),
    path("", include("dashboards.compare_urls")),
]

urlpatterns += [path("manage/", include("entry.urls"))]

# A database outage answers 503 with the NHS.UK-styled page; other errors the 500 page.
handler500 = "strategy_tracker.errors.server_error"
