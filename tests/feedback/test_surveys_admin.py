"""The survey builder in the admin: administrators only, every change audited."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from feedback.models import Survey, SurveyQuestion

pytestmark = pytest.mark.django_db


def _survey_form(**extra) -> dict:
    data = {
        "title": "Speeding survey",
        "slug": "speeding",
        "introduction": "",
        "opens_at_0": "2026-03-01",
        "opens_at_1": "09:00",
        "closes_at_0": "2026-03-31",
        "closes_at_1": "17:00",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-position": "1",
        "questions-0-kind": "multiple",
        "questions-0-text": "Which roads?",
        "questions-0-hint": "",
        "questions-0-max_choices": "3",
    }
    return data | extra


def test_survey_admin_builds_survey_and_audits(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:feedback_survey_add"), _survey_form())
    assert response.status_code == 302
    survey = Survey.objects.get(slug="speeding")
    assert survey.questions.get().max_choices == 3
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"feedback.survey.created", "feedback.surveyquestion.created"} <= actions


def test_survey_admin_refuses_multiple_without_maximum(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:feedback_survey_add"), _survey_form(**{"questions-0-max_choices": ""}))
    assert response.status_code == 200
    assert not SurveyQuestion.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "officer"])
def test_survey_admin_refused_to_others(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:feedback_survey_add")).status_code in (302, 403)
    assert not AuditEvent.objects.exists()


def test_equality_responses_are_not_in_the_admin():
    from django.contrib import admin

    from feedback.models import EqualityResponse

    assert not admin.site.is_registered(EqualityResponse)


def test_survey_question_admin_adds_choices_and_audits(client, admin_user):
    from tests.priorities.factories import SurveyQuestionFactory

    question = SurveyQuestionFactory(kind="single", text="Where?")
    client.force_login(admin_user)
    data = {
        "survey": question.survey_id,
        "position": question.position,
        "kind": "single",
        "text": "Where?",
        "hint": "",
        "max_choices": "",
        "choices-TOTAL_FORMS": "1",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-position": "1",
        "choices-0-text": "Town centre",
    }
    response = client.post(reverse("admin:feedback_surveyquestion_change", args=[question.pk]), data)
    assert response.status_code == 302
    assert list(question.choices.values_list("text", flat=True)) == ["Town centre"]
    assert AuditEvent.objects.filter(action="feedback.surveychoice.created").exists()
