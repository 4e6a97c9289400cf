"""Progress entries: who may add them, what they may say, and what they do to the priority."""

import datetime

import pytest
import time_machine

from core.models import AuditEvent
from priorities.errors import PrioritiesError
from priorities.models import Priority, ProgressEntry
from priorities.services import progress as services
from tests.priorities.factories import PartnerAgencyFactory, PartnerUserFactory, PriorityFactory
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def priority(ward_a):
    return PriorityFactory(ward=ward_a, slot=1, agreed_on=datetime.date(2026, 10, 1))


@pytest.fixture
def council(priority):
    agency = PartnerAgencyFactory(name="Maidstone Borough Council")
    agency.wards.add(priority.ward)
    priority.partners.add(agency)
    return agency


def _add(actor, priority, **changes):
    values = {"happened_on": TODAY, "text": "Extra patrols by the shops.", "visibility": "public", **changes}
    return services.progress_add(actor=actor, priority=priority, **values)


def test_progress_add_by_officer_is_theirs_moves_to_in_progress_and_audits(officer, priority):
    entry = _add(officer, priority)

    assert entry.officer == officer.officer
    assert entry.agency is None
    priority.refresh_from_db()
    assert priority.status == Priority.Status.IN_PROGRESS
    event = AuditEvent.objects.get(action="priorities.progress.added")
    assert event.actor == officer
    assert event.data["before"] == {"status": "current"}
    assert event.data["after"]["status"] == "in_progress"
    assert event.data["after"]["text"] == "Extra patrols by the shops."


def test_progress_add_second_entry_keeps_in_progress(officer, priority):
    _add(officer, priority)
    _add(officer, priority, text="More patrols.")

    priority.refresh_from_db()
    assert priority.status == Priority.Status.IN_PROGRESS
    assert priority.progress.count() == 2


def test_progress_add_names_another_officer_of_the_team(officer, priority, ward_a):
    colleague = OfficerFactory(team=ward_a.team)

    assert _add(officer, priority, officer=colleague).officer == colleague


def test_progress_add_refuses_officer_of_another_team(officer, priority, ward_b):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_OFFICER_NOT_IN_TEAM)):
        _add(officer, priority, officer=OfficerFactory(team=ward_b.team))


def test_progress_add_by_officer_for_named_agency(officer, priority, council):
    assert _add(officer, priority, agency=council).agency == council


def test_progress_add_refuses_agency_not_named(officer, priority):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_AGENCY_NOT_NAMED)):
        _add(officer, priority, agency=PartnerAgencyFactory(name="Kent Fire and Rescue"))


def test_progress_add_refuses_officer_and_agency_together(officer, priority, council):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_BY_BOTH)):
        _add(officer, priority, officer=officer.officer, agency=council)


def test_progress_add_by_partner_of_named_agency_is_by_the_agency(priority, council):
    partner = PartnerUserFactory(agency=council).user

    entry = _add(partner, priority)

    assert (entry.agency, entry.officer, entry.author) == (council, None, partner)


def test_progress_add_refuses_partner_of_another_agency(priority, council):
    partner = PartnerUserFactory(agency=PartnerAgencyFactory(name="Golding Homes")).user

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        _add(partner, priority)


def test_progress_add_refuses_partner_naming_an_officer(priority, council, ward_a):
    partner = PartnerUserFactory(agency=council).user

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        _add(partner, priority, officer=OfficerFactory(team=ward_a.team))


@pytest.mark.parametrize("persona", ["other_officer", "chair", "partner", "outsider"])
def test_progress_add_refuses_others(request, priority, persona):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ALLOWED)):
        _add(request.getfixturevalue(persona), priority)
    assert not ProgressEntry.objects.exists()


def test_progress_add_by_administrator_needs_who(admin_user, priority, ward_a):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_BY_REQUIRED)):
        _add(admin_user, priority)

    lead = OfficerFactory(team=ward_a.team)
    assert _add(admin_user, priority, officer=lead).officer == lead


def test_progress_add_refuses_ended_priority(officer, priority):
    priority.status, priority.ended_on, priority.outcome = Priority.Status.RESOLVED, TODAY, "Done."
    priority.save()

    with pytest.raises(PrioritiesError, match=str(services.ERROR_NOT_ACTIVE)):
        _add(officer, priority)


def test_progress_add_refuses_future_date(officer, priority):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_IN_FUTURE)):
        _add(officer, priority, happened_on=TODAY + datetime.timedelta(days=1))


def test_progress_add_refuses_date_before_agreed(officer, priority):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_BEFORE_AGREED)):
        _add(officer, priority, happened_on=datetime.date(2026, 9, 30))


def test_progress_add_accepts_the_agreed_day(officer, priority):
    assert _add(officer, priority, happened_on=datetime.date(2026, 10, 1)).pk


@pytest.mark.parametrize(
    ("text", "error"), [("   ", services.ERROR_TEXT_REQUIRED), ("x" * 2001, services.ERROR_TEXT_TOO_LONG)]
)
def test_progress_add_refuses_bad_text(officer, priority, text, error):
    with pytest.raises(PrioritiesError, match=str(error)):
        _add(officer, priority, text=text)


def test_progress_add_refuses_unknown_visibility(officer, priority):
    with pytest.raises(PrioritiesError, match=str(services.ERROR_VISIBILITY)):
        _add(officer, priority, visibility="secret")
