"""Writes of the ground floor: worker heartbeats and the email outbox."""

import datetime
import logging
import re
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from core.models import OutboundEmail, WorkerHeartbeat

logger = logging.getLogger(__name__)


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Note that the worker ``hostname`` just ran a task (one row per worker, upserted)."""
    now = timezone.now()
    beat = WorkerHeartbeat.objects.filter(hostname=hostname)
    if not beat.update(last_seen=now, beats=F("beats") + 1):
        _, created = WorkerHeartbeat.objects.get_or_create(hostname=hostname, defaults={"last_seen": now, "beats": 1})
        if not created:
            # Another process created the row between our update and our insert.
            beat.update(last_seen=now, beats=F("beats") + 1)
    return beat.get()


# The email outbox: core.models.OutboundEmail rows, sent by a periodic task.

OUTBOX_MAX_ATTEMPTS = 5
# Longer than Celery's hard time limit, so a row still "sending" after it was claimed by a
# worker that is certainly gone (killed, or out of time).
OUTBOX_STUCK_AFTER = datetime.timedelta(minutes=15)
OUTBOX_INTERRUPTED = "Interrupted while sending: it may or may not have been delivered, so it is not resent"
# Transient: the mail server refused or was unreachable; the row is tried again later.
OUTBOX_TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, OSError)
_ADDRESS = re.compile(r"[^\s<>()\[\]'\",;:]+@[^\s<>()\[\]'\",;:]+")


def outbox_dispatch(*, limit: int | None = None) -> int:
    """Send up to ``limit`` pending emails of the outbox, oldest first; return how many were sent.

    Each row is claimed by a conditional UPDATE (pending → sending) that only one dispatcher
    can win, so two dispatchers running at once never send a row twice. A transient SMTP
    error puts the row back to pending until OUTBOX_MAX_ATTEMPTS, then it is failed, and
    ends this run (the mail server is likely down for the rest of the batch too).
    """
    outbox_release_stuck()
    limit = settings.PACT_EMAIL_BATCH_SIZE if limit is None else limit
    pending = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, sent_at__isnull=True)
    ids = list(pending.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    sent = 0
    with get_connection() as connection:
        for email_id in ids:
            if not _outbox_claim(email_id):
                continue
            if not _outbox_send(email_id, connection):
                break
            sent += 1
    return sent


def outbox_release_stuck() -> int:
    """Fail rows left "sending" by a worker killed mid-send; return how many.

    They are failed for a person to look at, never resent: SMTP cannot tell us whether the
    server accepted the message before the worker died, and the outbox promises each email
    at most once (a second monthly update in a resident's inbox is worse than a missing one).
    """
    cutoff = timezone.now() - OUTBOX_STUCK_AFTER
    stuck = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff)
    count = stuck.update(status=OutboundEmail.Status.FAILED, last_error=OUTBOX_INTERRUPTED)
    if count:
        logger.warning("%s outbound emails interrupted while sending were marked failed", count)
    return count


def _outbox_claim(email_id: int) -> bool:
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.PENDING, sent_at__isnull=True
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    return claimed == 1


def _outbox_send(email_id: int, connection: Any) -> bool:
    """Send one claimed row; False when a transient error stopped it (recorded on the row)."""
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body_text, to=[email.to], headers=email.headers, connection=connection
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except OUTBOX_TRANSIENT_ERRORS as error:
        _outbox_failed(email, error)
        return False
    OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.SENDING).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    logger.info("outbound email %s sent", email_id)
    return True


def _outbox_failed(email: OutboundEmail, error: Exception) -> None:
    give_up = email.attempts >= OUTBOX_MAX_ATTEMPTS
    status = OutboundEmail.Status.FAILED if give_up else OutboundEmail.Status.PENDING
    text = _ADDRESS.sub("<address>", str(error).replace(email.to, "<address>"))
    last_error = f"{type(error).__name__}: {text}"[:300]
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
        status=status, last_error=last_error
    )
    logger.warning("outbound email %s not sent (attempt %s, %s): %s", email.pk, email.attempts, status, last_error)
