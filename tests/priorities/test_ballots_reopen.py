"""Reopening a closed ballot: the chair and a supervisor together, audited, public; what happens
to the priorities the close adopted and closed; closing again."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, OutboundEmail
from priorities.errors import PrioritiesError
from priorities.models import Ballot, BallotReopening, Concern, ConcernEvent, Priority
from priorities.services import ballot_reopening as reopening
from priorities.services import ballots as services
from priorities.services.priorities import priority_update
from tests.core.factories import UserFactory
from tests.priorities.factories import PriorityFactory, ProgressEntryFactory, ballot_meeting
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db

REASON = "Member 3's vote was written on the wrong sheet"


@pytest.fixture
def setup(ward_a, chair):
    return ballot_meeting(ward_a, chair_user=chair)


@pytest.fixture
def kept_and_lost(ward_a):
    """Two current priorities up for review: one the panel keeps, one it drops."""
    return (
        PriorityFactory(ward=ward_a, slot=1, title="Kept priority"),
        PriorityFactory(ward=ward_a, slot=2, title="Dropped priority"),
    )


def _options(ballot) -> dict[str, object]:
    return {option.title: option for option in ballot.options.all()}


@pytest.fixture
def closed(setup, chair, ward_a, kept_and_lost):
    """Closed: the kept priority and Concern 1 and Concern 2 win; the dropped priority is closed."""
    ballot = services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    options = _options(ballot)
    choice = [options["Kept priority"], options["Concern 1."], options["Concern 2."]]
    for member in setup.members[:2]:
        services.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=choice)
    return services.ballot_close(actor=chair, ballot=ballot)


def test_reopen_needs_the_chair_and_a_supervisor_and_is_audited(closed, chair, sergeant, ward_a, kept_and_lost):
    kept, dropped = kept_and_lost
    adopted = list(Priority.objects.filter(ward=ward_a, agreed_at=closed.meeting, status="current"))
    assert len(adopted) == 2

    request = reopening.ballot_reopen_request(actor=chair, ballot=closed, reason=REASON)
    closed.refresh_from_db()
    assert closed.status == Ballot.Status.CLOSED  # asking alone changes nothing
    assert request.requested_side == BallotReopening.Side.CHAIR

    reopening.ballot_reopen_confirm(actor=sergeant, ballot=closed)

    closed.refresh_from_db()
    assert closed.status == Ballot.Status.OPEN
    assert closed.closed_at is None
    assert closed.options.filter(position__isnull=False).count() == 0
    assert closed.votes.count() == 2  # the votes recorded stay
    # The adopted priorities are set aside, kept in history with the reason; their concerns are
    # shortlisted for the meeting again; the priority the close dropped is back in its place.
    for priority in adopted:
        priority.refresh_from_db()
        assert priority.status == Priority.Status.CLOSED
        assert priority.ended_on is not None
        assert priority.outcome.startswith("Set aside on ")
        assert REASON in priority.outcome
        assert priority.concern.status == Concern.Status.SHORTLISTED
        assert priority.concern.shortlisted_for_id == closed.meeting_id
    dropped.refresh_from_db()
    assert (dropped.status, dropped.ended_on, dropped.outcome) == (Priority.Status.CURRENT, None, "")
    assert set(Priority.objects.filter(ward=ward_a, status="current")) == {kept, dropped}
    actions = list(AuditEvent.objects.filter(object_id=str(closed.pk)).values_list("action", "actor"))
    assert ("priorities.ballot.reopen_requested", chair.pk) in actions
    assert ("priorities.ballot.reopened", sergeant.pk) in actions
    confirmed = AuditEvent.objects.get(action="priorities.ballot.reopened")
    assert confirmed.data["after"]["reason"] == REASON
    assert sorted(confirmed.data["after"]["set_aside"]) == sorted(p.pk for p in adopted)
    assert confirmed.data["after"]["reinstated"] == [dropped.pk]


def test_a_supervisor_may_ask_and_the_chair_confirm(closed, chair, sergeant):
    reopening.ballot_reopen_request(actor=sergeant, ballot=closed, reason=REASON)

    reopening.ballot_reopen_confirm(actor=chair, ballot=closed)

    closed.refresh_from_db()
    assert closed.status == Ballot.Status.OPEN


def test_the_same_side_cannot_confirm(closed, chair, sergeant, ward_a):
    other_sergeant = UserFactory(username="inspector", roles=["officer"])
    OfficerFactory(team=ward_a.team, rank="inspector", user=other_sergeant)
    reopening.ballot_reopen_request(actor=sergeant, ballot=closed, reason=REASON)

    for actor in (sergeant, other_sergeant):
        with pytest.raises(PrioritiesError, match="must be confirmed by the other side"):
            reopening.ballot_reopen_confirm(actor=actor, ballot=closed)
    closed.refresh_from_db()
    assert closed.status == Ballot.Status.CLOSED


def test_others_cannot_ask_or_confirm(closed, officer, other_officer, admin_user, chair):
    # A constable of the team, another team's officer, an administrator: none is a side.
    for actor in (officer, other_officer, admin_user):
        with pytest.raises(PrioritiesError, match="Only the chair"):
            reopening.ballot_reopen_request(actor=actor, ballot=closed, reason=REASON)
    reopening.ballot_reopen_request(actor=chair, ballot=closed, reason=REASON)
    with pytest.raises(PrioritiesError, match="Only the chair"):
        reopening.ballot_reopen_confirm(actor=admin_user, ballot=closed)


def test_a_reason_is_required_and_one_request_waits_at_a_time(closed, chair, sergeant):
    with pytest.raises(PrioritiesError, match="Enter the reason"):
        reopening.ballot_reopen_request(actor=chair, ballot=closed, reason="   ")
    reopening.ballot_reopen_request(actor=chair, ballot=closed, reason=REASON)

    with pytest.raises(PrioritiesError, match="already been asked for"):
        reopening.ballot_reopen_request(actor=sergeant, ballot=closed, reason="Another reason")


def test_a_withdrawn_request_leaves_the_ballot_closed_and_cannot_be_confirmed(closed, chair, sergeant):
    reopening.ballot_reopen_request(actor=chair, ballot=closed, reason=REASON)
    reopening.ballot_reopen_withdraw(actor=sergeant, ballot=closed)  # the other side declines

    with pytest.raises(PrioritiesError, match="Nobody has asked"):
        reopening.ballot_reopen_confirm(actor=sergeant, ballot=closed)
    closed.refresh_from_db()
    assert closed.status == Ballot.Status.CLOSED
    assert AuditEvent.objects.filter(action="priorities.ballot.reopen_withdrawn", actor=sergeant).exists()


def test_only_a_closed_ballot_and_the_wards_latest_can_be_reopened(setup, chair, ward_a):
    ballot = services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)

    with pytest.raises(PrioritiesError, match="Only a closed ballot"):
        reopening.ballot_reopen_request(actor=chair, ballot=ballot, reason=REASON)


def test_the_request_emails_the_other_side(closed, chair, sergeant):
    reopening.ballot_reopen_request(actor=chair, ballot=closed, reason=REASON)

    email = OutboundEmail.objects.get()
    assert email.to == sergeant.email
    assert REASON in email.body_text
    assert reverse("priorities:staff_ballot_reopen", args=[closed.pk]) in email.body_text


def test_closing_again_brings_back_a_set_aside_priority_chosen_again(closed, chair, sergeant, ward_a, setup):
    first = Priority.objects.get(ward=ward_a, agreed_at=closed.meeting, concern=setup.concerns[0])
    lead = OfficerFactory(team=ward_a.team)
    priority_update(
        actor=chair,
        priority=first,
        title="Speeding on Station Road",
        lead_officer=lead,
        partners=[],
        plan_priority=None,
    )
    ProgressEntryFactory(priority=first)
    reopening.ballot_reopen_request(actor=chair, ballot=closed, reason=REASON)
    reopening.ballot_reopen_confirm(actor=sergeant, ballot=closed)
    options = _options(closed)
    # The third member's vote, missed the first time, and two late members' put Concern 3 in the
    # place of Concern 2.
    services.ballot_vote_record(
        actor=chair,
        ballot=closed,
        member=setup.members[2],
        options=[options["Concern 1."], options["Concern 3."], options["Kept priority"]],
    )
    for number in (4, 5):
        member = _extra_member(setup, number)
        services.ballot_vote_record(actor=chair, ballot=closed, member=member, options=[options["Concern 3."]])

    services.ballot_close(actor=chair, ballot=closed)

    first.refresh_from_db()
    assert (first.status, first.title, first.lead_officer) == (
        Priority.Status.CURRENT,
        "Speeding on Station Road",
        lead,
    )
    assert first.progress.count() == 1
    active = Priority.objects.filter(ward=ward_a, status__in=Priority.ACTIVE_STATUSES)
    assert sorted(p.title for p in active) == ["Concern 3.", "Kept priority", "Speeding on Station Road"]
    # The concern heard it was adopted once; Concern 2's set-aside priority stays in history.
    assert ConcernEvent.objects.filter(concern=setup.concerns[0], kind="adopted").count() == 1
    second = Priority.objects.get(concern=setup.concerns[1])
    assert second.status == Priority.Status.CLOSED
    assert second.outcome.startswith("Set aside")


def _extra_member(setup, number):
    from tests.priorities.factories import EventAttendanceFactory, PanelMemberFactory

    member = PanelMemberFactory(panel=setup.panel, name=f"Member {number}")
    EventAttendanceFactory(event=setup.meeting, member=member)
    return member


def test_adopted_priority_keeps_the_residents_words_as_its_description(closed, setup):
    priority = Priority.objects.get(concern=setup.concerns[0])

    assert priority.description == setup.concerns[0].description
    assert priority.title == "Concern 1."


# The pages


def _messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def test_reopen_through_the_pages_and_the_public_result_shows_it(client, closed, chair, sergeant):
    url = reverse("priorities:staff_ballot_reopen", args=[closed.pk])
    client.force_login(chair)
    assert "Ask to reopen the ballot" in client.get(url).content.decode()

    response = client.post(url, {"action": "request", "reason": REASON})
    assert _messages(response) == ["Reopening asked for: it waits for the other side to confirm"]
    content = client.get(url).content.decode()
    assert "Withdraw the request" in content
    assert "Confirm and reopen" not in content

    client.force_login(sergeant)
    assert "Confirm and reopen the ballot" in client.get(url).content.decode()
    response = client.post(url, {"action": "confirm"})
    assert _messages(response) == ["Ballot reopened: the ward's priorities are as they were before it closed"]
    assert response.url == url  # the sergeant does not run the ballot: back to this page
    client.force_login(chair)
    staff_page = client.get(reverse("priorities:staff_ballot", args=[closed.pk])).content.decode()
    assert "This ballot was reopened" in staff_page
    assert "Record a member's vote" in staff_page  # open again: the missed vote can be added

    public = client.get(reverse("priorities:ballot_result", args=[closed.pk])).content.decode()
    assert "This ballot was reopened" in public
    assert "asked by the chair, Pat Okafor, confirmed by Sergeant" in public
    assert REASON.replace("'", "&#x27;") in public


def test_reopen_page_without_reason_shows_the_error(client, closed, chair):
    client.force_login(chair)

    response = client.post(reverse("priorities:staff_ballot_reopen", args=[closed.pk]), {"action": "request"})

    content = response.content.decode()
    assert "<title>Error: Reopen the ballot" in content
    assert "Enter the reason the ballot is reopened" in content
    assert not BallotReopening.objects.exists()


def test_reopen_page_hides_the_ballot_from_a_constable_and_other_teams(client, closed, officer, other_officer):
    for user in (officer, other_officer):
        client.force_login(user)
        assert client.get(reverse("priorities:staff_ballot_reopen", args=[closed.pk])).status_code == 404
