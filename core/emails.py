"""Queueing email: every email is an OutboundEmail row, written in the caller's transaction.

Each email has templates/emails/<name>/subject.txt, body.txt and body.html. The key makes
queueing idempotent: queueing the same key again returns None and changes nothing, so a
retried or doubled job never sends anything twice.

Once the transaction commits, a dispatch is asked for at once (in-process when there is no
broker), so a resident's confirmation email does not wait for the next minute's dispatch;
if the broker is down the request still succeeds and the periodic dispatch sends it later.
"""

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from core.models import OutboundEmail

logger = logging.getLogger(__name__)


def email_render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text body, HTML body) of ``templates/emails/<template>/``."""
    context = {"site_url": settings.PACT_SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}/subject.txt", context).split())
    text = render_to_string(f"emails/{template}/body.txt", context)
    html = render_to_string(f"emails/{template}/body.html", context)
    return subject, text, html


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    held_for: str = "",
) -> OutboundEmail | None:
    """Queue one email under ``key``; None when an email with that key was queued before.

    ``held_for`` (a recipient hash, see core.recipients) queues it held: it waits, unsent,
    until that address is confirmed.
    """
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    subject, text, html = email_render(template, context)
    email = OutboundEmail(key=key, to=to, subject=subject[:200], body_text=text, body_html=html, headers=headers or {})
    if held_for:
        email.status, email.recipient_hash = OutboundEmail.Status.HELD, held_for
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        # Queued by a concurrent run between the check and the insert: once is enough.
        return None
    if not held_for:
        email_dispatch_soon()
    return email


def email_dispatch_soon() -> None:
    """Ask for a dispatch once the transaction commits, when PACT_SEND_EMAIL_AT_ONCE is on."""
    if settings.PACT_SEND_EMAIL_AT_ONCE:
        transaction.on_commit(_dispatch_soon)


def _dispatch_soon() -> None:
    from core.tasks import outbox_dispatch_task

    try:
        outbox_dispatch_task.delay()
    except Exception:  # noqa: BLE001 - any broker failure: the periodic dispatch sends it later
        logger.warning("could not ask for an outbox dispatch now; the periodic one will send the email")
