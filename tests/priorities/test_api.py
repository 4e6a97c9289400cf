"""The priorities part of the read API: priorities with their public progress, events, monthly updates."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from priorities.models import Event, MonthlyUpdate, Priority, ProgressEntry
from priorities.services.updates import monthly_update_create
from tests.priorities.factories import (
    CategoryFactory,
    ConcernFactory,
    EventFactory,
    PartnerAgencyFactory,
    PlanPriorityFactory,
    PriorityFactory,
    ProgressEntryFactory,
)
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

UK = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _ids(body):
    return [item["id"] for item in body["results"]]


# Priorities


def test_priority_list_gives_each_priority_with_its_public_progress_only(client):
    priority = PriorityFactory(plan_priority=PlanPriorityFactory(), lead_officer=None)
    priority.partners.add(PartnerAgencyFactory(name="Maidstone Borough Council"))
    ProgressEntryFactory(priority=priority, happened_on=datetime.date(2026, 10, 3), text="Patrols on Friday.")
    ProgressEntryFactory(priority=priority, happened_on=datetime.date(2026, 10, 9), text="Dispersal order.")
    ProgressEntryFactory(
        priority=priority, visibility=ProgressEntry.Visibility.INTERNAL, text="Suspect named by informant."
    )

    response = client.get("/api/v1/priorities/")

    item = json.loads(response.content)["results"][0]
    assert item["ward"] == {"code": priority.ward.code, "name": priority.ward.name}
    assert item["category"] == {"slug": "anti-social-behaviour", "name": "Anti-social behaviour"}
    assert item["plan_priority"] == {
        "plan": "Making Kent Safer 2022–25",
        "name": "Prevent crime and anti-social behaviour",
    }
    assert (item["status"], item["status_label"], item["agreed_on"]) == ("current", "Current", "2026-10-01")
    assert item["agreed_at"]["uid"] == str(priority.agreed_at.uid)
    assert item["partners"] == ["Maidstone Borough Council"]
    assert [entry["text"] for entry in item["progress"]] == ["Dispersal order.", "Patrols on Friday."]
    assert item["progress"][0]["by"].startswith("Police Constable ")
    assert item["url"] == f"http://testserver/api/v1/priorities/{priority.pk}/"
    assert item["page_url"] == f"http://testserver/priorities/{priority.pk}/"
    assert "Suspect named" not in response.content.decode()


def test_priority_detail_gives_one_priority_and_never_internal_progress(client):
    priority = PriorityFactory()
    ProgressEntryFactory(priority=priority, visibility=ProgressEntry.Visibility.INTERNAL, text="Internal note.")

    response = client.get(f"/api/v1/priorities/{priority.pk}/")

    body = json.loads(response.content)
    assert (body["id"], body["title"], body["progress"]) == (priority.pk, priority.title, [])
    assert "Internal note" not in response.content.decode()


def test_priority_detail_of_an_unknown_id_is_a_json_404(client):
    body = _get(client, "/api/v1/priorities/4242/", status=404)

    assert body == {"detail": "There is no priority with the id 4242."}


def test_priority_list_filters_by_district_team_ward_category_and_status(client):
    team = TeamFactory()
    ward = WardFactory(team=team, district=team.district)
    asb = PriorityFactory(ward=ward, slot=1)
    speeding = PriorityFactory(ward=ward, slot=2, category=CategoryFactory(slug="speeding", name="Speeding"))
    resolved = PriorityFactory(
        ward=ward, slot=1, status=Priority.Status.RESOLVED, ended_on=datetime.date(2026, 10, 20), outcome="Fixed."
    )
    elsewhere = PriorityFactory()

    def ids(query):
        return set(_ids(_get(client, f"/api/v1/priorities/?{query}")))

    assert ids(f"district={team.district.code}") == {asb.pk, speeding.pk, resolved.pk}
    assert ids(f"team={team.pk}") == {asb.pk, speeding.pk, resolved.pk}
    assert ids(f"ward={elsewhere.ward.code}") == {elsewhere.pk}
    assert ids("category=speeding") == {speeding.pk}
    assert ids(f"ward={ward.code}&status=active") == {asb.pk, speeding.pk}
    assert ids("status=resolved") == {resolved.pk}
    assert ids("status=closed") == set()
    assert ids("category=no-such-category") == set()


def test_priority_list_is_by_ward_name_then_newest_agreed(client):
    later = WardFactory(name="Zeta")
    earlier = WardFactory(name="Alpha")
    old = PriorityFactory(
        ward=earlier,
        status=Priority.Status.CLOSED,
        agreed_on=datetime.date(2026, 1, 5),
        ended_on=datetime.date(2026, 6, 1),
    )
    new = PriorityFactory(ward=earlier)
    last = PriorityFactory(ward=later)

    assert _ids(_get(client, "/api/v1/priorities/")) == [new.pk, old.pk, last.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("status=open", "status"), ("ward=E0512", "ward"), ("category=a b", "category"), ("team=-1", "team")],
)
def test_priority_list_bad_filter_is_400_naming_the_parameter(client, query, parameter):
    body = _get(client, f"/api/v1/priorities/?{query}", status=400)

    assert body["detail"] == f"Bad value for the query parameter {parameter}."
    assert list(body["errors"]) == [parameter]


@pytest.mark.parametrize("rows", [1, 20])
def test_priority_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, rows):
    partner = PartnerAgencyFactory()
    for priority in PriorityFactory.create_batch(rows, lead_officer=OfficerFactory()):
        priority.partners.add(partner)
        ProgressEntryFactory.create_batch(2, priority=priority)

    # 1 count, 2 the page with wards, categories, plan priorities, lead officers and meetings,
    # 3 their partners, 4 their public progress with who did it
    with django_assert_num_queries(4):
        body = _get(client, "/api/v1/priorities/")

    assert len(body["results"]) == rows
    assert all(len(item["progress"]) == 2 and item["partners"] for item in body["results"])


def test_priority_detail_queries_are_fixed(client, django_assert_num_queries):
    priority = PriorityFactory()
    ProgressEntryFactory.create_batch(3, priority=priority)

    # 1 the priority and what it links to, 2 its partners, 3 its public progress
    with django_assert_num_queries(3):
        _get(client, f"/api/v1/priorities/{priority.pk}/")


def test_a_new_progress_entry_is_seen_at_once(client):
    priority = PriorityFactory()
    assert _get(client, "/api/v1/priorities/")["results"][0]["progress"] == []

    ProgressEntryFactory(priority=priority, text="Extra patrols.")

    assert _get(client, "/api/v1/priorities/")["results"][0]["progress"][0]["text"] == "Extra patrols."


def test_no_concern_contact_email_reaches_the_api(client):
    ward = WardFactory()
    concern = ConcernFactory(ward=ward, contact_email="resident@example.org", status="adopted")
    PriorityFactory(ward=ward, concern=concern)

    content = client.get("/api/v1/priorities/").content.decode()

    assert "resident@example.org" not in content
    assert concern.reference not in content


# Events


def _event(ward, starts_at, **kwargs):
    return EventFactory(wards=[ward], starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1), **kwargs)


def test_event_list_gives_upcoming_events_soonest_first_as_residents_see_them(client):
    ward = WardFactory()
    soon = _event(ward, NOW + datetime.timedelta(days=2))
    sooner = _event(ward, NOW + datetime.timedelta(days=1))
    cancelled = _event(
        ward, NOW + datetime.timedelta(days=3), status=Event.Status.CANCELLED, cancellation_reason="Venue flooded"
    )
    _event(ward, NOW + datetime.timedelta(days=4), status=Event.Status.MOVED)
    _event(ward, NOW - datetime.timedelta(days=2), status=Event.Status.HELD)

    body = _get(client, "/api/v1/events/")

    assert [item["uid"] for item in body["results"]] == [str(sooner.uid), str(soon.uid), str(cancelled.uid)]
    assert body["results"][2]["cancellation_reason"] == "Venue flooded"
    assert body["results"][0]["wards"] == [{"code": ward.code, "name": ward.name}]
    assert body["results"][0]["page_url"] == f"http://testserver/events/{sooner.uid}/"


def test_event_list_from_and_to_give_every_event_in_those_days(client):
    ward = WardFactory()
    held = _event(ward, datetime.datetime(2026, 7, 1, 19, 0, tzinfo=UK), status=Event.Status.HELD)
    # 23:30 UK on 31 July is 22:30 UTC: still 31 July, so inside "to".
    late = _event(ward, datetime.datetime(2026, 7, 31, 23, 30, tzinfo=UK))
    _event(ward, datetime.datetime(2026, 8, 1, 0, 30, tzinfo=UK))
    _event(ward, datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UK))

    body = _get(client, "/api/v1/events/?from=2026-07-01&to=2026-07-31")

    assert [item["uid"] for item in body["results"]] == [str(held.uid), str(late.uid)]
    assert body["results"][0]["status"] == "held"
    assert _get(client, "/api/v1/events/?from=2026-08-01&to=2026-07-01")["count"] == 0


def test_event_times_are_iso_8601_with_their_uk_offset(client):
    ward = WardFactory()
    _event(ward, datetime.datetime(2026, 7, 1, 19, 0, tzinfo=UK))
    _event(ward, datetime.datetime(2026, 12, 1, 19, 0, tzinfo=UK))

    results = _get(client, "/api/v1/events/?from=2026-01-01")["results"]

    assert [item["starts_at"] for item in results] == ["2026-07-01T19:00:00+01:00", "2026-12-01T19:00:00+00:00"]
    assert results[0]["ends_at"] == "2026-07-01T20:00:00+01:00"


def test_event_list_filters_by_ward_team_and_district(client):
    ward = WardFactory()
    other = WardFactory()
    both = _event(ward, NOW + datetime.timedelta(days=1))
    both.wards.add(other)
    only_other = _event(other, NOW + datetime.timedelta(days=2))

    def uids(query):
        return [item["uid"] for item in _get(client, f"/api/v1/events/?{query}")["results"]]

    assert uids(f"ward={ward.code}") == [str(both.uid)]
    assert uids(f"team={other.team_id}") == [str(both.uid), str(only_other.uid)]
    assert uids(f"district={ward.district.code}") == [str(both.uid)]


@pytest.mark.parametrize(("query", "parameter"), [("from=yesterday", "from"), ("to=2026-02-30", "to")])
def test_event_list_bad_date_is_400_naming_it(client, query, parameter):
    body = _get(client, f"/api/v1/events/?{query}", status=400)

    assert list(body["errors"]) == [parameter]


@pytest.mark.parametrize("rows", [1, 20])
def test_event_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, rows):
    for n in range(rows):
        _event(WardFactory(), NOW + datetime.timedelta(days=n + 1)).wards.add(WardFactory())

    # 1 count, 2 the page of events with where each moved to, 3 their wards
    with django_assert_num_queries(3):
        body = _get(client, "/api/v1/events/")

    assert len(body["results"]) == rows
    assert all(len(item["wards"]) == 2 for item in body["results"])


# Monthly updates


def _update(team):
    update, created = monthly_update_create(team_id=team.pk, month=datetime.date(2026, 10, 1))
    assert created
    return update


def test_update_list_gives_the_published_month_with_public_progress_only(client, celery_eager):
    priority = PriorityFactory()
    ProgressEntryFactory(priority=priority, happened_on=datetime.date(2026, 10, 5), text="Patrols at the shops.")
    ProgressEntryFactory(
        priority=priority,
        happened_on=datetime.date(2026, 10, 6),
        text="Informant says.",
        visibility=ProgressEntry.Visibility.INTERNAL,
    )
    update = _update(priority.ward.team)

    response = client.get("/api/v1/updates/")

    item = json.loads(response.content)["results"][0]
    assert (item["id"], item["month"], item["revision"]) == (update.pk, "2026-10", 1)
    assert item["team"] == {
        "id": priority.ward.team.pk,
        "slug": priority.ward.team.slug,
        "name": priority.ward.team.name,
    }
    assert item["summary"] == update.summary
    ward = item["wards"][0]
    assert ward["code"] == priority.ward.code
    assert ward["priorities"][0]["entries"] == [
        {"happened_on": "2026-10-05", "text": "Patrols at the shops.", "by": ward["priorities"][0]["entries"][0]["by"]}
    ]
    assert ward["meetings_held"][0]["starts_at"].endswith("+01:00")
    assert item["totals"]["actions"] == 1
    assert item["published_at"] == "2026-11-15T12:00:00+00:00"
    slug = priority.ward.team.slug
    assert item["page_url"] == f"http://testserver/teams/{slug}/updates/2026-10/"
    assert "Informant" not in response.content.decode()


def test_update_list_leaves_out_an_update_not_yet_published(client, celery_eager):
    update = _update(TeamFactory())
    update.published_at = NOW + datetime.timedelta(days=1)
    update.save()

    assert _get(client, "/api/v1/updates/")["count"] == 0


def test_update_list_filters_by_team_and_month(client):
    team, other = TeamFactory(), TeamFactory()
    for owner, month in [(team, 9), (team, 10), (other, 10)]:
        MonthlyUpdate.objects.create(
            team=owner, month=datetime.date(2026, month, 1), content=_empty_content(), published_at=timezone.now()
        )

    def months(query):
        return [(item["team"]["id"], item["month"]) for item in _get(client, f"/api/v1/updates/?{query}")["results"]]

    assert months(f"team={team.pk}") == [(team.pk, "2026-10"), (team.pk, "2026-09")]
    assert sorted(months("month=2026-10")) == sorted([(team.pk, "2026-10"), (other.pk, "2026-10")])
    assert months(f"team={other.pk}&month=2026-09") == []


@pytest.mark.parametrize("month", ["2026-13", "October", "2026-1", "0000-01"])
def test_update_list_bad_month_is_400_naming_month(client, month):
    body = _get(client, f"/api/v1/updates/?month={month}", status=400)

    assert list(body["errors"]) == ["month"]


def _empty_content():
    totals = dict.fromkeys(["wards", "priorities", "actions", "meetings_held", "adopted", "ended"], 0)
    return {"wards": [], "totals": totals}


@pytest.mark.parametrize("rows", [1, 20])
def test_update_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, rows):
    for team in TeamFactory.create_batch(rows):
        MonthlyUpdate.objects.create(
            team=team, month=datetime.date(2026, 10, 1), content=_empty_content(), published_at=timezone.now()
        )

    # 1 count, 2 the page of updates with their teams
    with django_assert_num_queries(2):
        body = _get(client, "/api/v1/updates/")

    assert len(body["results"]) == rows


def test_no_contact_detail_reaches_any_list(client, celery_eager):
    officer = OfficerFactory(email="pc.private@demo.pact.invalid", phone="07000 000000")
    ward = WardFactory(team=officer.team, district=officer.team.district)
    priority = PriorityFactory(ward=ward, lead_officer=officer)
    ProgressEntryFactory(priority=priority, officer=officer, happened_on=datetime.date(2026, 10, 2))
    _update(ward.team)

    for url in ["/api/v1/priorities/", f"/api/v1/priorities/{priority.pk}/", "/api/v1/events/?from=2026-01-01"]:
        content = client.get(url).content.decode()
        assert "07000" not in content
        assert "@demo.pact.invalid" not in content
    assert "@demo.pact.invalid" not in client.get("/api/v1/updates/").content.decode()
