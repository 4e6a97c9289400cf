"""iCalendar (RFC 5545) feeds of a ward's or a team's events.

UIDs come from the event's own UUID, so they stay the same however often it is edited, and
SEQUENCE rises with every change: calendar programs then replace their copy. A cancelled
event, or the old date of a moved one, stays in the feed as STATUS:CANCELLED so subscribers'
calendars drop it rather than keep a meeting that will not happen.
"""

import datetime
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone
from django.utils.formats import date_format

from priorities.models import Agenda, Event

PRODID = "-//Kent Police PACT//Meetings and surgeries//EN"


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    hour = date_format(local, "g") + (date_format(local, ":i") if local.minute else "")
    return f"{date_format(local, 'l j F Y')}, {hour}{date_format(local, 'A').lower()}"


def _agenda(event: Event) -> Agenda | None:
    try:
        return event.agenda
    except Agenda.DoesNotExist:
        return None


def _description(event: Event, url: str) -> str:
    parts = []
    if event.status == Event.Status.CANCELLED:
        parts.append(f"Cancelled: {event.cancellation_reason}")
    if event.status == Event.Status.MOVED and event.moved_to is not None:
        parts.append(f"Moved to {_when(event.moved_to.starts_at)}.")
    agenda = _agenda(event) if event.status == Event.Status.SCHEDULED else None
    if agenda is not None:
        parts.append(
            f"Agenda{' (changed)' if agenda.is_changed else ''}: shortlisted concerns, priorities up for review "
            f"and how to support concerns before the meeting: {url}#agenda"
        )
        if agenda.matters_arising:
            parts.append(f"Matters arising from the last meeting:\n{agenda.matters_arising}")
    notes = (
        agenda.accessibility_notes if agenda is not None and agenda.accessibility_notes else event.accessibility_notes
    )
    if notes:
        parts.append(f"Accessibility: {notes}")
    return "\n\n".join(parts)


def _location(event: Event) -> str:
    place = ", ".join(part for part in (event.venue, event.address) if part)
    return place or event.joining_url


def _vevent(event: Event, url: str, stamp: datetime.datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@pact")
    item.add("sequence", event.sequence)
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
    item.add("dtend", event.ends_at.astimezone(datetime.UTC))
    cancelled = event.status in (Event.Status.CANCELLED, Event.Status.MOVED)
    item.add("summary", f"Cancelled: {event.title}" if cancelled else event.title)
    if location := _location(event):
        item.add("location", location)
    item.add("url", url)
    if description := _description(event, url):
        item.add("description", description)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def calendar_build(*, name: str, events: Iterable[Event], url_for: Callable[[Event], str]) -> bytes:
    """The feed called ``name`` holding ``events``; ``url_for`` gives each event's public page."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in events:
        cal.add_component(_vevent(event, url_for(event), stamp))
    return cal.to_ical()
