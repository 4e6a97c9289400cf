"""Security review finding 7: a password-only session (second factor not yet passed) counts as
no staff role anywhere, not only on the staff pages that check it themselves."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.priorities.factories import SurveyChoiceFactory, SurveyFactory, SurveyQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_survey():
    survey = SurveyFactory(closes_at=timezone.now() + datetime.timedelta(days=1))
    question = SurveyQuestionFactory(survey=survey)
    SurveyChoiceFactory(question=question)
    return survey


def test_finding_7_password_only_session_sees_no_early_survey_results(client, officer, open_survey):
    url = reverse("feedback:survey_results", args=[open_survey.slug])
    client.force_login(officer, second_factor=False)

    content = client.get(url).content.decode()

    assert "The results are published when the survey closes" in content


def test_finding_7_verified_session_still_sees_early_survey_results(client, officer, open_survey):
    url = reverse("feedback:survey_results", args=[open_survey.slug])
    client.force_login(officer)

    assert "The results are published when the survey closes" not in client.get(url).content.decode()
