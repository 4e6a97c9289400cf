"""A compliment that already names its officer reaches them without anyone retyping the collar
number (issue 14, item 3): staff see who was named, filled in, and send it with one press."""

import re

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from feedback.selectors.feedback import officer_named_in
from feedback.services import feedback as services
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pc(ward_a):
    return OfficerFactory(team=ward_a.team, first_name="Jane", last_name="Smith", collar_number="4321", rank="pc")


def _compliment(ward, words):
    return services.feedback_give(kind="compliment", ward=ward, officer_text=words, description="Kind and patient.")


@pytest.mark.parametrize("words", ["PC 4321", "jane smith on the night", "Officer Smith", "smith (4321)"])
def test_officer_named_in_the_words_is_found(ward_a, pc, words):
    OfficerFactory(team=ward_a.team, first_name="Sam", last_name="Patel", collar_number="1234")

    assert officer_named_in(_compliment(ward_a, words)) == pc


@pytest.mark.parametrize("words", ["", "the tall one", "Smith"])
def test_officer_named_in_finds_nobody_when_unsure(ward_a, ward_b, pc, words):
    # Two officers of the team share the surname: "Smith" alone is not enough.
    OfficerFactory(team=ward_a.team, first_name="Alex", last_name="Smith", collar_number="5555")
    OfficerFactory(team=ward_b.team, first_name="Other", last_name="Team", collar_number="9876")

    assert officer_named_in(_compliment(ward_a, words)) is None


def test_officer_of_another_team_is_never_found(ward_a, ward_b):
    OfficerFactory(team=ward_b.team, first_name="Jane", last_name="Smith", collar_number="4321")

    assert officer_named_in(_compliment(ward_a, "PC 4321 Jane Smith")) is None


def test_staff_page_fills_in_the_named_officer_and_sends_with_one_press(client, sergeant, ward_a, pc):
    feedback = _compliment(ward_a, "PC Smith, number 4321")
    client.force_login(sergeant)

    page = client.get(reverse("feedback:staff_detail", args=[feedback.reference])).content.decode()

    assert "collar number 4321: it is filled in below" in page
    assert re.search(r'name="officer-collar_number"[^>]*value="4321"', page)
    assert f"Send the compliment to {pc}" in page
    response = client.post(
        reverse("feedback:staff_officer", args=[feedback.reference]), {"officer-collar_number": "4321"}
    )
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(to=pc.email, key__startswith="feedback-compliment-").count() == 1
    page = client.get(reverse("feedback:staff_detail", args=[feedback.reference])).content.decode()
    assert "has been sent to them" in page


def test_staff_page_says_collar_number_everywhere(client, sergeant, ward_a):
    feedback = _compliment(ward_a, "")
    client.force_login(sergeant)

    page = client.get(reverse("feedback:staff_detail", args=[feedback.reference])).content.decode()

    assert "Their collar number" in page
    assert "shoulder" not in page.lower()
