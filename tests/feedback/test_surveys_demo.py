"""The demo survey: the shape of the 2021 police and crime survey, with generated answers."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from feedback.demo import SLUG, demo_survey_create
from feedback.models import Survey, SurveyAnswer, SurveyResponse
from tests.wards.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_demo_survey_has_the_2021_shape():
    DistrictFactory(name="Ashford")
    DistrictFactory(name="Medway")
    result = demo_survey_create(responses=200)
    kinds = list(result.survey.questions.order_by("position").values_list("kind", flat=True))
    assert kinds == ["scale", "yes_no", "scale", "multiple"]
    issues = result.survey.questions.get(kind="multiple")
    assert issues.max_choices == 6
    assert issues.choices.count() == 22
    assert SurveyResponse.objects.count() == 200
    assert SurveyResponse.objects.filter(district__isnull=True).count() == 0
    assert max(answer.choices.count() for answer in SurveyAnswer.objects.filter(question=issues)) <= 6


def test_demo_survey_command_is_idempotent(capsys):
    call_command("create_demo_survey")
    call_command("create_demo_survey")
    out = capsys.readouterr().out
    assert "created: 3000 responses" in out
    assert "already there: 3000 responses" in out
    assert Survey.objects.filter(slug=SLUG).count() == 1
    assert SurveyResponse.objects.count() == 3000


def test_demo_survey_results_are_public(client):
    demo_survey_create(responses=50)
    response = client.get(reverse("feedback:survey_results", args=[SLUG]))
    assert response.status_code == 200
    assert "50 people answered" in response.content.decode()
