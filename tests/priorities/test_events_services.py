import datetime

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from priorities.errors import PrioritiesError
from priorities.models import Concern, Event
from priorities.services import events as services
from tests.priorities.factories import (
    ChairFactory,
    ConcernFactory,
    EventFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    SubscriptionFactory,
)
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
NEXT_WEEK = NOW + datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _schedule(actor, wards, **overrides):
    values = {
        "kind": Event.Kind.SURGERY,
        "title": "Street surgery",
        "ward_ids": [ward.pk for ward in wards],
        "starts_at": NEXT_WEEK,
        "ends_at": NEXT_WEEK + datetime.timedelta(hours=1),
        "venue": "Library",
    }
    return services.event_schedule(actor=actor, **(values | overrides))


def _chair_of(user, *wards):
    panel = PanelFactory(wards=list(wards))
    ChairFactory(panel=panel, user=user)
    return panel


def test_event_schedule_by_officer_creates_and_audits(officer, ward_a):
    event = _schedule(officer, [ward_a])

    assert event.status == Event.Status.SCHEDULED
    assert list(event.wards.all()) == [ward_a]
    assert event.created_by == officer
    audit = AuditEvent.objects.get(action="priorities.event.scheduled")
    assert audit.actor == officer
    assert audit.data["after"]["wards"] == [ward_a.code]


def test_event_schedule_refuses_ward_of_another_team(officer, ward_a, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        _schedule(officer, [ward_a, ward_b])

    assert not Event.objects.exists()


def test_event_schedule_refuses_other_role(partner, ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        _schedule(partner, [ward_a])


def test_event_schedule_refuses_start_in_the_past(officer, ward_a):
    past = NOW - datetime.timedelta(hours=1)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_START_PAST)):
        _schedule(officer, [ward_a], starts_at=past, ends_at=past + datetime.timedelta(hours=2))


def test_event_schedule_refuses_end_before_start(officer, ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_END_BEFORE_START)):
        _schedule(officer, [ward_a], ends_at=NEXT_WEEK)


def test_event_schedule_online_meeting_needs_link(officer, ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_LINK_REQUIRED)):
        _schedule(officer, [ward_a], kind=Event.Kind.ONLINE_MEETING)

    event = _schedule(officer, [ward_a], kind=Event.Kind.ONLINE_MEETING, joining_url="https://meet.example.org/a")
    assert event.joining_url == "https://meet.example.org/a"


def test_event_schedule_meeting_needs_panel_serving_all_its_wards(officer, ward_a):
    other_ward = WardFactory(team=ward_a.team)
    panel = PanelFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_PANEL_REQUIRED)):
        _schedule(officer, [ward_a], kind=Event.Kind.PACT_MEETING)
    with pytest.raises(PrioritiesError, match=str(services.ERROR_PANEL_WARDS)):
        _schedule(officer, [ward_a, other_ward], kind=Event.Kind.PACT_MEETING, panel_id=panel.pk)

    event = _schedule(officer, [ward_a], kind=Event.Kind.PACT_MEETING, panel_id=panel.pk)
    assert event.panel == panel


def test_event_schedule_by_chair_only_for_their_panel(chair, ward_a):
    own = _chair_of(chair, ward_a)
    other_panel = PanelFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_PANEL)):
        _schedule(chair, [ward_a], kind=Event.Kind.PACT_MEETING, panel_id=other_panel.pk)

    assert _schedule(chair, [ward_a], kind=Event.Kind.PACT_MEETING, panel_id=own.pk).panel == own


def test_event_schedule_chair_refused_for_ward_outside_their_panel(chair, ward_a, ward_b):
    _chair_of(chair, ward_a)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        _schedule(chair, [ward_b])


def test_event_schedule_by_the_system_allows_past_events_for_demo_data(ward_a):
    past = NOW - datetime.timedelta(days=30)

    event = services.event_schedule(
        actor=None,
        system=True,
        kind=Event.Kind.SURGERY,
        title="Old surgery",
        ward_ids=[ward_a.pk],
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=1),
    )

    assert event.pk
    assert AuditEvent.objects.get(action="priorities.event.scheduled").actor_label == "system"


def test_event_schedule_without_an_actor_is_refused_unless_by_the_system(ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        _schedule(None, [ward_a])

    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("change", "arguments"),
    [
        ("update", {"venue": "Church hall"}),
        ("cancel", {"reason": "The hall is flooded"}),
        ("move", {"starts_at": NEXT_WEEK, "ends_at": NEXT_WEEK + datetime.timedelta(hours=1)}),
        ("record_held", {}),
    ],
)
def test_event_change_without_an_actor_is_refused_unless_by_the_system(ward_a, change, arguments):
    started = NOW - datetime.timedelta(hours=1)
    event = EventFactory(wards=[ward_a], starts_at=started, ends_at=started + datetime.timedelta(hours=2))
    service = getattr(services, f"event_{change}")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        service(actor=None, event_id=event.pk, **arguments)
    event.refresh_from_db()
    assert (event.status, event.sequence) == (Event.Status.SCHEDULED, 0)

    service(actor=None, event_id=event.pk, system=True, **arguments)
    event.refresh_from_db()
    assert event.sequence == 1
    assert AuditEvent.objects.get(action__startswith="priorities.event.").actor_label == "system"


def test_event_update_bumps_sequence_and_audits(officer, ward_a):
    event = EventFactory(wards=[ward_a], starts_at=NEXT_WEEK, ends_at=NEXT_WEEK + datetime.timedelta(hours=1))

    updated = services.event_update(actor=officer, event_id=event.pk, venue="Church hall")

    assert updated.venue == "Church hall"
    assert updated.sequence == 1
    assert updated.uid == event.uid
    audit = AuditEvent.objects.get(action="priorities.event.updated")
    assert audit.data["before"]["venue"] == "Community centre"
    assert audit.data["after"]["venue"] == "Church hall"


def test_event_update_refused_once_cancelled(officer, ward_a):
    event = EventFactory(wards=[ward_a], status=Event.Status.CANCELLED, cancellation_reason="Flooded")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_SCHEDULED)):
        services.event_update(actor=officer, event_id=event.pk, title="New")


def test_event_update_refused_for_officer_of_another_ward(other_officer, ward_a):
    event = EventFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        services.event_update(actor=other_officer, event_id=event.pk, title="Mine now")


def test_event_cancel_needs_reason(officer, ward_a):
    event = EventFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_REASON_REQUIRED)):
        services.event_cancel(actor=officer, event_id=event.pk, reason="  ")

    cancelled = services.event_cancel(actor=officer, event_id=event.pk, reason="The hall is flooded")
    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.cancellation_reason == "The hall is flooded"
    assert cancelled.sequence == 1
    audit = AuditEvent.objects.get(action="priorities.event.cancelled")
    assert (audit.data["before"]["status"], audit.data["after"]["status"]) == ("scheduled", "cancelled")


def test_event_cancel_refused_for_other_officer(other_officer, ward_a):
    event = EventFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        services.event_cancel(actor=other_officer, event_id=event.pk, reason="No")


def test_event_move_keeps_event_uid_and_raises_sequence(officer, ward_a):
    event = EventFactory(wards=[ward_a], venue="Library", accessibility_notes="Step-free")
    uid = event.uid
    new_start = NOW + datetime.timedelta(days=14)

    moved = services.event_move(
        actor=officer, event_id=event.pk, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2)
    )

    event.refresh_from_db()
    assert moved.pk == event.pk
    assert (event.uid, event.status, event.sequence) == (uid, Event.Status.SCHEDULED, 1)
    assert (event.starts_at, event.venue, event.accessibility_notes) == (new_start, "Library", "Step-free")
    assert Event.objects.count() == 1
    audit = AuditEvent.objects.get(action="priorities.event.moved")
    assert (audit.data["before"]["starts_at"], audit.data["after"]["starts_at"]) == (
        NEXT_WEEK.isoformat(),
        new_start.isoformat(),
    )


def test_event_move_keeps_the_meetings_shortlist(officer, ward_a):
    meeting = MeetingFactory(wards=[ward_a])
    concern = ConcernFactory(ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=meeting)
    new_start = NOW + datetime.timedelta(days=14)

    moved = services.event_move(
        actor=officer, event_id=meeting.pk, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2)
    )

    assert list(moved.shortlist.all()) == [concern]


def test_event_move_tells_subscribers_once_per_move(officer, ward_a):
    event = EventFactory(wards=[ward_a])
    SubscriptionFactory(ward=ward_a, email="ada@example.org", wants_meetings=True)
    SubscriptionFactory(ward=ward_a, email="bob@example.org", wants_meetings=False)
    first, second = NOW + datetime.timedelta(days=14), NOW + datetime.timedelta(days=21)

    for start in (first, second):
        services.event_move(
            actor=officer, event_id=event.pk, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )

    emails = OutboundEmail.objects.filter(key__startswith=f"meeting-moved:{event.pk}:")
    assert [(email.to, email.subject) for email in emails.order_by("key")] == [
        ("ada@example.org", "Moved: Street surgery, now 15 March 2026"),
        ("ada@example.org", "Moved: Street surgery, now 22 March 2026"),
    ]
    assert "It was due on" in emails.first().body_text


def test_event_move_refuses_past_start(officer, ward_a):
    event = EventFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_START_PAST)):
        services.event_move(actor=officer, event_id=event.pk, starts_at=NOW, ends_at=NEXT_WEEK)


def _meeting_held_yesterday(ward):
    start = NOW - datetime.timedelta(days=1)
    return MeetingFactory(
        panel=PanelFactory(wards=[ward]), starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )


def test_event_record_held_saves_attendance_minutes_and_audits(officer, ward_a):
    meeting = _meeting_held_yesterday(ward_a)
    present = PanelMemberFactory(panel=meeting.panel)
    PanelMemberFactory(panel=meeting.panel)

    held = services.event_record_held(
        actor=officer, event_id=meeting.pk, member_ids=[present.pk], residents_attending=12, minutes="Agreed speeding."
    )

    assert held.status == Event.Status.HELD
    assert [row.member for row in held.attendance.all()] == [present]
    assert (held.residents_attending, held.minutes) == (12, "Agreed speeding.")
    assert AuditEvent.objects.get(action="priorities.event.held").data["after"]["attendance"] == [present.pk]


def test_event_record_held_refuses_members_not_on_panel_that_day(officer, ward_a):
    meeting = _meeting_held_yesterday(ward_a)
    left = PanelMemberFactory(panel=meeting.panel, ended_on=datetime.date(2025, 6, 1))
    stranger = PanelMemberFactory()

    for member in (left, stranger):
        with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_MEMBERS)):
            services.event_record_held(actor=officer, event_id=meeting.pk, member_ids=[member.pk])


def test_event_record_held_refused_before_start(officer, ward_a):
    event = EventFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_STARTED)):
        services.event_record_held(actor=officer, event_id=event.pk, minutes="Too soon")


def test_event_record_held_refused_for_cancelled(officer, ward_a):
    start = timezone.now() - datetime.timedelta(days=1)
    event = EventFactory(wards=[ward_a], starts_at=start, status="cancelled", cancellation_reason="Snow")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CANNOT_HOLD)):
        services.event_record_held(actor=officer, event_id=event.pk)


def test_event_record_held_by_chair_of_the_panel(chair, ward_a):
    meeting = _meeting_held_yesterday(ward_a)
    ChairFactory(panel=meeting.panel, user=chair)

    assert services.event_record_held(actor=chair, event_id=meeting.pk, minutes="Fine").status == "held"


def test_event_record_held_refused_for_chair_of_another_panel(chair, ward_a):
    meeting = _meeting_held_yesterday(ward_a)
    _chair_of(chair, ward_a)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_PANEL)):
        services.event_record_held(actor=chair, event_id=meeting.pk, minutes="Not mine")


def _record_past(actor, panel, **overrides):
    start = NOW - datetime.timedelta(days=1)
    values = {
        "kind": Event.Kind.PACT_MEETING,
        "title": "Abbey PACT meeting",
        "ward_ids": [ward.pk for ward in panel.wards.all()],
        "panel_id": panel.pk,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "venue": "Library",
    }
    return services.event_record_past(actor=actor, **(values | overrides))


def test_event_record_past_records_a_meeting_never_scheduled_as_held(officer, ward_a):
    panel = PanelFactory(wards=[ward_a])
    present = PanelMemberFactory(panel=panel)
    SubscriptionFactory(ward=ward_a, wants_meetings=True)

    event = _record_past(officer, panel, member_ids=[present.pk], residents_attending=9, minutes="Agreed litter.")

    assert (event.status, event.starts_at) == (Event.Status.HELD, NOW - datetime.timedelta(days=1))
    assert [row.member for row in event.attendance.all()] == [present]
    assert (event.residents_attending, event.minutes) == (9, "Agreed litter.")
    assert list(AuditEvent.objects.filter(actor=officer).order_by("pk").values_list("action", flat=True)) == [
        "priorities.event.scheduled",
        "priorities.event.held",
    ]
    assert not OutboundEmail.objects.exists()


def test_event_record_past_refuses_a_future_start(officer, ward_a):
    panel = PanelFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_PAST)):
        _record_past(officer, panel, starts_at=NEXT_WEEK, ends_at=NEXT_WEEK + datetime.timedelta(hours=1))
    assert not Event.objects.exists()


def test_event_record_past_refuses_other_wards(other_officer, ward_a):
    panel = PanelFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_YOUR_WARD)):
        _record_past(other_officer, panel)


def test_event_record_past_rolls_back_with_a_stranger_in_attendance(officer, ward_a):
    panel = PanelFactory(wards=[ward_a])

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_MEMBERS)):
        _record_past(officer, panel, member_ids=[PanelMemberFactory().pk])
    assert not Event.objects.exists()


def test_event_cancel_moves_its_shortlist_to_the_next_meeting_of_the_panel(officer, ward_a):
    meeting = MeetingFactory(wards=[ward_a])
    later = MeetingFactory(panel=meeting.panel, wards=[ward_a], starts_at=NEXT_WEEK + datetime.timedelta(days=28))
    concern = ConcernFactory(ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=meeting)

    services.event_cancel(actor=officer, event_id=meeting.pk, reason="Hall flooded", move_shortlist_to=later.pk)

    concern.refresh_from_db()
    assert concern.shortlisted_for_id == later.pk
    audit = AuditEvent.objects.get(action="priorities.event.cancelled")
    assert (audit.data["after"]["shortlist_moved_to"], audit.data["after"]["concerns"]) == (later.pk, [concern.pk])


def test_event_cancel_refuses_to_move_the_shortlist_anywhere_but_the_next_meeting(officer, ward_a):
    meeting = MeetingFactory(wards=[ward_a])
    elsewhere = MeetingFactory(wards=[ward_a], starts_at=NEXT_WEEK + datetime.timedelta(days=28))

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_NEXT_MEETING)):
        services.event_cancel(actor=officer, event_id=meeting.pk, reason="Flooded", move_shortlist_to=elsewhere.pk)
    meeting.refresh_from_db()
    assert meeting.status == Event.Status.SCHEDULED
