"""Reads of email subscriptions: the place a resident subscribes to, a link's subscription,
and who gets an email. Addresses are personal data: only the email services read them."""

from collections.abc import Collection, Iterator

from django.db.models import F, Q

from priorities.models import Event, Subscription
from wards.models import NeighbourhoodTeam, Ward

CHUNK_SIZE = 500


def ward_for_subscribe(*, code: str) -> Ward | None:
    """The ward a subscription form is for, by its ONS code."""
    return Ward.objects.filter(code=code.upper()).only("pk", "code", "name", "team_id").first()


def team_for_subscribe(*, slug: str) -> NeighbourhoodTeam | None:
    """The neighbourhood team a subscription form is for, by its slug."""
    return NeighbourhoodTeam.objects.filter(slug=slug).only("pk", "slug", "name").first()


def subscription_for_token(*, token: str) -> Subscription | None:
    """The subscription of a confirm or unsubscribe link, with the place it is for."""
    return Subscription.objects.select_related("team", "ward").filter(token=token).first()


def _recipients(subscriptions: Q) -> Iterator[Subscription]:
    """One subscription per address (a team one before a ward one), confirmed and still active.

    Ordered by address so the same person's subscriptions come together and are sent once.
    """
    active = Subscription.objects.filter(subscriptions, confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    rows = active.order_by("email", F("ward_id").asc(nulls_first=True), "pk").only(
        "email", "token", "team_id", "ward_id"
    )
    previous = None
    for subscription in rows.iterator(chunk_size=CHUNK_SIZE):
        if subscription.email.lower() != previous:
            previous = subscription.email.lower()
            yield subscription


def update_recipients(*, team_id: int) -> Iterator[Subscription]:
    """Who gets a team's monthly update: subscribers to the team or any of its wards, once each."""
    return _recipients(Q(wants_updates=True) & (Q(team_id=team_id) | Q(ward__team_id=team_id)))


def teams_with_update_recipients(*, team_ids: Collection[int]) -> set[int]:
    """Which of ``team_ids`` have someone ``update_recipients`` would send the team's update to."""
    active = Subscription.objects.filter(wants_updates=True, confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    rows = active.filter(Q(team_id__in=team_ids) | Q(ward__team_id__in=team_ids)).values_list(
        "team_id", "ward__team_id"
    )
    return {team_id or ward_team_id for team_id, ward_team_id in rows.distinct()} & set(team_ids)


def meeting_recipients(*, event: Event) -> Iterator[Subscription]:
    """Who hears of a new meeting: subscribers to its wards or their teams who asked for meetings."""
    ward_ids = list(event.wards.values_list("pk", flat=True))
    team_ids = set(Ward.objects.filter(pk__in=ward_ids, team__isnull=False).values_list("team_id", flat=True))
    return _recipients(Q(wants_meetings=True) & (Q(ward_id__in=ward_ids) | Q(team_id__in=team_ids)))


def agenda_recipients(*, event: Event) -> Iterator[Subscription]:
    """Who gets a meeting's agenda: every confirmed subscriber of its wards or their teams, once each."""
    ward_ids = list(event.wards.values_list("pk", flat=True))
    team_ids = set(Ward.objects.filter(pk__in=ward_ids, team__isnull=False).values_list("team_id", flat=True))
    return _recipients(Q(ward_id__in=ward_ids) | Q(team_id__in=team_ids))
