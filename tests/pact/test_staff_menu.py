"""The staff home lists the pages each role may open, and only those."""

import pytest
from django.urls import reverse

from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["officer", "chair", "partner", "admin_user"]


@pytest.fixture
def standards(db):
    return UserFactory(username="standards", roles=["professional_standards"])


def _links(client, user):
    client.force_login(user)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 200
    return response.context["links"]


@pytest.mark.parametrize("persona", [*PERSONAS, "standards"])
def test_every_link_on_the_staff_home_opens_for_the_user(client, request, persona, ward_a):
    user = request.getfixturevalue(persona)
    for link in _links(client, user):
        assert client.get(link.url).status_code == 200, link.url_name


def test_officer_is_offered_feedback_and_concerns_but_not_ballots(client, officer):
    names = {link.url_name for link in _links(client, officer)}
    assert {"feedback:staff_queue", "priorities:staff_concerns", "feedback:staff_surveys"} <= names
    assert "priorities:staff_ballots" not in names


def test_professional_standards_are_offered_feedback_only(client, standards):
    assert [link.url_name for link in _links(client, standards)] == ["feedback:staff_queue"]
