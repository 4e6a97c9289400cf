import datetime

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from priorities.models import Event
from priorities.selectors.events import team_section, ward_section
from priorities.services import events as services
from tests.priorities.factories import EventFactory, MeetingFactory, PanelFactory, PanelMemberFactory
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
# 19:00 UK time: BST (UTC+1) in July, GMT in December.
JULY_7PM = datetime.datetime(2026, 7, 14, 18, 0, tzinfo=datetime.UTC)
DECEMBER_7PM = datetime.datetime(2026, 12, 8, 19, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    team = TeamFactory(name="Rochester and Chatham")
    for name in ["Chatham Central", "Rochester East", "Rochester West"]:
        WardFactory(name=name, team=team, district=team.district)
    return team


def _event(ward, days: int, **kwargs):
    start = NOW + datetime.timedelta(days=days)
    return EventFactory(wards=[ward], starts_at=start, ends_at=start + datetime.timedelta(hours=1), **kwargs)


def _queries_of(client, url: str) -> int:
    """How many queries the page runs uncached (the yardstick for the other sections of the page)."""
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    cache.clear()
    return len(context)


@pytest.mark.parametrize("event_count", [3, 30])
def test_ward_events_section_runs_one_query_whatever_the_number_of_events(django_assert_num_queries, team, event_count):
    ward = team.wards.get(name="Chatham Central")
    for day in range(event_count):
        _event(ward, day + 1, title=f"Surgery {day}")

    # 1 the ward's next three events
    with django_assert_num_queries(1):
        html = render_to_string("priorities/sections/_ward_events.html", {"ward": ward, **ward_section(ward)})

    assert html.count("Surgery ") == 3


@pytest.mark.parametrize("event_count", [3, 30])
def test_ward_page_runs_fixed_queries_whatever_the_number_of_events(
    client, django_assert_num_queries, team, event_count
):
    ward = team.wards.get(name="Chatham Central")
    url = reverse("wards:detail", args=[ward.code])
    _event(ward, 1, title="Surgery 0")
    with_one_event = _queries_of(client, url)
    for day in range(1, event_count):
        _event(ward, day + 1, title=f"Surgery {day}")

    # the same queries as with one event: the ward page's own, each section's, and 1 for the next events
    with django_assert_num_queries(with_one_event):
        response = client.get(url)

    content = response.content.decode()
    assert content.count('class="govuk-heading-s govuk-!-margin-bottom-1"') == 3
    assert "Surgery 0" in content
    assert "Surgery 3" not in content
    assert f'href="/wards/{ward.code}/events.ics"' in content
    assert "Add these meetings to your calendar" in content


@pytest.mark.parametrize("event_count", [3, 30])
def test_team_events_section_runs_two_queries_whatever_the_number_of_events(
    django_assert_num_queries, team, event_count
):
    wards = list(team.wards.all())
    for day in range(event_count):
        EventFactory(wards=wards[:2], starts_at=NOW + datetime.timedelta(days=day + 1), title=f"Briefing {day}")

    # 1 the team's wards' next five events, 2 those events' wards
    with django_assert_num_queries(2):
        html = render_to_string("priorities/sections/_team_events.html", {"team": team, **team_section(team)})

    assert html.count("Briefing ") == min(event_count, 5)
    assert html.count(wards[1].name) == min(event_count, 5)


@pytest.mark.parametrize("event_count", [3, 30])
def test_team_page_runs_fixed_queries_whatever_the_number_of_events(
    client, django_assert_num_queries, team, event_count
):
    wards = list(team.wards.all())
    url = reverse("wards:team", args=[team.slug])
    EventFactory(wards=wards[:2], starts_at=NOW + datetime.timedelta(days=1), title="Briefing 0")
    with_one_event = _queries_of(client, url)
    for day in range(1, event_count):
        EventFactory(wards=wards[:2], starts_at=NOW + datetime.timedelta(days=day + 1), title=f"Briefing {day}")

    # the same queries as with one event: the team page's own, each section's, 2 for the events and their wards
    with django_assert_num_queries(with_one_event):
        response = client.get(url)

    content = response.content.decode()
    assert content.count("Briefing ") == min(event_count, 5)
    assert "Briefing 5" not in content
    assert f'href="/teams/{team.slug}/events.ics"' in content


def test_ward_page_lists_upcoming_only_and_shows_cancellations(client, ward_a):
    _event(ward_a, -3, title="Last week's surgery")
    _event(ward_a, 2, title="Cancelled surgery", status="cancelled", cancellation_reason="Snow")
    _event(ward_a, 3, title="Next surgery")

    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert "Last week's surgery" not in content
    assert "Next surgery" in content
    assert "Cancelled surgery" in content
    assert "govuk-tag--red" in content


def test_ward_page_events_empty_state(client, ward_a):
    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert "No meetings or surgeries are planned for this ward at the moment." in content


@pytest.mark.parametrize(
    ("starts_at", "shown"),
    [(JULY_7PM, "Tuesday 14 July 2026, 7pm to 8pm"), (DECEMBER_7PM, "Tuesday 8 December 2026, 7pm to 8pm")],
)
def test_event_page_shows_uk_time_either_side_of_clock_change(client, ward_a, starts_at, shown):
    event = EventFactory(wards=[ward_a], starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))

    content = client.get(reverse("priorities:event_detail", args=[event.uid])).content.decode()

    assert shown in content


def test_event_page_shows_details_and_no_personal_data(client, django_assert_num_queries, ward_a):
    event = EventFactory(
        wards=[ward_a],
        title="Abbey surgery",
        venue="Abbey library",
        address="1 High Street, Maidstone",
        accessibility_notes="Step-free access and a hearing loop",
    )

    # 1 the event with where it moved to or from and its attendance count, 2 its wards
    with django_assert_num_queries(2):
        response = client.get(reverse("priorities:event_detail", args=[event.uid]))

    content = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Abbey surgery</h1>' in content
    assert "Abbey library" in content
    assert "1 High Street, Maidstone" in content
    assert "Step-free access and a hearing loop" in content
    assert f'href="/wards/{ward_a.code}/"' in content
    assert "@" not in content.split('id="main-content"')[1].split("</main>")[0]


def test_event_page_for_held_meeting_shows_counts_and_minutes_not_names(client, ward_a):
    start = NOW - datetime.timedelta(days=2)
    meeting = MeetingFactory(
        panel=PanelFactory(wards=[ward_a]), starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    members = [PanelMemberFactory(panel=meeting.panel, name=name) for name in ("Ada Lovelace", "Alan Turing")]
    services.event_record_held(
        actor=None,
        system=True,
        event_id=meeting.pk,
        member_ids=[members[0].pk],
        residents_attending=14,
        minutes="Speeding agreed.",
    )

    content = client.get(reverse("priorities:event_detail", args=[meeting.uid])).content.decode()

    assert "1 panel member present and 14 residents attending." in content
    assert "Speeding agreed." in content
    assert "Ada Lovelace" not in content


def test_event_page_cancelled_shows_reason(client, ward_a):
    event = _event(ward_a, 3, status="cancelled", cancellation_reason="The hall is flooded")

    content = client.get(reverse("priorities:event_detail", args=[event.uid])).content.decode()

    assert "This event is cancelled: The hall is flooded" in content


def test_event_page_moved_links_to_new_event(client, ward_a):
    # Events moved before moves kept the event point to the event that replaced them.
    new = _event(ward_a, 5)
    event = _event(ward_a, 3, status=Event.Status.MOVED, moved_to=new)

    content = client.get(reverse("priorities:event_detail", args=[event.uid])).content.decode()

    assert "This event has moved to" in content
    assert f'href="/events/{new.uid}/"' in content


def test_event_page_after_move_shows_new_time_at_same_address(client, ward_a):
    event = _event(ward_a, 3)
    services.event_move(
        actor=None,
        system=True,
        event_id=event.pk,
        starts_at=DECEMBER_7PM,
        ends_at=DECEMBER_7PM + datetime.timedelta(hours=1),
    )

    content = client.get(reverse("priorities:event_detail", args=[event.uid])).content.decode()

    assert "Tuesday 8 December 2026, 7pm" in content
    assert "This event has moved to" not in content


def test_event_page_unknown_uid_is_404(client):
    assert client.get("/events/2b7d3f1e-0000-4000-8000-000000000000/").status_code == 404


def test_ward_events_lists_upcoming_first_then_past_in_fixed_queries(client, django_assert_num_queries, ward_a):
    for day in (-10, -2, 5, 1, 3):
        _event(ward_a, day, title=f"Day {day}")
    _event(WardFactory(), 4, title="Elsewhere")

    # 1 the ward, 2 count of its events, 3 the page of events
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:ward_events", args=[ward_a.code]))

    content = response.content.decode()
    order = [content.index(f"Day {day}<") for day in (1, 3, 5, -2, -10)]
    assert order == sorted(order)
    assert "Elsewhere" not in content
    assert "Showing 1 to 5 of 5 events." in content


def test_ward_events_paginates(client, ward_a):
    for day in range(25):
        _event(ward_a, day + 1)

    response = client.get(reverse("priorities:ward_events", args=[ward_a.code]), {"page": 2})

    assert "Showing 21 to 25 of 25 events." in response.content.decode()


def test_ward_events_empty_state_and_unknown_ward(client, ward_a):
    content = client.get(reverse("priorities:ward_events", args=[ward_a.code])).content.decode()

    assert f"No meetings or surgeries have been arranged for {ward_a.name} yet." in content
    assert client.get("/wards/E05999999/events/").status_code == 404


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def test_ward_feed_parses_with_stable_uids_status_and_utc_times(client, ward_a):
    summer = EventFactory(
        wards=[ward_a], starts_at=JULY_7PM, ends_at=JULY_7PM + datetime.timedelta(hours=1), accessibility_notes="Ramp"
    )
    cancelled = _event(ward_a, 3, status=Event.Status.CANCELLED, cancellation_reason="Snow")
    _event(ward_a, -100, title="Too old")
    _event(WardFactory(), 3, title="Elsewhere")

    response, calendar = _feed(client, reverse("priorities:ward_feed", args=[ward_a.code]))

    assert str(calendar["X-WR-CALNAME"]) == f"PACT: {ward_a.name} ward"
    assert calendar["PRODID"]
    items = {str(item["UID"]): item for item in calendar.walk("VEVENT")}
    assert set(items) == {f"{summer.uid}@pact", f"{cancelled.uid}@pact"}
    item = items[f"{summer.uid}@pact"]
    assert item.decoded("DTSTART") == JULY_7PM
    assert item.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert str(item["STATUS"]) == "CONFIRMED"
    assert str(item["LOCATION"]) == "Community centre, 1 High Street"
    assert str(item["URL"]) == f"{settings.PACT_SITE_URL}/events/{summer.uid}/"
    assert "Ramp" in str(item["DESCRIPTION"])
    assert int(item["SEQUENCE"]) == 0
    assert "DTSTAMP" in item
    assert "LAST-MODIFIED" in item
    assert str(items[f"{cancelled.uid}@pact"]["STATUS"]) == "CANCELLED"
    assert "max-age=900" in response["Cache-Control"]


def test_ward_feed_uid_stays_and_sequence_rises_on_edit(client, officer, ward_a):
    event = _event(ward_a, 3)
    services.event_update(actor=officer, event_id=event.pk, venue="Church hall")

    _, calendar = _feed(client, reverse("priorities:ward_feed", args=[ward_a.code]))

    (item,) = calendar.walk("VEVENT")
    assert str(item["UID"]) == f"{event.uid}@pact"
    assert int(item["SEQUENCE"]) == 1
    assert str(item["LOCATION"]).startswith("Church hall")


def test_ward_feed_keeps_moved_event_uid_with_new_time_and_sequence(client, ward_a):
    event = _event(ward_a, 3)
    services.event_move(
        actor=None,
        system=True,
        event_id=event.pk,
        starts_at=DECEMBER_7PM,
        ends_at=DECEMBER_7PM + datetime.timedelta(hours=1),
    )

    _, calendar = _feed(client, reverse("priorities:ward_feed", args=[ward_a.code]))

    (item,) = calendar.walk("VEVENT")
    assert str(item["UID"]) == f"{event.uid}@pact"
    assert int(item["SEQUENCE"]) == 1
    assert str(item["STATUS"]) == "CONFIRMED"
    assert item.decoded("DTSTART") == DECEMBER_7PM


def test_ward_feed_marks_legacy_moved_event_cancelled_with_note_of_new_date(client, ward_a):
    new = _event(ward_a, 5)
    event = _event(ward_a, 3, status=Event.Status.MOVED, moved_to=new)

    _, calendar = _feed(client, reverse("priorities:ward_feed", args=[ward_a.code]))

    items = {str(item["UID"]): item for item in calendar.walk("VEVENT")}
    assert str(items[f"{event.uid}@pact"]["STATUS"]) == "CANCELLED"
    assert "Moved to" in str(items[f"{event.uid}@pact"]["DESCRIPTION"])
    assert str(items[f"{new.uid}@pact"]["STATUS"]) == "CONFIRMED"


def test_ward_feed_online_meeting_location_is_link(client, ward_a):
    _event(ward_a, 3, kind="online_meeting", venue="", address="", joining_url="https://meet.example.org/abbey")

    _, calendar = _feed(client, reverse("priorities:ward_feed", args=[ward_a.code]))

    assert str(calendar.walk("VEVENT")[0]["LOCATION"]) == "https://meet.example.org/abbey"


def test_ward_feed_uses_crlf_and_folds_long_lines(client, ward_a):
    _event(ward_a, 3, accessibility_notes="Step-free access from the car park. " * 8)

    raw = client.get(reverse("priorities:ward_feed", args=[ward_a.code])).content

    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)


def test_ward_feed_accepts_lower_case_code_and_refuses_unknown(client, ward_a):
    assert client.get(f"/wards/{ward_a.code.lower()}/events.ics").status_code == 200
    assert client.get("/wards/E05999999/events.ics").status_code == 404


def test_team_feed_has_events_of_all_team_wards_once(client, team):
    wards = list(team.wards.all())
    shared = EventFactory(wards=wards, starts_at=NOW + datetime.timedelta(days=2))
    single = EventFactory(wards=[wards[0]], starts_at=NOW + datetime.timedelta(days=3))
    EventFactory(starts_at=NOW + datetime.timedelta(days=3))

    _, calendar = _feed(client, reverse("priorities:team_feed", args=[team.slug]))

    assert [str(item["UID"]) for item in calendar.walk("VEVENT")] == [f"{shared.uid}@pact", f"{single.uid}@pact"]
    assert str(calendar["X-WR-CALNAME"]) == "PACT: Rochester and Chatham neighbourhood team"
    assert client.get("/teams/no-such-team/events.ics").status_code == 404
