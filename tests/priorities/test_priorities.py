"""Priorities once adopted: editing and resolving them, their public page, the archive, the ward page."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import Priority
from priorities.services import priorities as services
from tests.priorities.factories import (
    ChairFactory,
    PartnerAgencyFactory,
    PlanPriorityFactory,
    PriorityFactory,
    ballot_meeting,
)
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(ward_a):
    return PriorityFactory(ward=ward_a, slot=1, title="Speeding on the London Road")


def _update(actor, priority, **changes):
    values = {"title": priority.title, "lead_officer": None, "partners": [], "plan_priority": None, **changes}
    return services.priority_update(actor=actor, priority=priority, **values)


def test_priority_update_sets_lead_partners_and_plan_and_audits(officer, priority, ward_a):
    lead = OfficerFactory(team=ward_a.team, rank="sergeant")
    council = PartnerAgencyFactory(name="Maidstone Borough Council")
    council.wards.add(ward_a)
    plan = PlanPriorityFactory()

    _update(
        officer, priority, title="Speeding  on London Road", lead_officer=lead, partners=[council], plan_priority=plan
    )

    priority.refresh_from_db()
    assert (priority.title, priority.lead_officer, priority.plan_priority) == ("Speeding on London Road", lead, plan)
    assert list(priority.partners.all()) == [council]
    event = AuditEvent.objects.get(action="priorities.priority.updated")
    assert event.data["before"]["lead_officer"] is None
    assert event.data["after"]["lead_officer"] == lead.pk


def test_priority_update_refuses_lead_officer_of_another_team(officer, priority, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_LEAD_NOT_IN_TEAM)):
        _update(officer, priority, lead_officer=OfficerFactory(team=ward_b.team))


def test_priority_update_refuses_officer_of_another_ward(other_officer, priority):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        _update(other_officer, priority)


def test_priority_update_refuses_retired_plan_priority(officer, priority):
    retired = PlanPriorityFactory(name="Old aim", is_active=False)

    with pytest.raises(PrioritiesError, match=str(services.ERROR_PLAN_INACTIVE)):
        _update(officer, priority, plan_priority=retired)


def test_priority_resolve_frees_the_slot_and_audits(chair, ward_a, priority):
    ChairFactory(user=chair, panel__wards=[ward_a])

    services.priority_resolve(actor=chair, priority=priority, outcome="Speed cameras installed.")

    priority.refresh_from_db()
    assert priority.status == Priority.Status.RESOLVED
    assert priority.ended_on is not None
    PriorityFactory(ward=ward_a, slot=1)
    assert AuditEvent.objects.filter(action="priorities.priority.resolved", actor=chair).exists()


def test_priority_resolve_twice_is_refused(officer, priority):
    services.priority_resolve(actor=officer, priority=priority, outcome="Done.")

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ACTIVE)):
        services.priority_resolve(actor=officer, priority=priority, outcome="Again.")


def test_priority_resolve_needs_outcome(officer, priority):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_OUTCOME_REQUIRED)):
        services.priority_resolve(actor=officer, priority=priority, outcome="  ")


# Staff pages


def _staff_urls(priority) -> list[str]:
    return [
        reverse("priorities:staff_priority_edit", args=[priority.pk]),
        reverse("priorities:staff_priority_resolve", args=[priority.pk]),
    ]


@pytest.mark.parametrize("persona", ["outsider", "partner"])
def test_priority_staff_views_refuse_other_roles(client, request, priority, persona):
    client.force_login(request.getfixturevalue(persona))

    for url in _staff_urls(priority):
        assert client.get(url).status_code == 403
        assert client.post(url, {"outcome": "x", "title": "x"}).status_code == 403


@pytest.mark.parametrize("persona", ["other_officer", "chair"])
def test_priority_staff_views_hide_priority_of_another_ward(client, request, priority, ward_b, persona):
    user = request.getfixturevalue(persona)
    if persona == "chair":
        ChairFactory(user=user, panel__wards=[ward_b])
    client.force_login(user)

    for url in _staff_urls(priority):
        assert client.get(url).status_code == 404
        assert client.post(url, {"outcome": "x", "title": "x"}).status_code == 404
    priority.refresh_from_db()
    assert priority.is_active


def test_priority_edit_page_saves_with_message(client, officer, priority, ward_a):
    lead = OfficerFactory(team=ward_a.team, first_name="Alex", last_name="Morgan", rank="sergeant")
    client.force_login(officer)
    url = reverse("priorities:staff_priority_edit", args=[priority.pk])
    assert "Sergeant Alex Morgan" in client.get(url).content.decode()

    response = client.post(url, {"title": "Speeding", "lead_officer": lead.pk})

    assert response.url == reverse("priorities:priority_detail", args=[priority.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Priority updated"]
    priority.refresh_from_db()
    assert priority.lead_officer == lead


def test_priority_edit_page_without_title_shows_error(client, officer, priority):
    client.force_login(officer)

    response = client.post(reverse("priorities:staff_priority_edit", args=[priority.pk]), {"title": ""})

    content = response.content.decode()
    assert "<title>Error: Edit priority" in content
    assert "Enter the priority as the panel agreed it" in content


def test_priority_resolve_page_resolves_with_message(client, officer, priority):
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_priority_resolve", args=[priority.pk]), {"outcome": "Cameras installed."}
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Priority marked as resolved"]
    priority.refresh_from_db()
    assert priority.status == Priority.Status.RESOLVED


# Public pages


def test_priority_page_shows_details_without_personal_data(client, priority, ward_a):
    lead = OfficerFactory(team=ward_a.team, rank="pc", first_name="Sam", last_name="Patel", email="sam@x.invalid")
    priority.lead_officer = lead
    priority.plan_priority = PlanPriorityFactory()
    priority.save()
    priority.partners.add(PartnerAgencyFactory(name="Kent Fire and Rescue"), PartnerAgencyFactory(name="Council"))

    content = client.get(reverse("priorities:priority_detail", args=[priority.pk])).content.decode()

    assert "Speeding on the London Road" in content
    assert "Police Constable Sam Patel" in content
    assert "sam@x.invalid" not in content
    assert "Kent Fire and Rescue" in content
    assert "Prevent crime and anti-social behaviour" in content
    assert "1 October 2026 at" in content


def test_priority_page_runs_fixed_queries(client, django_assert_num_queries, priority):
    for n in range(3):
        priority.partners.add(PartnerAgencyFactory(name=f"Agency {n}"))

    # 1 the priority with ward, category, plan priority, meeting, lead officer, 2 its partners,
    # 3 its public progress entries with their officer and agency
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:priority_detail", args=[priority.pk]))

    assert response.status_code == 200


def test_priority_page_unknown_is_404(client):
    assert client.get(reverse("priorities:priority_detail", args=[999999])).status_code == 404


def _past(ward, count):
    for n in range(count):
        PriorityFactory(
            ward=ward,
            title=f"Past {n}",
            status=Priority.Status.CLOSED,
            ended_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            outcome=f"Outcome {n}",
        )


@pytest.mark.parametrize("count", [3, 30])
def test_ward_priorities_archive_runs_fixed_queries(client, django_assert_num_queries, ward_a, count):
    _past(ward_a, count)
    PriorityFactory(ward=ward_a, title="Still current")

    # 1 the ward with district, 2 the count of past priorities, 3 one page of them with categories
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:ward_priorities", args=[ward_a.code]))

    content = response.content.decode()
    assert content.count('class="govuk-table__row pact-past-priority"') == min(count, 20)
    assert "Still current" not in content
    assert ("Pages of results" in content) == (count > 20)


def test_ward_priorities_archive_shows_outcomes_latest_first(client, ward_a):
    _past(ward_a, 3)

    content = client.get(reverse("priorities:ward_priorities", args=[ward_a.code])).content.decode()

    assert content.index("Outcome 2") < content.index("Outcome 0")


def test_ward_priorities_archive_empty_state(client, ward_a):
    content = client.get(reverse("priorities:ward_priorities", args=[ward_a.code])).content.decode()

    assert "has no past priorities yet" in content


def test_ward_priorities_archive_unknown_ward_is_404(client):
    assert client.get("/wards/E05999999/priorities/").status_code == 404


def test_ward_page_shows_current_priorities_and_links(client, ward_a, chair):
    from priorities.services import ballots

    setup = ballot_meeting(ward_a, chair_user=chair)
    ballot = ballots.ballot_open(actor=chair, meeting=setup.meeting, ward=ward_a, method="members")
    options = list(ballot.options.order_by("pk"))
    ballots.ballot_vote_record(actor=chair, ballot=ballot, member=setup.members[0], options=options[:3])
    ballots.ballot_close(actor=chair, ballot=ballot)

    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert content.count('class="pact-priority"') == 3
    assert "Concern 1." in content
    assert reverse("priorities:ballot_result", args=[ballot.pk]) in content
    assert reverse("priorities:ward_priorities", args=[ward_a.code]) in content
    assert "has not yet agreed priorities" not in content


def test_ward_page_priorities_empty_state(client, ward_a):
    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert "The PACT panel has not yet agreed priorities for this ward" in content
    assert reverse("priorities:ward_priorities", args=[ward_a.code]) in content


@pytest.mark.parametrize("history", [3, 30])
def test_ward_section_runs_fixed_queries_whatever_the_history(django_assert_num_queries, ward_a, history):
    from priorities.selectors.priorities import ward_section

    _past(ward_a, history)
    for slot in Priority.SLOTS:
        PriorityFactory(ward=ward_a, slot=slot)

    # 1 the current priorities with categories and lead officers, 2 the latest closed ballot
    with django_assert_num_queries(2):
        context = ward_section(ward_a)

    assert len(context["priorities"]) == 3
