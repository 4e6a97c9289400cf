"""Staff read the written answers of a survey from their wards and raise one as a PACT concern."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from feedback.errors import FeedbackError
from feedback.models import SurveyAnswer, SurveyResponse
from feedback.services import surveys as survey_services
from priorities.models import Concern
from tests.priorities.factories import CategoryFactory, SurveyQuestionFactory

pytestmark = pytest.mark.django_db

TEXT = "Cars race down Tonbridge Road every night after ten."


@pytest.fixture
def question():
    return SurveyQuestionFactory(kind="text", text="Anything else you want to tell us?")


@pytest.fixture
def speeding():
    return CategoryFactory(slug="speeding", name="Speeding")


def _written(question, ward, text=TEXT):
    response = SurveyResponse.objects.create(
        survey=question.survey, ward=ward, district=ward.district if ward else None
    )
    return SurveyAnswer.objects.create(response=response, question=question, text=text)


def _comments_url(question):
    return reverse("feedback:staff_survey_comments", args=[question.survey.slug])


def _concern_url(answer):
    return reverse("feedback:staff_survey_comment_concern", args=[answer.response.survey.slug, answer.pk])


def test_officer_sees_the_written_answers_of_their_wards_only(client, officer, question, ward_a, ward_b):
    _written(question, ward_a, "Mine: speeding on the A26")
    _written(question, ward_b, "Theirs: litter in the park")
    _written(question, None, "Nowhere: no postcode given")
    _written(question, ward_a, "")
    client.force_login(officer)
    page = client.get(_comments_url(question)).content.decode()
    assert "Mine: speeding on the A26" in page
    assert "Theirs" not in page
    assert "Nowhere" not in page
    assert "1 written answer from the wards you look after" in page


def test_administrator_sees_every_written_answer(client, admin_user, question, ward_a):
    _written(question, ward_a, "Mine")
    _written(question, None, "Nowhere")
    client.force_login(admin_user)
    page = client.get(_comments_url(question)).content.decode()
    assert "Mine" in page
    assert "Nowhere" in page
    assert "No postcode given" in page


@pytest.mark.parametrize("answers", [1, 30])
def test_written_answers_page_runs_the_same_queries_whatever_its_length(
    client, admin_user, question, ward_a, answers, django_assert_num_queries
):
    for _ in range(answers):
        _written(question, ward_a)
    client.force_login(admin_user)
    # Session, user, roles; the survey with its districts, questions and choices; count and page.
    with django_assert_num_queries(9):
        response = client.get(_comments_url(question))
    assert response.status_code == 200


def test_survey_list_for_staff_counts_written_answers(client, officer, question, ward_a):
    _written(question, ward_a)
    _written(question, ward_a, "")
    client.force_login(officer)
    page = client.get(reverse("feedback:staff_surveys")).content.decode()
    assert question.survey.title in page
    assert "1 written answer<span" in page


def test_officer_raises_a_written_answer_as_a_concern_for_its_ward(client, officer, question, ward_a, speeding):
    answer = _written(question, ward_a)
    client.force_login(officer)
    form = client.get(_concern_url(answer))
    assert TEXT in form.content.decode()
    assert form.context["form"].initial["description"] == TEXT
    response = client.post(_concern_url(answer), {"category": "speeding", "description": "Speeding at night, A26"})
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert (concern.ward, concern.category, concern.source) == (ward_a, speeding, Concern.Source.SURVEY)
    assert concern.description == "Speeding at night, A26"
    assert concern.status == Concern.Status.RECEIVED
    assert concern.raised_by == officer
    answer.refresh_from_db()
    assert answer.concern_reference == concern.reference
    event = AuditEvent.objects.get(action="feedback.survey_answer.concern")
    assert event.data == {"survey": question.survey_id, "concern": concern.reference}
    assert AuditEvent.objects.filter(action="priorities.concern.recorded").exists()
    page = client.get(response.url).content.decode()
    assert f"Raised as PACT concern {concern.reference}" in page
    assert concern.reference in page


def test_an_answer_is_raised_once(client, officer, question, ward_a, speeding):
    answer = _written(question, ward_a)
    client.force_login(officer)
    client.post(_concern_url(answer), {"category": "speeding", "description": "Speeding"})
    with pytest.raises(FeedbackError, match="already been raised as PACT-"):
        survey_services.survey_answer_raise_concern(
            actor=officer, answer=answer, category_slug="speeding", description="Again"
        )
    assert Concern.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"category": "", "description": "x"}, "category", "Choose what the concern is about"),
        ({"category": "bribery", "description": "x"}, "category", "Choose what the concern is about"),
        ({"category": "speeding", "description": "  "}, "description", "Enter a description of the concern"),
        ({"category": "speeding", "description": "x" * 2001}, "description", "2000 characters or fewer"),
    ],
)
def test_raise_form_errors_keep_what_was_typed(client, officer, question, ward_a, speeding, data, field, error):
    answer = _written(question, ward_a)
    client.force_login(officer)
    response = client.post(_concern_url(answer), data)
    assert response.status_code == 400
    assert error in " ".join(response.context["form"].errors[field])
    assert "<title>Error: " in response.content.decode()
    assert not Concern.objects.exists()


def test_2000_characters_are_accepted(client, officer, question, ward_a, speeding):
    answer = _written(question, ward_a)
    client.force_login(officer)
    assert client.post(_concern_url(answer), {"category": "speeding", "description": "x" * 2000}).status_code == 302


def test_other_ward_officer_cannot_see_or_raise(client, other_officer, question, ward_a, speeding):
    answer = _written(question, ward_a)
    client.force_login(other_officer)
    assert client.get(_concern_url(answer)).status_code == 404
    assert client.post(_concern_url(answer), {"category": "speeding", "description": "x"}).status_code == 404
    assert not Concern.objects.exists()


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_other_roles_are_refused(client, request, persona, question, ward_a):
    answer = _written(question, ward_a)
    client.force_login(request.getfixturevalue(persona))
    for url in (reverse("feedback:staff_surveys"), _comments_url(question), _concern_url(answer)):
        assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, question, ward_a):
    answer = _written(question, ward_a)
    response = client.get(_concern_url(answer))
    assert response.status_code == 302
    assert reverse("staff:login") in response.url


def test_answers_without_a_ward_or_not_written_cannot_be_raised(admin_user, question, speeding):
    nowhere = _written(question, None)
    with pytest.raises(FeedbackError, match="no postcode"):
        survey_services.survey_answer_raise_concern(
            actor=admin_user, answer=nowhere, category_slug="speeding", description="x"
        )
    scale = SurveyQuestionFactory(survey=question.survey, kind="scale")
    scored = SurveyAnswer.objects.create(response=nowhere.response, question=scale, scale=5)
    with pytest.raises(FeedbackError, match="Only a written answer"):
        survey_services.survey_answer_raise_concern(
            actor=admin_user, answer=scored, category_slug="speeding", description="x"
        )


def test_written_answers_are_paged_25_at_a_time(client, admin_user, question, ward_a):
    for number in range(26):
        _written(question, ward_a, f"Answer number {number}")
    client.force_login(admin_user)
    first = client.get(_comments_url(question)).content.decode()
    assert "Answer number 25" in first
    assert "Answer number 0<" not in first
    assert 'href="?page=2"' in first
    assert "Answer number 0<" in client.get(_comments_url(question) + "?page=2").content.decode()
