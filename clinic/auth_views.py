"""Sign-out and token views (page logout, API token and API logout); the machinery is in clinic/auth.py.

Kept apart from clinic.auth because DRF's APIView reads DEFAULT_AUTHENTICATION_CLASSES, which names
clinic.auth.ExpiringTokenAuthentication, when it is first imported.
"""

from typing import Any

from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer as DRFAuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.auth import lockout_message, token_expired
from clinic.tenancy import actor_of


class LogoutView(auth_views.LogoutView):
    """POST /accounts/logout/: ends this session and deletes the user's API token."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            Token.objects.filter(user=request.user).delete()
        return super().post(request, *args, **kwargs)


class AccountLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed sign-ins for this account. Try again later."
    default_code = "locked_out"


class AuthTokenSerializer(DRFAuthTokenSerializer):
    """DRF's serializer, but authenticate() gets the Django HttpRequest, which django-axes counts and locks."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        username = attrs.get("username")
        password = attrs.get("password")
        request = self.context["request"]
        http_request = request._request if isinstance(request, Request) else request
        user = auth.authenticate(request=http_request, username=username, password=password)
        if getattr(http_request, "axes_locked_out", False):
            raise AccountLocked(lockout_message(str(username or "")))
        if not user:
            raise serializers.ValidationError("Unable to log in with provided credentials.", code="authorization")
        attrs["user"] = user
        return attrs


_TOKEN = inline_serializer("AuthToken", fields={"token": serializers.CharField(read_only=True)})
_DETAIL = inline_serializer("AuthDetail", fields={"detail": serializers.CharField()})


class TokenObtainView(ObtainAuthToken):
    """POST /api/v1/auth/token/ {"username", "password"} -> {"token": "..."}; an expired token is replaced."""

    serializer_class = AuthTokenSerializer

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=AuthTokenSerializer,
        responses={
            200: _TOKEN,
            400: OpenApiResponse(description="Wrong username or password, or an inactive user."),
            429: OpenApiResponse(_DETAIL, description="Locked out after 5 failed sign-ins; see Retry-After."),
        },
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, created = Token.objects.get_or_create(user=user)
        if not created and token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class ApiLogoutView(APIView):
    """POST /api/v1/auth/logout/: deletes the caller's API token (and ends the session when called from one)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        request=None,
        responses={204: OpenApiResponse(description="Token deleted; it is refused from now on."), 401: _DETAIL},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        Token.objects.filter(user=actor_of(request)).delete()
        http_request = request._request
        if auth.SESSION_KEY in getattr(http_request, "session", {}):
            auth.logout(http_request)
        return Response(status=status.HTTP_204_NO_CONTENT)
