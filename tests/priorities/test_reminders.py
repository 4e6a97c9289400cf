"""Stale priorities: the selector, the workspace flag, and the weekly reminder to lead officers."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import OutboundEmail
from priorities.selectors.progress import stale_priorities
from priorities.tasks import stale_priorities_remind_task
from tests.priorities.factories import PriorityFactory, ProgressEntryFactory
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db

AGREED = datetime.date(2026, 10, 1)
# A Monday, 07:00 UK time (GMT in November): when beat runs the reminder.
MONDAY = datetime.datetime(2026, 11, 23, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture
def lead(ward_a, officer):
    """Officer of ward A's team (with the officer persona's account and email) leading priorities."""
    return officer.officer


@pytest.fixture
def stale(ward_a, lead):
    return PriorityFactory(
        ward=ward_a, slot=1, title="Speeding on the London Road", agreed_on=AGREED, lead_officer=lead
    )


def test_stale_priorities_counts_from_agreed_date_without_progress(stale):
    assert list(stale_priorities(today=AGREED + datetime.timedelta(days=27))) == []
    assert list(stale_priorities(today=AGREED + datetime.timedelta(days=28))) == [stale]


def test_stale_priorities_counts_from_latest_entry_public_or_internal(stale):
    ProgressEntryFactory(priority=stale, happened_on=datetime.date(2026, 11, 1), visibility="internal")

    assert list(stale_priorities(today=datetime.date(2026, 11, 28))) == []
    assert list(stale_priorities(today=datetime.date(2026, 11, 29))) == [stale]


def test_stale_priorities_follow_the_setting(settings, stale):
    settings.PACT_STALE_PRIORITY_DAYS = 10

    assert list(stale_priorities(today=AGREED + datetime.timedelta(days=10))) == [stale]


def test_stale_priorities_leave_out_ended_priorities(stale):
    stale.status, stale.ended_on, stale.outcome = "resolved", datetime.date(2026, 10, 20), "Done."
    stale.save()

    assert list(stale_priorities(today=datetime.date(2026, 12, 1))) == []


def test_workspace_flags_stale_priority_with_days(client, officer, stale, ward_a):
    fresh = PriorityFactory(ward=ward_a, slot=2, title="Litter by the park", agreed_on=AGREED)
    ProgressEntryFactory(priority=fresh, happened_on=datetime.date(2026, 11, 1))
    client.force_login(officer)

    with time_machine.travel(datetime.datetime(2026, 11, 5, 12, 0, tzinfo=datetime.UTC), tick=False):
        content = client.get(reverse("staff:home")).content.decode()

    assert "No progress for 35 days" in content
    assert content.count("No progress for") == 1
    assert reverse("priorities:staff_progress_add", args=[stale.pk]) in content
    assert reverse("priorities:staff_progress_add", args=[fresh.pk]) in content


def test_workspace_flags_a_priority_without_a_lead_officer(client, officer, stale, ward_a):
    unled = PriorityFactory(ward=ward_a, slot=2, title="Litter by the park", agreed_on=AGREED, lead_officer=None)
    client.force_login(officer)

    content = client.get(reverse("staff:home")).content.decode()

    assert content.count("No lead officer") == 1
    assert reverse("priorities:staff_priority_edit", args=[unled.pk]) in content


def test_workspace_of_another_team_does_not_list_the_priority(client, other_officer, stale):
    client.force_login(other_officer)

    assert "Speeding on the London Road" not in client.get(reverse("staff:home")).content.decode()


def test_reminder_emails_the_lead_officer_listing_stale_priorities(celery_eager, officer, stale, ward_a, lead):
    PriorityFactory(ward=ward_a, slot=2, title="Litter by the park", agreed_on=AGREED, lead_officer=lead)

    with time_machine.travel(MONDAY, tick=False):
        assert stale_priorities_remind_task.delay().get() == 1

    email = OutboundEmail.objects.get()
    assert email.key == f"stale:{lead.pk}:2026-W48"
    assert email.to == officer.email
    assert email.subject == "2 priorities have had no progress for 28 days or more"
    assert f"Dear {lead.first_name}," in email.body_text
    assert "- Speeding on the London Road (Abbey): http" in email.body_text
    assert reverse("priorities:staff_progress_add", args=[stale.pk]) in email.body_text
    assert "Litter by the park" in email.body_html
    assert "<li>" in email.body_html


def test_reminder_twice_in_a_week_sends_one_then_next_week_another(celery_eager, stale):
    with time_machine.travel(MONDAY, tick=False):
        stale_priorities_remind_task.delay()
    with time_machine.travel(MONDAY + datetime.timedelta(days=3), tick=False):
        assert stale_priorities_remind_task.delay().get() == 0
    assert OutboundEmail.objects.count() == 1

    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        assert stale_priorities_remind_task.delay().get() == 1
    assert OutboundEmail.objects.count() == 2


def test_reminder_nothing_when_progress_is_recent(celery_eager, stale):
    ProgressEntryFactory(priority=stale, happened_on=datetime.date(2026, 11, 20))

    with time_machine.travel(MONDAY, tick=False):
        assert stale_priorities_remind_task.delay().get() == 0
    assert not OutboundEmail.objects.exists()


def test_reminder_without_lead_officer_goes_to_the_teams_supervisors(celery_eager, ward_a, ward_b, sergeant, officer):
    PriorityFactory(ward=ward_a, agreed_on=AGREED, lead_officer=None, title="Litter by the park")
    OfficerFactory(team=ward_a.team, rank="inspector", user=None, email="inspector@demo.pact.invalid")
    OfficerFactory(team=ward_b.team, rank="sergeant", user=None, email="elsewhere@demo.pact.invalid")

    with time_machine.travel(MONDAY, tick=False):
        assert stale_priorities_remind_task.delay().get() == 2
        # Run twice in the week: nobody is reminded twice.
        assert stale_priorities_remind_task.delay().get() == 0

    emails = OutboundEmail.objects.order_by("to")
    assert sorted(emails.values_list("to", flat=True)) == ["inspector@demo.pact.invalid", sergeant.email]
    assert "No one leads this priority of your team" in emails[0].body_text
    assert "- Litter by the park (Abbey), no progress entry for 28 days or more: http" in emails[0].body_text


def test_reminder_falls_back_to_the_officer_email(celery_eager, ward_a):
    lead = OfficerFactory(team=ward_a.team, user=None, email="lead@demo.pact.invalid")
    PriorityFactory(ward=ward_a, agreed_on=AGREED, lead_officer=lead)

    with time_machine.travel(MONDAY, tick=False):
        stale_priorities_remind_task.delay()

    assert OutboundEmail.objects.get().to == "lead@demo.pact.invalid"


def test_reminder_skips_and_logs_officer_without_email(celery_eager, ward_a, caplog):
    lead = OfficerFactory(team=ward_a.team, user=None, email="")
    PriorityFactory(ward=ward_a, agreed_on=AGREED, lead_officer=lead)

    with time_machine.travel(MONDAY, tick=False):
        assert stale_priorities_remind_task.delay().get() == 0

    assert not OutboundEmail.objects.exists()
    assert f"officer {lead.pk} has no email address" in caplog.text


def test_reminder_names_a_new_priority_with_no_lead_to_the_supervisors_until_one_is_named(
    celery_eager, ward_a, sergeant, officer
):
    # Adopted at last week's ballot, its lead left for the sergeant: not stale, still reminded.
    fresh = PriorityFactory(ward=ward_a, agreed_on=datetime.date(2026, 11, 17), lead_officer=None, title="Graffiti")

    with time_machine.travel(MONDAY, tick=False):
        assert stale_priorities_remind_task.delay().get() == 1

    email = OutboundEmail.objects.get()
    assert email.to == sergeant.email
    assert email.subject == "A priority needs a lead officer"
    assert "No one leads this priority of your team yet" in email.body_text
    assert reverse("priorities:staff_priority_edit", args=[fresh.pk]) in email.body_text
    assert "no progress entry" not in email.body_text

    fresh.lead_officer = officer.officer
    fresh.save()
    with time_machine.travel(MONDAY + datetime.timedelta(days=7), tick=False):
        assert stale_priorities_remind_task.delay().get() == 0
