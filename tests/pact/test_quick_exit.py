"""Quick exit (issue 13, item 5): GOV.UK's "Exit this page" on the pages where a resident may
write about something that puts them at risk, leading to a neutral page of ours."""

import re

import pytest
from django.urls import reverse

from tests.priorities.factories import ConcernFactory, IncidentLogFactory
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = pytest.mark.django_db

EXIT = 'data-module="govuk-exit-this-page"'


@pytest.fixture
def ward():
    team = TeamFactory()
    return WardFactory(team=team, district=team.district)


def _exit_href(html: str) -> str:
    button = html[html.index(EXIT) :]
    start = button.index('href="') + len('href="')
    return button[start : button.index('"', start)]


def test_complaint_form_has_the_quick_exit_to_the_neutral_page(client):
    html = client.get(reverse("feedback:give", args=["complaint"])).content.decode()

    assert html.count(EXIT) == 1
    assert _exit_href(html) == reverse("neutral")
    assert "Exit this page" in html


@pytest.mark.parametrize("kind", ["compliment", "suggestion"])
def test_other_feedback_forms_have_no_quick_exit(client, kind):
    assert EXIT not in client.get(reverse("feedback:give", args=[kind])).content.decode()


def test_concern_form_always_has_the_quick_exit(client, ward):
    html = client.get(reverse("priorities:concern_new", args=[ward.code])).content.decode()

    assert _exit_href(html) == reverse("neutral")


def test_incident_log_pages_have_the_quick_exit(client, ward):
    concern = ConcernFactory(ward=ward, reference="PACT-QX0001")
    IncidentLogFactory(concern=concern, token="quick-exit-token")

    for url in [
        reverse("priorities:incident_log_start", args=[concern.reference]),
        reverse("priorities:incident_log", args=["quick-exit-token"]),
        reverse("priorities:incident_log_revoke", args=["quick-exit-token"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _exit_href(response.content.decode()) == reverse("neutral"), url


@pytest.mark.parametrize("name", ["home", "privacy", "feedback:start"])
def test_ordinary_pages_have_no_quick_exit(client, name):
    assert EXIT not in client.get(reverse(name)).content.decode()


def test_neutral_page_says_nothing_of_the_police_or_pact(client):
    response = client.get(reverse("neutral"))

    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html).lower()
    for word in ["police", "pact", "concern", "complaint", "kent", "crime"]:
        assert word not in text, word
    for external in ["<script", "http://", "https://"]:
        assert external not in html, external
