"""Security review finding 5: feedback other than a compliment that names an officer goes to the
officer's supervisors and professional standards, never to the officer it is about (who would
see the resident's contact details) nor to the rest of the team."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from feedback.errors import FeedbackError
from feedback.services import feedback as services
from tests.core.factories import UserFactory
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _officer(ward, username, rank):
    user = UserFactory(username=username, roles=["officer"])
    OfficerFactory(team=ward.team, user=user, rank=rank)
    return user


def _about(officer_user, kind, ward):
    answers = {"treated_score": 2, "informed_score": 2, "overall_score": 2} if kind == "service" else {}
    return services.feedback_give(
        kind=kind,
        ward=ward,
        officer=officer_user.officer,
        description="The officer was dismissive.",
        wants_reply=True,
        contact_name="Sam Resident",
        contact_email="sam@example.org",
        **answers,
    )


@pytest.mark.parametrize("kind", ["service", "suggestion"])
def test_finding_5_feedback_about_an_officer_reaches_supervisors_and_standards_not_the_officer(client, ward_a, kind):
    named = _officer(ward_a, "named", "pc")
    colleague = _officer(ward_a, "colleague", "pcso")
    sergeant = _officer(ward_a, "sergeant", "sergeant")
    standards = UserFactory(username="standards", roles=["professional_standards"])
    item = _about(named, kind, ward_a)
    detail = reverse("feedback:staff_detail", args=[item.reference])

    for user, sees in ((named, False), (colleague, False), (sergeant, True), (standards, True)):
        client.force_login(user)
        queue = client.get(reverse("feedback:staff_queue")).content.decode()
        assert (item.reference in queue) is sees, user.username
        assert client.get(detail).status_code == (200 if sees else 404), user.username
        assert ("sam@example.org" in client.get(detail).content.decode()) is sees, user.username

    with pytest.raises(FeedbackError):
        services.feedback_assign(actor=named, feedback=item)


def test_finding_5_a_compliment_still_reaches_the_officer_it_names(client, ward_a):
    named = _officer(ward_a, "named", "pc")
    item = services.feedback_give(kind="compliment", ward=ward_a, officer=named.officer, description="Thank you.")
    client.force_login(named)

    assert client.get(reverse("feedback:staff_detail", args=[item.reference])).status_code == 200


def test_finding_5_a_supervisor_does_not_handle_feedback_about_themselves(client, ward_a):
    sergeant = _officer(ward_a, "sergeant", "sergeant")
    inspector = _officer(ward_a, "inspector", "inspector")
    item = _about(sergeant, "suggestion", ward_a)

    assert not services.can_handle_feedback(sergeant, item)
    assert services.can_handle_feedback(inspector, item)
    inspector.groups.remove(Group.objects.get(name="officer"))
    inspector = type(inspector).objects.get(pk=inspector.pk)
    assert not services.can_handle_feedback(inspector, item)
