"""Security review finding 2: partner users reach priorities only in their agency's wards.

Naming an agency on a priority is not enough: the agency must work in the priority's ward
(priorities.scopes.can_partner_ward), for reading the staff timeline and adding progress alike;
removing the agency from the ward ends the access; naming partners offers only agencies that
work in the ward; partners never read other agencies' or the team's internal entries.
"""

import datetime

import pytest
from django.urls import reverse

from priorities.errors import PrioritiesError
from priorities.models import ProgressEntry
from priorities.services.priorities import ERROR_PARTNER_NOT_IN_WARD, priority_update
from priorities.services.progress import progress_add
from tests.priorities.factories import (
    PartnerAgencyFactory,
    PartnerUserFactory,
    PriorityFactory,
    ProgressEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(ward_a):
    return PriorityFactory(ward=ward_a, title="Speeding on the London Road", agreed_on=datetime.date(2026, 1, 5))


def _partner_of(agency):
    return PartnerUserFactory(agency=agency).user


def _pages(priority):
    return [
        reverse("priorities:staff_progress", args=[priority.pk]),
        reverse("priorities:staff_progress_add", args=[priority.pk]),
    ]


def test_finding_2_partner_named_on_a_priority_outside_its_wards_cannot_read_or_add(client, priority, ward_b):
    elsewhere = PartnerAgencyFactory(name="Swale Borough Council")
    elsewhere.wards.add(ward_b)
    priority.partners.add(elsewhere)
    partner = _partner_of(elsewhere)
    client.force_login(partner)

    assert [client.get(url).status_code for url in _pages(priority)] == [404, 404]
    with pytest.raises(PrioritiesError):
        progress_add(actor=partner, priority=priority, happened_on=priority.agreed_on, text="x", visibility="public")
    assert "Speeding on the London Road" not in client.get(reverse("staff:home")).content.decode()


def test_finding_2_agency_removed_from_the_ward_loses_access(client, priority):
    council = PartnerAgencyFactory(name="Maidstone Borough Council")
    council.wards.add(priority.ward)
    priority.partners.add(council)
    client.force_login(_partner_of(council))
    assert [client.get(url).status_code for url in _pages(priority)] == [200, 200]

    council.wards.remove(priority.ward)

    assert [client.get(url).status_code for url in _pages(priority)] == [404, 404]


def test_finding_2_naming_partners_offers_and_accepts_only_agencies_of_the_ward(client, officer, priority, ward_b):
    here = PartnerAgencyFactory(name="Maidstone Borough Council")
    here.wards.add(priority.ward)
    elsewhere = PartnerAgencyFactory(name="Swale Borough Council")
    elsewhere.wards.add(ward_b)
    client.force_login(officer)

    page = client.get(reverse("priorities:staff_priority_edit", args=[priority.pk])).content.decode()

    assert "Maidstone Borough Council" in page
    assert "Swale Borough Council" not in page
    with pytest.raises(PrioritiesError, match=str(ERROR_PARTNER_NOT_IN_WARD)):
        priority_update(
            actor=officer,
            priority=priority,
            title=priority.title,
            lead_officer=None,
            partners=[elsewhere],
            plan_priority=None,
        )
    assert not priority.partners.exists()


def test_finding_2_partners_read_only_public_entries_and_their_own_agencys_internal_ones(client, priority):
    council = PartnerAgencyFactory(name="Maidstone Borough Council")
    fire = PartnerAgencyFactory(name="Kent Fire and Rescue")
    for agency in (council, fire):
        agency.wards.add(priority.ward)
        priority.partners.add(agency)
    internal = ProgressEntry.Visibility.INTERNAL
    ProgressEntryFactory(priority=priority, text="Team note: suspect named", visibility=internal)
    ProgressEntryFactory(priority=priority, officer=None, agency=fire, text="Fire: home visit", visibility=internal)
    ProgressEntryFactory(priority=priority, officer=None, agency=council, text="Council: CCTV", visibility=internal)
    ProgressEntryFactory(priority=priority, text="Public: speed checks")
    client.force_login(_partner_of(council))

    page = client.get(reverse("priorities:staff_progress", args=[priority.pk])).content.decode()

    assert "Public: speed checks" in page
    assert "Council: CCTV" in page
    assert "Team note: suspect named" not in page
    assert "Fire: home visit" not in page
