"""Adopting a ballot's new priorities: a short title, the resident's words kept, a lead officer
from the team (or left for the sergeant), the plan priority and partners working in the ward."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from priorities.models import Ballot, Priority
from priorities.services import ballots as services
from tests.priorities.factories import PartnerAgencyFactory, PlanPriorityFactory, PriorityFactory, ballot_meeting
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(ward_a, chair):
    return ballot_meeting(ward_a, chair_user=chair)


@pytest.fixture
def closed(setup, chair, ward_a):
    """Closed with Concern 1 and Concern 2 adopted."""
    ballot = services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    options = list(ballot.options.order_by("pk"))
    services.ballot_vote_record(actor=chair, ballot=ballot, member=setup.members[0], options=options[:2])
    return ballot


def _close(client, ballot):
    return client.post(reverse("priorities:staff_ballot_close", args=[ballot.pk]))


def _adopted(ward) -> list[Priority]:
    return list(Priority.objects.filter(ward=ward, status="current").order_by("slot"))


def test_closing_leads_the_chair_to_name_the_new_priorities(client, chair, closed, ward_a):
    client.force_login(chair)

    response = _close(client, closed)

    assert response.url == reverse("priorities:staff_ballot_adopt", args=[closed.pk])
    content = client.get(response.url).content.decode()
    assert "Name the new priorities" in content
    for priority in _adopted(ward_a):
        assert priority.concern.description in content  # the resident's words, shown as they were
        assert f'name="p{priority.pk}-title"' in content
    assert "reminded each week" in content


def test_chair_gives_a_short_title_lead_plan_priority_and_partners(client, chair, closed, ward_a):
    client.force_login(chair)
    _close(client, closed)
    first, second = _adopted(ward_a)
    lead = OfficerFactory(team=ward_a.team, last_name="Adeyemi")
    plan = PlanPriorityFactory(name="Tackling violence against women and girls")
    agency = PartnerAgencyFactory(name="Medway Council")
    agency.wards.add(ward_a)
    url = reverse("priorities:staff_ballot_adopt", args=[closed.pk])

    response = client.post(
        url,
        {
            "priority": first.pk,
            f"p{first.pk}-title": "Speeding by the shops",
            f"p{first.pk}-lead_officer": lead.pk,
            f"p{first.pk}-plan_priority": plan.pk,
            f"p{first.pk}-partners": [agency.pk],
        },
    )

    assert response.url == f"{url}#priority-{first.pk}"
    first.refresh_from_db()
    assert first.title == "Speeding by the shops"
    assert first.description == first.concern.description
    assert (first.lead_officer, first.plan_priority) == (lead, plan)
    assert list(first.partners.all()) == [agency]
    assert AuditEvent.objects.filter(action="priorities.priority.updated", actor=chair).count() == 1
    second.refresh_from_db()
    assert second.title == "Concern 2."
    assert second.lead_officer is None


def test_an_error_keeps_what_was_typed_and_names_the_problem(client, chair, closed, ward_a):
    client.force_login(chair)
    _close(client, closed)
    first, second = _adopted(ward_a)
    elsewhere = PartnerAgencyFactory(name="Kent Fire and Rescue")  # works in no ward of ours

    response = client.post(
        reverse("priorities:staff_ballot_adopt", args=[closed.pk]),
        {"priority": second.pk, f"p{second.pk}-title": "", f"p{second.pk}-partners": [elsewhere.pk]},
    )

    content = response.content.decode()
    assert "<title>Error: Name the new priorities" in content
    assert "Enter a short title for the priority" in content
    second.refresh_from_db()
    assert second.title == "Concern 2."


def test_a_lead_no_longer_there_keeps_the_typed_title(client, chair, closed, ward_a):
    client.force_login(chair)
    _close(client, closed)
    first = _adopted(ward_a)[0]

    response = client.post(
        reverse("priorities:staff_ballot_adopt", args=[closed.pk]),
        {"priority": first.pk, f"p{first.pk}-title": "Speeding by the shops", f"p{first.pk}-lead_officer": "999999"},
    )

    content = response.content.decode()
    assert 'value="Speeding by the shops"' in content
    assert "That choice is no longer available" in content


def test_the_sergeant_names_the_lead_afterwards(client, chair, sergeant, closed, ward_a):
    client.force_login(chair)
    _close(client, closed)
    first = _adopted(ward_a)[0]
    client.force_login(sergeant)

    response = client.post(
        reverse("priorities:staff_ballot_adopt", args=[closed.pk]),
        {"priority": first.pk, f"p{first.pk}-title": first.title, f"p{first.pk}-lead_officer": sergeant.officer.pk},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.lead_officer == sergeant.officer


def test_a_lead_from_another_team_is_not_offered(client, chair, closed, ward_a, other_officer):
    client.force_login(chair)
    _close(client, closed)
    first = _adopted(ward_a)[0]

    response = client.post(
        reverse("priorities:staff_ballot_adopt", args=[closed.pk]),
        {"priority": first.pk, f"p{first.pk}-title": "Speeding", f"p{first.pk}-lead_officer": other_officer.officer.pk},
    )

    assert "That choice is no longer available" in response.content.decode()
    first.refresh_from_db()
    assert first.lead_officer is None


def test_a_kept_priority_is_not_renamed_here(client, chair, ward_a, setup):
    kept = PriorityFactory(ward=ward_a, slot=1, title="Kept priority")
    ballot = services.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.MEMBERS)
    option = ballot.options.get(priority=kept)
    services.ballot_vote_record(actor=chair, ballot=ballot, member=setup.members[0], options=[option])
    client.force_login(chair)

    response = _close(client, ballot)

    assert response.url == reverse("priorities:staff_ballot", args=[ballot.pk])
    content = client.get(reverse("priorities:staff_ballot_adopt", args=[ballot.pk])).content.decode()
    assert "This ballot adopted no new priority" in content
    response = client.post(
        reverse("priorities:staff_ballot_adopt", args=[ballot.pk]), {"priority": kept.pk, f"p{kept.pk}-title": "X"}
    )
    kept.refresh_from_db()
    assert kept.title == "Kept priority"


def test_adoption_page_runs_fixed_queries(client, chair, closed, ward_a, django_assert_max_num_queries):
    client.force_login(chair)
    _close(client, closed)

    # Each of the (at most three) forms lists the team's officers, the ward's partners and the plan
    # priorities: a bounded number of queries, whatever the size of the team.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("priorities:staff_ballot_adopt", args=[closed.pk]))
    assert response.status_code == 200


def test_partners_are_asked_for_only_where_an_agency_works_in_the_ward(client, chair, closed, ward_a, ward_b):
    client.force_login(chair)
    _close(client, closed)
    url = reverse("priorities:staff_ballot_adopt", args=[closed.pk])
    assert "Partner agencies working on it" not in client.get(url).content.decode()

    PartnerAgencyFactory(name="Kent Fire and Rescue").wards.add(ward_b)
    PartnerAgencyFactory(name="Medway Council").wards.add(ward_a)
    content = client.get(url).content.decode()

    assert "Partner agencies working on it" in content
    assert "Medway Council" in content
    assert "Kent Fire and Rescue" not in content


def test_the_public_result_names_the_new_priorities_and_their_leads(client, chair, closed, ward_a):
    client.force_login(chair)
    _close(client, closed)
    first = _adopted(ward_a)[0]
    lead = OfficerFactory(team=ward_a.team, first_name="Dana", last_name="Adeyemi", rank="pc")
    client.post(
        reverse("priorities:staff_ballot_adopt", args=[closed.pk]),
        {"priority": first.pk, f"p{first.pk}-title": "Speeding by the shops", f"p{first.pk}-lead_officer": lead.pk},
    )
    client.logout()

    content = client.get(reverse("priorities:ballot_result", args=[closed.pk])).content.decode()

    assert "The new priorities" in content
    assert "Speeding by the shops</a>,\n          led by Police Constable Dana Adeyemi" in content
    assert "Concern 2.</a>,\n          lead officer not yet named" in content


def test_the_sergeant_finds_the_way_to_reopen_from_the_adoption_page(client, chair, sergeant, officer, closed):
    client.force_login(chair)
    _close(client, closed)
    reopen = reverse("priorities:staff_ballot_reopen", args=[closed.pk])
    url = reverse("priorities:staff_ballot_adopt", args=[closed.pk])

    client.force_login(sergeant)
    assert reopen in client.get(url).content.decode()
    client.force_login(officer)  # a constable of the team names leads but is no side of a reopening
    assert reopen not in client.get(url).content.decode()
