"""The personal data of the PACT cycle, for subject access, erasure and retention.

Registered with core.personal_data in PrioritiesConfig.ready().

Concerns: the contact address is blanked, the concern itself (a public matter of the ward)
stays. Its retention period runs from the concern's last change: when it was raised or last
moderated, or when the priority adopted from it ended. While such a priority is active the
address is kept, because the team may still tell the resident what came of it.

Subscriptions: erasing deletes them. Retention deletes a subscription never confirmed after
a short period (the confirmation link no longer works; the resident can subscribe again) and
one ended by unsubscribing after a period (kept meanwhile to answer "I unsubscribed but…").
"""

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalDataSource, register_personal_data, retention_cutoff
from core.roles import AnyUser
from priorities.models import Concern, Priority, Subscription
from priorities.services.incident_logs import INCIDENT_LOGS
from priorities.services.information import INFORMATION_REPORTS
from priorities.services.meeting_support import MEETING_SUPPORT
from priorities.services.panels import PANEL_INVITATIONS


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# The resident's own words, kept for staff when moderation redacted what was published.
_OWN_WORDS_BLANK = {"original_description": "", "original_location_text": ""}


def concern_contact_export(email: str) -> list[dict[str, Any]]:
    """Concerns raised with ``email`` as the contact address."""
    concerns = (
        Concern.objects.filter(contact_email__iexact=email)
        .select_related("ward", "category")
        .order_by("created_at", "pk")
    )
    return [
        {
            "reference": concern.reference,
            "ward": concern.ward.name,
            "category": concern.category.name,
            "description": concern.description,
            # Before moderation redacted personal data from what was published.
            "own_words": concern.original_description,
            "own_location": concern.original_location_text,
            "location": concern.location_text,
            "raised": concern.created_at.isoformat(),
            "how_raised": concern.get_source_display(),
            "status": concern.get_status_display(),
            "contact_email": concern.contact_email,
        }
        for concern in concerns
    ]


def concern_contact_erase(email: str, *, by: AnyUser) -> int:
    """Blank the contact address of every concern raised with ``email``, and the resident's own
    words that moderation kept when it redacted what was published."""
    return Concern.objects.filter(contact_email__iexact=email).update(contact_email="", **_OWN_WORDS_BLANK)


def concern_contact_expire(now: datetime) -> int:
    """Blank contact addresses of concerns unchanged for PACT_RETENTION_CONCERN_CONTACT_DAYS."""
    cutoff = retention_cutoff("concern_contact", now)
    live_priorities = Priority.objects.filter(
        Q(status__in=Priority.ACTIVE_STATUSES) | Q(ended_on__gte=cutoff.date())
    ).values("concern_id")
    stale = (
        Concern.objects.exclude(contact_email="")
        # Greatest of a NULL is NULL on SQLite, so an unmoderated concern counts its creation twice.
        .alias(last_change=Greatest("created_at", Coalesce("moderated_at", "created_at")))
        .filter(last_change__lt=cutoff)
        .exclude(pk__in=live_priorities.filter(concern__isnull=False))
    )
    return stale.update(contact_email="", **_OWN_WORDS_BLANK)


def _place_name(subscription: Subscription) -> str:
    place = subscription.team or subscription.ward
    return place.name if place is not None else ""


def subscription_export(email: str) -> list[dict[str, Any]]:
    """The address's subscriptions to teams' and wards' emails, ended ones included."""
    subscriptions = (
        Subscription.objects.filter(email__iexact=email).select_related("team", "ward").order_by("created_at", "pk")
    )
    return [
        {
            "place": _place_name(subscription),
            "monthly_updates": subscription.wants_updates,
            "new_meetings": subscription.wants_meetings,
            "subscribed": subscription.created_at.isoformat(),
            "confirmed": _iso(subscription.confirmed_at),
            "unsubscribed": _iso(subscription.unsubscribed_at),
            "email": subscription.email,
        }
        for subscription in subscriptions
    ]


def subscription_erase(email: str, *, by: AnyUser) -> int:
    """Delete every subscription of ``email`` (no more emails go to it)."""
    deleted, _per_model = Subscription.objects.filter(email__iexact=email).delete()
    return deleted


def subscription_expire(now: datetime) -> int:
    """Delete subscriptions unconfirmed for PACT_RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS, and
    those unsubscribed longer ago than PACT_RETENTION_UNSUBSCRIBED_DAYS."""
    unconfirmed = Q(confirmed_at__isnull=True, created_at__lt=retention_cutoff("unconfirmed_subscription", now))
    unsubscribed = Q(unsubscribed_at__lt=retention_cutoff("unsubscribed", now))
    deleted, _per_model = Subscription.objects.filter(unconfirmed | unsubscribed).delete()
    return deleted


CONCERN_CONTACT = PersonalDataSource(
    name="priorities.concerns",
    label=_("Concerns raised"),
    description=_(
        "Concerns about a ward raised with this email address as the contact, online or entered by "
        "staff. The address is never shown publicly; it is blanked a period after the concern last "
        "changed (PACT_RETENTION_CONCERN_CONTACT_DAYS), with the resident's own words where moderation "
        "redacted personal data from what was published, and the concern itself is kept."
    ),
    export=concern_contact_export,
    erase=concern_contact_erase,
    expire=concern_contact_expire,
)

SUBSCRIPTIONS = PersonalDataSource(
    name="priorities.subscriptions",
    label=_("Email subscriptions"),
    description=_(
        "Subscriptions to a neighbourhood team's or a ward's monthly updates and meetings. Erasing "
        "deletes them. Unconfirmed subscriptions are deleted after PACT_RETENTION_UNCONFIRMED_"
        "SUBSCRIPTION_DAYS, ended ones after PACT_RETENTION_UNSUBSCRIBED_DAYS."
    ),
    export=subscription_export,
    erase=subscription_erase,
    expire=subscription_expire,
)


def register() -> None:
    """Declare the PACT cycle's sources (called from PrioritiesConfig.ready())."""
    register_personal_data(CONCERN_CONTACT)
    register_personal_data(SUBSCRIPTIONS)
    register_personal_data(INFORMATION_REPORTS)
    register_personal_data(INCIDENT_LOGS)
    register_personal_data(PANEL_INVITATIONS)
    register_personal_data(MEETING_SUPPORT)
