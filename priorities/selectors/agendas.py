"""Reads of meeting agendas and residents' support, shaped for the pages, emails and feeds."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from priorities.models import Agenda, Concern, Event, MeetingSupportChoice, Priority
from priorities.selectors.progress import with_latest_public_action
from wards.models import NeighbourhoodTeam, Ward

AGENDA_DAYS_BEFORE = 7
SECTION_SIZE = 3


@dataclass
class AgendaContent:
    """Everything an agenda says: what people wrote, and what is read live from the meeting."""

    agenda: Agenda
    meeting: Event
    concerns: list[Concern]
    priorities: list[Priority]
    last_meeting: Event | None
    support: dict[int, int] = field(default_factory=dict)


def shortlist_of(meeting: Event) -> QuerySet[Concern]:
    """The concerns shortlisted for the meeting, oldest first, with their ward and category."""
    return (
        Concern.objects.filter(shortlisted_for=meeting, status=Concern.Status.SHORTLISTED)
        .select_related("ward", "category")
        .order_by("created_at", "pk")
    )


def last_meeting_of(meeting: Event) -> Event | None:
    """The panel's last held PACT meeting before this one (whose minutes the matters arise from)."""
    if meeting.panel_id is None:
        return None
    return (
        Event.objects.filter(panel_id=meeting.panel_id, kind=Event.Kind.PACT_MEETING, status=Event.Status.HELD)
        .filter(starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )


def agenda_content(meeting: Event) -> AgendaContent | None:
    """The meeting's agenda with its shortlist, its wards' active priorities (each with its
    latest public action) and the last meeting; None when no agenda is published."""
    agenda = Agenda.objects.filter(meeting=meeting).first()
    if agenda is None:
        return None
    ward_ids = Event.wards.through.objects.filter(event_id=meeting.pk).values("ward_id")
    priorities = with_latest_public_action(
        Priority.objects.filter(ward_id__in=ward_ids, status__in=Priority.ACTIVE_STATUSES)
        .select_related("ward", "category")
        .order_by("ward__name", "agreed_on", "pk")
    )
    return AgendaContent(
        agenda=agenda,
        meeting=meeting,
        concerns=list(shortlist_of(meeting)),
        priorities=list(priorities),
        last_meeting=last_meeting_of(meeting),
        support=support_counts(meeting.pk),
    )


def support_counts(meeting_id: int) -> dict[int, int]:
    """How many people (confirmed by their link) support each concern before the meeting."""
    rows = (
        MeetingSupportChoice.objects.filter(support__meeting_id=meeting_id, support__confirmed_at__isnull=False)
        .values("concern_id")
        .annotate(people=Count("support_id"))
    )
    return {row["concern_id"]: row["people"] for row in rows}


def with_support(options: list, meeting_id: int) -> list:
    """Set ``supporters`` on each ballot option: how many residents supported its concern before
    the meeting (None for a priority up for review, which residents were not asked about)."""
    counts = support_counts(meeting_id)
    for option in options:
        option.supporters = counts.get(option.concern_id, 0) if option.concern_id else None
    return options


def _next_with_agenda(**ward_filter: Any) -> QuerySet[Event]:
    events = Event.wards.through.objects.filter(**{f"ward__{k}": v for k, v in ward_filter.items()}).values("event_id")
    return (
        Event.objects.filter(
            pk__in=events, kind=Event.Kind.PACT_MEETING, status=Event.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .filter(Exists(Agenda.objects.filter(meeting=OuterRef("pk"))))
        .select_related("agenda")
        .annotate(shortlisted=Count("shortlist", filter=Q(shortlist__status=Concern.Status.SHORTLISTED)))
        .order_by("starts_at", "pk")
    )


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's agenda section: the next meetings with a published agenda (one query)."""
    return {"agenda_meetings": list(_next_with_agenda(pk=ward.pk)[:SECTION_SIZE])}


def team_section(team: NeighbourhoodTeam) -> dict[str, Any]:
    """Context of the team page's agenda section: its wards' next meetings with a published agenda."""
    return {"agenda_meetings": list(_next_with_agenda(team_id=team.pk)[:SECTION_SIZE])}


def meetings_without_agenda(ward_ids: set[int] | None, *, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Scheduled PACT meetings of these wards (None: every ward) within a week with no agenda yet."""
    now = now or timezone.now()
    events = Event.objects.filter(
        kind=Event.Kind.PACT_MEETING,
        status=Event.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=AGENDA_DAYS_BEFORE),
        agenda__isnull=True,
    )
    if ward_ids is not None:
        events = events.filter(pk__in=Event.wards.through.objects.filter(ward_id__in=ward_ids).values("event_id"))
    return events.order_by("starts_at", "pk")
