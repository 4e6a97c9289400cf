"""The personal data of the email outbox (core.models.OutboundEmail), registered in PactConfig.ready().

Each row holds an address and the text sent to it. Sent and failed rows are deleted a period
after they were sent or last tried (PACT_RETENTION_OUTBOUND_EMAIL_DAYS); pending rows are
kept until they are sent. The period must stay longer than any job that may be re-run for
the same email: a row's unique key is what stops a second copy (a monthly update's emails
are only ever queued in the month after it, so 90 days leaves a wide margin).

Erasing deletes every row to the address except one being sent at that moment (the
dispatcher holds it; it is sent or failed within minutes and retention removes it later).
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.models import OutboundEmail, SignInFailure, SignInLockout
from core.personal_data import PersonalDataSource, register_personal_data, retention_cutoff
from core.roles import AnyUser


def _to(email: str) -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(to__iexact=email)


def outbound_email_export(email: str) -> list[dict[str, Any]]:
    """The emails queued for or sent to ``email``, with their text (not their HTML copy)."""
    rows = _to(email).only("to", "subject", "body_text", "status", "created_at", "sent_at").order_by("created_at", "pk")
    return [
        {
            "subject": row.subject,
            "status": row.get_status_display(),
            "queued": row.created_at.isoformat(),
            "sent": row.sent_at.isoformat() if row.sent_at else None,
            "to": row.to,
            "text": row.body_text,
        }
        for row in rows
    ]


def outbound_email_erase(email: str, *, by: AnyUser) -> int:
    """Delete the outbox rows to ``email``, except one the dispatcher is sending right now."""
    deleted, _per_model = _to(email).exclude(status=OutboundEmail.Status.SENDING).delete()
    return deleted


def outbound_email_expire(now: datetime) -> int:
    """Delete sent and failed emails older than PACT_RETENTION_OUTBOUND_EMAIL_DAYS."""
    cutoff = retention_cutoff("outbound_email", now)
    done = OutboundEmail.objects.filter(status__in=(OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED))
    old = done.alias(finished=Coalesce("sent_at", "claimed_at", "created_at")).filter(finished__lt=cutoff)
    deleted, _per_model = old.delete()
    return deleted


OUTBOUND_EMAIL = PersonalDataSource(
    name="pact.outbound_email",
    label=_("Emails sent"),
    description=_(
        "Emails PACT queued for or sent to this address: acknowledgements, replies, confirmations, "
        "monthly updates and news of meetings. Sent and failed emails are deleted after "
        "PACT_RETENTION_OUTBOUND_EMAIL_DAYS."
    ),
    export=outbound_email_export,
    erase=outbound_email_erase,
    expire=outbound_email_expire,
)


# Staff sign-in: sessions and the records that drive lockouts. Sessions hold who is signed in;
# failures and lockouts hold keyed hashes of usernames and client addresses (core.sign_in).
# None of it is found by a resident's address, so export and erasure have nothing to do.

SIGN_IN_LOCKOUT_KEPT = timedelta(days=90)


def sign_in_export(email: str) -> list[dict[str, Any]]:
    return []


def sign_in_erase(email: str, *, by: AnyUser) -> int:
    return 0


def sign_in_expire(now: datetime) -> int:
    """Delete expired sessions, failures older than the lockout window (they no longer count)
    and lockouts that ended more than 90 days ago (kept meanwhile to answer "why was I locked
    out?")."""
    sessions, _per_model = Session.objects.filter(expire_date__lt=now).delete()
    window = timedelta(seconds=settings.PACT_SIGN_IN_FAILURE_WINDOW_SECONDS)
    failures, _per_model = SignInFailure.objects.filter(created_at__lt=now - window).delete()
    ended = Q(locked_until__lt=now - SIGN_IN_LOCKOUT_KEPT) | Q(cleared_at__lt=now - SIGN_IN_LOCKOUT_KEPT)
    lockouts, _per_model = SignInLockout.objects.filter(ended).delete()
    return sessions + failures + lockouts


SIGN_IN = PersonalDataSource(
    name="pact.sign_in",
    label=_("Staff sign-in records"),
    description=_(
        "Staff sessions, failed sign-ins and lockouts (usernames and client addresses only as keyed "
        "hashes). Never linked to a resident's address. Expired sessions and failures older than the "
        "lockout window are deleted; lockouts 90 days after they ended."
    ),
    export=sign_in_export,
    erase=sign_in_erase,
    expire=sign_in_expire,
)


def register() -> None:
    """Declare pact's sources (called from PactConfig.ready())."""
    register_personal_data(OUTBOUND_EMAIL)
    register_personal_data(SIGN_IN)
