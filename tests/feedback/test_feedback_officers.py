"""Naming an officer: picked from the team's list on the public form or recorded by staff, and a
compliment reaching the officer it names."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, OutboundEmail
from feedback.errors import FeedbackError
from feedback.forms import feedback as forms
from feedback.models import Feedback
from feedback.services import feedback as services
from tests.core.factories import confirmed_address
from tests.wards.factories import OfficerFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _url(kind, team=None):
    url = reverse("feedback:give", args=[kind])
    return f"{url}?team={team.pk}" if team else url


def _answers(**changes):
    return {
        "postcode": "",
        "officer_text": "",
        "wants_reply": "no",
        "website": "",
        "description": "PC Smith stayed with my mother until the ambulance came.",
        **changes,
    }


@pytest.fixture
def pc(ward_a):
    return OfficerFactory(team=ward_a.team, first_name="Jane", last_name="Smith", collar_number="4321")


def test_ward_and_team_pages_link_to_the_forms_with_their_team(client, ward_a):
    for url in (reverse("wards:detail", args=[ward_a.code]), reverse("wards:team", args=[ward_a.team.slug])):
        page = client.get(url).content.decode()
        assert f"/have-your-say/compliment/?team={ward_a.team.pk}" in page
        assert "Tell us how we did" in page


def test_compliment_form_from_a_team_lists_its_officers_only(client, pc, ward_a, ward_b):
    stranger = OfficerFactory(team=ward_b.team, last_name="Outerteam", collar_number="7777")
    page = client.get(_url("compliment", ward_a.team)).content.decode()
    assert "Jane Smith (4321)" in page
    assert "Outerteam" not in page
    assert stranger.collar_number not in page
    assert f'name="team" value="{ward_a.team.pk}"' in page
    # Without a team there is no list, only the free-text field.
    assert 'name="officer"' not in client.get(_url("compliment")).content.decode()


def test_compliment_naming_an_officer_is_emailed_to_them_without_the_persons_details(client, pc, ward_a):
    answers = _answers(
        officer=pc.pk,
        team=ward_a.team.pk,
        wants_reply="yes",
        contact_name="Ann Resident",
        contact_email="ann@example.com",
    )
    confirmed_address("ann@example.com")
    response = client.post(_url("compliment", ward_a.team), answers)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.officer == pc
    assert feedback.team == ward_a.team
    email = OutboundEmail.objects.get(to=pc.email)
    assert feedback.reference in email.subject
    assert "stayed with my mother" in email.body_text
    assert "Ann Resident" not in email.body_text + email.body_html
    assert "ann@example.com" not in email.body_text + email.body_html
    assert OutboundEmail.objects.filter(to="ann@example.com").count() == 1  # the acknowledgement


def test_officer_from_another_team_is_refused_with_a_clear_error(client, pc, ward_a, ward_b):
    stranger = OfficerFactory(team=ward_b.team)
    response = client.post(_url("compliment", ward_a.team), _answers(officer=stranger.pk, team=ward_a.team.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["officer"] == [forms.ERROR_OFFICER_INVALID]
    assert not Feedback.objects.exists()


def test_unknown_or_malformed_team_gives_the_plain_form(client):
    for team in ("999999", "abc", "1" * 40):
        page = client.get(f"{_url('compliment')}?team={team}")
        assert page.status_code == 200
        assert 'name="officer"' not in page.content.decode()


def test_service_feedback_about_an_officer_is_not_emailed_to_them(client, pc, ward_a):
    answers = {"treated_score": "3", "informed_score": "3", "overall_score": "3", "officer": pc.pk}
    client.post(_url("service", ward_a.team), {**_answers(), **answers, "team": ward_a.team.pk})
    assert Feedback.objects.get().officer == pc
    assert not OutboundEmail.objects.filter(to=pc.email).exists()


def test_a_complaint_records_the_officer_but_not_the_team(client, pc, ward_a):
    client.post(_url("complaint", ward_a.team), _answers(officer=pc.pk, team=ward_a.team.pk))
    feedback = Feedback.objects.get()
    assert feedback.officer == pc
    assert feedback.team is None
    assert not OutboundEmail.objects.filter(to=pc.email).exists()


def test_service_refuses_an_officer_outside_the_team(pc, ward_b):
    with pytest.raises(FeedbackError, match="is not an officer of"):
        services.feedback_give(kind="compliment", team=ward_b.team, officer=pc, description="Thank you")


def test_staff_record_the_officer_of_a_compliment_which_then_reaches_them_once(client, sergeant, pc, ward_a):
    feedback = services.feedback_give(
        kind="compliment", ward=ward_a, officer_text="the tall one", description="Kind and patient."
    )
    client.force_login(sergeant)
    url = reverse("feedback:staff_officer", args=[feedback.reference])
    response = client.post(url, {"officer-collar_number": " 4321 "})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.officer == pc
    assert OutboundEmail.objects.filter(to=pc.email).count() == 1
    event = AuditEvent.objects.get(action="feedback.feedback.officer")
    assert event.data == {"before": None, "after": pc.pk}
    client.post(url, {"officer-collar_number": "4321"})
    assert OutboundEmail.objects.filter(to=pc.email).count() == 1


@pytest.mark.parametrize(
    ("number", "error"),
    [("", forms.ERROR_COLLAR_REQUIRED), ("12345678901", forms.ERROR_COLLAR_TOO_LONG), ("0000", "no officer")],
)
def test_staff_officer_form_errors(client, sergeant, ward_a, number, error):
    feedback = services.feedback_give(kind="suggestion", ward=ward_a, description="More patrols")
    client.force_login(sergeant)
    response = client.post(
        reverse("feedback:staff_officer", args=[feedback.reference]), {"officer-collar_number": number}
    )
    assert response.status_code == 400
    assert str(error) in " ".join(response.context["officer_form"].errors["collar_number"])


def test_staff_cannot_name_an_officer_of_another_team(client, sergeant, ward_a, ward_b):
    stranger = OfficerFactory(team=ward_b.team, collar_number="9999")
    feedback = services.feedback_give(kind="compliment", ward=ward_a, description="Thank you")
    client.force_login(sergeant)
    response = client.post(
        reverse("feedback:staff_officer", args=[feedback.reference]), {"officer-collar_number": "9999"}
    )
    assert response.status_code == 400
    assert f"{stranger} is not an officer of the {ward_a.team.name} team" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.officer is None


def test_other_team_cannot_record_the_officer(client, other_officer, ward_a, pc):
    feedback = services.feedback_give(kind="compliment", ward=ward_a, description="Thank you")
    client.force_login(other_officer)
    response = client.post(
        reverse("feedback:staff_officer", args=[feedback.reference]), {"officer-collar_number": "4321"}
    )
    assert response.status_code == 404
    assert not OutboundEmail.objects.exists()


def test_named_officer_sees_their_compliment_even_from_a_team_only_form(client, ward_a):
    team = TeamFactory()
    from tests.core.factories import UserFactory

    user = UserFactory(username="named", roles=["officer"])
    named = OfficerFactory(team=team, user=user)
    feedback = services.feedback_give(kind="compliment", team=team, officer=named, description="Brilliant")
    client.force_login(user)
    assert feedback.reference in client.get(reverse("feedback:staff_queue")).content.decode()
    assert client.get(reverse("feedback:staff_detail", args=[feedback.reference])).status_code == 200
