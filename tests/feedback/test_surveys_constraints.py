import pytest
from django.db import IntegrityError

from feedback.models import SurveyQuestion
from tests.priorities.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_a_multiple_choice_question_without_a_maximum():
    survey = SurveyFactory()

    with pytest.raises(IntegrityError):
        SurveyQuestion.objects.create(survey=survey, position=1, kind="multiple", text="Which issues?")


def test_database_accepts_other_questions_without_a_maximum():
    survey = SurveyFactory()

    SurveyQuestion.objects.create(survey=survey, position=1, kind="scale", text="How safe do you feel?")
