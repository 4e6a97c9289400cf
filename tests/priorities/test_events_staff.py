import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from priorities.models import Event
from tests.priorities.factories import (
    ChairFactory,
    ConcernFactory,
    EventFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
)
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
LIST = reverse("priorities:staff_event_list")
SCHEDULE = reverse("priorities:staff_event_schedule")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(ward_a):
    start = NOW + datetime.timedelta(days=7)
    return EventFactory(
        wards=[ward_a], title="Abbey surgery", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )


@pytest.fixture
def past_meeting(ward_a):
    start = NOW - datetime.timedelta(days=1)
    return MeetingFactory(
        panel=PanelFactory(wards=[ward_a]), starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _urls(pk: int) -> list[str]:
    return [reverse(f"priorities:staff_event_{name}", args=[pk]) for name in ("edit", "cancel", "move", "held")]


def test_staff_event_pages_send_anonymous_visitor_to_sign_in(client, event):
    for url in [LIST, SCHEDULE, *_urls(event.pk)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("staff:login"))


@pytest.mark.parametrize("persona", ["outsider", "partner"])
def test_staff_event_pages_refuse_outsider_and_other_role(client, request, event, persona):
    client.force_login(request.getfixturevalue(persona))

    for url in [LIST, SCHEDULE, *_urls(event.pk)]:
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert Event.objects.get(pk=event.pk).status == Event.Status.SCHEDULED


def test_staff_event_pages_hide_event_of_another_ward(client, other_officer, event):
    client.force_login(other_officer)

    for url in _urls(event.pk):
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Mine"}).status_code == 404
    assert "Abbey surgery" not in client.get(LIST).content.decode()


def test_staff_event_pages_refuse_chair_of_another_panel_who_can_see(client, chair, ward_a, past_meeting):
    ChairFactory(panel=PanelFactory(wards=[ward_a]), user=chair)
    client.force_login(chair)

    assert "PACT meeting" in client.get(LIST).content.decode()
    for url in _urls(past_meeting.pk):
        assert client.get(url).status_code == 403


def test_staff_event_list_shows_own_wards_events_with_filter(client, django_assert_num_queries, officer, ward_a):
    second = WardFactory(team=ward_a.team, name="Bridge")
    for day, ward in enumerate([ward_a, ward_a, second], start=1):
        EventFactory(wards=[ward], title=f"Surgery in {ward.name} {day}", starts_at=NOW + datetime.timedelta(days=day))
    EventFactory(title="Elsewhere")
    client.force_login(officer)

    # 1 session, 2 user, 3 roles, 4 officer, 5 team's wards (ward_ids_for), 6 wards for the filter,
    # 7 ward ids again for the list, 8 count, 9 the page of events with panels, 10 their wards
    with django_assert_num_queries(10):
        content = client.get(LIST).content.decode()

    assert content.count('href="/events/') == 3
    assert "Elsewhere" not in content
    filtered = client.get(LIST, {"ward": second.pk}).content.decode()
    assert filtered.count('href="/events/') == 1
    assert "Surgery in Bridge 3" in filtered


def test_staff_schedule_form_offers_only_the_users_wards(client, officer, ward_a, ward_b):
    client.force_login(officer)

    content = client.get(SCHEDULE).content.decode()

    assert ward_a.name in content
    assert ward_b.name not in content
    assert "<title>Schedule an event" in content


def _schedule_data(ward, **overrides):
    return {
        "kind": "surgery",
        "wards": [ward.pk],
        "panel": "",
        "title": "Abbey street surgery",
        "date_0": "10",
        "date_1": "3",
        "date_2": "2026",
        "start_time": "19:00",
        "end_time": "8:30pm",
        "venue": "Abbey library",
        "address": "1 High Street",
        "joining_url": "",
        "accessibility_notes": "Step-free",
    } | overrides


def test_staff_schedule_creates_event_with_message_and_audit(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(SCHEDULE, _schedule_data(ward_a))

    assert response.status_code == 302
    assert response["Location"] == LIST
    event = Event.objects.get()
    assert event.starts_at == datetime.datetime(2026, 3, 10, 19, 0, tzinfo=datetime.UTC)
    assert event.ends_at == datetime.datetime(2026, 3, 10, 20, 30, tzinfo=datetime.UTC)
    assert _messages(response) == ["Abbey street surgery has been scheduled"]
    assert AuditEvent.objects.get(action="priorities.event.scheduled").actor == officer


def test_staff_schedule_reads_times_as_uk_summer_time(client, officer, ward_a):
    client.force_login(officer)

    client.post(SCHEDULE, _schedule_data(ward_a, date_0="14", date_1="7"))

    assert Event.objects.get().starts_at == datetime.datetime(2026, 7, 14, 18, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_time": ""}, "Enter the start time, like 19:00"),
        ({"start_time": "25:00"}, "Enter the start time, like 19:00"),
        ({"end_time": "18:00"}, "The end must be after the start"),
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date of the event"),
        ({"date_0": "31", "date_1": "2"}, "The date must be a real date, like 3 3 2026"),
        ({"date_0": ""}, "The date must include a day"),
        ({"kind": "pact_meeting"}, "Choose the panel holding the PACT meeting"),
        ({"kind": "online_meeting"}, "Enter the joining link for the online meeting"),
        ({"wards": []}, "Choose at least one ward"),
        ({"title": ""}, "Enter a title, like Abbey PACT meeting"),
        ({"date_2": "2025"}, "The start must be in the future"),
    ],
)
def test_staff_schedule_shows_specific_errors(client, officer, ward_a, overrides, message):
    client.force_login(officer)

    response = client.post(SCHEDULE, _schedule_data(ward_a, **overrides))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Schedule an event" in content
    assert "govuk-error-summary" in content
    assert message in content
    assert not Event.objects.exists()


def test_staff_schedule_refuses_ward_not_offered(client, officer, ward_a, ward_b):
    client.force_login(officer)

    response = client.post(SCHEDULE, _schedule_data(ward_b))

    assert response.status_code == 200
    assert not Event.objects.exists()


def test_staff_schedule_chair_schedules_meeting_of_their_panel(client, chair, ward_a):
    panel = PanelFactory(wards=[ward_a])
    ChairFactory(panel=panel, user=chair)
    client.force_login(chair)

    response = client.post(SCHEDULE, _schedule_data(ward_a, kind="pact_meeting", panel=panel.pk))

    assert response.status_code == 302
    assert Event.objects.get().panel == panel


def test_staff_edit_changes_event(client, officer, event):
    client.force_login(officer)
    url = reverse("priorities:staff_event_edit", args=[event.pk])
    assert 'value="Abbey surgery"' in client.get(url).content.decode()

    data = _schedule_data(event.wards.get(), title="Abbey surgery (new venue)", venue="Church hall")
    response = client.post(url, data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.venue, event.sequence) == ("Abbey surgery (new venue)", "Church hall", 1)
    assert _messages(response) == ["Abbey surgery (new venue) has been updated"]
    assert AuditEvent.objects.filter(action="priorities.event.updated", actor=officer).exists()


def test_staff_cancel_needs_reason_then_cancels(client, officer, event):
    client.force_login(officer)
    url = reverse("priorities:staff_event_cancel", args=[event.pk])

    assert "Enter the reason the event is cancelled" in client.post(url, {"reason": ""}).content.decode()
    response = client.post(url, {"reason": "The hall is flooded"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.cancellation_reason) == ("cancelled", "The hall is flooded")
    assert _messages(response) == ["Abbey surgery has been cancelled"]
    assert AuditEvent.objects.filter(action="priorities.event.cancelled", actor=officer).exists()


def test_staff_cancel_twice_shows_the_refusal(client, officer, event):
    client.force_login(officer)
    url = reverse("priorities:staff_event_cancel", args=[event.pk])
    client.post(url, {"reason": "Flooded"})

    content = client.post(url, {"reason": "Again"}).content.decode()

    assert "Only a scheduled event can be changed" in content


def test_staff_move_moves_the_event_in_place(client, officer, event):
    client.force_login(officer)
    url = reverse("priorities:staff_event_move", args=[event.pk])

    response = client.post(
        url, {"date_0": "20", "date_1": "3", "date_2": "2026", "start_time": "18:30", "end_time": "20:00"}
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "scheduled"
    assert event.starts_at == datetime.datetime(2026, 3, 20, 18, 30, tzinfo=datetime.UTC)
    assert _messages(response) == ["Abbey surgery has been moved"]
    assert AuditEvent.objects.filter(action="priorities.event.moved", actor=officer).exists()


def test_staff_record_held_saves_attendance_and_minutes(client, officer, past_meeting):
    members = [PanelMemberFactory(panel=past_meeting.panel, name=name) for name in ("Ada Lovelace", "Alan Turing")]
    PanelMemberFactory(panel=past_meeting.panel, name="Gone Before", ended_on=datetime.date(2025, 2, 1))
    client.force_login(officer)
    url = reverse("priorities:staff_event_held", args=[past_meeting.pk])
    form = client.get(url).content.decode()
    assert "Ada Lovelace" in form
    assert "Gone Before" not in form

    response = client.post(url, {"members": [members[0].pk], "residents_attending": "9", "minutes": "Agreed."})

    assert response.status_code == 302
    past_meeting.refresh_from_db()
    assert past_meeting.status == "held"
    assert [row.member for row in past_meeting.attendance.all()] == [members[0]]
    assert _messages(response) == ["Attendance and minutes of PACT meeting have been recorded"]
    assert AuditEvent.objects.filter(action="priorities.event.held", actor=officer).exists()


def test_staff_record_held_refused_before_the_event(client, officer, event):
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_event_held", args=[event.pk]), {"minutes": "Early"})

    assert "You can only record an event as held once it has started" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "scheduled"


def test_staff_record_past_meeting_records_it_held_and_asks_for_attendance(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_event_record_past"), _schedule_data(ward_a, date_0="28", date_1="2")
    )

    event = Event.objects.get()
    assert response["Location"] == reverse("priorities:staff_event_held", args=[event.pk])
    assert (event.status, event.starts_at) == ("held", datetime.datetime(2026, 2, 28, 19, 0, tzinfo=datetime.UTC))
    assert _messages(response) == ["Abbey street surgery has been recorded: now record who attended and the minutes"]


def test_staff_record_past_meeting_refuses_a_future_date(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_event_record_past"), _schedule_data(ward_a))

    assert "A meeting recorded after the fact must have started already" in response.content.decode()
    assert not Event.objects.exists()


def test_staff_schedule_from_a_panel_ticks_its_wards(client, officer, ward_a):
    other = WardFactory(name="Priory", team=ward_a.team)
    panel = PanelFactory(wards=[ward_a, other], name="Abbey and Priory PACT")
    client.force_login(officer)

    offer = client.get(SCHEDULE).content.decode()
    form = client.get(SCHEDULE, {"panel": panel.pk}).context["form"]

    assert f'href="?panel={panel.pk}">Schedule a meeting of Abbey and Priory PACT' in offer
    assert (form["kind"].value(), form["panel"].value()) == ("pact_meeting", panel.pk)
    assert set(form["wards"].value()) == {ward_a.pk, other.pk}


def test_staff_schedule_pact_meeting_without_wards_is_for_the_panels_wards(client, officer, ward_a):
    other = WardFactory(name="Priory", team=ward_a.team)
    panel = PanelFactory(wards=[ward_a, other])
    client.force_login(officer)

    response = client.post(SCHEDULE, _schedule_data(ward_a, kind="pact_meeting", panel=panel.pk, wards=[]))

    assert response.status_code == 302
    assert set(Event.objects.get().wards.all()) == {ward_a, other}


def test_staff_schedule_surgery_without_wards_is_an_error(client, officer, ward_a):
    client.force_login(officer)

    response = client.post(SCHEDULE, _schedule_data(ward_a, wards=[]))

    assert "Choose at least one ward" in response.content.decode()


def test_staff_cancel_offers_to_move_the_shortlist_to_the_next_meeting(client, officer, ward_a):
    meeting = MeetingFactory(wards=[ward_a], starts_at=NOW + datetime.timedelta(days=7))
    later = MeetingFactory(panel=meeting.panel, wards=[ward_a], starts_at=NOW + datetime.timedelta(days=35))
    concern = ConcernFactory(ward=ward_a, status="shortlisted", shortlisted_for=meeting)
    client.force_login(officer)
    url = reverse("priorities:staff_event_cancel", args=[meeting.pk])

    offer = client.get(url).content.decode()
    response = client.post(url, {"reason": "Flooded", "move_shortlist": "on"})

    assert "Move its 1 shortlisted concern(s) to the next meeting, 5 April 2026" in offer
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.shortlisted_for_id == later.pk
