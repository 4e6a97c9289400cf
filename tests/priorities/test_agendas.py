"""Meeting agendas: who publishes them, what they say, where they appear, and the email a week before."""

import datetime
import re
from io import StringIO
from unittest import mock

import icalendar
import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from priorities import tasks
from priorities.errors import PrioritiesError
from priorities.models import Agenda, Concern, ConcernEvent, Event
from priorities.selectors.agendas import meetings_without_agenda
from priorities.services import agendas as services
from priorities.services.agendas import agenda_emails_send, agenda_publish, agendas_due
from tests.priorities.factories import (
    ChairFactory,
    ConcernFactory,
    MeetingFactory,
    PanelFactory,
    PriorityFactory,
    ProgressEntryFactory,
    SubscriptionFactory,
)
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def celery_eager_retrying():
    """Eager tasks that retry as a worker would (Celery re-runs an eager retry only when errors do not propagate)."""
    from pact.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _meeting(ward, days=10, **kwargs):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return MeetingFactory(panel=PanelFactory(wards=[ward]), starts_at=starts_at, title="Abbey PACT meeting", **kwargs)


def _publish(meeting, actor=None, **values):
    values = {"matters_arising": "Parking enforcement promised.", "accessibility_notes": "Step-free entrance."} | values
    return agenda_publish(actor=actor, event_id=meeting.pk, system=actor is None, **values)


def _shortlist(meeting, ward, n=2):
    return [
        ConcernFactory(
            ward=ward,
            status=Concern.Status.SHORTLISTED,
            shortlisted_for=meeting,
            description=f"Concern {i} by the park",
        )
        for i in range(1, n + 1)
    ]


# Publishing


def test_agenda_publish_by_an_officer_of_the_ward_is_audited(officer, ward_a):
    meeting = _meeting(ward_a)

    agenda = _publish(meeting, officer)

    assert agenda.version == 1
    assert agenda.published_by == officer
    audit = AuditEvent.objects.get(action="priorities.agenda.published")
    assert audit.data["after"]["matters_arising"] == "Parking enforcement promised."


def test_agenda_publish_by_the_chair_of_the_meetings_panel(ward_a):
    meeting = _meeting(ward_a)
    chair = ChairFactory(panel=meeting.panel)

    assert _publish(meeting, chair.user).meeting == meeting


@pytest.mark.parametrize("who", ["other_officer", "partner", "chair"])
def test_agenda_publish_refused_to_those_who_do_not_run_the_meeting(request, ward_a, who):
    meeting = _meeting(ward_a)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_MEETING)):
        _publish(meeting, request.getfixturevalue(who))

    assert not Agenda.objects.exists()


def test_agenda_publish_refused_for_a_surgery_a_started_or_a_cancelled_meeting(officer, ward_a):
    started = _meeting(ward_a, days=-1)
    cancelled = _meeting(ward_a, status=Event.Status.CANCELLED, cancellation_reason="Venue flooded")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_MEETING_STARTED)):
        _publish(started, officer)
    with pytest.raises(PrioritiesError, match=str(services.ERROR_MEETING_NOT_SCHEDULED)):
        _publish(cancelled, officer)


def test_agenda_change_raises_its_version_and_an_unchanged_save_does_not(officer, ward_a):
    meeting = _meeting(ward_a)
    _publish(meeting, officer)

    _publish(meeting, officer)
    changed = _publish(meeting, officer, matters_arising="Parking enforcement done on 3 May.")

    assert changed.version == 2
    assert changed.is_changed
    assert changed.changed_at is not None
    assert AuditEvent.objects.filter(action="priorities.agenda.changed").count() == 1


def test_agenda_publish_adds_an_on_agenda_step_to_each_shortlisted_concern_once(officer, ward_a):
    meeting = _meeting(ward_a)
    concerns = _shortlist(meeting, ward_a)

    _publish(meeting, officer)
    _publish(meeting, officer, matters_arising="Changed")

    steps = ConcernEvent.objects.filter(kind=ConcernEvent.Kind.ON_AGENDA, meeting=meeting)
    assert sorted(steps.values_list("concern_id", flat=True)) == sorted(c.pk for c in concerns)


# Where it appears


def test_meeting_page_shows_the_agenda_with_shortlist_priorities_and_latest_progress(client, ward_a):
    meeting = _meeting(ward_a)
    _shortlist(meeting, ward_a)
    priority = PriorityFactory(ward=ward_a, title="Speeding on London Road")
    ProgressEntryFactory(priority=priority, text="Speed watch on 2 May found 40 drivers over the limit.")
    _publish(meeting)

    content = client.get(reverse("priorities:event_detail", args=[meeting.uid])).content.decode()

    assert 'id="agenda"' in content
    assert "Concern 1 by the park" in content
    assert "Speeding on London Road" in content
    assert "Speed watch on 2 May" in content
    assert "Parking enforcement promised." in content
    assert "Step-free entrance." in content
    assert reverse("priorities:meeting_support", args=[meeting.uid]) in content


def test_ward_and_team_pages_link_the_next_agenda_and_its_change_is_marked(client, officer, ward_a):
    meeting = _meeting(ward_a)
    _shortlist(meeting, ward_a)
    _publish(meeting, officer)
    ward_url = reverse("wards:detail", args=[ward_a.code])
    assert "Agenda of Abbey PACT meeting" in client.get(ward_url).content.decode()

    _publish(meeting, officer, matters_arising="Changed")

    for url in (ward_url, reverse("wards:team", args=[ward_a.team.slug])):
        content = client.get(url).content.decode()
        assert "Agenda of Abbey PACT meeting" in content
        assert "Changed</strong>" in content
        assert "2 concerns shortlisted" in content


def test_ics_description_carries_the_agenda(client, ward_a):
    meeting = _meeting(ward_a)
    _publish(meeting)

    response = client.get(reverse("priorities:ward_feed", args=[ward_a.code]))

    (item,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    description = str(item["description"])
    assert "Agenda:" in description
    assert f"/events/{meeting.uid}/#agenda" in description
    assert "Parking enforcement promised." in description
    assert "Accessibility: Step-free entrance." in description


def test_workspace_lists_meetings_within_a_week_without_agenda(client, officer, ward_a):
    soon = _meeting(ward_a, days=5)
    later = _meeting(ward_a, days=12)
    done = _meeting(ward_a, days=6)
    _publish(done)

    assert list(meetings_without_agenda({ward_a.pk})) == [soon]
    client.force_login(officer)
    content = client.get(reverse("staff:home")).content.decode()
    assert reverse("priorities:staff_event_agenda", args=[soon.pk]) in content
    assert reverse("priorities:staff_event_agenda", args=[later.pk]) not in content


# The email a week before


def _subscribers(ward):
    return [
        SubscriptionFactory(ward=ward, email="ward@example.org"),
        SubscriptionFactory(ward=None, team=ward.team, email="team@example.org"),
        # The same person subscribed to both the ward and its team gets it once.
        SubscriptionFactory(ward=ward, email="both@example.org"),
        SubscriptionFactory(ward=None, team=ward.team, email="both@example.org"),
        SubscriptionFactory(ward=ward, email="pending@example.org", confirmed_at=None),
        SubscriptionFactory(ward=WardFactory(), email="elsewhere@example.org"),
    ]


def test_agenda_email_waits_until_a_week_before_then_goes_to_confirmed_subscribers(ward_a):
    meeting = _meeting(ward_a, days=10)
    _subscribers(ward_a)
    agenda = _publish(meeting)

    assert agendas_due() == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, hours=1)):
        assert agendas_due() == [agenda.pk]
        assert agenda_emails_send(agenda_id=agenda.pk) == 3

    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "both@example.org",
        "team@example.org",
        "ward@example.org",
    ]
    email = OutboundEmail.objects.first()
    assert email.subject.startswith("PACT meeting next week: what is on the agenda")
    assert "Parking enforcement promised." in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_agenda_email_goes_once_under_two_beats(celery_eager, ward_a):
    meeting = _meeting(ward_a, days=6)
    _subscribers(ward_a)
    _publish(meeting)

    tasks.agenda_emails_start_task.delay()
    tasks.agenda_emails_start_task.delay()
    call_command("send_agenda_emails", stdout=StringIO())

    assert OutboundEmail.objects.count() == 3


def test_agenda_email_task_delivered_twice_queues_once(celery_eager, ward_a):
    meeting = _meeting(ward_a, days=6)
    _subscribers(ward_a)
    agenda = _publish(meeting)

    first = tasks.agenda_emails_send_task.delay(agenda.pk).get()
    second = tasks.agenda_emails_send_task.delay(agenda.pk).get()

    assert (first, second) == (3, 0)
    assert OutboundEmail.objects.count() == 3


def test_agenda_email_retried_after_a_lost_connection_queues_once(celery_eager_retrying, ward_a):
    meeting = _meeting(ward_a, days=6)
    _subscribers(ward_a)
    agenda = _publish(meeting)
    real = services.subscription_agenda_emails_queue
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        queued = real(**kwargs)  # rows written, then the connection drops before the commit
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return queued

    with mock.patch.object(services, "subscription_agenda_emails_queue", side_effect=flaky):
        result = tasks.agenda_emails_send_task.delay(agenda.pk)

    assert result.state == "SUCCESS"
    assert len(calls) == 2
    assert OutboundEmail.objects.count() == 3
    assert Agenda.objects.get().emailed_version == 1


def test_changed_agenda_is_emailed_again_marked_as_changed(ward_a):
    meeting = _meeting(ward_a, days=6)
    _subscribers(ward_a)
    agenda = _publish(meeting)
    agenda_emails_send(agenda_id=agenda.pk)

    _publish(meeting, matters_arising="The parking item moves to the next meeting.")
    assert agendas_due() == [agenda.pk]
    assert agenda_emails_send(agenda_id=agenda.pk) == 3
    assert agenda_emails_send(agenda_id=agenda.pk) == 0

    changed = OutboundEmail.objects.filter(key__startswith=f"agenda:{meeting.pk}:2:")
    assert changed.count() == 3
    assert all(email.subject.startswith("Changed: PACT meeting next week") for email in changed)
    assert "has changed since we sent it" in changed.first().body_text


def test_agenda_changed_before_it_was_sent_goes_once_unmarked(ward_a):
    meeting = _meeting(ward_a, days=10)
    _subscribers(ward_a)
    agenda = _publish(meeting)
    _publish(meeting, matters_arising="Second thoughts")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        agenda_emails_send(agenda_id=agenda.pk)

    assert OutboundEmail.objects.count() == 3
    assert not OutboundEmail.objects.filter(subject__startswith="Changed").exists()


def test_agenda_of_a_cancelled_meeting_is_not_emailed(officer, ward_a):
    meeting = _meeting(ward_a, days=6)
    _subscribers(ward_a)
    _publish(meeting)
    Event.objects.filter(pk=meeting.pk).update(status=Event.Status.CANCELLED, cancellation_reason="Flooded")

    assert agendas_due() == []


def test_followed_concern_on_the_agenda_is_told_in_its_daily_email(ward_a):
    from core.recipients import recipient_confirmed
    from priorities.services.concern_follow import concern_follow_updates_send

    meeting = _meeting(ward_a)
    (concern,) = _shortlist(meeting, ward_a, n=1)
    Concern.objects.filter(pk=concern.pk).update(contact_email="follower@example.org", follow_by_email=True)
    recipient_confirmed(email="follower@example.org")
    _publish(meeting)

    assert concern_follow_updates_send() == 1
    email = OutboundEmail.objects.get(to="follower@example.org")
    assert re.search(r"on the published agenda of the PACT meeting at Abbey PACT meeting", email.body_text)


def test_concern_status_page_shows_it_is_on_the_agenda(client, ward_a):
    meeting = _meeting(ward_a)
    (concern,) = _shortlist(meeting, ward_a, n=1)
    _publish(meeting)

    content = client.get(reverse("priorities:concern_status", args=[concern.follow_code])).content.decode()

    assert "On the published agenda of" in content
    assert f"/events/{meeting.uid}/#agenda" in content


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


@pytest.mark.parametrize("rows", [3, 30])
def test_meeting_page_with_agenda_runs_fixed_queries(client, django_assert_num_queries, ward_a, rows):
    meeting = _meeting(ward_a)
    _shortlist(meeting, ward_a, n=1)
    _publish(meeting)
    url = reverse("priorities:event_detail", args=[meeting.uid])
    with_one = _queries(client, url)
    _shortlist(meeting, ward_a, n=rows)
    for slot in (1, 2, 3):
        ProgressEntryFactory(priority=PriorityFactory(ward=ward_a, slot=slot, title=f"Priority {slot}"))

    # the same as with one concern and no priority: the event, its wards, the agenda, the
    # shortlist, the priorities with their latest action, the last meeting, the support counts
    with django_assert_num_queries(with_one):
        response = client.get(url)

    assert response.content.decode().count("by the park") == rows + 1


# The staff page


def test_agenda_staff_page_publishes_with_a_message(client, officer, ward_a):
    meeting = _meeting(ward_a)
    _shortlist(meeting, ward_a, n=1)
    client.force_login(officer)
    url = reverse("priorities:staff_event_agenda", args=[meeting.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"matters_arising": "Litter pick done.", "accessibility_notes": "Ramp at the side."})

    assert "Concern 1 by the park" in page
    assert response.status_code == 302
    assert Agenda.objects.get(meeting=meeting).accessibility_notes == "Ramp at the side."
    follow = client.get(response["Location"]).content.decode()
    assert "The agenda of Abbey PACT meeting has been published" in follow


def test_agenda_staff_page_of_a_started_meeting_shows_the_refusal(client, officer, ward_a):
    meeting = _meeting(ward_a, days=-1)
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_event_agenda", args=[meeting.pk]), {"matters_arising": "x"})

    assert response.status_code == 200
    assert str(services.ERROR_MEETING_STARTED) in response.content.decode()
    assert not Agenda.objects.exists()


def test_agenda_staff_page_of_a_surgery_is_404(client, officer, ward_a):
    from tests.priorities.factories import EventFactory

    surgery = EventFactory(wards=[ward_a])
    client.force_login(officer)

    assert client.get(reverse("priorities:staff_event_agenda", args=[surgery.pk])).status_code == 404
