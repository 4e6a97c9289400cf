"""Who may use each page of partner information and residents' logs: every view × every persona.

The report under test was sent by agency A about ward A. Agency A works in ward A, agency B
works in ward A too (so only the organisation keeps its users out), and agency A's report
about ward B (where A does not work) is the "other ward" case.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from core.models import AuditEvent
from priorities.models import Concern, IncidentLog, InformationReport
from tests.priorities.factories import (
    CategoryFactory,
    ChairFactory,
    ConcernFactory,
    IncidentLogFactory,
    InformationReportFactory,
    PartnerAgencyFactory,
    PartnerUserFactory,
)

pytestmark = pytest.mark.django_db

SIGN_IN = 302


@dataclass
class World:
    report: InformationReport
    other_ward_report: InformationReport
    concern: Concern
    log: IncidentLog
    users: dict


@pytest.fixture
def world(ward_a, ward_b, officer, other_officer, chair, partner, admin_user) -> World:
    CategoryFactory()
    agency_a = PartnerAgencyFactory(name="Safer Medway Partnership")
    agency_a.wards.add(ward_a)
    agency_b = PartnerAgencyFactory(name="Golding Homes")
    agency_b.wards.add(ward_a)
    ChairFactory(user=chair, panel__wards=[ward_a])
    concern = ConcernFactory(ward=ward_a)
    return World(
        report=InformationReportFactory(agency=agency_a, ward=ward_a),
        other_ward_report=InformationReportFactory(agency=agency_a, ward=ward_b),
        concern=concern,
        log=IncidentLogFactory(concern=concern, token="resident-token"),
        users={
            "own_org": PartnerUserFactory(agency=agency_a, user__username="own_org").user,
            "other_org": PartnerUserFactory(agency=agency_b, user__username="other_org").user,
            "unlinked_partner": partner,
            "officer": officer,
            "other_officer": other_officer,
            "chair": chair,
            "admin": admin_user,
            "anonymous": None,
        },
    )


def _report_url(world: World, name: str, *, other_ward: bool = False) -> str:
    report = world.other_ward_report if other_ward else world.report
    return reverse(f"priorities:{name}", args=[report.pk])


# (view, method) -> expected status per persona.
INFORMATION_MATRIX = {
    ("partner_information", "get"): {
        "own_org": 200,
        "other_org": 200,
        "unlinked_partner": 403,
        "officer": 403,
        "other_officer": 403,
        "chair": 403,
        "admin": 403,
        "anonymous": SIGN_IN,
    },
    ("partner_information_new", "get"): {
        "own_org": 200,
        "other_org": 200,
        "unlinked_partner": 403,
        "officer": 403,
        "other_officer": 403,
        "chair": 403,
        "admin": 403,
        "anonymous": SIGN_IN,
    },
    ("staff_information", "get"): {
        "own_org": 403,
        "other_org": 403,
        "unlinked_partner": 403,
        "officer": 200,
        "other_officer": 200,
        "chair": 403,
        "admin": 200,
        "anonymous": SIGN_IN,
    },
    ("staff_information_detail", "get"): {
        "own_org": 200,
        "other_org": 404,
        "unlinked_partner": 404,
        "officer": 200,
        "other_officer": 404,
        "chair": 403,
        "admin": 200,
        "anonymous": SIGN_IN,
    },
    ("staff_information_review", "post"): {
        "own_org": 403,
        "other_org": 403,
        "unlinked_partner": 403,
        "officer": 302,
        "other_officer": 404,
        "chair": 403,
        "admin": 302,
        "anonymous": SIGN_IN,
    },
    ("staff_information_concern", "get"): {
        "own_org": 403,
        "other_org": 403,
        "unlinked_partner": 403,
        "officer": 200,
        "other_officer": 404,
        "chair": 403,
        "admin": 200,
        "anonymous": SIGN_IN,
    },
}
PERSONAS = ["own_org", "other_org", "unlinked_partner", "officer", "other_officer", "chair", "admin", "anonymous"]
REPORT_VIEWS = {"staff_information_detail", "staff_information_review", "staff_information_concern"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("view", "method"), list(INFORMATION_MATRIX))
def test_information_view_access(client, world, view, method, persona):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    url = _report_url(world, view) if view in REPORT_VIEWS else reverse(f"priorities:{view}")

    response = getattr(client, method)(url)

    assert response.status_code == INFORMATION_MATRIX[(view, method)][persona]
    if response.status_code == SIGN_IN and persona == "anonymous":
        assert response.url.startswith(reverse("staff:login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_information_report_of_a_ward_the_agency_does_not_work_in_is_hidden(client, world, persona):
    """Even agency A's own report is out of its users' sight once it is about a ward A does not work in."""
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    response = client.get(_report_url(world, "staff_information_detail", other_ward=True))

    expected = {"own_org": 404, "other_org": 404, "unlinked_partner": 404, "officer": 404}
    expected |= {"other_officer": 200, "chair": 403, "admin": 200, "anonymous": SIGN_IN}
    assert response.status_code == expected[persona]


@pytest.mark.parametrize(
    ("persona", "sees_own", "sees_other_ward"),
    [("own_org", True, False), ("other_org", False, False)],
)
def test_partner_list_shows_only_own_organisation_in_its_wards(client, world, persona, sees_own, sees_other_ward):
    client.force_login(world.users[persona])

    content = client.get(reverse("priorities:partner_information")).content.decode()

    assert (f"Report {world.report.pk}<" in content) is sees_own
    assert (f"Report {world.other_ward_report.pk}<" in content) is sees_other_ward


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [("officer", True, False), ("other_officer", False, True), ("admin", True, True)],
)
def test_team_list_shows_only_own_wards(client, world, persona, sees_a, sees_b):
    client.force_login(world.users[persona])

    content = client.get(reverse("priorities:staff_information"), {"status": "all"}).content.decode()

    assert (f"Report {world.report.pk}<" in content) is sees_a
    assert (f"Report {world.other_ward_report.pk}<" in content) is sees_b


@pytest.mark.parametrize("persona", PERSONAS)
def test_information_concern_post_access(client, world, persona):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    data = {"category": "anti-social-behaviour", "description": "Counterfeit goods sold from cars."}

    response = client.post(_report_url(world, "staff_information_concern"), data)

    expected = {"own_org": 403, "other_org": 403, "unlinked_partner": 403, "other_officer": 404, "chair": 403}
    expected |= {"officer": 302, "admin": 302, "anonymous": SIGN_IN}
    assert response.status_code == expected[persona]
    world.report.refresh_from_db()
    turned = persona in ("officer", "admin")
    assert (world.report.status == InformationReport.Status.CONCERN) is turned


@pytest.mark.parametrize("persona", PERSONAS)
def test_denied_views_of_a_report_are_not_recorded_as_views(client, world, persona):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    status = client.get(_report_url(world, "staff_information_detail")).status_code

    viewed = AuditEvent.objects.filter(action="priorities.information.viewed", object_id=str(world.report.pk))
    assert viewed.count() == (1 if status == 200 else 0)
    if status == 200:
        assert viewed.get().actor == user


# Residents' logs: the private link is the key; the staff pages are the ward team's.


@pytest.mark.parametrize("persona", PERSONAS)
def test_incident_log_pages_answer_the_link_whoever_asks(client, world, persona):
    """The private link alone decides: signing in neither opens a wrong link nor closes a right one."""
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    assert client.get(reverse("priorities:incident_log", args=["resident-token"])).status_code == 200
    assert client.get(reverse("priorities:incident_log", args=["wrong-token"])).status_code == 404
    assert client.get(reverse("priorities:incident_log_revoke", args=["wrong-token"])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_incident_log_revoke_access(client, world, persona):
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    url = reverse("priorities:staff_incident_log_revoke", args=[world.concern.reference, world.log.pk])

    response = client.post(url)

    expected = {"own_org": 403, "other_org": 403, "unlinked_partner": 403, "other_officer": 404, "chair": 403}
    expected |= {"officer": 302, "admin": 302, "anonymous": SIGN_IN}
    assert response.status_code == expected[persona]
    world.log.refresh_from_db()
    assert world.log.is_revoked is (persona in ("officer", "admin"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_concern_staff_page_shows_logs_to_the_ward_team_only(client, world, persona):
    world.log.entries.create(
        happened_at=world.report.happened_at, what_happened="Fireworks thrown at the door", effect="Frightened"
    )
    user = world.users[persona]
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("priorities:staff_concern", args=[world.concern.reference]))

    expected = {"own_org": 403, "other_org": 403, "unlinked_partner": 403, "other_officer": 404}
    expected |= {"chair": 200, "officer": 200, "admin": 200, "anonymous": SIGN_IN}
    assert response.status_code == expected[persona]
    shows_log = "Fireworks thrown at the door" in response.content.decode()
    assert shows_log is (persona in ("officer", "admin"))
