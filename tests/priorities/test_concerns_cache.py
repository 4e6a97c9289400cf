"""A resident's new concern is shown nowhere public until moderated, so it must not empty the
public page cache; moderation, which publishes it, must."""

import pytest
from django.test import Client
from django.urls import reverse

from priorities.services import concerns as services
from tests.priorities.factories import CategoryFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _raise_concern(ward) -> None:
    answers = {"category": "speeding", "description": "Cars race past the school.", "website": ""}
    response = Client().post(reverse("priorities:concern_new", args=[ward.code]), answers)
    assert response.status_code == 302


def test_concern_raised_online_leaves_the_ward_page_cached(client, ward_a, django_assert_num_queries):
    CategoryFactory(slug="speeding")
    page = reverse("wards:detail", args=[ward_a.code])
    client.get(page)
    _raise_concern(ward_a)

    # No query: the whole page still comes from the page cache.
    with django_assert_num_queries(0):
        response = client.get(page)
    assert response.status_code == 200


def test_concern_accepted_is_shown_on_the_cached_ward_page(client, ward_a, officer):
    concern = ConcernFactory(ward=ward_a, description="Vans park on the pavement by the surgery.")
    page = reverse("wards:detail", args=[ward_a.code])
    assert concern.description not in client.get(page).content.decode()

    services.concern_accept(actor=officer, concern=concern)

    assert concern.description in client.get(page).content.decode()
