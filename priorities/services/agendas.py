"""Publishing a PACT meeting's agenda, and emailing it to subscribers a week before.

The chair of the meeting's panel, or an officer of its wards' team (whoever may change the
meeting: services.events.can_change_event), publishes the agenda before the meeting starts,
ideally at least AGENDA_DAYS_BEFORE days before it. The agenda email goes to the confirmed
subscribers of the meeting's wards and their teams once the meeting is that close: once per
meeting, and once more for each change made after it was sent (marked as changed).
"""

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import Agenda, Concern, ConcernEvent, Event
from priorities.services.events import can_change_event
from priorities.services.subscriptions import subscription_agenda_emails_queue

ERROR_NOT_YOUR_MEETING = _("You can only publish the agenda of a meeting you run")
ERROR_NOT_MEETING = _("Only a PACT meeting has an agenda")
ERROR_MEETING_NOT_SCHEDULED = _("The agenda can only be published for a scheduled meeting")
ERROR_MEETING_STARTED = _("The meeting has started: its agenda can no longer be changed")

AGENDA_DAYS_BEFORE = 7

logger = logging.getLogger(__name__)


def _snapshot(agenda: Agenda) -> dict:
    return {
        "matters_arising": agenda.matters_arising,
        "accessibility_notes": agenda.accessibility_notes,
        "version": agenda.version,
    }


def _check_meeting(event: Event) -> None:
    if event.kind != Event.Kind.PACT_MEETING:
        raise PrioritiesError(ERROR_NOT_MEETING)
    if event.status != Event.Status.SCHEDULED:
        raise PrioritiesError(ERROR_MEETING_NOT_SCHEDULED)
    if event.starts_at <= timezone.now():
        raise PrioritiesError(ERROR_MEETING_STARTED)


def agenda_publish(
    *, actor: AnyUser | None, event_id: int, matters_arising: str, accessibility_notes: str, system: bool = False
) -> Agenda:
    """Publish the agenda of a scheduled PACT meeting that has not started, or change it.

    Only someone who may change the meeting may (with ``system=True``, demo data: anyone).
    A change to what was published raises the agenda's version, so subscribers who already
    had it are sent the new one, marked as changed; saving it unchanged changes nothing.
    Each followed concern on the shortlist gets its "on the agenda" step once per meeting.
    """
    event = Event.objects.select_related("panel").get(pk=event_id)
    if not system and (actor is None or not can_change_event(actor=actor, event=event)):
        raise PrioritiesError(ERROR_NOT_YOUR_MEETING)
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event_id)
        _check_meeting(event)
        agenda = Agenda.objects.filter(meeting=event).first()
        values = {"matters_arising": matters_arising.strip(), "accessibility_notes": accessibility_notes.strip()}
        if agenda is None:
            agenda = _agenda_create(actor, event, values)
        elif any(getattr(agenda, name) != value for name, value in values.items()):
            agenda = _agenda_change(actor, agenda, values)
        else:
            return agenda
        _agenda_steps_record(event)
    return agenda


def _agenda_create(actor: AnyUser | None, event: Event, values: dict[str, str]) -> Agenda:
    user = actor if actor is not None and actor.is_authenticated else None
    agenda = Agenda(meeting=event, published_at=timezone.now(), published_by=user, **values)
    agenda.full_clean()
    agenda.save()
    audit_record(actor=actor, action="priorities.agenda.published", target=event, data={"after": _snapshot(agenda)})
    return agenda


def _agenda_change(actor: AnyUser | None, agenda: Agenda, values: dict[str, str]) -> Agenda:
    before = _snapshot(agenda)
    for name, value in values.items():
        setattr(agenda, name, value)
    agenda.version += 1
    agenda.changed_at = timezone.now()
    agenda.full_clean()
    agenda.save(update_fields=[*values, "version", "changed_at"])
    data = {"before": before, "after": _snapshot(agenda)}
    audit_record(actor=actor, action="priorities.agenda.changed", target=agenda.meeting, data=data)
    return agenda


def _agenda_steps_record(event: Event) -> None:
    """An "on the agenda" step for each shortlisted concern that has none for this meeting yet."""
    shortlisted = Concern.objects.filter(shortlisted_for=event, status=Concern.Status.SHORTLISTED)
    told = ConcernEvent.objects.filter(kind=ConcernEvent.Kind.ON_AGENDA, meeting=event).values("concern_id")
    ConcernEvent.objects.bulk_create(
        ConcernEvent(concern_id=pk, kind=ConcernEvent.Kind.ON_AGENDA, meeting=event)
        for pk in shortlisted.exclude(pk__in=told).values_list("pk", flat=True)
    )


def agendas_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Ids of agendas whose email is due: their scheduled meeting starts within a week, and
    subscribers have not been sent this version."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=AGENDA_DAYS_BEFORE)
    unsent = Q(emailed_version__isnull=True) | Q(emailed_version__lt=F("version"))
    return list(
        Agenda.objects.filter(
            unsent,
            meeting__status=Event.Status.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=soon,
        )
        .order_by("meeting__starts_at", "pk")
        .values_list("pk", flat=True)
    )


def agenda_emails_send(*, agenda_id: int) -> int:
    """Queue this version of an agenda to the meeting's subscribers, once; return how many.

    The version is claimed by a conditional UPDATE in the same transaction as the outbox rows:
    a second beat or a retry finds it claimed (or, after a failure, nothing written) and
    queues nothing more; the rows' keys (meeting, version, address) hold it too.
    """
    with transaction.atomic():
        agenda = Agenda.objects.select_related("meeting").get(pk=agenda_id)
        previous = agenda.emailed_version
        unsent = Q(emailed_version__isnull=True) if previous is None else Q(emailed_version=previous)
        claimed = (
            Agenda.objects.filter(unsent, pk=agenda.pk, version=agenda.version)
            .exclude(emailed_version=agenda.version)
            .update(emailed_version=agenda.version)
        )
        if claimed != 1:
            return 0
        queued = subscription_agenda_emails_queue(agenda=agenda, changed=previous is not None)
    logger.info("agenda %s version %s: %s emails queued", agenda.pk, agenda.version, queued)
    return queued
