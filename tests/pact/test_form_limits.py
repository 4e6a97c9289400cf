"""The public forms' limits as residents meet them: per address generous, per person tight."""

import pytest
from django.test import Client
from django.urls import reverse

from core.abuse import ERROR_ADDRESS_LIMITED
from priorities.models import Concern
from priorities.views.concerns import public as concern_views
from priorities.views.concerns.public import ERROR_RATE_LIMITED
from tests.priorities.factories import CategoryFactory
from tests.wards.factories import WardFactory

pytestmark = pytest.mark.django_db

LIBRARY = "203.0.113.50"


@pytest.fixture
def ward():
    CategoryFactory(slug="speeding", name="Speeding", is_police_uk=False)
    return WardFactory()


def _resident(ward) -> tuple[Client, str]:
    """A browser that has loaded the concern form, so holds its CSRF cookie, as every real one does."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=LIBRARY)
    url = reverse("priorities:concern_new", args=[ward.code])
    assert client.get(url).status_code == 200
    return client, url


def _raise(client: Client, url: str, number: int):
    answers = {
        "category": "speeding",
        "description": f"Cars race along the High Street at night ({number}).",
        "location_text": "",
        "contact_email": "",
        "website": "",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    return client.post(url, answers)


def test_finding_15_residents_sharing_a_library_connection_each_raise_their_concerns(ward):
    statuses = []
    for number in range(8):
        client, url = _resident(ward)
        statuses.append(_raise(client, url, number).status_code)

    assert statuses == [302] * 8
    assert Concern.objects.count() == 8


def test_finding_15_one_person_past_their_limit_is_told_it_is_them(ward):
    client, url = _resident(ward)
    assert [_raise(client, url, n).status_code for n in range(5)] == [302] * 5

    response = _raise(client, url, 5)

    assert response.status_code == 429
    assert str(ERROR_RATE_LIMITED) in response.content.decode()
    assert _raise(_resident(ward)[0], url, 6).status_code == 302


def test_finding_15_a_busy_shared_connection_is_refused_as_what_it_is(ward, monkeypatch):
    rule = concern_views.RAISE_LIMIT
    monkeypatch.setattr(concern_views, "RAISE_LIMIT", type(rule)(**{**rule.__dict__, "per_address": 3}))
    for number in range(3):
        client, url = _resident(ward)
        assert _raise(client, url, number).status_code == 302

    client, url = _resident(ward)
    response = _raise(client, url, 3)

    content = response.content.decode()
    assert response.status_code == 429
    assert str(ERROR_ADDRESS_LIMITED) in content
    assert "You have sent" not in content
