"""Reads of meetings, surgeries and briefings, each shaped for its page or feed."""

import datetime
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from core.roles import AnyUser, Role, has_role, is_administrator
from priorities.models import Event, Panel, PanelMember
from priorities.scopes import chaired_panel_ids, team_id_for, ward_ids_for
from wards.models import NeighbourhoodTeam, Ward

WARD_SECTION_SIZE = 3
TEAM_SECTION_SIZE = 5
FEED_DAYS_BACK = 90
# What residents see coming up: a cancellation stays listed (with its reason) so nobody
# turns up to it; a moved event is replaced by its new date.
_UPCOMING_STATUSES = (Event.Status.SCHEDULED, Event.Status.CANCELLED)


def _event_ids_of_wards(**ward_filter: Any) -> QuerySet:
    """Ids of events held for any ward matching ``ward_filter`` (a subquery: no duplicates, no DISTINCT)."""
    return Event.wards.through.objects.filter(**{f"ward__{key}": value for key, value in ward_filter.items()}).values(
        "event_id"
    )


def _upcoming(**ward_filter: Any) -> QuerySet[Event]:
    return Event.objects.filter(
        pk__in=_event_ids_of_wards(**ward_filter), ends_at__gte=timezone.now(), status__in=_UPCOMING_STATUSES
    ).order_by("starts_at", "pk")


def _with_wards(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.prefetch_related(Prefetch("wards", queryset=Ward.objects.only("code", "name").order_by("name")))


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's meetings section: the next few events, in one query."""
    return {"events": list(_upcoming(pk=ward.pk)[:WARD_SECTION_SIZE])}


def team_section(team: NeighbourhoodTeam) -> dict[str, Any]:
    """Context of the team page's meetings section: the next events across its wards, with their wards."""
    return {"events": list(_with_wards(_upcoming(team_id=team.pk))[:TEAM_SECTION_SIZE])}


def _upcoming_then_past(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events still to come, soonest first, then those gone by, latest first."""
    now = timezone.now()
    past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    return events.annotate(is_past=past).order_by(
        "is_past",
        Case(When(is_past=0, then=F("starts_at"))).asc(nulls_last=True),
        Case(When(is_past=1, then=F("starts_at"))).desc(nulls_last=True),
        "pk",
    )


def events_of_ward(ward: Ward) -> QuerySet[Event]:
    """Every event of a ward, for its public list: upcoming first, then past."""
    return _upcoming_then_past(Event.objects.filter(pk__in=_event_ids_of_wards(pk=ward.pk)))


def event_for_page(uid: str) -> QuerySet[Event]:
    """The public event page's event with where it moved to or from, its wards and attendance count."""
    return _with_wards(
        Event.objects.filter(uid=uid)
        .select_related("moved_to", "moved_from")
        .annotate(members_attending=Count("attendance"))
    )


def events_for_feed(**ward_filter: Any) -> QuerySet[Event]:
    """Events of the matching wards from 90 days ago onward, for an iCalendar feed."""
    since = timezone.now() - datetime.timedelta(days=FEED_DAYS_BACK)
    return (
        Event.objects.filter(pk__in=_event_ids_of_wards(**ward_filter), ends_at__gte=since)
        .select_related("moved_to", "agenda")
        .order_by("starts_at", "pk")
    )


def events_for_staff(ward_ids: set[int] | None, ward_id: int | None = None) -> QuerySet[Event]:
    """Events of the wards a user may manage (None: every ward), optionally one ward, with their wards."""
    events = Event.objects.all()
    if ward_ids is not None:
        events = events.filter(pk__in=_event_ids_of_wards(pk__in=ward_ids))
    if ward_id is not None:
        events = events.filter(pk__in=_event_ids_of_wards(pk=ward_id))
    return _with_wards(_upcoming_then_past(events.select_related("panel")))


def members_active_on(panel_id: int, day: datetime.date) -> QuerySet[PanelMember]:
    """A panel's members whose time on it covers ``day`` (those who could attend a meeting then)."""
    return PanelMember.objects.filter(panel_id=panel_id, started_on__lte=day).exclude(ended_on__lt=day)


def panels_for_scheduling(user: AnyUser) -> QuerySet[Panel]:
    """Panels whose meetings the user may schedule: all (administrators), those they chair, their team's wards'."""
    if is_administrator(user):
        return Panel.objects.all()
    allowed = Q(pk__in=chaired_panel_ids(user))
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    if team_id is not None:
        allowed |= Q(pk__in=Panel.wards.through.objects.filter(ward__team_id=team_id).values("panel_id"))
    return Panel.objects.filter(allowed)


def wards_for_user(user: AnyUser) -> QuerySet[Ward]:
    """The wards whose events the user may manage, by name (core.roles.ward_ids_for)."""
    ids = ward_ids_for(user)
    wards = Ward.objects.only("code", "name").order_by("name")
    return wards if ids is None else wards.filter(pk__in=ids)


def next_meeting(event: Event) -> Event | None:
    """The next scheduled PACT meeting of the event's panel after it (None for other events)."""
    if event.kind != Event.Kind.PACT_MEETING or event.panel_id is None:
        return None
    return (
        Event.objects.filter(panel=event.panel_id, kind=Event.Kind.PACT_MEETING, status=Event.Status.SCHEDULED)
        .filter(starts_at__gt=event.starts_at)
        .exclude(pk=event.pk)
        .order_by("starts_at")
        .first()
    )
