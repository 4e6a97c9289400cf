"""Security review finding 8: an officer who also chairs a panel for another team's ward sees
that ward's partner information neither in the list nor in the detail: lists and details of
a team's business use the same scope (priorities.scopes.managed_ward_ids_for)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.priorities.factories import ChairFactory, InformationReportFactory, PartnerAgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_chairing_ward_b(officer, ward_b):
    officer.groups.add(Group.objects.get_or_create(name="chair")[0])
    ChairFactory(user=officer, panel__wards=[ward_b])
    return officer


def test_finding_8_officer_chair_lists_only_the_information_whose_detail_opens(
    client, officer_chairing_ward_b, ward_a, ward_b
):
    agency = PartnerAgencyFactory(name="Golding Homes")
    agency.wards.add(ward_a, ward_b)
    own = InformationReportFactory(agency=agency, ward=ward_a, what_happened="Own team's report")
    other = InformationReportFactory(agency=agency, ward=ward_b, what_happened="Other team's report")
    client.force_login(officer_chairing_ward_b)

    listing = client.get(reverse("priorities:staff_information")).content.decode()

    assert reverse("priorities:staff_information_detail", args=[own.pk]) in listing
    assert reverse("priorities:staff_information_detail", args=[other.pk]) not in listing
    assert client.get(reverse("priorities:staff_information_detail", args=[other.pk])).status_code == 404


def test_finding_8_officer_chair_lists_and_opens_no_feedback_of_the_chaired_ward(
    client, officer_chairing_ward_b, ward_b
):
    from feedback.services import feedback as feedback_services

    item = feedback_services.feedback_give(kind="suggestion", ward=ward_b, description="More patrols, please.")
    client.force_login(officer_chairing_ward_b)

    assert item.reference not in client.get(reverse("feedback:staff_queue")).content.decode()
    assert client.get(reverse("feedback:staff_detail", args=[item.reference])).status_code == 404
