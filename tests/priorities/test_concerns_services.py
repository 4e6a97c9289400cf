import json
import re

import pytest

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import Concern, Event
from priorities.services import concerns as services
from tests.priorities.factories import (
    CategoryFactory,
    ChairFactory,
    ConcernFactory,
    EventFactory,
    MeetingFactory,
    PanelFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.com"


def _raise(ward, **kwargs):
    fields = {"category": CategoryFactory(), "description": "Cars race along the High Street at night."}
    return services.concern_raise(ward=ward, **{**fields, **kwargs})


def _meeting(ward, **kwargs):
    return MeetingFactory(panel=PanelFactory(wards=[ward]), **kwargs)


def _audit(concern, action):
    return AuditEvent.objects.get(object_id=str(concern.pk), action=action)


def test_concern_raise_gives_a_reference_of_unambiguous_characters(ward_a):
    concern = _raise(ward_a, location_text="High Street", contact_email=EMAIL)

    assert re.fullmatch(r"PACT-[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}", concern.reference)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED
    assert concern.source == Concern.Source.ONLINE
    assert concern.contact_email == EMAIL
    assert concern.raised_by is None


def test_concern_raise_gives_distinct_references(ward_a):
    references = {_raise(ward_a).reference for _ in range(40)}

    assert len(references) == 40


def test_concern_raise_draws_again_when_the_reference_is_taken(ward_a, monkeypatch):
    ConcernFactory(reference="PACT-AAAAAA", ward=ward_a)
    drawn = iter(["PACT-AAAAAA", "PACT-AAAAAA", "PACT-BBBBBB"])
    monkeypatch.setattr(services, "concern_reference_new", lambda: next(drawn))

    concern = _raise(ward_a)

    assert concern.reference == "PACT-BBBBBB"
    assert Concern.objects.filter(reference="PACT-BBBBBB").count() == 1


def test_concern_raise_gives_up_when_every_reference_is_taken(ward_a, monkeypatch):
    ConcernFactory(reference="PACT-AAAAAA", ward=ward_a)
    monkeypatch.setattr(services, "concern_reference_new", lambda: "PACT-AAAAAA")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NO_REFERENCE)):
        _raise(ward_a)

    assert Concern.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "   "}, services.ERROR_DESCRIPTION_REQUIRED),
        ({"description": "x" * 2001}, services.ERROR_DESCRIPTION_TOO_LONG),
        ({"location_text": "x" * 201}, services.ERROR_LOCATION_TOO_LONG),
    ],
)
def test_concern_raise_refuses_bad_text(ward_a, fields, message):
    with pytest.raises(PrioritiesError, match=str(message)):
        _raise(ward_a, **fields)

    assert not Concern.objects.exists()


def test_concern_raise_accepts_text_at_its_limits(ward_a):
    concern = _raise(ward_a, description="x" * 2000, location_text="y" * 200)

    assert len(concern.description) == 2000
    assert len(concern.location_text) == 200


def _record(actor, ward, **kwargs):
    fields = {"category": CategoryFactory(), "description": "Parking on the pavement.", "source": "meeting"}
    return services.concern_record(actor=actor, ward=ward, **{**fields, **kwargs})


def test_concern_record_by_officer_is_audited_without_the_email(officer, ward_a):
    surgery = EventFactory(wards=[ward_a])

    concern = _record(officer, ward_a, source="surgery", raised_at_event=surgery, contact_email=EMAIL)

    assert concern.source == Concern.Source.SURGERY
    assert concern.raised_by == officer
    assert concern.raised_at_event == surgery
    assert concern.status == Concern.Status.RECEIVED
    event = _audit(concern, "priorities.concern.recorded")
    assert event.actor == officer
    assert EMAIL not in json.dumps(event.data)
    assert event.data["after"]["contact_email"] == "***"


def test_concern_record_by_chair_of_the_wards_panel(chair, ward_a):
    ChairFactory(panel=PanelFactory(wards=[ward_a]), user=chair)

    assert _record(chair, ward_a).raised_by == chair


@pytest.mark.parametrize("persona", ["other_officer", "partner", "outsider", "chair"])
def test_concern_record_refuses_staff_without_the_ward(request, ward_a, persona):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        _record(request.getfixturevalue(persona), ward_a)

    assert not Concern.objects.exists()


def test_concern_record_refuses_the_online_source(officer, ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_STAFF_SOURCE)):
        _record(officer, ward_a, source="online")


def test_concern_record_refuses_an_event_of_another_ward(officer, ward_a, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_EVENT_OTHER_WARD)):
        _record(officer, ward_a, raised_at_event=EventFactory(wards=[ward_b]))


def test_concern_accept_publishes_and_audits_before_and_after(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, contact_email=EMAIL)

    services.concern_accept(actor=officer, concern=concern)

    concern.refresh_from_db()
    assert concern.status == Concern.Status.ACCEPTED
    assert concern.moderated_by == officer
    assert concern.moderated_at is not None
    event = _audit(concern, "priorities.concern.accepted")
    assert event.data == {"before": {"status": "received"}, "after": {"status": "accepted"}}


@pytest.mark.parametrize("status", ["accepted", "shortlisted", "adopted", "rejected", "merged"])
def test_concern_accept_only_from_awaiting_moderation(officer, ward_a, status):
    extra = {"merged_into": ConcernFactory(ward=ward_a)} if status == "merged" else {}
    concern = ConcernFactory(ward=ward_a, status=status, rejection_reason="Not police business", **extra)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_ACCEPT_STATE)):
        services.concern_accept(actor=officer, concern=concern)


@pytest.mark.parametrize("persona", ["other_officer", "partner", "outsider", "chair"])
def test_concern_moderation_refuses_staff_without_the_ward(request, ward_a, persona):
    concern = ConcernFactory(ward=ward_a)
    actor = request.getfixturevalue(persona)

    for moderate in (
        lambda: services.concern_accept(actor=actor, concern=concern),
        lambda: services.concern_reject(actor=actor, concern=concern, reason="Duplicate"),
        lambda: services.concern_shortlist(actor=actor, concern=concern, meeting=_meeting(ward_a)),
        lambda: services.concern_merge(actor=actor, concern=concern, into=ConcernFactory(ward=ward_a)),
    ):
        with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
            moderate()

    concern.refresh_from_db()
    assert concern.status == Concern.Status.RECEIVED
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("meeting_status", [Event.Status.SCHEDULED, Event.Status.HELD])
def test_concern_shortlist_for_a_meeting_of_the_wards_panel(chair, ward_a, meeting_status):
    meeting = _meeting(ward_a, status=meeting_status)
    ChairFactory(panel=meeting.panel, user=chair)
    concern = ConcernFactory(ward=ward_a)

    services.concern_shortlist(actor=chair, concern=concern, meeting=meeting)

    concern.refresh_from_db()
    assert concern.status == Concern.Status.SHORTLISTED
    assert concern.shortlisted_for == meeting
    assert concern.moderated_by == chair
    event = _audit(concern, "priorities.concern.shortlisted")
    assert event.data == {"before": {"status": "received"}, "after": {"status": "shortlisted", "meeting": meeting.pk}}


def test_concern_shortlist_moves_to_another_meeting_but_not_twice_to_one(officer, ward_a):
    first, second = _meeting(ward_a), _meeting(ward_a)
    concern = ConcernFactory(ward=ward_a, status=Concern.Status.ACCEPTED)
    services.concern_shortlist(actor=officer, concern=concern, meeting=first)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_ALREADY_SHORTLISTED)):
        services.concern_shortlist(actor=officer, concern=concern, meeting=first)
    services.concern_shortlist(actor=officer, concern=concern, meeting=second)

    concern.refresh_from_db()
    assert concern.shortlisted_for == second


def _cancelled_meeting(ward):
    return _meeting(ward, status=Event.Status.CANCELLED, cancellation_reason="Venue closed")


@pytest.mark.parametrize(
    "make_event",
    [
        _cancelled_meeting,
        lambda ward: _meeting(ward, status=Event.Status.MOVED),
        lambda ward: EventFactory(wards=[ward]),
        lambda ward: MeetingFactory(),
    ],
    ids=["cancelled", "moved", "surgery", "other-panel"],
)
def test_concern_shortlist_refuses_other_events(officer, ward_a, make_event):
    concern = ConcernFactory(ward=ward_a)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_SHORTLIST_MEETING)):
        services.concern_shortlist(actor=officer, concern=concern, meeting=make_event(ward_a))


@pytest.mark.parametrize("status", ["adopted", "rejected"])
def test_concern_shortlist_refuses_closed_concerns(officer, ward_a, status):
    concern = ConcernFactory(ward=ward_a, status=status, rejection_reason="Not police business")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_SHORTLIST_STATE)):
        services.concern_shortlist(actor=officer, concern=concern, meeting=_meeting(ward_a))


def test_concern_reject_records_the_reason(officer, ward_a):
    concern = ConcernFactory(ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=_meeting(ward_a))

    services.concern_reject(actor=officer, concern=concern, reason="x" * 300)

    concern.refresh_from_db()
    assert concern.status == Concern.Status.REJECTED
    assert concern.rejection_reason == "x" * 300
    assert concern.shortlisted_for is None
    assert _audit(concern, "priorities.concern.rejected").data["before"] == {"status": "shortlisted"}


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", services.ERROR_REASON_REQUIRED),
        ("  ", services.ERROR_REASON_REQUIRED),
        ("x" * 301, services.ERROR_REASON_TOO_LONG),
    ],
)
def test_concern_reject_needs_a_short_reason(officer, ward_a, reason, message):
    concern = ConcernFactory(ward=ward_a)

    with pytest.raises(PrioritiesError, match=str(message)):
        services.concern_reject(actor=officer, concern=concern, reason=reason)


@pytest.mark.parametrize("status", ["adopted", "rejected", "merged"])
def test_concern_reject_refuses_closed_concerns(officer, ward_a, status):
    extra = {"merged_into": ConcernFactory(ward=ward_a)} if status == "merged" else {}
    concern = ConcernFactory(ward=ward_a, status=status, rejection_reason="Earlier reason", **extra)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_REJECT_STATE)):
        services.concern_reject(actor=officer, concern=concern, reason="Duplicate")


def test_concern_merge_points_at_the_target_which_keeps_its_status(officer, ward_a):
    target = ConcernFactory(ward=ward_a, status=Concern.Status.ADOPTED)
    duplicate = ConcernFactory(ward=ward_a, contact_email=EMAIL)

    services.concern_merge(actor=officer, concern=duplicate, into=target)

    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert duplicate.status == Concern.Status.MERGED
    assert duplicate.merged_into == target
    assert target.status == Concern.Status.ADOPTED
    event = _audit(duplicate, "priorities.concern.merged")
    assert event.data["after"]["merged_into"] == target.reference
    assert EMAIL not in json.dumps(event.data)


def test_concern_merge_flattens_chains(officer, ward_a):
    first, second, final = ConcernFactory.create_batch(3, ward=ward_a)
    services.concern_merge(actor=officer, concern=first, into=second)

    services.concern_merge(actor=officer, concern=second, into=final)

    assert set(final.merged_concerns.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert not Concern.objects.filter(merged_into=second).exists()
    assert _audit(second, "priorities.concern.merged").data["after"]["also_moved"] == [first.reference]


def test_concern_merge_refuses_itself(officer, ward_a):
    concern = ConcernFactory(ward=ward_a)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_MERGE_SELF)):
        services.concern_merge(actor=officer, concern=concern, into=concern)


@pytest.mark.parametrize("target_kind", ["other_ward", "rejected", "merged"])
def test_concern_merge_refuses_bad_targets(officer, ward_a, ward_b, target_kind):
    concern = ConcernFactory(ward=ward_a)
    targets = {
        "other_ward": lambda: ConcernFactory(ward=ward_b),
        "rejected": lambda: ConcernFactory(ward=ward_a, status="rejected", rejection_reason="Duplicate"),
        "merged": lambda: ConcernFactory(ward=ward_a, status="merged", merged_into=ConcernFactory(ward=ward_a)),
    }

    with pytest.raises(PrioritiesError, match=str(services.ERROR_MERGE_TARGET)):
        services.concern_merge(actor=officer, concern=concern, into=targets[target_kind]())


@pytest.mark.parametrize("status", ["adopted", "rejected"])
def test_concern_merge_refuses_closed_concerns(officer, ward_a, status):
    concern = ConcernFactory(ward=ward_a, status=status, rejection_reason="Earlier reason")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_MERGE_STATE)):
        services.concern_merge(actor=officer, concern=concern, into=ConcernFactory(ward=ward_a))


def test_concern_moderation_by_administrator_of_any_ward(admin_user, ward_b):
    concern = ConcernFactory(ward=ward_b)

    services.concern_accept(actor=admin_user, concern=concern)

    assert concern.status == Concern.Status.ACCEPTED
