"""Retention, export and erasure of the PACT cycle's personal data (priorities/services/retention.py)."""

import datetime

import pytest
import time_machine

from core.personal_data import retention_apply
from priorities.models import Concern, Priority, Subscription
from priorities.services import retention
from tests.priorities.factories import ConcernFactory, PriorityFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
T0 = datetime.datetime(2026, 2, 2, 10, tzinfo=UTC)
DAY = datetime.timedelta(days=1)
EMAIL = "sam.resident@example.org"


def at(moment, factory, **fields):
    with time_machine.travel(moment, tick=False):
        return factory(**fields)


# Concerns: the contact address is blanked a year after the concern's last change.


def test_concern_contact_kept_until_a_year_after_raising():
    concern = at(T0, ConcernFactory, contact_email=EMAIL)

    retention_apply(now=T0 + datetime.timedelta(days=365) - DAY)

    concern.refresh_from_db()
    assert concern.contact_email == EMAIL


def test_concern_contact_blanked_a_day_after_a_year_keeping_the_concern():
    concern = at(T0, ConcernFactory, contact_email=EMAIL, description="Speeding on the High Street.")

    counts = retention_apply(now=T0 + datetime.timedelta(days=365) + DAY)

    concern.refresh_from_db()
    assert counts["priorities.concerns"] == 1
    assert concern.contact_email == ""
    assert concern.description == "Speeding on the High Street."


def test_concern_retention_counts_from_the_last_moderation():
    concern = at(T0, ConcernFactory, contact_email=EMAIL, moderated_at=T0 + datetime.timedelta(days=100))

    retention_apply(now=T0 + datetime.timedelta(days=465) - DAY)
    concern.refresh_from_db()
    assert concern.contact_email == EMAIL

    retention_apply(now=T0 + datetime.timedelta(days=465) + DAY)
    concern.refresh_from_db()
    assert concern.contact_email == ""


def test_concern_adopted_as_an_active_priority_keeps_its_contact(ward_a):
    concern = at(T0, ConcernFactory, ward=ward_a, contact_email=EMAIL, status=Concern.Status.ADOPTED)
    PriorityFactory(ward=ward_a, concern=concern)

    retention_apply(now=T0 + datetime.timedelta(days=800))

    concern.refresh_from_db()
    assert concern.contact_email == EMAIL


def test_concern_contact_counts_from_the_end_of_its_priority(ward_a):
    concern = at(T0, ConcernFactory, ward=ward_a, contact_email=EMAIL, status=Concern.Status.ADOPTED)
    ended = (T0 + datetime.timedelta(days=200)).date()
    PriorityFactory(ward=ward_a, concern=concern, status=Priority.Status.RESOLVED, ended_on=ended)
    year_after_end = datetime.datetime.combine(ended, datetime.time(12), tzinfo=UTC) + datetime.timedelta(days=365)

    retention_apply(now=year_after_end - DAY)
    concern.refresh_from_db()
    assert concern.contact_email == EMAIL

    retention_apply(now=year_after_end + DAY)
    concern.refresh_from_db()
    assert concern.contact_email == ""


def test_concern_retention_run_twice_changes_once():
    at(T0, ConcernFactory, contact_email=EMAIL)
    now = T0 + datetime.timedelta(days=400)

    assert retention_apply(now=now)["priorities.concerns"] == 1
    assert retention_apply(now=now)["priorities.concerns"] == 0


def test_concern_export_and_erase_by_address_in_any_case(ward_a):
    ConcernFactory(ward=ward_a, contact_email="Sam.Resident@Example.ORG", location_text="By the shops")
    other = ConcernFactory(ward=ward_a, contact_email="other@example.org")

    (item,) = retention.concern_contact_export(EMAIL)
    assert item["ward"] == ward_a.name
    assert item["location"] == "By the shops"
    assert item["contact_email"] == "Sam.Resident@Example.ORG"

    assert retention.concern_contact_erase(EMAIL, by=None) == 1
    assert retention.concern_contact_export(EMAIL) == []
    other.refresh_from_db()
    assert other.contact_email == "other@example.org"
    assert Concern.objects.count() == 2


# Subscriptions: unconfirmed deleted after a week, unsubscribed after 30 days.


def test_unconfirmed_subscription_kept_for_a_week_then_deleted():
    at(T0, SubscriptionFactory, email=EMAIL, confirmed_at=None)

    retention_apply(now=T0 + datetime.timedelta(days=7) - DAY)
    assert Subscription.objects.count() == 1

    counts = retention_apply(now=T0 + datetime.timedelta(days=7) + DAY)
    assert counts["priorities.subscriptions"] == 1
    assert Subscription.objects.count() == 0


def test_confirmed_subscription_is_never_expired():
    at(T0, SubscriptionFactory, email=EMAIL, confirmed_at=T0 + DAY)

    retention_apply(now=T0 + datetime.timedelta(days=3000))

    assert Subscription.objects.count() == 1


def test_unsubscribed_subscription_deleted_a_day_after_thirty_days():
    ended = T0 + datetime.timedelta(days=40)
    at(T0, SubscriptionFactory, email=EMAIL, confirmed_at=T0, unsubscribed_at=ended)

    retention_apply(now=ended + datetime.timedelta(days=30) - DAY)
    assert Subscription.objects.count() == 1

    retention_apply(now=ended + datetime.timedelta(days=30) + DAY)
    assert Subscription.objects.count() == 0
    assert retention_apply(now=ended + datetime.timedelta(days=32))["priorities.subscriptions"] == 0


def test_subscription_export_and_erase(ward_a):
    SubscriptionFactory(email=EMAIL, ward=ward_a, wants_meetings=True)
    SubscriptionFactory(email="other@example.org", ward=ward_a)

    (item,) = retention.subscription_export(EMAIL.upper())
    assert item["place"] == ward_a.name
    assert item["new_meetings"] is True
    assert item["confirmed"] is not None

    assert retention.subscription_erase(EMAIL, by=None) == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["other@example.org"]


def test_concern_erase_and_expiry_drop_the_residents_own_words_kept_by_moderation(ward_a):
    erased = ConcernFactory(
        ward=ward_a, contact_email=EMAIL, original_description="Ring me on 07700 900982", original_location_text="No 4"
    )
    expired = at(T0, ConcernFactory, ward=ward_a, contact_email="old@example.org", original_description="My words")

    assert retention.concern_contact_export(EMAIL)[0]["own_words"] == "Ring me on 07700 900982"
    retention.concern_contact_erase(EMAIL, by=None)
    retention_apply(now=T0 + datetime.timedelta(days=400))

    erased.refresh_from_db()
    expired.refresh_from_db()
    assert (erased.original_description, erased.original_location_text, expired.original_description) == ("", "", "")
