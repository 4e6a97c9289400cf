"""Shorter feedback forms (issue 13): a select per score, no postcode when the team is known,
the equality questions as a separate optional step after sending, and the 999 panel."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from feedback.models import EqualityResponse, Feedback
from tests.wards.factories import PostcodeFactory

pytestmark = pytest.mark.django_db

PANEL = "If a crime is happening now or someone is in danger, call 999 now."


def _url(kind, team=None):
    url = reverse("feedback:give", args=[kind])
    return f"{url}?team={team.pk}" if team else url


def _answers(kind="suggestion", **changes):
    answers = {"officer_text": "", "wants_reply": "no", "website": ""}
    if kind == "service":
        answers |= {"treated_score": "4", "informed_score": "7", "overall_score": "10"}
    else:
        answers["description"] = "More patrols by the station at night, please."
    return {**answers, **changes}


def _about_you(reference):
    return reverse("feedback:feedback_about_you", args=[reference])


def test_feedback_service_scores_are_one_select_each_not_thirty_radios(client):
    content = client.get(_url("service")).content.decode()

    # Only "Do you want a reply?" (yes, no) is radios.
    assert content.count('type="radio"') == 2
    for name in ("treated_score", "informed_score", "overall_score"):
        assert f'<select name="{name}"' in content
    assert '<option value="1">1 (very poor)</option>' in content
    assert '<option value="10">10 (excellent)</option>' in content


def test_feedback_form_asks_no_postcode_when_the_team_is_known(client, ward_a):
    with_team = client.get(_url("compliment", ward_a.team)).content.decode()
    without = client.get(_url("compliment")).content.decode()

    assert 'name="postcode"' not in with_team
    assert 'name="postcode"' in without


def test_feedback_from_a_team_page_is_given_the_team_without_a_postcode(client, ward_a):
    response = client.post(_url("compliment", ward_a.team), _answers("compliment", team=ward_a.team.pk))

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert (feedback.team, feedback.ward) == (ward_a.team, None)


def test_feedback_sent_page_offers_the_optional_equality_step(client):
    response = client.post(_url("suggestion"), _answers())

    page = client.get(response.url).content.decode()
    reference = Feedback.objects.get().reference
    assert "Help us check we serve everyone fairly (optional)" in page
    assert _about_you(reference) in page
    assert not EqualityResponse.objects.exists()


def test_feedback_equality_step_is_optional_and_stored_apart(client, ward_a):
    client.post(_url("compliment", ward_a.team), _answers("compliment", team=ward_a.team.pk))
    reference = Feedback.objects.get().reference

    page = client.get(_about_you(reference))
    response = client.post(_about_you(reference), {"ethnicity": "white", "age_band": "prefer_not", "website": ""})

    assert page.status_code == 200
    assert "Skip these questions" in page.content.decode()
    assert 'name="sexual_orientation"' in page.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("feedback:feedback_about_you_done", args=[reference])
    equality = EqualityResponse.objects.get()
    # The team's district, as the form came from its page; nothing links it to the feedback.
    assert (equality.context, equality.district, equality.ethnicity) == ("feedback", ward_a.team.district, "white")
    assert "Thank you for telling us about yourself" in client.get(response.url).content.decode()


def test_feedback_equality_step_answers_once_per_browser(client):
    client.post(_url("suggestion"), _answers())
    reference = Feedback.objects.get().reference
    client.get(_about_you(reference))
    client.post(_about_you(reference), {"sex": "male", "website": ""})

    again = client.get(_about_you(reference))

    assert "You have already answered" in again.content.decode()
    assert EqualityResponse.objects.count() == 1


def test_feedback_equality_step_with_nothing_answered_stores_nothing(client):
    client.post(_url("suggestion"), _answers())
    reference = Feedback.objects.get().reference

    response = client.post(_about_you(reference), {"website": ""})

    assert response.status_code == 400
    assert not EqualityResponse.objects.exists()


def test_feedback_equality_step_closes_two_days_after_sending(client):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        client.post(_url("suggestion"), _answers())
    reference = Feedback.objects.get().reference

    with time_machine.travel(datetime.datetime(2026, 11, 4, 9, tzinfo=datetime.UTC), tick=False):
        open_page = client.get(_about_you(reference))
    with time_machine.travel(datetime.datetime(2026, 11, 4, 11, tzinfo=datetime.UTC), tick=False):
        closed = client.get(_about_you(reference))
        sent = client.get(reverse("feedback:sent", args=[reference])).content.decode()

    assert open_page.status_code == 200
    assert closed.status_code == 404
    assert _about_you(reference) not in sent


def test_feedback_equality_step_of_an_unknown_reference_is_not_found(client):
    assert client.get(_about_you("FB-ZZZZZZ")).status_code == 404


def test_feedback_equality_district_comes_from_the_postcode(client, ward_a):
    PostcodeFactory(postcode="ME14 1XX", outward="ME14", ward=ward_a)
    client.post(_url("suggestion"), _answers(postcode="ME14 1XX"))
    reference = Feedback.objects.get().reference

    client.post(_about_you(reference), {"disability": "no", "website": ""})

    assert EqualityResponse.objects.get().district == ward_a.district


# The emergency panel


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("suggestion", {"description": "Someone is breaking in next door"}),
        ("complaint", {"description": "I am scared for my safety"}),
        ("service", {"could_be_better": "He has a knife and nobody came"}),
    ],
)
def test_feedback_form_shows_the_999_panel_before_sending(client, kind, changes):
    response = client.post(_url(kind), _answers(kind, **changes))

    content = response.content.decode()
    assert response.status_code == 200
    assert PANEL in content
    assert 'form="feedback-form"' in content
    assert 'id="feedback-form"' in content
    assert not Feedback.objects.exists()


def test_feedback_can_still_be_sent_after_the_panel(client):
    response = client.post(_url("suggestion"), _answers(description="He has a knife", send_anyway="yes"))

    assert response.status_code == 302
    assert Feedback.objects.get().description == "He has a knife"


def test_feedback_ordinary_text_is_sent_without_the_panel(client):
    response = client.post(_url("suggestion"), _answers(description="A knife crime awareness talk, please"))

    assert response.status_code == 302
