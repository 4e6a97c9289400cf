"""A concern that reads like an emergency: the 999 panel before sending, and sending anyway."""

import pytest
from django.urls import reverse

from priorities.models import Concern
from tests.priorities.factories import CategoryFactory

pytestmark = pytest.mark.django_db

PANEL = "If a crime is happening now or someone is in danger, call 999 now."


@pytest.fixture(autouse=True)
def speeding():
    return CategoryFactory(slug="speeding", name="Speeding and dangerous driving", is_police_uk=False)


def _send(client, ward, description, **extra):
    answers = {"category": "speeding", "description": description, "location_text": "", "website": "", **extra}
    return client.post(reverse("priorities:concern_new", args=[ward.code]), answers)


@pytest.mark.parametrize(
    "description",
    ["Someone is breaking in to the house next door", "He has a knife", "I am scared for my safety"],
)
def test_concern_form_shows_the_999_panel_before_sending(client, ward_a, description):
    response = _send(client, ward_a, description)

    content = response.content.decode()
    assert response.status_code == 200
    assert PANEL in content
    assert 'href="tel:999"' in content
    assert 'href="tel:101"' in content
    assert "report it online to Kent Police" in content
    assert f"\n{description}</textarea>" in content
    assert '<button type="submit"\n            form="concern-form"\n            name="send_anyway"' in content
    assert not Concern.objects.exists()


def test_concern_form_panel_reads_the_location_too(client, ward_a):
    response = _send(client, ward_a, "Trouble again", location_text="A man with a gun outside the shop")

    assert PANEL in response.content.decode()


def test_concern_can_still_be_sent_after_the_panel(client, ward_a):
    response = _send(client, ward_a, "He has a knife", send_anyway="yes")

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("priorities:concern_raised", args=[concern.follow_code])
    assert concern.description == "He has a knife"


def test_concern_form_ordinary_concern_is_sent_without_the_panel(client, ward_a):
    response = _send(client, ward_a, "A knife crime awareness talk at the school, please")

    assert response.status_code == 302
    assert Concern.objects.count() == 1


def test_concern_form_panel_is_not_on_the_blank_form(client, ward_a):
    assert PANEL not in client.get(reverse("priorities:concern_new", args=[ward_a.code])).content.decode()


def test_concern_form_panel_is_shown_beside_errors_too(client, ward_a):
    content = _send(client, ward_a, "He has a knife", category="").content.decode()

    assert PANEL in content
    assert "Select what the concern is about" in content


def test_concern_sent_anyway_with_an_error_is_not_asked_again(client, ward_a):
    content = _send(client, ward_a, "He has a knife", category="", send_anyway="yes").content.decode()

    assert PANEL not in content
    assert '<input type="hidden" name="send_anyway" value="yes">' in content
