"""Reads for the priorities API: public data only, one query per kind of thing whatever the page size.

Only public progress entries are ever read here, and only updates already published.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from priorities.models import Event, MonthlyUpdate, Priority, ProgressEntry
from wards.models import Ward

# "active" stands for the two statuses of a priority still on the ward's list.
ACTIVE = "active"
# What residents see coming up: a cancellation stays listed (with its reason) so nobody turns
# up to it; a moved event is replaced by its new date (as on the ward pages).
UPCOMING_STATUSES = (Event.Status.SCHEDULED, Event.Status.CANCELLED)


def _public_progress() -> QuerySet[ProgressEntry]:
    return (
        ProgressEntry.objects.filter(visibility=ProgressEntry.Visibility.PUBLIC, withdrawn_at__isnull=True)
        .select_related("officer", "agency")
        .only(
            "priority_id",
            "happened_on",
            "text",
            "officer__rank",
            "officer__first_name",
            "officer__last_name",
            "agency__name",
        )
        .order_by("-happened_on", "-created_at", "-pk")
    )


def priorities_for_api(
    *,
    district: str | None = None,
    team: int | None = None,
    ward: str | None = None,
    category: str | None = None,
    status: str | None = None,
) -> QuerySet[Priority]:
    """Priorities of every ward (or those matching the filters) with their public progress, newest
    agreed first within each ward, wards by name."""
    priorities = (
        Priority.objects.select_related("ward", "category", "plan_priority", "lead_officer", "agreed_at")
        .defer("ward__boundary", "lead_officer__email", "lead_officer__phone", "agreed_at__minutes")
        .prefetch_related("partners", Prefetch("progress", queryset=_public_progress(), to_attr="public_progress"))
    )
    if district is not None:
        priorities = priorities.filter(ward__district__code=district)
    if team is not None:
        priorities = priorities.filter(ward__team_id=team)
    if ward is not None:
        priorities = priorities.filter(ward__code=ward)
    if category is not None:
        priorities = priorities.filter(category__slug=category)
    if status == ACTIVE:
        priorities = priorities.filter(status__in=Priority.ACTIVE_STATUSES)
    elif status is not None:
        priorities = priorities.filter(status=status)
    return priorities.order_by("ward__name", "ward__code", "-agreed_on", "slot", "pk")


def priority_for_api(pk: int) -> QuerySet[Priority]:
    return priorities_for_api().filter(pk=pk)


def _uk_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _event_ids_of_wards(**ward_filter: object) -> QuerySet:
    # A subquery over the wards' link table: an event of several matching wards is listed once.
    lookups = {f"ward__{key}": value for key, value in ward_filter.items()}
    return Event.wards.through.objects.filter(**lookups).values("event_id")


def events_for_api(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    district: str | None = None,
    team: int | None = None,
    ward: str | None = None,
) -> QuerySet[Event]:
    """Events soonest first, each with its wards.

    With neither ``start`` nor ``end``, those still to come as residents see them (scheduled or
    cancelled, not yet over); otherwise every event starting on or after ``start`` and on or
    before ``end`` (whole days, UK time), whatever became of it.
    """
    events = Event.objects.select_related("moved_to").only(
        *("uid", "kind", "title", "starts_at", "ends_at", "venue", "address", "joining_url"),
        *("accessibility_notes", "status", "cancellation_reason", "moved_to__uid"),
    )
    if start is None and end is None:
        events = events.filter(ends_at__gte=timezone.now(), status__in=UPCOMING_STATUSES)
    if start is not None:
        events = events.filter(starts_at__gte=_uk_midnight(start))
    if end is not None and end < datetime.date.max:
        events = events.filter(starts_at__lt=_uk_midnight(end + datetime.timedelta(days=1)))
    for key, value in (("district__code", district), ("team_id", team), ("code", ward)):
        if value is not None:
            events = events.filter(pk__in=_event_ids_of_wards(**{key: value}))
    wards = Prefetch("wards", queryset=Ward.objects.only("code", "name").order_by("name", "code"))
    return events.prefetch_related(wards).order_by("starts_at", "pk")


def updates_for_api(*, team: int | None = None, month: datetime.date | None = None) -> QuerySet[MonthlyUpdate]:
    """Published monthly updates, latest month first, then by team name."""
    updates = MonthlyUpdate.objects.filter(published_at__lte=timezone.now()).select_related("team")
    updates = updates.defer("team__email")
    if team is not None:
        updates = updates.filter(team_id=team)
    if month is not None:
        updates = updates.filter(month=month)
    return updates.order_by("-month", "team__name", "pk")
