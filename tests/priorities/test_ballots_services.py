"""The ballot services: who may run a ballot, recording votes and counts, ties, and closing."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import Ballot, Concern, Event, Priority, Vote
from priorities.services import ballots as services
from tests.priorities.factories import (
    ChairFactory,
    ConcernFactory,
    EventAttendanceFactory,
    MeetingFactory,
    PanelMemberFactory,
    PriorityFactory,
    ballot_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(ward_a, chair):
    return ballot_meeting(ward_a, chair_user=chair)


def _open(setup, chair, method=Ballot.Method.MEMBERS):
    ward = setup.meeting.wards.get()
    return services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward, method=method)


def _vote(ballot, chair, member, *indexes):
    options = list(ballot.options.order_by("pk"))
    return services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=[options[i] for i in indexes])


def test_ballot_open_offers_shortlisted_concerns_and_active_priorities(setup, chair, ward_a):
    current = PriorityFactory(ward=ward_a, slot=2, title="Speeding on the London Road")
    PriorityFactory(ward=ward_a, slot=1, status=Priority.Status.RESOLVED, ended_on=datetime.date(2026, 1, 1))
    ConcernFactory(ward=ward_a, status=Concern.Status.ACCEPTED)

    ballot = _open(setup, chair)

    titles = list(ballot.options.order_by("pk").values_list("title", flat=True))
    assert titles == [current.title] + ["Concern 1.", "Concern 2.", "Concern 3.", "Concern 4."]
    assert AuditEvent.objects.filter(action="priorities.ballot.opened", object_id=str(ballot.pk)).exists()


def test_ballot_open_refuses_chair_of_another_panel(setup, ward_b):
    other = ChairFactory(panel__wards=[ward_b]).user

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_CHAIR)):
        _open(setup, other)


def test_ballot_open_refuses_officer(setup, officer):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_CHAIR)):
        _open(setup, officer)


def test_ballot_open_from_the_meetings_start_before_it_is_recorded_held(setup, chair):
    Event.objects.filter(pk=setup.meeting.pk).update(status=Event.Status.SCHEDULED)
    setup.meeting.refresh_from_db()

    assert _open(setup, chair).meeting == setup.meeting


def test_ballot_open_refuses_meeting_not_started(setup, chair):
    start = timezone.now() + datetime.timedelta(minutes=5)
    Event.objects.filter(pk=setup.meeting.pk).update(
        status=Event.Status.SCHEDULED, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    setup.meeting.refresh_from_db()

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_STARTED)):
        _open(setup, chair)


@pytest.mark.parametrize("status", [Event.Status.CANCELLED, Event.Status.MOVED])
def test_ballot_open_refuses_meeting_cancelled_or_moved(setup, chair, status):
    Event.objects.filter(pk=setup.meeting.pk).update(status=status, cancellation_reason="Flooded")
    setup.meeting.refresh_from_db()

    with pytest.raises(PrioritiesError, match=str(services.ERROR_MEETING_OFF)):
        _open(setup, chair)


def test_ballot_open_refuses_second_ballot_at_the_meeting(setup, chair):
    _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_BALLOT_EXISTS)):
        _open(setup, chair)


def test_ballot_open_refuses_ward_the_panel_does_not_serve(setup, chair, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_CHAIR)):
        services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_b, method=Ballot.Method.MEMBERS)


def test_ballot_open_with_nothing_to_vote_on_is_refused(ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair, concerns=0)

    with pytest.raises(PrioritiesError, match="There is nothing to vote on"):
        _open(setup, chair)
    assert not Ballot.objects.exists()


def test_ballot_open_administrator_may_open_any_ward(setup, admin_user):
    assert _open(setup, admin_user).opened_by == admin_user


def test_vote_record_stores_one_row_with_ranked_choices(setup, chair):
    ballot = _open(setup, chair)

    vote = _vote(ballot, chair, setup.members[0], 2, 0, 1)

    assert [choice.rank for choice in vote.choices.all()] == [1, 2, 3]
    assert AuditEvent.objects.filter(action="priorities.vote.recorded", object_id=str(vote.pk)).exists()


def test_vote_record_second_vote_of_member_is_refused(setup, chair):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_ALREADY_VOTED)):
        _vote(ballot, chair, setup.members[0], 1)
    assert Vote.objects.count() == 1


def test_vote_record_by_non_member_is_refused(setup, chair):
    ballot = _open(setup, chair)
    stranger = PanelMemberFactory()
    EventAttendanceFactory(event=setup.meeting, member=stranger)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_MEMBER)):
        _vote(ballot, chair, stranger, 0)


def test_vote_record_by_member_not_present_is_refused(setup, chair):
    ballot = _open(setup, chair)
    absent = PanelMemberFactory(panel=setup.panel)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_PRESENT)):
        _vote(ballot, chair, absent, 0)


def test_vote_record_by_member_who_had_left_the_panel_is_refused(setup, chair):
    ballot = _open(setup, chair)
    left = PanelMemberFactory(panel=setup.panel, ended_on=datetime.date(2025, 2, 1))
    EventAttendanceFactory(event=setup.meeting, member=left)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ACTIVE_MEMBER)):
        _vote(ballot, chair, left, 0)


@pytest.mark.parametrize("indexes", [(), (0, 1, 2, 3)])
def test_vote_record_needs_one_to_three_choices(setup, chair, indexes):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CHOICE_COUNT)):
        _vote(ballot, chair, setup.members[0], *indexes)


def test_vote_record_refuses_repeated_option(setup, chair):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CHOICE_REPEATED)):
        _vote(ballot, chair, setup.members[0], 1, 1)


def test_vote_record_refuses_option_of_another_ballot(setup, chair, ward_b, admin_user):
    ballot = _open(setup, chair)
    other_setup = ballot_meeting(ward_b)
    other = services.ballot_open(actor=admin_user, meeting=other_setup.meeting, ward=ward_b, method="members")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CHOICE_NOT_IN_BALLOT)):
        services.ballot_vote_record(
            actor=chair, ballot=ballot, member=setup.members[0], options=[other.options.first()]
        )


def test_vote_record_on_show_of_hands_ballot_is_refused(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_WRONG_METHOD)):
        _vote(ballot, chair, setup.members[0], 0)


def test_vote_record_after_close_is_refused(setup, chair):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0)
    services.ballot_close(actor=chair, ballot=ballot)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CLOSED)):
        _vote(ballot, chair, setup.members[1], 0)
    assert Vote.objects.count() == 1


def test_vote_record_by_officer_is_refused(setup, chair, officer):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_CHAIR)):
        _vote(ballot, officer, setup.members[0], 0)


def _hands(ballot, chair, people, *counts):
    options = list(ballot.options.order_by("pk"))
    return services.ballot_hands_record(
        actor=chair, ballot=ballot, people_voting=people, counts={o.pk: c for o, c in zip(options, counts, strict=True)}
    )


def test_hands_record_and_close_adopt_by_counts(setup, chair, ward_a):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)
    _hands(ballot, chair, 12, 3, 9, 12, 5)

    services.ballot_close(actor=chair, ballot=ballot)

    titles = list(
        Priority.objects.filter(ward=ward_a, status="current").order_by("slot").values_list("title", flat=True)
    )
    assert titles == ["Concern 3.", "Concern 2.", "Concern 4."]
    ballot.refresh_from_db()
    assert ballot.people_voting == 12


def test_hands_record_again_while_open_replaces_counts_and_is_audited(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)
    _hands(ballot, chair, 10, 1, 2, 3, 4)

    _hands(ballot, chair, 11, 4, 3, 2, 1)

    assert list(ballot.options.order_by("pk").values_list("hands", flat=True)) == [4, 3, 2, 1]
    events = AuditEvent.objects.filter(action="priorities.ballot.hands_recorded").order_by("pk")
    assert events.count() == 2
    assert events.last().data["before"]["people_voting"] == 10


def test_hands_record_refuses_count_above_people_voting(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_HANDS_OVER)):
        _hands(ballot, chair, 5, 6, 0, 0, 0)


def test_hands_record_refuses_missing_count(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)
    first = ballot.options.order_by("pk").first()

    with pytest.raises(PrioritiesError, match=str(services.ERROR_HANDS_MISSING)):
        services.ballot_hands_record(actor=chair, ballot=ballot, people_voting=5, counts={first.pk: 1})


def test_hands_record_refuses_more_than_three_votes_each(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_HANDS_TOTAL)):
        _hands(ballot, chair, 2, 2, 2, 2, 1)


def test_hands_record_refuses_no_people(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_PEOPLE_VOTING)):
        _hands(ballot, chair, 0, 0, 0, 0, 0)


def _tie_for_third(setup, chair):
    """Votes of 3, 2, 1, 1 for the four concerns: options 3 and 4 tie for third place."""
    ballot = _open(setup, chair)
    member_1, member_2, member_3 = setup.members
    _vote(ballot, chair, member_1, 0, 1, 2)
    _vote(ballot, chair, member_2, 0, 1, 3)
    _vote(ballot, chair, member_3, 0)
    return ballot


def test_close_refused_while_tie_for_third_place_is_undecided(setup, chair):
    ballot = _tie_for_third(setup, chair)

    with pytest.raises(PrioritiesError) as refused:
        services.ballot_close(actor=chair, ballot=ballot)

    assert str(refused.value) == (
        "There is a tie for the third place between ‘Concern 3.’ and ‘Concern 4.’: "
        "record the chair's casting vote before closing the ballot"
    )
    assert not Priority.objects.exists()
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN


def test_casting_vote_decides_the_tie_and_close_adopts(setup, chair, ward_a):
    ballot = _tie_for_third(setup, chair)
    fourth = ballot.options.order_by("pk")[3]

    services.ballot_casting_vote(actor=chair, ballot=ballot, options=[fourth])
    services.ballot_close(actor=chair, ballot=ballot)

    ballot.refresh_from_db()
    assert ballot.casting_vote_by == chair
    fourth.refresh_from_db()
    assert (fourth.casting_vote, fourth.position, fourth.votes) == (True, 3, 1)
    assert list(Priority.objects.filter(ward=ward_a).order_by("slot").values_list("title", flat=True)) == [
        "Concern 1.",
        "Concern 2.",
        "Concern 4.",
    ]
    assert AuditEvent.objects.filter(action="priorities.ballot.casting_vote").exists()


def test_casting_vote_refused_without_a_tie(setup, chair):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0, 1, 2)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NO_TIE)):
        services.ballot_casting_vote(actor=chair, ballot=ballot, options=[ballot.options.first()])


def test_casting_vote_refuses_option_not_tied(setup, chair):
    ballot = _tie_for_third(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CASTING_NOT_TIED)):
        services.ballot_casting_vote(actor=chair, ballot=ballot, options=[ballot.options.order_by("pk")[0]])


def test_casting_vote_must_fill_exactly_the_disputed_places(setup, chair):
    ballot = _tie_for_third(setup, chair)
    options = list(ballot.options.order_by("pk"))

    with pytest.raises(PrioritiesError, match="Choose 1 of the tied options"):
        services.ballot_casting_vote(actor=chair, ballot=ballot, options=options[2:4])


def test_casting_vote_three_way_tie_for_two_places(ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair, members=4)
    ballot = _open(setup, chair)
    for member in setup.members[:3]:
        _vote(ballot, chair, member, 0)
    _vote(ballot, chair, setup.members[3], 1, 2, 3)
    options = list(ballot.options.order_by("pk"))

    with pytest.raises(PrioritiesError, match="tie for the second and third places"):
        services.ballot_close(actor=chair, ballot=ballot)
    services.ballot_casting_vote(actor=chair, ballot=ballot, options=[options[1], options[3]])
    services.ballot_close(actor=chair, ballot=ballot)

    positions = dict(ballot.options.values_list("pk", "position"))
    assert positions == {options[0].pk: 1, options[1].pk: 2, options[2].pk: None, options[3].pk: 3}


def test_close_with_fewer_than_three_voted_options_leaves_places_empty(setup, chair, ward_a):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 1)
    _vote(ballot, chair, setup.members[1], 1, 3)

    services.ballot_close(actor=chair, ballot=ballot)

    assert list(Priority.objects.filter(ward=ward_a).order_by("slot").values_list("slot", "title")) == [
        (1, "Concern 2."),
        (2, "Concern 4."),
    ]
    assert Concern.objects.filter(status=Concern.Status.ADOPTED).count() == 2


def test_close_before_any_vote_is_refused(setup, chair):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NO_VOTES)):
        services.ballot_close(actor=chair, ballot=ballot)


def test_close_twice_is_refused(setup, chair):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0)
    services.ballot_close(actor=chair, ballot=ballot)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CLOSED)):
        services.ballot_close(actor=chair, ballot=ballot)


def test_closed_ballot_refuses_hands_and_casting_vote(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)
    _hands(ballot, chair, 3, 3, 2, 1, 0)
    services.ballot_close(actor=chair, ballot=ballot)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CLOSED)):
        _hands(ballot, chair, 3, 0, 0, 0, 3)
    with pytest.raises(PrioritiesError, match=str(services.ERROR_CLOSED)):
        services.ballot_casting_vote(actor=chair, ballot=ballot, options=[])


def test_close_carries_over_winning_priorities_and_closes_the_others(ward_a, chair):
    kept = PriorityFactory(ward=ward_a, slot=1, title="Speeding")
    dropped = PriorityFactory(ward=ward_a, slot=3, title="Parking")
    setup = ballot_meeting(ward_a, chair_user=chair, concerns=2)
    ballot = _open(setup, chair)
    options = {option.title: option for option in ballot.options.all()}
    pick = [options["Speeding"], options["Concern 1."], options["Concern 2."]]
    for member in setup.members:
        services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=pick)

    services.ballot_close(actor=chair, ballot=ballot)

    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.status, kept.slot, kept.last_reviewed_at) == (Priority.Status.CURRENT, 1, setup.meeting)
    assert dropped.status == Priority.Status.CLOSED
    assert dropped.ended_at == setup.meeting
    day = timezone.localdate(setup.meeting.starts_at)
    assert dropped.ended_on == day
    assert dropped.outcome == f"Not re-selected at the PACT meeting on {day.day} {day:%B %Y}"
    new = Priority.objects.filter(ward=ward_a, status="current").exclude(pk=kept.pk).order_by("slot")
    assert [(p.slot, p.title, p.agreed_at, p.agreed_on) for p in new] == [
        (2, "Concern 1.", setup.meeting, day),
        (3, "Concern 2.", setup.meeting, day),
    ]
    assert AuditEvent.objects.filter(action="priorities.ballot.closed", object_id=str(ballot.pk)).exists()


def test_close_adopted_concern_keeps_category_and_link(setup, chair, ward_a):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0)

    services.ballot_close(actor=chair, ballot=ballot)

    priority = Priority.objects.get(ward=ward_a)
    assert priority.concern == setup.concerns[0]
    assert priority.category == setup.concerns[0].category
    setup.concerns[0].refresh_from_db()
    assert setup.concerns[0].status == Concern.Status.ADOPTED


def test_option_title_is_first_sentence_at_most_200_characters():
    assert services.option_title("Cars race at night. They are loud.") == "Cars race at night."
    long = services.option_title("x" * 300)
    assert len(long) == 200
    assert long.endswith("…")


def test_ballot_open_refuses_second_open_ballot_for_ward(ward_a, chair):
    first = ballot_meeting(ward_a, chair_user=chair)
    _open(first, chair)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    later = MeetingFactory(panel=first.panel, status=Event.Status.HELD, starts_at=yesterday)
    ConcernFactory(ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=later)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_BALLOT_OPEN_FOR_WARD)):
        services.ballot_open(actor=chair, meeting=later, ward=ward_a, method="members")


def test_ballot_option_remove_before_first_vote_is_audited(setup, chair):
    ballot = _open(setup, chair)
    option = ballot.options.order_by("pk").first()

    services.ballot_option_remove(actor=chair, ballot=ballot, option=option)

    assert not ballot.options.filter(pk=option.pk).exists()
    audit = AuditEvent.objects.get(action="priorities.ballot.option_removed")
    assert audit.data["before"]["title"] == option.title


def test_ballot_option_add_before_first_vote_shortlists_the_concern_for_the_meeting(setup, chair, ward_a):
    ballot = _open(setup, chair)
    concern = ConcernFactory(ward=ward_a, status=Concern.Status.ACCEPTED, description="Dog fouling. On the green.")

    option = services.ballot_option_add(actor=chair, ballot=ballot, concern=concern)

    concern.refresh_from_db()
    assert (option.title, option.ballot_id) == ("Dog fouling.", ballot.pk)
    assert (concern.status, concern.shortlisted_for_id) == (Concern.Status.SHORTLISTED, setup.meeting.pk)
    assert AuditEvent.objects.filter(action="priorities.ballot.option_added", object_id=str(ballot.pk)).exists()


def test_ballot_option_add_refuses_another_wards_concern_or_a_repeat(setup, chair, ward_a, ward_b):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_OPTION_NOT_ELIGIBLE)):
        services.ballot_option_add(actor=chair, ballot=ballot, concern=ConcernFactory(ward=ward_b, status="accepted"))
    with pytest.raises(PrioritiesError, match=str(services.ERROR_OPTION_ALREADY)):
        services.ballot_option_add(actor=chair, ballot=ballot, concern=setup.concerns[0])


def test_ballot_options_refused_after_the_first_vote(setup, chair, ward_a):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0)
    option = ballot.options.order_by("pk").last()

    with pytest.raises(PrioritiesError, match=str(services.ERROR_OPTIONS_AFTER_VOTE)):
        services.ballot_option_remove(actor=chair, ballot=ballot, option=option)
    with pytest.raises(PrioritiesError, match=str(services.ERROR_OPTIONS_AFTER_VOTE)):
        services.ballot_option_add(actor=chair, ballot=ballot, concern=ConcernFactory(ward=ward_a, status="accepted"))


def test_ballot_options_refused_after_a_show_of_hands_is_counted(setup, chair):
    ballot = _open(setup, chair, method=Ballot.Method.SHOW_OF_HANDS)
    services.ballot_hands_record(
        actor=chair, ballot=ballot, people_voting=3, counts={o.pk: 1 for o in ballot.options.all()}
    )

    with pytest.raises(PrioritiesError, match=str(services.ERROR_OPTIONS_AFTER_VOTE)):
        services.ballot_option_remove(actor=chair, ballot=ballot, option=ballot.options.first())


def test_ballot_option_remove_keeps_at_least_one(ward_a, chair):
    setup = ballot_meeting(ward_a, chair_user=chair, concerns=1)
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_LAST_OPTION)):
        services.ballot_option_remove(actor=chair, ballot=ballot, option=ballot.options.get())


def test_ballot_option_changes_refused_to_officer(setup, chair, officer):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_CHAIR)):
        services.ballot_option_remove(actor=officer, ballot=ballot, option=ballot.options.first())


def test_ballot_cancel_is_audited_and_a_new_ballot_can_open(setup, chair):
    ballot = _open(setup, chair)
    _vote(ballot, chair, setup.members[0], 0)

    services.ballot_cancel(actor=chair, ballot=ballot, reason="  Opened for the wrong ward  ")

    ballot.refresh_from_db()
    assert (ballot.status, ballot.cancellation_reason, ballot.cancelled_by) == (
        Ballot.Status.CANCELLED,
        "Opened for the wrong ward",
        chair,
    )
    audit = AuditEvent.objects.get(action="priorities.ballot.cancelled", object_id=str(ballot.pk))
    assert audit.data["after"] == {"status": "cancelled", "reason": "Opened for the wrong ward"}
    again = _open(setup, chair)
    assert again.pk != ballot.pk
    assert again.options.count() == ballot.options.count()


def test_ballot_cancel_needs_a_reason_and_an_open_ballot(setup, chair):
    ballot = _open(setup, chair)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_CANCEL_REASON)):
        services.ballot_cancel(actor=chair, ballot=ballot, reason="  ")
    services.ballot_cancel(actor=chair, ballot=ballot, reason="Wrong ward")
    with pytest.raises(PrioritiesError, match=str(services.ERROR_CLOSED)):
        services.ballot_cancel(actor=chair, ballot=ballot, reason="Again")


def test_a_concern_on_an_open_ballot_cannot_be_rejected_or_merged(setup, chair, ward_a):
    from priorities.services import concerns as concern_services

    ballot = _open(setup, chair)
    option = ballot.options.filter(concern__isnull=False).first()
    other = ConcernFactory(ward=ward_a, status=Concern.Status.ACCEPTED)

    with pytest.raises(PrioritiesError, match="option on an open ballot"):
        concern_services.concern_reject(actor=chair, concern=option.concern, reason="Not for the police")
    with pytest.raises(PrioritiesError, match="option on an open ballot"):
        concern_services.concern_merge(actor=chair, concern=option.concern, into=other)

    services.ballot_cancel(actor=chair, ballot=ballot, reason="Started in error")
    option.concern.refresh_from_db()
    assert concern_services.concern_reject(actor=chair, concern=option.concern, reason="Not for the police").status == (
        Concern.Status.REJECTED
    )
