"""Reads of progress on priorities: timelines, the latest public action, stale priorities."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import DateField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from priorities.models import PartnerAgency, Priority, ProgressEntry
from wards.models import Officer


def public_timeline_entries() -> QuerySet[ProgressEntry]:
    """Public entries, newest first, with who did each (to prefetch onto priorities). Withdrawn
    ones keep their place, shown as withdrawn, so the timeline is never silently rewritten."""
    return (
        ProgressEntry.objects.filter(visibility=ProgressEntry.Visibility.PUBLIC)
        .select_related("officer", "agency")
        .order_by("-happened_on", "-created_at", "-pk")
    )


def public_entries() -> QuerySet[ProgressEntry]:
    """Public entries that stand (not withdrawn), newest first, with who did each."""
    return public_timeline_entries().filter(withdrawn_at__isnull=True)


def public_timeline(priority: Priority) -> QuerySet[ProgressEntry]:
    """A priority's public timeline, withdrawn entries marked, newest first."""
    return public_timeline_entries().filter(priority=priority)


def staff_timeline(priority: Priority, *, agency: PartnerAgency | None = None) -> QuerySet[ProgressEntry]:
    """Every entry of a priority, internal ones too, newest first, for staff. For a partner
    reader (``agency``), internal entries only when their own agency wrote them."""
    entries = ProgressEntry.objects.filter(priority=priority)
    if agency is not None:
        entries = entries.filter(Q(visibility=ProgressEntry.Visibility.PUBLIC) | Q(agency=agency))
    return entries.select_related("officer", "agency").order_by("-happened_on", "-created_at", "-pk")


def with_latest_public_action(priorities: QuerySet[Priority]) -> QuerySet[Priority]:
    """Annotate each priority with its latest public entry's text and date (as subqueries,
    so the ward page's section costs no extra query)."""
    latest = public_entries().filter(Q(priority=OuterRef("pk")))
    return priorities.annotate(
        latest_action=Subquery(latest.values("text")[:1]),
        latest_action_on=Subquery(latest.values("happened_on")[:1]),
    )


def entry_for_staff(priority_pk: int, pk: int) -> QuerySet[ProgressEntry]:
    """One entry of a priority with what the edit and withdraw pages need to authorise and show it."""
    return ProgressEntry.objects.filter(priority_id=priority_pk, pk=pk).select_related(
        "priority__ward__team", "officer", "agency"
    )


def progress_for_staff(pk: int) -> QuerySet[Priority]:
    """A priority with what the staff progress pages need to authorise and show it."""
    return Priority.objects.filter(pk=pk).select_related("ward__team", "category", "lead_officer")


def officer_choices(priority: Priority) -> QuerySet[Officer]:
    """Officers who may be named as having done something: those of the ward's team."""
    return Officer.objects.filter(team_id=priority.ward.team_id).order_by("last_name", "first_name")


def agency_choices(priority: Priority) -> QuerySet[PartnerAgency]:
    """Agencies named on the priority that still work in its ward."""
    return priority.partners.filter(wards=priority.ward_id).order_by("name")


def priorities_for_partner(agency: PartnerAgency | None) -> QuerySet[Priority]:
    """The active priorities an agency is named on in the wards it works in, for its users' staff home."""
    if agency is None:
        return Priority.objects.none()
    return (
        Priority.objects.filter(partners=agency, ward__partner_agencies=agency, status__in=Priority.ACTIVE_STATUSES)
        .select_related("ward")
        .order_by("ward__name", "slot")
    )


def _with_last_progress(priorities: QuerySet[Priority]) -> QuerySet[Priority]:
    # A priority with no entry yet counts from the day it was agreed; a withdrawn entry is no progress.
    standing = Q(progress__withdrawn_at__isnull=True)
    return priorities.annotate(
        last_progress_on=Max("progress__happened_on", filter=standing),
        progress_since=Coalesce(Max("progress__happened_on", filter=standing), "agreed_on", output_field=DateField()),
    )


def stale_priorities(*, today: datetime.date | None = None) -> QuerySet[Priority]:
    """Active priorities with no progress entry (public or internal) in the last
    PACT_STALE_PRIORITY_DAYS days, counting from the agreed date when there is none."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.PACT_STALE_PRIORITY_DAYS)
    active = Priority.objects.filter(status__in=Priority.ACTIVE_STATUSES)
    return _with_last_progress(active).filter(Q(progress_since__lte=cutoff)).order_by("ward__name", "slot")


def priorities_without_lead() -> QuerySet[Priority]:
    """Active priorities no officer leads yet, with their ward: the team's supervisors are reminded."""
    active = Priority.objects.filter(status__in=Priority.ACTIVE_STATUSES, lead_officer__isnull=True)
    return active.select_related("ward").order_by("ward__name", "slot")


@dataclass(frozen=True)
class PriorityProgress:
    """An active priority in a staff workspace, with how long since its last progress."""

    priority: Priority
    last_progress_on: datetime.date | None
    days_since: int
    is_stale: bool


def active_priorities_with_progress(
    ward_ids: Iterable[int], *, today: datetime.date | None = None
) -> list[PriorityProgress]:
    """The active priorities of the given wards, each with the days since its last progress
    (or agreement), stale when that is PACT_STALE_PRIORITY_DAYS or more."""
    today = today or timezone.localdate()
    priorities = _with_last_progress(
        Priority.objects.filter(ward_id__in=ward_ids, status__in=Priority.ACTIVE_STATUSES).select_related("ward")
    ).order_by("ward__name", "slot")
    rows = []
    for priority in priorities:
        days = (today - priority.progress_since).days  # type: ignore[attr-defined]
        last = priority.last_progress_on  # type: ignore[attr-defined]
        rows.append(PriorityProgress(priority, last, days, days >= settings.PACT_STALE_PRIORITY_DAYS))
    return rows
