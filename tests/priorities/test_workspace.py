import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from priorities.models import Ballot, Concern, Event, PanelMember
from tests.priorities.factories import (
    ConcernFactory,
    EventFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db

STAFF_HOME = reverse("staff:home")


def test_workspace_shows_officer_their_wards_work_only(client, officer, ward_a, ward_b):
    ConcernFactory.create_batch(2, ward=ward_a)
    ConcernFactory(ward=ward_b)
    EventFactory(wards=[ward_a], title="Surgery at the library")
    EventFactory(wards=[ward_b], title="Surgery elsewhere")
    PriorityFactory(ward=ward_a)
    client.force_login(officer)

    content = client.get(STAFF_HOME).content.decode()

    assert "2 concerns awaiting moderation" in content
    assert "Surgery at the library" in content
    assert "Surgery elsewhere" not in content
    assert ward_a.name in content
    assert ward_b.name not in content
    assert "1 of 3" in content


def test_workspace_shows_chair_open_ballots_and_meetings_to_record(client, chair, ward_a, admin_user):
    panel = PanelFactory(wards=[ward_a])
    PanelMemberFactory(panel=panel, user=chair, role=PanelMember.Role.CHAIR)
    started = timezone.now() - datetime.timedelta(hours=3)
    unrecorded = MeetingFactory(panel=panel, title="October PACT meeting", starts_at=started)
    held = MeetingFactory(panel=panel, title="September PACT meeting", status=Event.Status.HELD, starts_at=started)
    Ballot.objects.create(meeting=held, ward=ward_a, method=Ballot.Method.MEMBERS, opened_by=admin_user)
    client.force_login(chair)

    content = client.get(STAFF_HOME).content.decode()

    assert f'href="{reverse("priorities:staff_event_held", args=[unrecorded.pk])}"' in content
    assert f"{ward_a.name}: September PACT meeting" in content


@pytest.mark.parametrize("rows", [3, 30])
def test_workspace_runs_fixed_queries(client, django_assert_num_queries, officer, ward_a, rows):
    for number in range(rows):
        EventFactory(wards=[ward_a], title=f"Surgery {number}")
        ConcernFactory(ward=ward_a, status=Concern.Status.RECEIVED)
    client.force_login(officer)
    client.get(STAFF_HOME)

    # 1 session, 2 user, 3 roles, 4 officer record, 5 their team, 6 the team's ward ids, 7 wards
    # with counts, 8 upcoming events, 9 their wards (prefetch), 10 concerns to moderate, 11 open
    # ballots, 12 meetings to record (none, so no prefetch), 13 meetings within a week with no
    # agenda, 14 active priorities of the wards with their last progress date, 15 the crime
    # months held (none here: see tests/wards/test_crime_pages.py for the ranking with figures);
    # partner information (tests/priorities/test_evidence.py): 16 the team's ward ids, 17 new
    # reports, 18 residents' logs, 19 reports and 20 log entries by ward and category; what is
    # new for the officer: 21 the team's ward ids (feedback asks through core.scopes), 22 new feedback
    with django_assert_num_queries(22):
        response = client.get(STAFF_HOME)

    assert response.status_code == 200
