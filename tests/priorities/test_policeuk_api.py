"""Contract tests of the data.police.uk-compatible events and priorities methods.

The schemas are data.police.uk's documented example shapes (docs/method/
neighbourhood-events and neighbourhood-priorities), hyphenated names included; every
response here is checked against them. Times are UK local time, ``YYYY-MM-DDTHH:MM:SS``.
"""

import datetime
import json

import jsonschema
import pytest
import time_machine

from priorities.models import Event, Priority, ProgressEntry
from tests.priorities.factories import EventFactory, MeetingFactory, PriorityFactory, ProgressEntryFactory
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

LOCAL_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"}
NULLABLE_STRING = {"type": ["string", "null"]}
EVENTS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["title", "description", "address", "type", "start_date", "end_date", "contact_details"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string"},
            "description": NULLABLE_STRING,
            "address": NULLABLE_STRING,
            "type": {"type": "string"},
            "start_date": LOCAL_TIME,
            "end_date": {"anyOf": [LOCAL_TIME, {"type": "null"}]},
            "contact_details": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}
PRIORITIES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["issue", "issue-date", "action", "action-date"],
        "additionalProperties": False,
        "properties": {
            "issue": {"type": "string"},
            "issue-date": LOCAL_TIME,
            "action": NULLABLE_STRING,
            "action-date": {"anyOf": [LOCAL_TIME, {"type": "null"}]},
        },
    },
}
NOW = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)


def get_json(client, path, schema):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    jsonschema.validate(data, schema)
    return data


def at(month, day, hour, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=datetime.UTC)


@pytest.fixture
def ward():
    return WardFactory(name="High Street")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- events -------------------------------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_events_lists_the_wards_coming_events_soonest_first(client, ward, django_assert_num_queries):
    later = EventFactory(wards=[ward], title="Later surgery", starts_at=at(7, 10, 9), ends_at=at(7, 10, 10))
    sooner = MeetingFactory(wards=[ward], title="June PACT meeting", starts_at=at(6, 10, 18), ends_at=at(6, 10, 20))
    shared = EventFactory(
        wards=[ward, WardFactory()], title="Shared briefing", starts_at=at(6, 20, 9), ends_at=at(6, 20, 10)
    )
    EventFactory(wards=[WardFactory()], title="Another ward's surgery", starts_at=at(6, 12, 9), ends_at=at(6, 12, 10))

    # 1 the ward's id, 2 its scheduled events still to come
    with django_assert_num_queries(2):
        data = get_json(client, f"/api/kent/{ward.code}/events", EVENTS)

    assert [event["title"] for event in data] == [sooner.title, shared.title, later.title]


@pytest.mark.usefixtures("clock")
def test_events_leave_out_past_cancelled_and_moved_events(client, ward):
    EventFactory(wards=[ward], title="Past", starts_at=at(5, 1, 9), ends_at=at(5, 1, 10))
    EventFactory(
        wards=[ward], title="Cancelled", status=Event.Status.CANCELLED, cancellation_reason="Venue flooded",
        starts_at=at(6, 5, 9), ends_at=at(6, 5, 10),
    )  # fmt: skip
    new = EventFactory(wards=[ward], title="Surgery (new date)", starts_at=at(6, 9, 9), ends_at=at(6, 9, 10))
    EventFactory(
        wards=[ward], title="Surgery (old date)", status=Event.Status.MOVED, moved_to=new,
        starts_at=at(6, 8, 9), ends_at=at(6, 8, 10),
    )  # fmt: skip
    EventFactory(wards=[ward], title="Still going", starts_at=at(6, 1, 8), ends_at=at(6, 1, 10))

    data = get_json(client, f"/api/kent/{ward.code}/events", EVENTS)

    assert [event["title"] for event in data] == ["Still going", "Surgery (new date)"]


@pytest.mark.usefixtures("clock")
def test_events_maps_each_field(client, ward):
    EventFactory(
        wards=[ward], kind=Event.Kind.ONLINE_MEETING, title="Online PACT <catch-up>", venue="", address="",
        joining_url="https://meet.example/pact", accessibility_notes="Captions on",
        starts_at=at(6, 10, 17, 30), ends_at=at(6, 10, 18, 30),
    )  # fmt: skip

    [event] = get_json(client, f"/api/kent/{ward.code}/events", EVENTS)

    assert event["title"] == "Online PACT <catch-up>"
    assert event["type"] == "online meeting"
    assert event["address"] is None
    assert event["contact_details"] == {}
    assert event["description"] == (
        "<p>Online meeting.</p>"
        '<p>Join online: <a href="https://meet.example/pact">https://meet.example/pact</a></p>'
        "<p>Access: Captions on</p>"
    )


@pytest.mark.usefixtures("clock")
def test_events_address_joins_venue_and_address_and_escapes_html(client, ward):
    EventFactory(wards=[ward], venue="Hall <b>", address="1 High St", starts_at=at(6, 10, 9), ends_at=at(6, 10, 10))

    [event] = get_json(client, f"/api/kent/{ward.code}/events", EVENTS)

    assert event["address"] == "Hall <b>, 1 High St"
    assert event["type"] == "surgery"
    assert event["description"] == "<p>Surgery at Hall &lt;b&gt;.</p>"


@pytest.mark.usefixtures("clock")
def test_events_are_in_uk_local_time_across_summer_time(client, ward):
    # 17:30 UTC is 18:30 in British Summer Time and 17:30 in Greenwich Mean Time.
    EventFactory(wards=[ward], title="Summer", starts_at=at(7, 1, 17, 30), ends_at=at(7, 1, 18, 30))
    EventFactory(wards=[ward], title="Winter", starts_at=at(12, 1, 17, 30), ends_at=at(12, 1, 18, 30))
    # The night the clocks go back (25 October 2026): 00:30 UTC is 01:30 BST, 01:30 UTC is 01:30 GMT.
    EventFactory(wards=[ward], title="Clocks back", starts_at=at(10, 25, 0, 30), ends_at=at(10, 25, 1, 30))

    data = {event["title"]: event for event in get_json(client, f"/api/kent/{ward.code}/events", EVENTS)}

    assert (data["Summer"]["start_date"], data["Summer"]["end_date"]) == ("2026-07-01T18:30:00", "2026-07-01T19:30:00")
    assert (data["Winter"]["start_date"], data["Winter"]["end_date"]) == ("2026-12-01T17:30:00", "2026-12-01T18:30:00")
    assert (data["Clocks back"]["start_date"], data["Clocks back"]["end_date"]) == (
        "2026-10-25T01:30:00",
        "2026-10-25T01:30:00",
    )


def test_events_empty_for_a_ward_with_none(client, ward):
    assert get_json(client, f"/api/kent/{ward.code}/events", EVENTS) == []


@pytest.mark.usefixtures("clock")
def test_events_second_request_costs_no_query(client, ward, django_assert_num_queries):
    EventFactory.create_batch(3, wards=[ward], starts_at=at(6, 10, 9), ends_at=at(6, 10, 10))
    first = client.get(f"/api/kent/{ward.code}/events").content

    with django_assert_num_queries(0):
        assert client.get(f"/api/kent/{ward.code}/events").content == first


@pytest.mark.usefixtures("clock")
def test_events_show_a_new_event_at_once(client, ward):
    assert get_json(client, f"/api/kent/{ward.code}/events", EVENTS) == []

    EventFactory(wards=[ward], starts_at=at(6, 10, 9), ends_at=at(6, 10, 10))

    assert len(get_json(client, f"/api/kent/{ward.code}/events", EVENTS)) == 1


# --- priorities ---------------------------------------------------------------------


def priority(ward, slot, title, agreed_on, **extra):
    return PriorityFactory(ward=ward, slot=slot, title=title, agreed_on=agreed_on, **extra)


def test_priorities_lists_active_ones_with_latest_public_action(client, ward, django_assert_num_queries):
    speeding = priority(ward, 1, "Speeding on London Road", datetime.date(2026, 4, 2))
    parking = priority(ward, 2, "Parking by the school", datetime.date(2026, 5, 7))
    priority(ward, 3, "Street drinking", datetime.date(2026, 3, 5))
    ProgressEntryFactory(priority=speeding, happened_on=datetime.date(2026, 4, 20), text="Speed checks on 3 days.")
    ProgressEntryFactory(
        priority=speeding, happened_on=datetime.date(2026, 5, 2), text="Letters to 12 drivers.\nMore checks due."
    )
    ProgressEntryFactory(
        priority=speeding, happened_on=datetime.date(2026, 5, 9), text="Internal note",
        visibility=ProgressEntry.Visibility.INTERNAL,
    )  # fmt: skip
    ProgressEntryFactory(priority=parking, happened_on=datetime.date(2026, 5, 20), text="Wardens visited.")
    priority(WardFactory(), 1, "Another ward's priority", datetime.date(2026, 5, 1))

    # 1 the ward's id, 2 its priorities with their latest public action (subqueries)
    with django_assert_num_queries(2):
        data = get_json(client, f"/api/kent/{ward.code}/priorities", PRIORITIES)

    assert data == [
        {
            "issue": "<p>Parking by the school</p>",
            "issue-date": "2026-05-07T00:00:00",
            "action": "<p>Wardens visited.</p>",
            "action-date": "2026-05-20T00:00:00",
        },
        {
            "issue": "<p>Speeding on London Road</p>",
            "issue-date": "2026-04-02T00:00:00",
            "action": "<p>Letters to 12 drivers.<br>More checks due.</p>",
            "action-date": "2026-05-02T00:00:00",
        },
        {"issue": "<p>Street drinking</p>", "issue-date": "2026-03-05T00:00:00", "action": None, "action-date": None},
    ]


def test_priorities_empty_for_a_ward_with_none(client, ward, django_assert_num_queries):
    # 1 the ward's id, 2 its priorities (none)
    with django_assert_num_queries(2):
        assert get_json(client, f"/api/kent/{ward.code}/priorities", PRIORITIES) == []


def test_priorities_keep_recently_ended_ones_and_drop_older(client, ward):
    today = datetime.date(2026, 6, 1)
    priority(
        ward, 1, "Resolved last month", datetime.date(2026, 1, 5),
        status=Priority.Status.RESOLVED, ended_on=today - datetime.timedelta(days=30),
    )  # fmt: skip
    priority(
        ward, 1, "Closed long ago", datetime.date(2025, 6, 5),
        status=Priority.Status.CLOSED, ended_on=today - datetime.timedelta(days=91),
    )  # fmt: skip

    with time_machine.travel(NOW, tick=False):
        data = get_json(client, f"/api/kent/{ward.code}/priorities", PRIORITIES)

    assert [item["issue"] for item in data] == ["<p>Resolved last month</p>"]


def test_priorities_escape_the_text_as_html(client, ward):
    entry = ProgressEntryFactory(
        priority=priority(ward, 1, "Bikes <on> the & pavement", datetime.date(2026, 5, 1)), text="<script>x</script>"
    )

    [item] = get_json(client, f"/api/kent/{entry.priority.ward.code}/priorities", PRIORITIES)

    assert item["issue"] == "<p>Bikes &lt;on&gt; the &amp; pavement</p>"
    assert item["action"] == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_priorities_show_new_progress_at_once(client, ward):
    agreed = priority(ward, 1, "Speeding", datetime.date(2026, 5, 1))
    assert get_json(client, f"/api/kent/{ward.code}/priorities", PRIORITIES)[0]["action"] is None

    ProgressEntryFactory(priority=agreed, text="Speed checks.")

    assert get_json(client, f"/api/kent/{ward.code}/priorities", PRIORITIES)[0]["action"] == "<p>Speed checks.</p>"


def test_priorities_second_request_costs_no_query(client, ward, django_assert_num_queries):
    for slot in (1, 2, 3):
        priority(ward, slot, f"Priority {slot}", datetime.date(2026, 5, slot))
    first = client.get(f"/api/kent/{ward.code}/priorities").content

    with django_assert_num_queries(0):
        assert client.get(f"/api/kent/{ward.code}/priorities").content == first


def test_priorities_head_and_post(client, ward):
    head = client.head(f"/api/kent/{ward.code}/priorities")
    post = client.post(f"/api/kent/{ward.code}/priorities")

    assert (head.status_code, head.content) == (200, b"")
    assert post.status_code == 405
