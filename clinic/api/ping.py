"""GET /api/v1/ping/: the cheapest authenticated request the API answers (the framework floor for benchmarks).

It runs exactly what every API request runs (authentication, the acting-clinic check, JSON rendering) and nothing
else, so bench/load.py can compare each endpoint's throughput with it.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.roles import Capability


class Ping(APIView):
    read_capability = Capability.VIEW_PATIENTS  # every role: the floor is any member's cheapest request

    @extend_schema(
        summary="Authenticated liveness check",
        responses=inline_serializer("Ping", fields={"ok": serializers.BooleanField()}),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response({"ok": True})
