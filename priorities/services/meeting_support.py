"""Residents' support for shortlisted concerns before a PACT meeting: once per person, up to three.

A resident of the meeting's wards (their postcode is checked against the wards and not kept)
chooses one to three of the concerns shortlisted for the meeting on its agenda page and gives
an email address. Nothing counts until they follow the signed one-time link emailed to that
address (core.recipients counts and caps the email), so nobody can support in someone else's
name; a person is known only by the keyed hash of their address, and the database holds them
to one support per meeting with at most three choices. Support closes when the meeting starts.
The panel still decides: the counts are shown beside the ballot's options, never added to them.
"""

import datetime
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import public_cache_bump
from core.models import OutboundEmail
from core.personal_data import PersonalDataSource, retention_cutoff
from core.recipients import EmailRefused, email_queue_confirmation, recipient_hash
from core.roles import AnyUser
from priorities.errors import PrioritiesError
from priorities.models import Agenda, Concern, Event, MeetingSupport, MeetingSupportChoice
from priorities.models.agendas import SUPPORT_CHOICES_MAX
from wards.models import PostcodeWard
from wards.postcodes import normalise_postcode

ERROR_SUPPORT_CLOSED = _("Support for this meeting's concerns has closed: the meeting has started")
ERROR_NO_AGENDA = _("You can support concerns once the meeting's agenda is published")
ERROR_CHOOSE_ONE = _("Select at least one concern you support")
ERROR_TOO_MANY = _("Select up to three concerns")
ERROR_NOT_SHORTLISTED = _("Select concerns shortlisted for this meeting")
ERROR_NOT_IN_WARD = _("Enter a postcode in the ward this meeting is for: support is for the ward's residents")
ERROR_LINK_NOT_VALID = _("This link is not valid. Support the concerns again from the meeting's page to get a new one.")

LINKS_MAX = 3
_LINK_SALT = "pact.priorities.meeting_support"

logger = logging.getLogger(__name__)


def support_token(support: MeetingSupport) -> str:
    return signing.Signer(salt=_LINK_SALT).sign(str(support.pk))


def _support_for_token(token: str) -> MeetingSupport:
    try:
        pk = int(signing.Signer(salt=_LINK_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise PrioritiesError(ERROR_LINK_NOT_VALID) from error
    support = MeetingSupport.objects.select_related("meeting").filter(pk=pk).first()
    if support is None:
        raise PrioritiesError(ERROR_LINK_NOT_VALID)
    return support


def _check_open(meeting: Event) -> None:
    if meeting.status != Event.Status.SCHEDULED or meeting.starts_at <= timezone.now():
        raise PrioritiesError(ERROR_SUPPORT_CLOSED)


def _check_choices(meeting: Event, concern_ids: Sequence[int]) -> list[int]:
    chosen = list(dict.fromkeys(concern_ids))
    if not chosen:
        raise PrioritiesError(ERROR_CHOOSE_ONE)
    if len(chosen) > SUPPORT_CHOICES_MAX:
        raise PrioritiesError(ERROR_TOO_MANY)
    shortlisted = Concern.objects.filter(pk__in=chosen, shortlisted_for=meeting, status=Concern.Status.SHORTLISTED)
    if shortlisted.count() != len(chosen):
        raise PrioritiesError(ERROR_NOT_SHORTLISTED)
    return chosen


def _check_resident(meeting: Event, postcode: str) -> None:
    """The postcode must lie in one of the meeting's wards (in any boundary generation)."""
    normalised = normalise_postcode(postcode)
    wards = Event.wards.through.objects.filter(event_id=meeting.pk).values("ward_id")
    if not normalised or not PostcodeWard.objects.filter(postcode__postcode=normalised, ward_id__in=wards).exists():
        raise PrioritiesError(ERROR_NOT_IN_WARD)


def meeting_support_start(
    *, meeting_id: int, email: str, postcode: str, concern_ids: Sequence[int]
) -> MeetingSupport | None:
    """Record a resident's choice of one to three shortlisted concerns, pending, and email its link.

    The meeting must be scheduled, not started and have a published agenda; the postcode must
    be in its wards. A pending support of the same person is replaced (its link re-sent, at most
    LINKS_MAX times); a confirmed one stands and nothing is sent. The caller shows the same page
    either way, so the form never reveals who has supported. Over the address's daily email
    cap, nothing is kept and PrioritiesError says so.
    """
    meeting = Event.objects.get(pk=meeting_id)
    _check_open(meeting)
    if not Agenda.objects.filter(meeting=meeting).exists():
        raise PrioritiesError(ERROR_NO_AGENDA)
    chosen = _check_choices(meeting, concern_ids)
    _check_resident(meeting, postcode)
    with transaction.atomic():
        support = _support_pending(meeting, recipient_hash(email))
        if support is None:
            return None
        support.choices.all().delete()
        MeetingSupportChoice.objects.bulk_create(
            MeetingSupportChoice(support=support, concern_id=pk, slot=slot) for slot, pk in enumerate(chosen, start=1)
        )
        try:
            _link_queue(support, meeting, email)
        except EmailRefused as refused:
            raise PrioritiesError(str(refused)) from refused
    return support


def _support_pending(meeting: Event, address_hash: str) -> MeetingSupport | None:
    """The person's pending support to (re)confirm, new if need be; None if already confirmed."""
    support = MeetingSupport.objects.select_for_update().filter(meeting=meeting, address_hash=address_hash).first()
    if support is not None:
        return None if support.confirmed_at is not None else support
    try:
        with transaction.atomic():
            return MeetingSupport.objects.create(meeting=meeting, address_hash=address_hash)
    except IntegrityError:
        # The same form sent twice at once: the other request holds the support and sends its link.
        return None


def _link_queue(support: MeetingSupport, meeting: Event, email: str) -> None:
    prefix = f"meeting-support:{support.pk}:"
    sent = OutboundEmail.objects.filter(key__startswith=prefix).count()
    if sent >= LINKS_MAX:
        logger.info("meeting support %s: link not re-sent, limit reached", support.pk)
        return
    concerns = Concern.objects.filter(supports__support=support).select_related("category").order_by("supports__slot")
    context = {
        "meeting": meeting,
        "concerns": list(concerns),
        "confirm_url": settings.PACT_SITE_URL
        + reverse("priorities:meeting_support_confirm", args=[support_token(support)]),
    }
    email_queue_confirmation(key=f"{prefix}{sent + 1}", to=email, template="meeting_support_confirm", context=context)


def meeting_support_for_link(*, token: str) -> MeetingSupport:
    """The support of a link, with its meeting (PrioritiesError for a link that is not valid)."""
    return _support_for_token(token)


def meeting_support_confirm(*, token: str) -> MeetingSupport:
    """Count the support of a one-time link (a POST: link scanners only GET), until the meeting starts.

    Following the link again is harmless: the support is counted once.
    """
    support = _support_for_token(token)
    _check_open(support.meeting)
    if support.confirmed_at is None:
        now = timezone.now()
        MeetingSupport.objects.filter(pk=support.pk, confirmed_at__isnull=True).update(confirmed_at=now)
        support.confirmed_at = now
        logger.info("meeting support %s confirmed", support.pk)
        transaction.on_commit(public_cache_bump)
    return support


def meeting_support_export(email: str) -> list[dict[str, Any]]:
    """The address's support for shortlisted concerns before meetings (found by its keyed hash)."""
    supports = (
        MeetingSupport.objects.filter(address_hash=recipient_hash(email))
        .select_related("meeting")
        .prefetch_related("choices__concern")
        .order_by("created_at", "pk")
    )
    return [
        {
            "meeting": support.meeting.title,
            "meeting_starts": support.meeting.starts_at.isoformat(),
            "concerns": [choice.concern.reference for choice in support.choices.all()],
            "given": support.created_at.isoformat(),
            "confirmed": support.confirmed_at.isoformat() if support.confirmed_at else None,
        }
        for support in supports
    ]


def meeting_support_erase(email: str, *, by: AnyUser) -> int:
    """Delete the address's support (the counts it added go with it)."""
    deleted, _per_model = MeetingSupport.objects.filter(address_hash=recipient_hash(email)).delete()
    return deleted


def meeting_support_expire(now: datetime.datetime) -> int:
    """Delete support never confirmed after PACT_RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS; a confirmed
    one stays, as it is part of the count the public result shows."""
    cutoff = retention_cutoff("unconfirmed_subscription", now)
    deleted, _per_model = MeetingSupport.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


MEETING_SUPPORT = PersonalDataSource(
    name="priorities.meeting_support",
    label=_("Support for concerns before meetings"),
    description=_(
        "Which shortlisted concerns a resident supported before a PACT meeting, known by a keyed hash "
        "of their address (never the address). Unconfirmed support is deleted after PACT_RETENTION_"
        "UNCONFIRMED_SUBSCRIPTION_DAYS; confirmed support is kept as part of the meeting's public result."
    ),
    export=meeting_support_export,
    erase=meeting_support_erase,
    expire=meeting_support_expire,
)
