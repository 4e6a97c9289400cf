"""Emailing a resident who follows their concern: each step once their address is confirmed.

A resident who asks to be told gets one email at once (queued through core.recipients, so an
unconfirmed address gets only the request to confirm it first). After that, the day's steps of
the concern's history are sent as one email a day per concern, only to a confirmed address,
each with a one-click stop (RFC 8058); nothing is sent after the stop. An ending step
(resolved or closed) says what was achieved, and is the last email. An email that tells an
ending (those two, or not taken forward) asks "How did we do?" (issue 13, item 3).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import email_queue
from core.recipients import ERROR_TOO_MANY_EMAILS, EmailRefused, email_queue_for_resident, recipient_is_confirmed
from core.satisfaction import satisfaction_answered
from priorities.errors import PrioritiesError
from priorities.models import Concern, ConcernEvent
from priorities.selectors.concern_satisfaction import ANCHOR as SATISFACTION_ANCHOR

logger = logging.getLogger(__name__)

_STOP_SALT = "pact.priorities.concern_follow.stop"
_ENDINGS = (ConcernEvent.Kind.RESOLVED, ConcernEvent.Kind.CLOSED)


def concern_stop_token(concern: Concern) -> str:
    return signing.Signer(salt=_STOP_SALT).sign(str(concern.pk))


def _links(concern: Concern) -> dict[str, str]:
    site = settings.PACT_SITE_URL
    return {
        "status_url": site + reverse("priorities:concern_status", args=[concern.follow_code]),
        "stop_url": site + reverse("priorities:concern_follow_stop", args=[concern_stop_token(concern)]),
    }


def _headers(stop_url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def concern_follow_start(*, concern: Concern) -> None:
    """The first email to a resident who asked to follow their concern (held until the address is confirmed).

    Refused with the cap's message when the address has had as many emails today as it may.
    """
    if not concern.follow_by_email or not concern.contact_email:
        return
    links = _links(concern)
    context = {"concern": concern, "ward_name": concern.ward.name, **links}
    try:
        email_queue_for_resident(
            key=f"concern-follow-start:{concern.pk}",
            to=concern.contact_email,
            template="concern_follow_start",
            context=context,
            purpose="news of your concern as it moves",
            headers=_headers(links["stop_url"]),
        )
    except EmailRefused as error:
        raise PrioritiesError(ERROR_TOO_MANY_EMAILS) from error
    # The first email says it was received: that step is told.
    ConcernEvent.objects.filter(concern=concern, kind=ConcernEvent.Kind.RECEIVED).update(told_on=timezone.localdate())


def concern_follow_stop(*, token: str) -> Concern:
    """Stop the emails of a stop link at once; stopping twice is harmless. Concern.DoesNotExist if bad."""
    try:
        pk = int(signing.Signer(salt=_STOP_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise Concern.DoesNotExist from error
    with transaction.atomic():
        concern = Concern.objects.select_for_update().get(pk=pk)
        if concern.follow_stopped_at is None:
            concern.follow_stopped_at = timezone.now()
            concern.save(update_fields=["follow_stopped_at"])
            logger.info("concern %s: follow-up emails stopped", concern.pk)
    return concern


def _satisfaction_question(concern: Concern, steps: list[ConcernEvent], status_url: str) -> dict:
    """The email that tells an ending (rejected, resolved, closed) asks "How did we do?", unless answered."""
    asks = any(step.kind in ConcernEvent.ENDINGS for step in steps) and not satisfaction_answered(concern.reference)
    return {"asks_satisfaction": asks, "satisfaction_url": f"{status_url}#{SATISFACTION_ANCHOR}"}


def concern_follow_updates_send(*, today: datetime.date | None = None) -> int:
    """Queue one email per followed concern with the steps not yet told, up to the end of ``today``.

    Run daily (and safe to run again: the outbox key is the concern and the day, and the steps
    are marked told in the same transaction, only when their email is queued: a step made
    after the day's email waits for the next day's). Steps wait, untold, while the address is
    unconfirmed; after a stop they are never sent, nor is a withdrawn progress entry (an edited
    one goes once, as it reads when sent). Returns how many emails were queued.
    """
    today = today or timezone.localdate()
    until = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    steps = (
        ConcernEvent.objects.filter(
            told_on__isnull=True,
            happened_at__lt=until,
            concern__follow_by_email=True,
            concern__follow_stopped_at__isnull=True,
        )
        # A progress entry withdrawn before its step was sent is never sent.
        .exclude(progress__withdrawn_at__isnull=False)
        .select_related("concern__ward", "meeting", "priority", "ballot", "progress")
        .order_by("concern_id", "happened_at", "pk")
    )
    by_concern: dict[int, list[ConcernEvent]] = defaultdict(list)
    for step in steps:
        by_concern[step.concern_id].append(step)
    queued = 0
    for concern_steps in by_concern.values():
        concern = concern_steps[0].concern
        if not recipient_is_confirmed(concern.contact_email):
            continue
        with transaction.atomic():
            links = _links(concern)
            context = {
                "concern": concern,
                "ward_name": concern.ward.name,
                "steps": concern_steps,
                "is_last": any(step.kind in _ENDINGS for step in concern_steps),
                **links,
                **_satisfaction_question(concern, concern_steps, links["status_url"]),
            }
            if not email_queue(
                key=f"concern-follow:{concern.pk}:{today.isoformat()}",
                to=concern.contact_email,
                template="concern_follow_update",
                context=context,
                headers=_headers(links["stop_url"]),
            ):
                # Today's email went already (a second beat, a retry later in the day): a step
                # made since waits for tomorrow's, rather than being marked told unsent.
                continue
            queued += 1
            ConcernEvent.objects.filter(pk__in=[step.pk for step in concern_steps]).update(told_on=today)
    return queued
