"""Read-only catalog endpoints (any signed-in user; the catalog is not clinic data)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from catalog import selectors
from clinic.api.permissions import IsAuthenticatedAnyClinic


class PlainDataSerializer(serializers.Serializer[dict[str, Any]]):
    """Catalog items are plain dicts already in their published shape; each view documents its own schema."""

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        return instance


class CatalogListView(GenericAPIView[Any]):
    """A paginated list of catalog items (plain data from the cached catalog)."""

    permission_classes = (IsAuthenticatedAnyClinic,)
    filter_backends = ()
    serializer_class = PlainDataSerializer

    def items(self, request: Request) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_queryset(self) -> list[dict[str, Any]]:  # type: ignore[override]
        return self.items(self.request)

    def get(self, request: Request) -> Response:
        page: list[dict[str, Any]] | None = self.paginate_queryset(self.get_queryset())  # type: ignore[arg-type]
        response = self.get_paginated_response(page)
        response["X-Catalog-Version"] = selectors.catalog_version()
        return response


class CatalogMuscleSerializer(serializers.Serializer[dict[str, Any]]):
    slug = serializers.CharField()
    name = serializers.CharField()
    plain_name = serializers.CharField()
    region = serializers.CharField()
    synonyms = serializers.ListField(child=serializers.CharField())
    trp_locations = serializers.ListField(child=serializers.CharField())
    referral_zones = serializers.ListField(child=serializers.CharField())
    referral_text = serializers.CharField()
    self_treatment = serializers.DictField(child=serializers.CharField(), help_text="tool -> rating")
    practitioner_only = serializers.BooleanField()
    ak_association = serializers.DictField(help_text='Always labelled "AK tradition, not evidence-based".')
    sources = serializers.ListField(child=serializers.CharField())


@extend_schema(
    parameters=[
        OpenApiParameter("search", str, description="Name, plain name or synonym (type-ahead)."),
        OpenApiParameter("region", str),
    ],
    responses=CatalogMuscleSerializer(many=True),
)
class MuscleList(CatalogListView):
    def items(self, request: Request) -> list[dict[str, Any]]:
        return selectors.muscle_list(
            search=request.query_params.get("search", "")[:100], region=request.query_params.get("region")
        )


@extend_schema(responses=CatalogMuscleSerializer)
class MuscleDetail(GenericAPIView[Any]):
    permission_classes = (IsAuthenticatedAnyClinic,)
    serializer_class = CatalogMuscleSerializer

    def get(self, request: Request, slug: str) -> Response:
        return Response(selectors.muscle_get(slug=slug))


@extend_schema(responses=OpenApiTypes.OBJECT)
class ZoneList(CatalogListView):
    def items(self, request: Request) -> list[dict[str, Any]]:
        return selectors.zone_list()


@extend_schema(responses=OpenApiTypes.OBJECT)
class StressorKindList(CatalogListView):
    def items(self, request: Request) -> list[dict[str, Any]]:
        return selectors.stressor_kind_list()


@extend_schema(
    parameters=[OpenApiParameter("kind", str, enum=["symptom_rule", "kinetic_chain"])],
    responses=OpenApiTypes.OBJECT,
)
class PatternList(CatalogListView):
    def items(self, request: Request) -> list[dict[str, Any]]:
        kind = request.query_params.get("kind")
        if kind is not None and kind not in {"symptom_rule", "kinetic_chain"}:
            raise ValidationError({"kind": ["One of symptom_rule, kinetic_chain."]})
        return selectors.pattern_list(kind=kind)


@extend_schema(responses=OpenApiTypes.OBJECT)
class SafetyRuleList(CatalogListView):
    def items(self, request: Request) -> list[dict[str, Any]]:
        return selectors.safety_rule_list()


@extend_schema(responses=OpenApiTypes.OBJECT)
class OutcomeMeasureList(CatalogListView):
    def items(self, request: Request) -> list[dict[str, Any]]:
        return selectors.outcome_measure_list()
