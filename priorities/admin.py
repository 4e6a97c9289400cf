"""Administrators manage panels, categories, the plan's priorities and partner agencies here;
the PACT cycle itself (meetings, concerns, ballots, priorities) is run from the staff pages,
so the admin shows those read-only, for looking things up."""

from django.contrib import admin
from django.db.models import URLField

from core.admin import AdministratorInline, AuditedAdmin
from priorities import models


class PanelMemberInline(AdministratorInline):
    model = models.PanelMember
    extra = 1
    fields = ["name", "organisation", "kind", "role", "user", "started_on", "ended_on"]
    raw_id_fields = ["user"]


@admin.register(models.Panel)
class PanelAdmin(AuditedAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name", "wards__name"]
    filter_horizontal = ["wards"]
    inlines = [PanelMemberInline]


@admin.register(models.Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "slug", "is_police_uk", "position"]
    list_filter = ["is_police_uk"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.PlanPriority)
class PlanPriorityAdmin(AuditedAdmin):
    list_display = ["name", "plan", "position", "is_active"]
    list_filter = ["plan", "is_active"]


@admin.register(models.PartnerAgency)
class PartnerAgencyAdmin(AuditedAdmin):
    """An agency's wards scope its users: they send information about, and see what the agency
    sent about, these wards only."""

    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["wards"]


class ReadOnlyAdmin(AuditedAdmin):
    """Changes go through the services, which check the rules and audit; here one only looks."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "wards__name"]
    date_hierarchy = "starts_at"
    # As the staff event form: a joining link typed without a scheme is https (and Django 6's default).
    formfield_overrides = {URLField: {"assume_scheme": "https"}}


@admin.register(models.Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ["reference", "ward", "category", "status", "created_at"]
    list_filter = ["status", "source"]
    list_select_related = ["ward", "category"]
    search_fields = ["reference", "ward__name"]
    exclude = ["contact_email"]


@admin.register(models.Priority)
class PriorityAdmin(ReadOnlyAdmin):
    list_display = ["title", "ward", "slot", "status", "agreed_on"]
    list_filter = ["status"]
    list_select_related = ["ward"]
    search_fields = ["title", "ward__name"]


@admin.register(models.Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["ward", "meeting", "method", "status", "closed_at"]
    list_filter = ["status", "method"]
    list_select_related = ["ward", "meeting"]


@admin.register(models.PartnerUser)
class PartnerUserAdmin(AuditedAdmin):
    list_display = ["user", "agency"]
    list_select_related = ["user", "agency"]
    raw_id_fields = ["user"]


@admin.register(models.MonthlyUpdate)
class MonthlyUpdateAdmin(ReadOnlyAdmin):
    list_display = ["team", "month", "revision", "published_at"]
    list_filter = ["month"]
    list_select_related = ["team"]
