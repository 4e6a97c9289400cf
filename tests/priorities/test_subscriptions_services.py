import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import OutboundEmail
from core.services import outbox_dispatch
from priorities.errors import PrioritiesError
from priorities.models import MonthlyUpdate, Subscription
from priorities.selectors.updates import month_content
from priorities.services import subscriptions as services
from priorities.services.events import event_schedule
from priorities.services.subscriptions import (
    subscription_confirm,
    subscription_meeting_emails_queue,
    subscription_start,
    subscription_unsubscribe,
    update_emails_queue,
)
from priorities.tasks import monthly_update_email_task
from tests.priorities.factories import EventFactory, PriorityFactory, ProgressEntryFactory, SubscriptionFactory
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

EMAIL = "Resident@Example.org"
MARCH = datetime.date(2026, 3, 1)


def _confirm_link(email: OutboundEmail) -> str:
    return re.search(r"/subscriptions/confirm/([^/]+)/", email.body_text).group(1)


def _update(team, month=MARCH, summary="The team patrolled the High Street."):
    content = month_content(team=team, month=month)
    return MonthlyUpdate.objects.create(
        team=team, month=month, content=content, summary=summary, published_at=timezone.now()
    )


# Starting and confirming


def test_subscription_start_creates_a_pending_subscription_and_queues_the_confirmation(ward_a, settings):
    settings.PACT_SITE_URL = "https://pact.example.org"

    subscription = subscription_start(email=EMAIL, ward=ward_a, wants_meetings=True)

    assert subscription.email == "resident@example.org"
    assert subscription.confirmed_at is None
    assert subscription.wants_updates
    assert subscription.wants_meetings
    (email,) = OutboundEmail.objects.all()
    assert email.key == f"subscription-confirm:{subscription.pk}:1"
    assert email.to == "resident@example.org"
    assert email.subject == f"Confirm your email updates from {ward_a.name}"
    link = f"https://pact.example.org/subscriptions/confirm/{subscription.token}/"
    assert link in email.body_text
    assert f'href="{link}"' in email.body_html
    assert "The link works for 7 days" in email.body_text


def test_subscription_start_needs_a_ward_or_a_team(ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_PLACE)):
        subscription_start(email=EMAIL)
    with pytest.raises(PrioritiesError, match=str(services.ERROR_PLACE)):
        subscription_start(email=EMAIL, ward=ward_a, team=ward_a.team)


def test_subscription_start_needs_something_chosen(ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOTHING_CHOSEN)):
        subscription_start(email=EMAIL, ward=ward_a, wants_updates=False, wants_meetings=False)


def test_subscription_start_again_reuses_the_pending_one_and_resends_a_few_times(ward_a):
    first = subscription_start(email=EMAIL, ward=ward_a)

    for _attempt in range(5):
        again = subscription_start(email=EMAIL, ward=ward_a, wants_meetings=True)

    assert again.pk == first.pk
    assert Subscription.objects.get().wants_meetings is True
    assert OutboundEmail.objects.count() == services.CONFIRMATIONS_MAX


def test_subscription_start_for_a_confirmed_address_changes_nothing(ward_a):
    SubscriptionFactory(email="resident@example.org", ward=ward_a)

    assert subscription_start(email=EMAIL, ward=ward_a) is None

    assert Subscription.objects.count() == 1
    assert OutboundEmail.objects.count() == 0


def test_subscription_start_after_unsubscribing_starts_afresh(ward_a):
    old = SubscriptionFactory(email="resident@example.org", ward=ward_a, unsubscribed_at=timezone.now())

    new = subscription_start(email=EMAIL, ward=ward_a)

    assert new.pk != old.pk
    assert new.token != old.token


def test_subscription_confirm_confirms_once(ward_a):
    subscription = subscription_start(email=EMAIL, ward=ward_a)
    token = _confirm_link(OutboundEmail.objects.get())

    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC), tick=False):
        subscription_confirm(token=token)
    subscription_confirm(token=token)

    subscription.refresh_from_db()
    assert subscription.confirmed_at == datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC)


def test_subscription_confirm_refuses_an_unknown_or_ended_link(ward_a):
    ended = SubscriptionFactory(ward=ward_a, confirmed_at=None, unsubscribed_at=timezone.now())

    with pytest.raises(PrioritiesError, match=str(services.ERROR_LINK_NOT_VALID)):
        subscription_confirm(token="no-such-token")
    with pytest.raises(PrioritiesError, match=str(services.ERROR_LINK_NOT_VALID)):
        subscription_confirm(token=ended.token)


def test_subscription_unsubscribe_ends_it_and_is_harmless_twice(ward_a):
    subscription = SubscriptionFactory(ward=ward_a)

    subscription_unsubscribe(token=subscription.token)
    ended = subscription_unsubscribe(token=subscription.token)

    assert ended.unsubscribed_at is not None
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at == ended.unsubscribed_at


def test_subscription_unsubscribe_ends_the_address_s_other_subscriptions_to_the_team(ward_a, ward_b):
    neighbour = WardFactory(team=ward_a.team)
    by_ward = SubscriptionFactory(email="sam@example.org", ward=ward_a)
    by_team = SubscriptionFactory(email="sam@example.org", ward=None, team=ward_a.team)
    by_neighbour = SubscriptionFactory(email="sam@example.org", ward=neighbour)
    elsewhere = SubscriptionFactory(email="sam@example.org", ward=ward_b)
    someone_else = SubscriptionFactory(email="alex@example.org", ward=ward_a)

    subscription_unsubscribe(token=by_ward.token)

    ended = set(Subscription.objects.filter(unsubscribed_at__isnull=False).values_list("pk", flat=True))
    assert ended == {by_ward.pk, by_team.pk, by_neighbour.pk}
    assert elsewhere.pk not in ended
    assert someone_else.pk not in ended


def test_subscription_unsubscribe_refuses_an_unknown_link():
    with pytest.raises(PrioritiesError, match=str(services.ERROR_LINK_NOT_VALID)):
        subscription_unsubscribe(token="no-such-token")


def test_subscription_start_logs_no_address(ward_a, caplog):
    with caplog.at_level("INFO"):
        subscription = subscription_start(email=EMAIL, ward=ward_a)
        subscription_confirm(token=subscription.token)
        subscription_unsubscribe(token=subscription.token)

    assert "example.org" not in caplog.text.lower()


# The monthly update's emails


def test_update_emails_queue_emails_each_confirmed_subscriber_once(ward_a, ward_b):
    neighbour = WardFactory(team=ward_a.team)
    SubscriptionFactory(email="ward@example.org", ward=ward_a)
    SubscriptionFactory(email="team@example.org", ward=None, team=ward_a.team)
    SubscriptionFactory(email="both@example.org", ward=ward_a)
    SubscriptionFactory(email="both@example.org", ward=None, team=ward_a.team)
    SubscriptionFactory(email="both@example.org", ward=neighbour)
    SubscriptionFactory(email="pending@example.org", ward=ward_a, confirmed_at=None)
    SubscriptionFactory(email="gone@example.org", ward=ward_a, unsubscribed_at=timezone.now())
    SubscriptionFactory(email="meetings@example.org", ward=ward_a, wants_updates=False, wants_meetings=True)
    SubscriptionFactory(email="other@example.org", ward=ward_b)
    update = _update(ward_a.team)

    assert update_emails_queue(update_id=update.pk) == 3

    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "both@example.org",
        "team@example.org",
        "ward@example.org",
    ]


def test_update_emails_queue_twice_queues_nothing_more(ward_a):
    SubscriptionFactory.create_batch(3, ward=ward_a)
    update = _update(ward_a.team)
    update_emails_queue(update_id=update.pk)

    assert update_emails_queue(update_id=update.pk) == 0

    assert OutboundEmail.objects.count() == 3


def test_update_emails_queue_in_batches_queues_everyone(ward_a, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    SubscriptionFactory.create_batch(5, ward=ward_a)
    update = _update(ward_a.team)

    assert update_emails_queue(update_id=update.pk) == 5


def test_update_emails_queue_gives_a_new_subscriber_only_the_missing_email(ward_a):
    SubscriptionFactory(email="first@example.org", ward=ward_a)
    update = _update(ward_a.team)
    update_emails_queue(update_id=update.pk)
    SubscriptionFactory(email="second@example.org", ward=ward_a)

    assert update_emails_queue(update_id=update.pk) == 1


def test_monthly_update_email_task_twice_sends_one_email_each(ward_a, celery_eager):
    SubscriptionFactory.create_batch(2, ward=ward_a)
    update = _update(ward_a.team)

    monthly_update_email_task.delay(update.pk)
    monthly_update_email_task.delay(update.pk)
    outbox_dispatch()
    outbox_dispatch()

    assert sorted(len(message.to) for message in mail.outbox) == [1, 1]
    assert len({message.to[0] for message in mail.outbox}) == 2


def test_update_email_has_the_update_its_links_and_one_click_unsubscribe(ward_a, settings):
    settings.PACT_SITE_URL = "https://pact.example.org"
    priority = PriorityFactory(ward=ward_a, title="Speeding on the High Street", agreed_on=datetime.date(2026, 1, 5))
    ProgressEntryFactory(priority=priority, happened_on=datetime.date(2026, 3, 10), text="Speed checks on 10 March.")
    subscription = SubscriptionFactory(ward=ward_a)
    update = _update(ward_a.team)
    update_emails_queue(update_id=update.pk)

    outbox_dispatch()

    (message,) = mail.outbox
    unsubscribe = f"https://pact.example.org/subscriptions/unsubscribe/{subscription.token}/"
    page = f"https://pact.example.org/teams/{ward_a.team.slug}/updates/2026-03/"
    assert message.subject == f"{ward_a.team.name}: what happened in March 2026"
    assert message.extra_headers == {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    for body in (message.body, message.alternatives[0][0]):
        assert "The team patrolled the High Street." in body
        assert ward_a.name in body
        assert "Speeding on the High Street" in body
        assert "Speed checks on 10 March." in body
        assert page in body
        assert unsubscribe in body
    assert message.alternatives[0][1] == "text/html"


def test_update_email_for_an_empty_month_is_short_and_honest(ward_a):
    SubscriptionFactory(ward=ward_a)
    update = _update(ward_a.team, summary="Nothing was recorded for March 2026.")
    update_emails_queue(update_id=update.pk)

    outbox_dispatch()

    (message,) = mail.outbox
    assert "Nothing was recorded for March 2026." in message.body
    assert f"No priorities were set for {ward_a.name} this month." in message.body


# New meetings


def _event_in(ward, **fields):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=7), **fields)
    event.wards.set([ward])
    return event


def test_meeting_emails_go_to_those_who_asked_for_meetings_once(ward_a, ward_b):
    SubscriptionFactory(email="ward@example.org", ward=ward_a, wants_meetings=True)
    SubscriptionFactory(email="ward@example.org", ward=None, team=ward_a.team, wants_meetings=True)
    SubscriptionFactory(email="team@example.org", ward=None, team=ward_a.team, wants_meetings=True)
    SubscriptionFactory(email="updates-only@example.org", ward=ward_a)
    SubscriptionFactory(email="other@example.org", ward=ward_b, wants_meetings=True)
    event = _event_in(ward_a)

    assert subscription_meeting_emails_queue(event=event) == 2
    assert subscription_meeting_emails_queue(event=event) == 0

    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == ["team@example.org", "ward@example.org"]


def test_meeting_emails_not_sent_for_past_events(ward_a):
    SubscriptionFactory(ward=ward_a, wants_meetings=True)
    event = _event_in(ward_a)
    event.starts_at = timezone.now() - datetime.timedelta(days=1)

    assert subscription_meeting_emails_queue(event=event) == 0


def test_event_schedule_queues_the_meeting_email(ward_a, sergeant):
    SubscriptionFactory(ward=ward_a, wants_meetings=True)
    starts = timezone.now() + datetime.timedelta(days=10)

    event = event_schedule(
        actor=sergeant,
        kind="surgery",
        title="Street surgery at the library",
        ward_ids=[ward_a.pk],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        venue="Abbey Library",
    )

    outbox_dispatch()
    (message,) = mail.outbox
    assert message.subject.startswith("New surgery: Street surgery at the library")
    assert "Abbey Library" in message.body
    assert "Abbey Library" in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutboundEmail.objects.get().key.startswith(f"meeting:{event.pk}:")
