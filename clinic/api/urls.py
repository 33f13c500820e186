from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clinic.api.ping import Ping
from clinic.auth_views import ApiLogoutView, TokenObtainView

# Swagger UI: the split view serves its start-up script as a file (no inline script), but Swagger UI sets inline
# styles, so this page alone may use them. script-src stays 'self'.
docs_view = csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("auth/logout/", ApiLogoutView.as_view(), name="api-logout"),
    path("ping/", Ping.as_view(), name="api-ping"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs_view, name="api-docs"),
    path("", include("catalog.api.urls")),
    path("", include("patients.api.urls")),
    path("", include("assessments.api.urls")),
]
