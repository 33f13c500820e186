from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import member_views, settings_views, views
from clinic.auth_views import LogoutView

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),  # also deletes the API token
    path("accounts/session/", views.session_state, name="session-state"),
    path("clinic/choose/", views.choose, name="choose-clinic"),
    path("clinic/settings/", settings_views.clinic_settings, name="clinic-settings"),
    path("clinic/members/", member_views.member_list, name="members"),
    path("clinic/members/add/", member_views.member_add, name="member-add"),
    path("clinic/members/<uuid:membership_id>/role/", member_views.member_role, name="member-role"),
    path("clinic/members/<uuid:membership_id>/deactivate/", member_views.member_deactivate, name="member-deactivate"),
    path("clinic/members/<uuid:membership_id>/reactivate/", member_views.member_reactivate, name="member-reactivate"),
    path("", include("operations.urls")),  # the owner's audit trail page, /clinic/audit/
    path("patients/", include("patients.urls")),
    path("", include("assessments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("clinic.api.urls")),
]

# JSON error answers under /api/ for errors raised before a view runs (clinic.api.fallbacks).
handler400 = "clinic.api.fallbacks.bad_request"
handler404 = "clinic.api.fallbacks.not_found"
handler500 = "clinic.api.fallbacks.server_error"
