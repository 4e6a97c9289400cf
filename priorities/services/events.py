"""Writes of meetings, surgeries, street briefings and online meetings.

Each service checks that the actor may run every ward of the event and that new times are
in the future, and applies every rule of the event itself. Management commands (demo data,
imports) pass ``system=True``: no permission check and past times allowed, the event's own
rules still hold, and the change is audited as made by ``actor`` (None: the system).
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.roles import AnyUser, is_administrator
from priorities.errors import PrioritiesError
from priorities.models import Concern, Event, EventAttendance, Panel, PanelMember
from priorities.scopes import can_manage_ward, can_run_ward, chaired_panel_ids
from priorities.selectors.events import members_active_on, next_meeting
from priorities.services.subscriptions import subscription_meeting_emails_queue
from wards.models import Ward

ERROR_NO_WARDS = _("Choose at least one ward")
ERROR_NOT_YOUR_WARD = _("You can only manage events for wards you run")
ERROR_NOT_YOUR_PANEL = _("You can only schedule PACT meetings for a panel you chair")
ERROR_PANEL_REQUIRED = _("Choose the panel holding the PACT meeting")
ERROR_PANEL_WARDS = _("The panel must serve every ward of the meeting")
ERROR_PANEL_NOT_MEETING = _("Only a PACT meeting has a panel")
ERROR_LINK_REQUIRED = _("Enter the joining link for the online meeting")
ERROR_START_PAST = _("The start must be in the future")
ERROR_END_BEFORE_START = _("The end must be after the start")
ERROR_NOT_SCHEDULED = _("Only a scheduled event can be changed; this one has been held, cancelled or moved")
ERROR_REASON_REQUIRED = _("Enter the reason the event is cancelled")
ERROR_NOT_STARTED = _("You can only record an event as held once it has started")
ERROR_CANNOT_HOLD = _("A cancelled or moved event cannot be recorded as held")
ERROR_NOT_MEMBERS = _("Attendance can only include members of the panel on the day of the meeting")
ERROR_NOT_NEXT_MEETING = _("The shortlist can only move to the next scheduled meeting of the same panel")
ERROR_NOT_PAST = _("A meeting recorded after the fact must have started already")
ERROR_RESIDENTS_NEGATIVE = _("The number of residents attending must be 0 or more")

EDITABLE_FIELDS = ("title", "starts_at", "ends_at", "venue", "address", "joining_url", "accessibility_notes")


def _snapshot(event: Event) -> dict[str, Any]:
    """The audited view of an event: its own fields, times in ISO form, and its wards."""
    data: dict[str, Any] = {
        "kind": event.kind,
        "status": event.status,
        "panel": event.panel_id,
        "sequence": event.sequence,
        "cancellation_reason": event.cancellation_reason,
        "moved_to": event.moved_to_id,
        "residents_attending": event.residents_attending,
        "minutes": event.minutes,
    }
    for field in EDITABLE_FIELDS:
        value = getattr(event, field)
        data[field] = value.isoformat() if isinstance(value, datetime.datetime) else value
    if event.pk:
        data["wards"] = sorted(event.wards.values_list("code", flat=True))
    return data


def _check_can_run(actor: AnyUser | None, wards: Iterable[Ward], panel: Panel | None) -> None:
    """The actor must run every ward; a chair (not an officer of those wards) only their own panel's meetings."""
    wards = list(wards)
    if actor is None or not all(can_run_ward(actor, ward) for ward in wards):
        raise PrioritiesError(ERROR_NOT_YOUR_WARD)
    if panel is None or is_administrator(actor):
        return
    if not all(can_manage_ward(actor, ward) for ward in wards) and panel.pk not in chaired_panel_ids(actor):
        raise PrioritiesError(ERROR_NOT_YOUR_PANEL)


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime, *, future: bool) -> None:
    if ends_at <= starts_at:
        raise PrioritiesError(ERROR_END_BEFORE_START)
    if future and starts_at <= timezone.now():
        raise PrioritiesError(ERROR_START_PAST)


def _check_shape(*, kind: str, wards: Sequence[Ward], panel: Panel | None, joining_url: str) -> None:
    """The rules of the event itself: wards, the panel of a PACT meeting, the link of an online one."""
    if not wards:
        raise PrioritiesError(ERROR_NO_WARDS)
    if kind == Event.Kind.PACT_MEETING:
        if panel is None:
            raise PrioritiesError(ERROR_PANEL_REQUIRED)
        served = set(panel.wards.values_list("pk", flat=True))
        if not {ward.pk for ward in wards} <= served:
            raise PrioritiesError(ERROR_PANEL_WARDS)
    elif panel is not None:
        raise PrioritiesError(ERROR_PANEL_NOT_MEETING)
    if kind == Event.Kind.ONLINE_MEETING and not joining_url:
        raise PrioritiesError(ERROR_LINK_REQUIRED)


def _load_event(event_id: int) -> Event:
    # Locked (the event row only: its panel may be null) so two people changing the same event
    # at once cannot both pass the status check.
    return Event.objects.select_for_update(of=("self",)).select_related("panel").get(pk=event_id)


def _check_can_change(actor: AnyUser | None, event: Event) -> None:
    _check_can_run(actor, event.wards.all(), event.panel)


def _check_can_change_event(actor: AnyUser | None, event_id: int) -> Event:
    event = Event.objects.select_related("panel").get(pk=event_id)
    _check_can_change(actor, event)
    return event


def event_schedule(
    *,
    actor: AnyUser | None,
    kind: str,
    title: str,
    ward_ids: Sequence[int],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    panel_id: int | None = None,
    venue: str = "",
    address: str = "",
    joining_url: str = "",
    accessibility_notes: str = "",
    system: bool = False,
) -> Event:
    """Schedule an event for wards the actor runs, starting in the future.

    Every chosen ward must be one the actor may run (core.roles.can_run_ward); a PACT
    meeting's panel must serve all its wards, and a chair only schedules for their panel.
    With ``system=True`` (management commands) there is no permission check and the event
    may be in the past; its own rules still hold: wards given, a PACT meeting's panel serves
    them all, an online meeting has a link, the end is after the start.
    """
    wards = list(Ward.objects.filter(pk__in=ward_ids))
    panel = Panel.objects.filter(pk=panel_id).first() if panel_id else None
    if not system:
        if len(wards) != len(set(ward_ids)):
            raise PrioritiesError(ERROR_NOT_YOUR_WARD)
        _check_can_run(actor, wards, panel)
        _check_times(starts_at, ends_at, future=True)
    _check_shape(kind=kind, wards=wards, panel=panel, joining_url=joining_url)
    _check_times(starts_at, ends_at, future=False)
    event = Event(
        kind=kind,
        title=title.strip(),
        panel=panel,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        address=address.strip(),
        joining_url=joining_url.strip(),
        accessibility_notes=accessibility_notes.strip(),
        created_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
    )
    with transaction.atomic():
        event.full_clean()
        event.save()
        event.wards.set(wards)
        audit_record(actor=actor, action="priorities.event.scheduled", target=event, data={"after": _snapshot(event)})
        subscription_meeting_emails_queue(event=event)
    return event


def event_update(*, actor: AnyUser | None, event_id: int, system: bool = False, **changes: Any) -> Event:
    """Change a scheduled event's title, times, venue, address, link or accessibility notes
    (keys of EDITABLE_FIELDS), raising its SEQUENCE.

    Only someone who may run every ward of the event may; new times must start in the future
    (with ``system=True``: no permission check, past times allowed).
    """
    if not system:
        event = _check_can_change_event(actor, event_id)
        starts_at, ends_at = changes.get("starts_at", event.starts_at), changes.get("ends_at", event.ends_at)
        if (starts_at, ends_at) != (event.starts_at, event.ends_at):
            _check_times(starts_at, ends_at, future=True)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_update cannot change {sorted(unknown)}")
    with transaction.atomic():
        event = _load_event(event_id)
        if event.status != Event.Status.SCHEDULED:
            raise PrioritiesError(ERROR_NOT_SCHEDULED)
        before = _snapshot(event)
        for field, value in changes.items():
            setattr(event, field, value.strip() if isinstance(value, str) else value)
        _check_times(event.starts_at, event.ends_at, future=False)
        _check_shape(kind=event.kind, wards=list(event.wards.all()), panel=event.panel, joining_url=event.joining_url)
        event.sequence += 1
        event.full_clean()
        event.save(update_fields=[*changes, "sequence", "updated_at"])
        after = _snapshot(event)
        data = {"before": before, "after": after}
        audit_record(actor=actor, action="priorities.event.updated", target=event, data=data)
    return event


def event_cancel(
    *,
    actor: AnyUser | None,
    event_id: int,
    reason: str,
    move_shortlist_to: int | None = None,
    system: bool = False,
) -> Event:
    """Cancel a scheduled event, giving the reason residents will read; with ``move_shortlist_to``
    (the next meeting of the same panel, see selectors.events.next_meeting), its shortlisted
    concerns move there, so the panel still votes on them.

    Only someone who may run every ward of the event may (with ``system=True``: anyone).
    """
    if not system:
        _check_can_change_event(actor, event_id)
    reason = reason.strip()
    if not reason:
        raise PrioritiesError(ERROR_REASON_REQUIRED)
    with transaction.atomic():
        event = _load_event(event_id)
        if event.status != Event.Status.SCHEDULED:
            raise PrioritiesError(ERROR_NOT_SCHEDULED)
        before = _snapshot(event)
        event.status = Event.Status.CANCELLED
        event.cancellation_reason = reason
        event.sequence += 1
        event.full_clean()
        event.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
        moved = _move_shortlist(event, move_shortlist_to) if move_shortlist_to else []
        audit_record(
            actor=actor,
            action="priorities.event.cancelled",
            target=event,
            data={
                "before": before,
                "after": _snapshot(event) | {"shortlist_moved_to": move_shortlist_to, "concerns": moved},
            },
        )
    return event


def _move_shortlist(event: Event, to_id: int) -> list[int]:
    """Move the cancelled meeting's shortlist to the next meeting of its panel (refused otherwise)."""
    target = next_meeting(event)
    if target is None or target.pk != to_id:
        raise PrioritiesError(ERROR_NOT_NEXT_MEETING)
    shortlist = event.shortlist.filter(status=Concern.Status.SHORTLISTED)
    concerns = list(shortlist.values_list("pk", flat=True))
    shortlist.update(shortlisted_for=target)
    return concerns


def event_move(
    *,
    actor: AnyUser | None,
    event_id: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    system: bool = False,
) -> Event:
    """Move a scheduled event to new times in the future, keeping everything that hangs on it.

    The event is moved in place: its shortlist, agenda, ballots and calendar entry (same UID,
    SEQUENCE raised so calendar programs replace their copy) follow it, and subscribers who
    asked for meetings are told once per move. Only someone who may run every ward of the
    event may (with ``system=True``: anyone, to any time).
    """
    if not system:
        _check_can_change_event(actor, event_id)
        _check_times(starts_at, ends_at, future=True)
    _check_times(starts_at, ends_at, future=False)
    with transaction.atomic():
        event = _load_event(event_id)
        if event.status != Event.Status.SCHEDULED:
            raise PrioritiesError(ERROR_NOT_SCHEDULED)
        before = _snapshot(event)
        moved_from = event.starts_at
        event.starts_at, event.ends_at, event.sequence = starts_at, ends_at, event.sequence + 1
        event.full_clean()
        event.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
        data = {"before": before, "after": _snapshot(event)}
        audit_record(actor=actor, action="priorities.event.moved", target=event, data=data)
        subscription_meeting_emails_queue(event=event, moved_from=moved_from)
    return event


def _attending_members(event: Event, member_ids: Sequence[int]) -> list[PanelMember]:
    """The chosen members, each of whom must have been on the event's panel on its date."""
    if not member_ids:
        return []
    if event.panel_id is None:
        raise PrioritiesError(ERROR_NOT_MEMBERS)
    members = list(members_active_on(event.panel_id, timezone.localdate(event.starts_at)).filter(pk__in=member_ids))
    if len(members) != len(set(member_ids)):
        raise PrioritiesError(ERROR_NOT_MEMBERS)
    return members


def event_record_held(
    *,
    actor: AnyUser | None,
    event_id: int,
    member_ids: Sequence[int] = (),
    residents_attending: int | None = None,
    minutes: str = "",
    system: bool = False,
) -> Event:
    """Record that an event took place: who of the panel attended, how many residents, the minutes.

    Only after it started, and only for a scheduled (or already held, to correct it) event.
    Only someone who may run every ward of the event may (with ``system=True``: anyone).
    """
    if not system:
        _check_can_change_event(actor, event_id)
    if residents_attending is not None and residents_attending < 0:
        raise PrioritiesError(ERROR_RESIDENTS_NEGATIVE)
    with transaction.atomic():
        event = _load_event(event_id)
        if event.status not in (Event.Status.SCHEDULED, Event.Status.HELD):
            raise PrioritiesError(ERROR_CANNOT_HOLD)
        if event.starts_at > timezone.now():
            raise PrioritiesError(ERROR_NOT_STARTED)
        before = _snapshot(event) | {"attendance": sorted(event.attendance.values_list("member_id", flat=True))}
        members = _attending_members(event, member_ids)
        event.status, event.residents_attending, event.minutes = Event.Status.HELD, residents_attending, minutes.strip()
        event.sequence += 1
        event.full_clean()
        event.save(update_fields=["status", "residents_attending", "minutes", "sequence", "updated_at"])
        event.attendance.all().delete()
        EventAttendance.objects.bulk_create(EventAttendance(event=event, member=member) for member in members)
        after = _snapshot(event) | {"attendance": sorted(member.pk for member in members)}
        audit_record(actor=actor, action="priorities.event.held", target=event, data={"before": before, "after": after})
    return event


def event_record_past(
    *,
    actor: AnyUser | None,
    kind: str,
    title: str,
    ward_ids: Sequence[int],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    panel_id: int | None = None,
    venue: str = "",
    address: str = "",
    joining_url: str = "",
    member_ids: Sequence[int] = (),
    residents_attending: int | None = None,
    minutes: str = "",
) -> Event:
    """Record an event that took place but was never scheduled (held yesterday, say), as held.

    The same people may as for scheduling it (every ward theirs; a chair, their panel's
    meetings); it must have started already. It is audited as scheduled and as held, by the
    actor, and tells no subscriber (news of the past is no invitation).
    """
    wards = list(Ward.objects.filter(pk__in=ward_ids))
    panel = Panel.objects.filter(pk=panel_id).first() if panel_id else None
    if len(wards) != len(set(ward_ids)):
        raise PrioritiesError(ERROR_NOT_YOUR_WARD)
    _check_can_run(actor, wards, panel)
    _check_times(starts_at, ends_at, future=False)
    if starts_at > timezone.now():
        raise PrioritiesError(ERROR_NOT_PAST)
    with transaction.atomic():
        event = event_schedule(
            actor=actor,
            kind=kind,
            title=title,
            ward_ids=ward_ids,
            starts_at=starts_at,
            ends_at=ends_at,
            panel_id=panel_id,
            venue=venue,
            address=address,
            joining_url=joining_url,
            system=True,
        )
        return event_record_held(
            actor=actor,
            event_id=event.pk,
            member_ids=member_ids,
            residents_attending=residents_attending,
            minutes=minutes,
            system=True,
        )


def can_change_event(*, actor: AnyUser, event: Event) -> bool:
    """Whether the actor may change the event: they run every ward of it (and chair its panel, if a chair)."""
    try:
        _check_can_change(actor, event)
    except PrioritiesError:
        return False
    return True
