"""Residents' email subscriptions and the emails they get: double opt-in, one-click unsubscribe.

A resident subscribes to a team's or a ward's monthly update (and, if they choose, new
meetings) without an account: a confirmation link confirms, and every email carries a
one-click unsubscribe link (RFC 8058). Addresses are personal data: never shown, never
logged, never audited. Emails are outbox rows (core.emails.email_queue) keyed so that each
person gets each update or meeting once, whatever retries or double runs happen.
"""

import datetime
import hashlib
import logging
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.emails import email_render
from core.models import OutboundEmail
from core.recipients import EmailRefused, email_queue_confirmation, recipient_confirmed
from priorities.errors import PrioritiesError
from priorities.models import Agenda, Event, MonthlyUpdate, Subscription
from priorities.selectors.agendas import agenda_content
from priorities.selectors.subscriptions import (
    agenda_recipients,
    meeting_recipients,
    teams_with_update_recipients,
    update_recipients,
)
from priorities.selectors.updates import content_for_display
from wards.models import NeighbourhoodTeam, Ward

ERROR_PLACE = _("Choose a ward or a neighbourhood team to get emails about")
ERROR_NOTHING_CHOSEN = _("Select what you would like to get by email")
ERROR_LINK_NOT_VALID = _("This link is no longer valid. If you still want emails, subscribe again.")

# A repeated request re-sends the confirmation, but only a few times: the form must not
# become a way to fill someone else's inbox.
CONFIRMATIONS_MAX = 3
BATCH_SIZE = 500

logger = logging.getLogger(__name__)


def _address_key(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:24]


def _link(name: str, token: str) -> str:
    return settings.PACT_SITE_URL + reverse(name, args=[token])


def subscription_unsubscribe_headers(subscription: Subscription) -> dict[str, str]:
    """The List-Unsubscribe headers of RFC 2369 and RFC 8058 (one click from the mail program)."""
    return {
        "List-Unsubscribe": f"<{_link('priorities:subscription_unsubscribe', subscription.token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscription_start(
    *,
    email: str,
    team: NeighbourhoodTeam | None = None,
    ward: Ward | None = None,
    wants_updates: bool = True,
    wants_meetings: bool = False,
) -> Subscription | None:
    """Start a subscription to a team or a ward and queue its confirmation email.

    A pending subscription of the same address and place is reused (its choices replaced)
    and its confirmation re-sent, at most CONFIRMATIONS_MAX times. An address already
    confirmed gets nothing more; the caller shows the same page either way, so the form
    never reveals who is subscribed. Returns the pending subscription, or None.

    Confirmation emails count against the address's daily cap across the site
    (core.recipients): over it, nothing is kept and PrioritiesError says so.
    """
    if (team is None) == (ward is None):
        raise PrioritiesError(ERROR_PLACE)
    if not (wants_updates or wants_meetings):
        raise PrioritiesError(ERROR_NOTHING_CHOSEN)
    email = email.strip().lower()
    choices = {"wants_updates": wants_updates, "wants_meetings": wants_meetings}
    with transaction.atomic():
        subscription = _subscription_pending(email=email, team=team, ward=ward, choices=choices)
        if subscription is None:
            return None
        try:
            _confirmation_queue(subscription)
        except EmailRefused as refused:
            raise PrioritiesError(str(refused)) from refused
    return subscription


def _subscription_pending(*, email: str, team, ward, choices: dict[str, bool]) -> Subscription | None:
    """The pending subscription to (re)confirm, new if need be; None if already confirmed."""
    active = Subscription.objects.select_for_update().filter(email=email, team=team, ward=ward)
    subscription = active.filter(unsubscribed_at__isnull=True).first()
    if subscription is not None:
        if subscription.confirmed_at is not None:
            return None
        Subscription.objects.filter(pk=subscription.pk).update(**choices)
        return subscription
    subscription = Subscription(email=email, team=team, ward=ward, token=secrets.token_urlsafe(32), **choices)
    subscription.full_clean()
    try:
        with transaction.atomic():
            subscription.save(force_insert=True)
    except IntegrityError:
        # The same request sent twice at once: the other one made it and sends its confirmation.
        return None
    return subscription


def _confirmation_queue(subscription: Subscription) -> OutboundEmail | None:
    prefix = f"subscription-confirm:{subscription.pk}:"
    sent = OutboundEmail.objects.filter(key__startswith=prefix).count()
    if sent >= CONFIRMATIONS_MAX:
        logger.info("subscription %s: confirmation not re-sent, limit reached", subscription.pk)
        return None
    context = {
        "place": subscription.team or subscription.ward,
        "subscription": subscription,
        "confirm_url": _link("priorities:subscription_confirm", subscription.token),
        # Unconfirmed subscriptions are deleted after this many days (retention).
        "valid_days": settings.PACT_RETENTION_DAYS["unconfirmed_subscription"],
    }
    return email_queue_confirmation(
        key=f"{prefix}{sent + 1}", to=subscription.email, template="subscription_confirm", context=context
    )


def _subscription_by_token(token: str) -> Subscription:
    subscription = Subscription.objects.select_related("team", "ward").filter(token=token).first()
    if subscription is None:
        raise PrioritiesError(ERROR_LINK_NOT_VALID)
    return subscription


def subscription_confirm(*, token: str) -> Subscription:
    """Confirm the subscription of a confirmation link (a POST: link scanners only GET).

    Confirming twice is harmless; a subscription ended by unsubscribing cannot be revived
    by its old link (the resident subscribes again).
    """
    subscription = _subscription_by_token(token)
    if subscription.unsubscribed_at is not None:
        raise PrioritiesError(ERROR_LINK_NOT_VALID)
    if subscription.confirmed_at is None:
        now = timezone.now()
        with transaction.atomic():
            Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(confirmed_at=now)
            # The link reached the address's owner: the address is confirmed for every email.
            recipient_confirmed(email=subscription.email)
        subscription.confirmed_at = now
        logger.info("subscription %s confirmed", subscription.pk)
    return subscription


def subscription_unsubscribe(*, token: str) -> Subscription:
    """End the subscription of an unsubscribe link at once, and the address's others to the same team.

    Every email of a team goes to the address once, whether they subscribed to the team or
    one of its wards, so one click stops them all: the promise of one-click unsubscribe.
    Unsubscribing twice is harmless.
    """
    subscription = _subscription_by_token(token)
    team_id = subscription.team_id or (subscription.ward.team_id if subscription.ward else None)
    same_team = Q(pk=subscription.pk)
    if team_id is not None:
        same_team |= Q(team_id=team_id) | Q(ward__team_id=team_id)
    now = timezone.now()
    ended = Subscription.objects.filter(same_team, email=subscription.email, unsubscribed_at__isnull=True)
    if ended.update(unsubscribed_at=now):
        logger.info("subscription %s unsubscribed", subscription.pk)
    subscription.refresh_from_db(fields=["unsubscribed_at"])
    return subscription


def update_emails_queue(*, update_id: int, kind: str = "published") -> int:
    """Queue the monthly update ``update_id`` for every subscriber who should get it; return how many.

    One email per address (keyed by update and address), so a person subscribed to the team
    and one of its wards gets it once, and running this twice queues nothing more. ``kind``
    "report" is the team's report published later as a revision: keyed apart, so each
    subscriber gets it once more, and once only.
    """
    update = MonthlyUpdate.objects.select_related("team").get(pk=update_id)
    context = {
        "update": update,
        "team": update.team,
        "wards": content_for_display(update.content, update.notes),
        "update_url": _update_url(update),
        "report_followed": kind == "report",
    }
    queued = _queue_for(
        prefix=f"update:{update.pk}:report:" if kind == "report" else f"update:{update.pk}:",
        recipients=update_recipients(team_id=update.team_id),
        template="monthly_update",
        context=context,
    )
    return queued


def updates_emails_queue(*, update_ids: Sequence[int]) -> int:
    """``update_emails_queue`` for each of many published updates; return how many emails are new.

    Only the updates of teams that someone should get are loaded and rendered: one query
    finds those teams, so a batch of updates nobody follows costs two queries.
    """
    team_of = dict(MonthlyUpdate.objects.filter(pk__in=update_ids).values_list("pk", "team_id"))
    followed = teams_with_update_recipients(team_ids=set(team_of.values()))
    return sum(update_emails_queue(update_id=pk) for pk, team_id in sorted(team_of.items()) if team_id in followed)


def _update_url(update: MonthlyUpdate) -> str:
    path = reverse(
        "priorities:update_detail",
        kwargs={"slug": update.team.slug, "year": f"{update.month:%Y}", "month": f"{update.month:%m}"},
    )
    return settings.PACT_SITE_URL + path


def subscription_meeting_emails_queue(*, event: Event, moved_from: datetime.datetime | None = None) -> int:
    """Queue news of a newly scheduled (or, given ``moved_from``, moved) event to subscribers
    who asked for meetings; return how many.

    Only for events still to come (history entered after the fact tells no one); one email
    per address, keyed by event and address (and, for a move, the event's SEQUENCE), so each
    piece of news is sent once.
    """
    if event.status != Event.Status.SCHEDULED or event.starts_at <= timezone.now():
        return 0
    wards = list(event.wards.all())
    context = {
        "event": event,
        "wards": wards,
        "moved_from": moved_from,
        "event_url": settings.PACT_SITE_URL + reverse("wards:detail", args=[wards[0].code]),
    }
    moved = moved_from is not None
    queued = _queue_for(
        prefix=f"meeting-moved:{event.pk}:{event.sequence}:" if moved else f"meeting:{event.pk}:",
        recipients=meeting_recipients(event=event),
        template="meeting_moved" if moved else "meeting_scheduled",
        context=context,
    )
    logger.info("event %s: %s meeting emails queued", event.pk, queued)
    return queued


def subscription_agenda_emails_queue(*, agenda: Agenda, changed: bool) -> int:
    """Queue this version of a meeting's agenda to the subscribers of its wards and teams; return how many.

    One email per address, keyed by meeting, agenda version and address, so each version is
    sent once whatever retries or double runs happen; ``changed`` marks it as a change to an
    agenda they were sent before.
    """
    event = agenda.meeting
    content = agenda_content(event)
    context = {
        "event": event,
        "content": content,
        "wards": list(event.wards.order_by("name")),
        "changed": changed,
        "event_url": settings.PACT_SITE_URL + reverse("priorities:event_detail", args=[event.uid]),
    }
    return _queue_for(
        prefix=f"agenda:{event.pk}:{agenda.version}:",
        recipients=agenda_recipients(event=event),
        template="meeting_agenda",
        context=context,
    )


def _queue_for(*, prefix: str, recipients, template: str, context: dict[str, Any]) -> int:
    """Queue one email per recipient under ``prefix`` + address key, in batches; return how many are new."""
    queued = 0
    batch: list[Subscription] = []
    for subscription in recipients:
        batch.append(subscription)
        if len(batch) >= BATCH_SIZE:
            queued += _queue_batch(prefix, batch, template, context)
            batch = []
    if batch:
        queued += _queue_batch(prefix, batch, template, context)
    return queued


def _queue_batch(prefix: str, batch: list[Subscription], template: str, context: dict[str, Any]) -> int:
    keyed = {f"{prefix}{_address_key(subscription.email)}": subscription for subscription in batch}
    done = set(OutboundEmail.objects.filter(key__in=keyed).values_list("key", flat=True))
    rows = [_email_row(key, subscription, template, context) for key, subscription in keyed.items() if key not in done]
    # ignore_conflicts: a run racing this one may insert the same keys; its rows stand.
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _email_row(key: str, subscription: Subscription, template: str, context: dict[str, Any]) -> OutboundEmail:
    unsubscribe_url = _link("priorities:subscription_unsubscribe", subscription.token)
    subject, text, html = email_render(template, {**context, "unsubscribe_url": unsubscribe_url})
    return OutboundEmail(
        key=key,
        to=subscription.email,
        subject=subject[:200],
        body_text=text,
        body_html=html,
        headers=subscription_unsubscribe_headers(subscription),
    )
