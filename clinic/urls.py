from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("clinic/choose/", views.choose, name="choose-clinic"),
    path("patients/", include("patients.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("clinic.api.urls")),
]

# JSON error answers under /api/ for errors raised before a view runs (clinic.api.fallbacks).
handler400 = "clinic.api.fallbacks.bad_request"
handler404 = "clinic.api.fallbacks.not_found"
handler500 = "clinic.api.fallbacks.server_error"
