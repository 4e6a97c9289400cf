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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import EmailRecipient, OutboundEmail, SignInFailure, SignInLockout
from core.personal_data import PersonalDataSource, register_personal_data, retention_cutoff
from core.recipients import recipient_hash
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
    """Delete sent and failed emails older than PACT_RETENTION_OUTBOUND_EMAIL_DAYS, and emails
    held for an address nobody confirmed within PACT_RETENTION_UNCONFIRMED_ADDRESS_DAYS."""
    cutoff = retention_cutoff("outbound_email", now)
    done = OutboundEmail.objects.filter(status__in=(OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED))
    old = done.alias(finished=Coalesce("sent_at", "claimed_at", "created_at")).filter(finished__lt=cutoff)
    deleted, _per_model = old.delete()
    held = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.HELD, created_at__lt=retention_cutoff("unconfirmed_address", now)
    )
    never_released, _per_model = held.delete()
    return deleted + never_released


OUTBOUND_EMAIL = PersonalDataSource(
    name="pact.outbound_email",
    label=_("Emails sent"),
    description=_(
        "Emails PACT queued for or sent to this address: acknowledgements, replies, confirmations, "
        "monthly updates and news of meetings. Sent and failed emails are deleted after "
        "PACT_RETENTION_OUTBOUND_EMAIL_DAYS; emails held for an address never confirmed after "
        "PACT_RETENTION_UNCONFIRMED_ADDRESS_DAYS."
    ),
    export=outbound_email_export,
    erase=outbound_email_erase,
    expire=outbound_email_expire,
)


# Residents' addresses as keyed hashes (core.recipients): confirmed or not, and today's count.


def _recipient_of(email: str) -> QuerySet[EmailRecipient]:
    return EmailRecipient.objects.filter(address_hash=recipient_hash(email))


def email_recipient_export(email: str) -> list[dict[str, Any]]:
    """Whether the address was confirmed, and the emails counted against its daily cap."""
    return [
        {
            "confirmed": row.confirmed_at.isoformat() if row.confirmed_at else None,
            "emails_counted_on": row.day.isoformat(),
            "emails_counted": row.emails_on_day,
        }
        for row in _recipient_of(email)
    ]


def email_recipient_erase(email: str, *, by: AnyUser) -> int:
    deleted, _per_model = _recipient_of(email).delete()
    return deleted


def email_recipient_expire(now: datetime) -> int:
    """Forget an address never confirmed once it has had no email for
    PACT_RETENTION_UNCONFIRMED_ADDRESS_DAYS, and that one was confirmed
    PACT_RETENTION_CONFIRMED_ADDRESS_DAYS after it was (it is then asked again)."""
    last_day = timezone.localdate(retention_cutoff("unconfirmed_address", now))
    unconfirmed = Q(confirmed_at__isnull=True, day__lt=last_day)
    confirmed = Q(confirmed_at__lt=retention_cutoff("confirmed_address", now))
    deleted, _per_model = EmailRecipient.objects.filter(unconfirmed | confirmed).delete()
    return deleted


EMAIL_RECIPIENT = PersonalDataSource(
    name="pact.email_recipient",
    label=_("Email address confirmation"),
    description=_(
        "A keyed hash of the address (never the address): whether it was confirmed, and how many emails "
        "asked for from public forms it got on its last day of email (at most PACT_EMAIL_ASKED_PER_DAY). "
        "Forgotten PACT_RETENTION_UNCONFIRMED_ADDRESS_DAYS after its last email if never confirmed, "
        "PACT_RETENTION_CONFIRMED_ADDRESS_DAYS after it was confirmed."
    ),
    export=email_recipient_export,
    erase=email_recipient_erase,
    expire=email_recipient_expire,
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
    register_personal_data(EMAIL_RECIPIENT)
    register_personal_data(SIGN_IN)
