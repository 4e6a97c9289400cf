"""Email to addresses residents type into public forms: a daily cap per address, and nothing
but a request to confirm it until the address has been confirmed.

Anyone can type anyone's address into a subscription, feedback or incident-log form, so
these forms must not become a way to fill a stranger's inbox. Two rules hold across the
whole site, for every app:

- **A cap.** An address gets at most PACT_EMAIL_ASKED_PER_DAY emails a day that were asked
  for from a public form (confirmation requests, acknowledgements, links), counted per UK
  calendar day in the database (core.models.EmailRecipient), not Redis: the count must hold
  while Redis is down, and it is written in the same transaction as the email. Over the cap
  nothing is queued and EmailRefused is raised: the caller refuses the form with its message,
  so nothing is dropped silently. Staff replies and the emails of a confirmed subscription
  are not asked for from outside, and are not counted.
- **Confirmation first.** An address never confirmed gets only a confirmation request: any
  other email for it is queued *held* and released when the address is confirmed, by the
  link in that request (recipient_confirm) or by confirming a subscription
  (recipient_confirmed). Held emails and the link expire after
  PACT_RETENTION_UNCONFIRMED_ADDRESS_DAYS.

Addresses are known here only by a keyed hash (HMAC-SHA256 with a key derived from
SECRET_KEY) of the address normalised as mail systems deliver it: lower case, without a
``+tag``, and for Gmail without dots, so ``Sam.Smith+1@gmail.com`` counts as
``samsmith@gmail.com``.
"""

import logging
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.emails import email_dispatch_soon, email_queue
from core.models import EmailRecipient, OutboundEmail

logger = logging.getLogger(__name__)

ERROR_TOO_MANY_EMAILS = _(
    "We have sent as many emails to this address today as we can. Try again tomorrow, or leave the address out."
)
ERROR_LINK_NOT_VALID = _("This link is not valid or has expired. Give your address again to get a new one.")

_HASH_SALT = "pact.core.recipients"
_LINK_SALT = "pact.core.recipients.confirm"
_GMAIL = {"gmail.com", "googlemail.com"}


class Delivery(StrEnum):
    """What became of an email to a resident's address."""

    QUEUED = "queued"  # it will be sent
    HELD = "held"  # it waits for the address to be confirmed; a request to confirm it was sent


class EmailRefused(Exception):
    """The address has had its emails for today; nothing was queued."""

    def __init__(self) -> None:
        super().__init__(str(ERROR_TOO_MANY_EMAILS))


class ConfirmationError(Exception):
    """A confirmation link that is not valid (tampered with, or expired)."""


def address_deliverable(email: str) -> str:
    """The address as its mailbox: lower case, no ``+tag``, no dots in a Gmail name."""
    local, _at, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in _GMAIL:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def recipient_hash(email: str) -> str:
    """The keyed hash an address is counted and confirmed by; never the address itself."""
    return salted_hmac(_HASH_SALT, address_deliverable(email), algorithm="sha256").hexdigest()


def _recipient(address_hash: str) -> EmailRecipient:
    recipient, _created = EmailRecipient.objects.get_or_create(
        address_hash=address_hash, defaults={"day": timezone.localdate()}
    )
    return recipient


def _count(address_hash: str) -> None:
    """Count one email asked for from outside; EmailRefused once today's are used up."""
    _recipient(address_hash)
    today = timezone.localdate()
    room = Q(day__lt=today) | Q(day=today, emails_on_day__lt=settings.PACT_EMAIL_ASKED_PER_DAY)
    # One conditional UPDATE: concurrent requests for one address cannot both take the last place.
    counted = EmailRecipient.objects.filter(room, address_hash=address_hash).update(
        emails_on_day=Case(When(day=today, then=F("emails_on_day") + 1), default=Value(1)), day=today
    )
    if not counted:
        logger.info("email to recipient %s refused: today's emails used up", address_hash[:12])
        raise EmailRefused


def recipient_is_confirmed(email: str) -> bool:
    return EmailRecipient.objects.filter(address_hash=recipient_hash(email), confirmed_at__isnull=False).exists()


def email_queue_confirmation(
    *, key: str, to: str, template: str, context: dict[str, Any], headers: dict[str, str] | None = None
) -> OutboundEmail | None:
    """Queue a request to confirm something (a subscription, an address), counted against the cap.

    None when ``key`` was queued before (nothing counted); EmailRefused over the cap.
    """
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    _count(recipient_hash(to))
    return email_queue(key=key, to=to, template=template, context=context, headers=headers)


def email_queue_for_resident(
    *,
    key: str,
    to: str,
    template: str,
    context: dict[str, Any],
    purpose: str,
    counted: bool = True,
    headers: dict[str, str] | None = None,
) -> Delivery:
    """Queue an email to an address a resident gave: sent now if the address is confirmed,
    otherwise held, with one request a day to confirm the address (saying ``purpose``: what
    waits for it).

    ``counted``: asked for from a public form, so it counts against the cap, and EmailRefused
    is raised over it. A staff reply is not counted, and neither is its confirmation request.
    ``headers`` go with the email (a one-click stop, say), not with the confirmation request.
    """
    before = OutboundEmail.objects.filter(key=key).values_list("status", flat=True).first()
    if before is not None:
        return Delivery.HELD if before == OutboundEmail.Status.HELD else Delivery.QUEUED
    address_hash = recipient_hash(to)
    if recipient_is_confirmed(to):
        if counted:
            _count(address_hash)
        email_queue(key=key, to=to, template=template, context=context, headers=headers)
        return Delivery.QUEUED
    _confirmation_request(to, address_hash, purpose=purpose, counted=counted)
    email_queue(key=key, to=to, template=template, context=context, headers=headers, held_for=address_hash)
    return Delivery.HELD


def _confirmation_request(to: str, address_hash: str, *, purpose: str, counted: bool) -> None:
    # One a day at most: a second email held the same day waits for the same request.
    key = f"address-confirm:{address_hash[:40]}:{timezone.localdate().isoformat()}"
    context = {
        "purpose": purpose,
        "confirm_url": settings.PACT_SITE_URL + reverse("address_confirm", args=[_link_token(address_hash)]),
        "valid_days": settings.PACT_RETENTION_DAYS["unconfirmed_address"],
    }
    if counted:
        email_queue_confirmation(key=key, to=to, template="address_confirm", context=context)
    else:
        _recipient(address_hash)
        email_queue(key=key, to=to, template="address_confirm", context=context)


def _link_token(address_hash: str) -> str:
    return signing.TimestampSigner(salt=_LINK_SALT).sign(address_hash)


def recipient_confirm_token(email: str) -> str:
    """The token of the link that confirms ``email`` (what a confirmation request carries)."""
    return _link_token(recipient_hash(email))


def _hash_from_token(token: str) -> str:
    max_age = settings.PACT_RETENTION_DAYS["unconfirmed_address"] * 86400
    try:
        return signing.TimestampSigner(salt=_LINK_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature as error:
        raise ConfirmationError(str(ERROR_LINK_NOT_VALID)) from error


def recipient_token_is_confirmed(*, token: str) -> bool:
    """Whether the address of a confirmation link is confirmed already; ConfirmationError if the link is bad."""
    address_hash = _hash_from_token(token)
    return EmailRecipient.objects.filter(address_hash=address_hash, confirmed_at__isnull=False).exists()


def recipient_confirm(*, token: str) -> int:
    """Confirm the address of a confirmation link (a POST: mail scanners only GET) and release
    what waits for it; return how many emails were released. Confirming twice is harmless."""
    return _confirm(_hash_from_token(token))


def recipient_confirmed(*, email: str) -> int:
    """Record that ``email`` has been proven to be the resident's (they confirmed a subscription
    sent to it) and release what waits for it; return how many emails were released."""
    return _confirm(recipient_hash(email))


def _confirm(address_hash: str) -> int:
    with transaction.atomic():
        _recipient(address_hash)
        EmailRecipient.objects.filter(address_hash=address_hash, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        held = OutboundEmail.objects.filter(status=OutboundEmail.Status.HELD, recipient_hash=address_hash)
        released = held.update(status=OutboundEmail.Status.PENDING)
        if released:
            email_dispatch_soon()
    logger.info("recipient %s confirmed, %s held emails released", address_hash[:12], released)
    return released
