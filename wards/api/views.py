"""Endpoints of the wards API: thin, each a selector and a serializer (see core.api.PublicApiView)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request

from core.api import PublicApiListView, PublicApiView, an_id, found, id_parameter
from wards.api import selectors
from wards.api.serializers import (
    DistrictSerializer,
    TeamDetailSerializer,
    TeamFilters,
    TeamSerializer,
    WardDetailSerializer,
    WardFilters,
    WardSerializer,
)
from wards.converters import WARD_CODE

TAGS = ["Wards and teams"]


@extend_schema(tags=TAGS, summary="Districts", description="The local authority districts of Kent and Medway.")
class DistrictList(PublicApiListView):
    serializer_class = DistrictSerializer

    def items(self, **filters: Any) -> QuerySet:
        return selectors.districts_for_api()


@extend_schema(
    tags=TAGS,
    summary="Wards",
    description="The 305 wards PACT is organised around, by name; filter by district or team.",
)
class WardList(PublicApiListView):
    serializer_class = WardSerializer
    filters_class = WardFilters

    def items(self, **filters: Any) -> QuerySet:
        return selectors.wards_for_api(**filters)


@extend_schema(
    tags=TAGS,
    summary="A ward",
    description="One ward, with its boundary and links to its priorities and events.",
    parameters=[
        OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=WARD_CODE, description="ONS code.")
    ],
)
class WardDetail(PublicApiView):
    serializer_class = WardDetailSerializer

    def build(self, request: Request, **kwargs: Any) -> Any:
        ward = found(
            selectors.ward_for_api(kwargs["code"]).first(), f"There is no ward with the code {kwargs['code']}."
        )
        return WardDetailSerializer(ward, context={"request": request}).data


@extend_schema(
    tags=TAGS,
    summary="Neighbourhood teams",
    description="The neighbourhood policing teams, by name, each with its wards; filter by district.",
)
class TeamList(PublicApiListView):
    serializer_class = TeamSerializer
    filters_class = TeamFilters

    def items(self, **filters: Any) -> QuerySet:
        return selectors.teams_for_api(**filters)


@extend_schema(
    tags=TAGS,
    summary="A neighbourhood team",
    description="One team with its wards and officers.",
    parameters=[id_parameter("team")],
)
class TeamDetail(PublicApiView):
    serializer_class = TeamDetailSerializer

    def build(self, request: Request, **kwargs: Any) -> Any:
        team = found(
            selectors.team_for_api(an_id(kwargs["id"])).first(),
            f"There is no neighbourhood team with the id {kwargs['id']}.",
        )
        return TeamDetailSerializer(team, context={"request": request}).data
