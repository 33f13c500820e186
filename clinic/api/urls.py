from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken

from clinic.api.ping import Ping

urlpatterns = [
    path("auth/token/", ObtainAuthToken.as_view(), name="api-token"),
    path("ping/", Ping.as_view(), name="api-ping"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("patients.api.urls")),
    path("", include("assessments.api.urls")),
]
