"""Reads for the events and priorities methods of the police.uk-compatible API.

Each returns data.police.uk's documented JSON shape (see wards/policeuk/selectors.py for
the conventions), or None when we have no ward with that code.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, linebreaks

from priorities.models import Event, Priority
from priorities.selectors.progress import with_latest_public_action
from wards.models import Ward
from wards.policeuk.selectors import uk_date, uk_datetime

JSON = dict[str, Any]
# A priority that was resolved or closed stays listed this long, so that what was done
# about it is still there to read after the meeting that ended it.
RECENT_DAYS = 90
# data.police.uk's event types are free text; these are our kinds in its words.
EVENT_TYPES = {
    Event.Kind.PACT_MEETING: "meeting",
    Event.Kind.SURGERY: "surgery",
    Event.Kind.STREET_BRIEFING: "street briefing",
    Event.Kind.ONLINE_MEETING: "online meeting",
}


def _ward_id(code: str) -> int | None:
    # The API's neighbourhoods are the active generation's wards (wards.policeuk).
    return Ward.objects.active().filter(code=code).values_list("pk", flat=True).first()


def _event_description(event: Event) -> str:
    paragraphs = [format_html("<p>{}{}.</p>", event.get_kind_display(), f" at {event.venue}" if event.venue else "")]
    if event.joining_url:
        paragraphs.append(format_html('<p>Join online: <a href="{0}">{0}</a></p>', event.joining_url))
    if event.accessibility_notes:
        paragraphs.append(format_html("<p>Access: {}</p>", event.accessibility_notes))
    return "".join(paragraphs)


def _event(event: Event) -> JSON:
    address = ", ".join(part for part in (event.venue, event.address) if part)
    return {
        "title": event.title,
        "description": _event_description(event),
        "address": address or None,
        "type": EVENT_TYPES[Event.Kind(event.kind)],
        "start_date": uk_datetime(event.starts_at),
        "end_date": uk_datetime(event.ends_at),
        "contact_details": {},
    }


def neighbourhood_events(code: str) -> list[JSON] | None:
    """The ward's events still to come, soonest first, as police.uk's neighbourhood events.

    police.uk lists events that will take place and has no way to mark one cancelled, so
    only scheduled events are listed (a moved event is listed at its new date).
    """
    ward_id = _ward_id(code)
    if ward_id is None:
        return None
    events = Event.objects.filter(
        pk__in=Event.wards.through.objects.filter(ward_id=ward_id).values("event_id"),
        status=Event.Status.SCHEDULED,
        ends_at__gte=timezone.now(),
    ).order_by("starts_at", "pk")
    return [_event(event) for event in events]


def _priority(priority: Priority) -> JSON:
    action = priority.latest_action  # type: ignore[attr-defined]
    action_on = priority.latest_action_on  # type: ignore[attr-defined]
    return {
        "issue": format_html("<p>{}</p>", priority.title),
        "issue-date": uk_date(priority.agreed_on),
        "action": linebreaks(action, autoescape=True) if action else None,
        "action-date": uk_date(action_on) if action_on else None,
    }


def neighbourhood_priorities(code: str, *, today: datetime.date | None = None) -> list[JSON] | None:
    """The ward's active priorities and those ended in the last RECENT_DAYS days, newest first.

    ``issue`` is the priority as the panel agreed it, ``action`` its latest public progress
    entry (null until there is one), both as HTML; the dates are the day agreed and the
    day of that entry.
    """
    ward_id = _ward_id(code)
    if ward_id is None:
        return None
    since = (today or timezone.localdate()) - datetime.timedelta(days=RECENT_DAYS)
    priorities = with_latest_public_action(
        Priority.objects.filter(Q(status__in=Priority.ACTIVE_STATUSES) | Q(ended_on__gte=since), ward_id=ward_id)
    ).order_by("-agreed_on", "slot", "pk")
    return [_priority(priority) for priority in priorities]
