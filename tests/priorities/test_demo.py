from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from priorities.models import Ballot, Category, Concern, ConcernEvent, Event, Panel, Priority
from tests.core.factories import UserFactory
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    call_command("import_categories", "--commit", stdout=StringIO())
    team = TeamFactory(name="Rochester and Chatham", slug="medway-rochester-and-chatham")
    # Fixed codes: the demo's votes are drawn from a seed that includes the ward code.
    for code, name in [("E05002161", "Chatham Central"), ("E05002162", "Rochester West")]:
        WardFactory(code=code, name=name, team=team, district=team.district)
    OfficerFactory.create_batch(3, team=team, rank="pc")
    return team


def _run() -> str:
    out = StringIO()
    call_command("create_demo_history", stdout=out)
    return out.getvalue()


def test_demo_history_gives_every_ward_a_closed_ballot_three_priorities_and_a_next_meeting(team):
    output = _run()

    assert "1 panel(s) created, 2 ballot(s) closed, 6 priorities adopted" in output
    panel = Panel.objects.get()
    assert set(panel.wards.all()) == set(team.wards.all())
    assert panel.members.filter(role="chair", ended_on__isnull=True).count() == 1
    for ward in team.wards.all():
        active = Priority.objects.filter(ward=ward, status__in=Priority.ACTIVE_STATUSES)
        # The three adopted; in some wards one is resolved since (demo concerns to follow).
        resolved = Priority.objects.filter(ward=ward, status=Priority.Status.RESOLVED).count()
        assert resolved <= 1
        assert active.count() + resolved == 3
        assert all(priority.lead_officer and priority.plan_priority for priority in active)
        # each has had two or three public actions since, so is in progress
        assert all(priority.progress.filter(visibility="public").count() >= 2 for priority in active)
        assert {priority.status for priority in active} == {Priority.Status.IN_PROGRESS}
        assert Ballot.objects.get(ward=ward).status == Ballot.Status.CLOSED
    held, upcoming = Event.objects.order_by("starts_at")
    assert held.status == Event.Status.HELD
    assert held.starts_at < timezone.now() < upcoming.starts_at
    assert upcoming.status == Event.Status.SCHEDULED


def test_demo_history_runs_once(team):
    _run()

    assert "0 panel(s) created" in _run()
    assert Priority.objects.count() == 6


def test_demo_history_makes_demo_chair_chair_of_the_first_panel(team):
    demo_chair = UserFactory(username="demo-chair", roles=["chair"])

    _run()

    assert Panel.objects.get().members.get(role="chair").user == demo_chair


def test_demo_partner_acts_for_the_first_councils_wards_and_can_send_information(client, team):
    from priorities.scopes import partner_ward_ids_for

    demo_partner = UserFactory(username="demo-partner", roles=["partner"])

    _run()
    _run()

    agency = demo_partner.partner.agency
    assert agency.name == f"{team.district.name} Council"
    assert set(partner_ward_ids_for(demo_partner)) == set(team.wards.values_list("pk", flat=True))
    client.force_login(demo_partner)
    assert client.get(reverse("priorities:partner_information_new")).status_code == 200


def test_demo_history_needs_teams_first():
    assert not Category.objects.exists()

    with pytest.raises(CommandError, match="run setup_pact first"):
        _run()


def test_demo_history_is_dated_and_signed_as_the_meeting(team):
    _run()

    meeting = Event.objects.get(status=Event.Status.HELD)
    chair = Panel.objects.get().members.get(role="chair").user
    ballots = list(Ballot.objects.all())
    assert {ballot.closed_at for ballot in ballots} == {meeting.ends_at}
    # These wards' votes tie for third place; the chair, not the loader, settles it.
    assert {ballot.casting_vote_by for ballot in ballots} == {chair}


def test_demo_history_publishes_an_agenda_for_every_upcoming_meeting_once(client, team):
    output = _run()

    assert "Demo agendas: 1 published." in output
    upcoming = Event.objects.get(status=Event.Status.SCHEDULED)
    assert upcoming.agenda.matters_arising.startswith("Actions from the meeting of")
    assert upcoming.shortlist.filter(status="shortlisted").count() == 4
    content = client.get(reverse("priorities:event_detail", args=[upcoming.uid])).content.decode()
    assert reverse("priorities:meeting_support", args=[upcoming.uid]) in content
    assert "Demo agendas: 0 published." in _run()


def test_demo_concerns_to_follow_are_in_every_state_with_status_pages_and_answers(client, team):
    _run()

    wards = set(team.wards.values_list("pk", flat=True))
    for ward in wards:
        online = Concern.objects.filter(ward=ward, source=Concern.Source.ONLINE)
        assert sorted(online.values_list("status", flat=True)) == ["accepted", "merged", "received", "rejected"]
    kinds = set(ConcernEvent.objects.values_list("kind", flat=True))
    assert {"received", "accepted", "shortlisted", "adopted", "not_chosen", "merged", "rejected"} <= kinds
    assert "resolved" in kinds
    answers = Feedback.objects.filter(kind=Feedback.Kind.SATISFACTION)
    assert answers.exists()
    for concern in Concern.objects.all():
        assert client.get(reverse("priorities:concern_status", args=[concern.follow_code])).status_code == 200
    count = Concern.objects.count()
    assert "0 raised online" in _run()
    assert Concern.objects.count() == count
    assert Feedback.objects.filter(kind=Feedback.Kind.SATISFACTION).count() == answers.count()
