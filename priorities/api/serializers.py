"""How priorities, events and monthly updates are shown in the API.

Public facts only: never an internal progress entry, a contact detail, a voter or an author.
"""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import MAX_ID, LocalDateTimeField
from priorities.api.selectors import ACTIVE
from priorities.models import Event, MonthlyUpdate, Priority, ProgressEntry
from wards.api.serializers import DISTRICT_CODE, TeamRefSerializer, WardRefSerializer, absolute
from wards.converters import WARD_CODE

CATEGORY_SLUG = r"^[-a-zA-Z0-9_]+$"
# A month as YYYY-MM; there is no year 0.
MONTH = r"^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$"


def _district() -> serializers.RegexField:
    return serializers.RegexField(DISTRICT_CODE, required=False, help_text="ONS code of a district, e.g. E07000110.")


def _team() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="A team's id.")


def _ward() -> serializers.RegexField:
    return serializers.RegexField(WARD_CODE, required=False, help_text="ONS code of a ward, e.g. E05005004.")


class PriorityFilters(serializers.Serializer):
    district = _district()
    team = _team()
    ward = _ward()
    category = serializers.RegexField(
        CATEGORY_SLUG, max_length=60, required=False, help_text="A category's slug, e.g. anti-social-behaviour."
    )
    status = serializers.ChoiceField(
        choices=[ACTIVE, *Priority.Status.values],
        required=False,
        help_text="active (current or in progress), or one status.",
    )


class EventFilters(serializers.Serializer):
    district = _district()
    team = _team()
    ward = _ward()

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so these two are added here rather than declared.
        return {
            **super().get_fields(),
            "from": serializers.DateField(
                required=False, help_text="Events starting on or after this day. Without from or to: upcoming events."
            ),
            "to": serializers.DateField(required=False, help_text="Events starting on or before this day."),
        }


class UpdateFilters(serializers.Serializer):
    team = _team()
    month = serializers.RegexField(MONTH, required=False, help_text="The month covered, as YYYY-MM.")

    def validate_month(self, value: str) -> datetime.date:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)


class CategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class PlanPrioritySerializer(serializers.Serializer):
    plan = serializers.CharField(help_text="The Police and Crime Plan, e.g. Making Kent Safer 2022–25.")
    name = serializers.CharField()


class MeetingRefSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    title = serializers.CharField()
    starts_at = LocalDateTimeField()


class LeadOfficerSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    rank_label = serializers.CharField(source="get_rank_display")


class ProgressSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(help_text="The officer or partner agency that did it.")

    class Meta:
        model = ProgressEntry
        fields = ["happened_on", "text", "by"]

    def get_by(self, entry: ProgressEntry) -> str:
        return str(entry.officer) if entry.officer_id else str(entry.agency)


class PrioritySerializer(serializers.ModelSerializer):
    ward = WardRefSerializer()
    category = CategorySerializer()
    plan_priority = PlanPrioritySerializer(allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    agreed_at = MeetingRefSerializer(help_text="The PACT meeting that agreed it.")
    lead_officer = LeadOfficerSerializer(allow_null=True)
    partners = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    progress = ProgressSerializer(source="public_progress", many=True, help_text="Public progress, newest first.")
    url = serializers.SerializerMethodField(help_text="This priority in the API.")
    page_url = serializers.SerializerMethodField(help_text="This priority's page on the website.")

    class Meta:
        model = Priority
        fields = [
            *("id", "ward", "slot", "title", "category", "plan_priority", "status", "status_label"),
            *("agreed_on", "agreed_at", "lead_officer", "partners", "outcome", "ended_on", "progress"),
            *("url", "page_url"),
        ]

    def get_url(self, priority: Priority) -> str:
        return absolute(self, "api:priority_detail", priority.pk)

    def get_page_url(self, priority: Priority) -> str:
        return absolute(self, "priorities:priority_detail", priority.pk)


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    moved_to = serializers.SlugRelatedField(
        slug_field="uid", read_only=True, allow_null=True, help_text="The uid of the event it moved to."
    )
    wards = WardRefSerializer(many=True)
    page_url = serializers.SerializerMethodField(help_text="This event's page on the website.")

    class Meta:
        model = Event
        fields = [
            *("uid", "kind", "kind_label", "title", "starts_at", "ends_at", "status", "status_label"),
            *("cancellation_reason", "moved_to", "venue", "address", "joining_url", "accessibility_notes"),
            *("wards", "page_url"),
        ]

    def get_page_url(self, event: Event) -> str:
        return absolute(self, "priorities:event_detail", event.uid)


# A monthly update's content is JSON written when it was published (priorities.selectors.updates):
# these read it as it was stored.


class UpdateEntrySerializer(serializers.Serializer):
    happened_on = serializers.DateField()
    text = serializers.CharField()
    by = serializers.CharField()


class UpdatePrioritySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField(help_text="active, or how it ended that month (resolved or closed).")
    status_label = serializers.CharField()
    agreed_on = serializers.DateField()
    adopted = serializers.BooleanField(help_text="Adopted that month.")
    ended_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    entries = UpdateEntrySerializer(many=True, help_text="What was done that month.")


class UpdateMeetingSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    title = serializers.CharField()
    kind = serializers.CharField()
    starts_at = serializers.SerializerMethodField()
    venue = serializers.CharField(allow_blank=True)

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_starts_at(self, meeting: dict[str, Any]) -> str | None:
        moment = parse_datetime(meeting["starts_at"])
        return LocalDateTimeField().to_representation(moment)


class UpdateWardSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    priorities = UpdatePrioritySerializer(many=True)
    meetings_held = UpdateMeetingSerializer(many=True)
    meetings_next = UpdateMeetingSerializer(many=True, help_text="Coming up when it was published.")


class UpdateTotalsSerializer(serializers.Serializer):
    wards = serializers.IntegerField()
    priorities = serializers.IntegerField()
    actions = serializers.IntegerField()
    meetings_held = serializers.IntegerField()
    adopted = serializers.IntegerField()
    ended = serializers.IntegerField()


class UpdateSerializer(serializers.ModelSerializer):
    team = TeamRefSerializer()
    month = serializers.SerializerMethodField(help_text="The month covered, as YYYY-MM.")
    published_at = LocalDateTimeField()
    wards = UpdateWardSerializer(source="content.wards", many=True)
    totals = UpdateTotalsSerializer(source="content.totals")
    page_url = serializers.SerializerMethodField(help_text="This update's page on the website.")

    class Meta:
        model = MonthlyUpdate
        fields = ["id", "team", "month", "summary", "revision", "published_at", "wards", "totals", "page_url"]

    @extend_schema_field({"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"})
    def get_month(self, update: MonthlyUpdate) -> str:
        return f"{update.month:%Y-%m}"

    def get_page_url(self, update: MonthlyUpdate) -> str:
        path = reverse(
            "priorities:update_detail",
            kwargs={"slug": update.team.slug, "year": f"{update.month:%Y}", "month": f"{update.month:%m}"},
        )
        return self.context["request"].build_absolute_uri(path)
