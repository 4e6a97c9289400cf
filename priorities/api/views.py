"""Endpoints of the priorities API: thin, each a selector and a serializer (see core.api.PublicApiView)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from core.api import PublicApiListView, PublicApiView, an_id, found, id_parameter
from priorities.api import selectors
from priorities.api.serializers import (
    EventFilters,
    EventSerializer,
    PriorityFilters,
    PrioritySerializer,
    UpdateFilters,
    UpdateSerializer,
)


@extend_schema(
    tags=["Priorities"],
    summary="Priorities",
    description=(
        "Each ward's priorities, current and past, with their public progress; by ward name, newest "
        "agreed first. Filter by district, team, ward, category and status."
    ),
)
class PriorityList(PublicApiListView):
    serializer_class = PrioritySerializer
    filters_class = PriorityFilters

    def items(self, **filters: Any) -> QuerySet:
        return selectors.priorities_for_api(**filters)


@extend_schema(
    tags=["Priorities"],
    summary="A priority",
    description="One priority with its public progress, newest first.",
    parameters=[id_parameter("priority")],
)
class PriorityDetail(PublicApiView):
    serializer_class = PrioritySerializer

    def build(self, request: Request, **kwargs: Any) -> Any:
        priority = found(
            selectors.priority_for_api(an_id(kwargs["id"])).first(), f"There is no priority with the id {kwargs['id']}."
        )
        return PrioritySerializer(priority, context={"request": request}).data


@extend_schema(
    tags=["Events"],
    summary="Meetings and surgeries",
    description=(
        "PACT meetings, surgeries and street briefings, soonest first. Without from or to: those still "
        "to come (a cancelled one stays listed, with its reason). With from and/or to: every event "
        "starting in those days, whatever became of it."
    ),
)
class EventList(PublicApiListView):
    serializer_class = EventSerializer
    filters_class = EventFilters

    def items(self, **filters: Any) -> QuerySet:
        start, end = filters.pop("from", None), filters.pop("to", None)
        return selectors.events_for_api(start=start, end=end, **filters)


@extend_schema(
    tags=["Monthly updates"],
    summary="Monthly updates",
    description=(
        'Each team\'s published "you said, we did" update for a month, latest month first: per ward, the '
        "priorities, what was done, meetings held and coming up. Filter by team and month."
    ),
)
class UpdateList(PublicApiListView):
    serializer_class = UpdateSerializer
    filters_class = UpdateFilters

    def items(self, **filters: Any) -> QuerySet:
        return selectors.updates_for_api(**filters)
