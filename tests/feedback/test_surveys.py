"""Answering a consultation survey: the form, its rules and repeat blocking."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.forms import ERROR_HONEYPOT
from feedback.errors import FeedbackError
from feedback.forms.surveys import ERROR_POSTCODE_INVALID
from feedback.models import SurveyAnswer, SurveyResponse
from feedback.services import surveys as services
from feedback.views.surveys.public import ERROR_RATE_LIMITED
from tests.priorities.factories import SurveyChoiceFactory, SurveyFactory, SurveyQuestionFactory
from tests.wards.factories import DistrictFactory, PostcodeFactory, WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory(title="Safer Kent survey", slug="safer-kent")
    SurveyQuestionFactory(survey=survey, position=1, kind="scale", text="How safe do you feel?", required=True)
    SurveyQuestionFactory(survey=survey, position=2, kind="yes_no", text="Victim of crime?")
    single = SurveyQuestionFactory(survey=survey, position=3, kind="single", text="Where do you live?")
    SurveyChoiceFactory(question=single, position=1, text="Town")
    SurveyChoiceFactory(question=single, position=2, text="Village")
    multiple = SurveyQuestionFactory(survey=survey, position=4, kind="multiple", text="Which issues?", max_choices=2)
    for position, text in enumerate(["Speeding", "Burglary", "Drugs"], start=1):
        SurveyChoiceFactory(question=multiple, position=position, text=text)
    SurveyQuestionFactory(survey=survey, position=5, kind="text", text="Anything else?")
    return survey


def _field(survey, position: int) -> str:
    return f"question_{survey.questions.get(position=position).pk}"


def _choice(survey, position: int, text: str) -> str:
    return str(survey.questions.get(position=position).choices.get(text=text).pk)


def _answers(survey, **extra) -> dict:
    data = {
        _field(survey, 1): "7",
        _field(survey, 2): "no",
        _field(survey, 3): _choice(survey, 3, "Village"),
        _field(survey, 4): [_choice(survey, 4, "Speeding"), _choice(survey, 4, "Drugs")],
        _field(survey, 5): "More patrols, please.",
        "postcode": "",
        "website": "",
    }
    return data | extra


def _minimal(survey) -> dict:
    return {survey.questions.get(position=1).pk: services.Answer(scale=5)}


def _answer(client, survey, **extra):
    url = reverse("feedback:survey", args=[survey.slug])
    client.get(url)  # the form is shown first, which gives the browser its token
    return client.post(url, _answers(survey, **extra))


def test_survey_list_shows_open_surveys_only(client, survey):
    SurveyFactory(
        title="Old survey",
        opens_at=timezone.now() - datetime.timedelta(days=60),
        closes_at=timezone.now() - datetime.timedelta(days=30),
    )
    SurveyFactory(title="Future survey", opens_at=timezone.now() + datetime.timedelta(days=3))
    response = client.get(reverse("feedback:surveys"))
    content = response.content.decode()
    assert "Safer Kent survey" in content
    assert "Future survey" not in content
    assert "Results of Old survey" in content


def test_survey_list_query_count(client, django_assert_num_queries):
    for _ in range(3):
        SurveyFactory()
        SurveyFactory(opens_at=timezone.now() - datetime.timedelta(days=60), closes_at=timezone.now())
    # 1 open surveys, 2 closed surveys (the session and user are not loaded for a visitor)
    with django_assert_num_queries(2):
        response = client.get(reverse("feedback:surveys"))
    assert response.content.decode().count("Results of Community safety survey") == 3


def test_survey_list_empty_state(client):
    response = client.get(reverse("feedback:surveys"))
    assert "There are no surveys open at the moment." in response.content.decode()


def test_survey_page_shows_every_question(client, survey):
    response = client.get(reverse("feedback:survey", args=[survey.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in ["How safe do you feel?", "Victim of crime?", "Where do you live?", "Which issues?", "Anything else?"]:
        assert text in content
    assert "Choose up to 2" in content
    assert 'type="checkbox"' in content
    assert content.count('type="radio"') == 10 + 2 + 2
    assert "pact_survey" in response.cookies


def test_survey_answer_records_response_and_answers(client, survey):
    response = _answer(client, survey)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:survey_answered", args=[survey.slug])
    saved = SurveyResponse.objects.get()
    assert len(saved.repeat_key) == 64
    answers = {answer.question.position: answer for answer in SurveyAnswer.objects.all()}
    assert answers[1].scale == 7
    assert answers[2].yes is False
    assert [choice.text for choice in answers[3].choices.all()] == ["Village"]
    assert sorted(choice.text for choice in answers[4].choices.all()) == ["Drugs", "Speeding"]
    assert answers[5].text == "More patrols, please."
    assert "Your answers have been sent" in client.get(response["Location"]).content.decode()


def test_survey_answer_stores_no_token_in_clear(client, survey):
    _answer(client, survey)
    token = client.cookies["pact_survey"].value
    assert SurveyResponse.objects.get().repeat_key not in token


def test_survey_answer_second_time_is_refused(client, survey):
    _answer(client, survey)
    response = _answer(client, survey)
    assert response.status_code == 200
    assert "You have already answered this survey" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_survey_answer_other_browser_may_answer(client, survey, django_user_model):
    from django.test import Client

    _answer(client, survey)
    assert _answer(Client(), survey).status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_survey_repeat_key_unique_under_double_submit(survey):
    SurveyResponse.objects.create(survey=survey, repeat_key="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, repeat_key="a" * 64)


def test_survey_answer_race_is_refused_by_constraint(survey, monkeypatch):
    services.survey_answer(survey=survey, answers=_minimal(survey), token="same")
    # The check before saving missed the first submission (it was not yet committed).
    monkeypatch.setattr(SurveyResponse.objects, "filter", lambda **kwargs: SurveyResponse.objects.none())
    with pytest.raises(FeedbackError, match=str(services.ERROR_ALREADY_ANSWERED)):
        services.survey_answer(survey=survey, answers=_minimal(survey), token="same")
    assert SurveyResponse.objects.count() == 1


def test_survey_answer_without_token_is_kept_without_key(survey):
    response = services.survey_answer(survey=survey, answers=_minimal(survey), token="")
    assert response.repeat_key == ""


def test_survey_answer_too_many_choices_refused(client, survey):
    choices = [_choice(survey, 4, text) for text in ["Speeding", "Burglary", "Drugs"]]
    response = _answer(client, survey, **{_field(survey, 4): choices})
    assert response.status_code == 200
    assert "Choose up to 2 answers to ‘Which issues?’" in response.content.decode()
    assert response.context["form"].errors
    assert not SurveyResponse.objects.exists()


def test_survey_service_refuses_too_many_choices(survey):
    question = survey.questions.get(position=4)
    answer = services.Answer(choices=list(question.choices.all()))
    with pytest.raises(FeedbackError, match="Choose up to 2"):
        services.survey_answer(survey=survey, answers=_minimal(survey) | {question.pk: answer})


def test_survey_answer_max_choices_exactly_accepted(client, survey):
    choices = [_choice(survey, 4, text) for text in ["Speeding", "Burglary"]]
    assert _answer(client, survey, **{_field(survey, 4): choices}).status_code == 302


def test_survey_answer_required_question_missing(client, survey):
    response = _answer(client, survey, **{_field(survey, 1): ""})
    assert "Answer ‘How safe do you feel?’" in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1


@pytest.mark.parametrize("value", ["0", "11", "seven"])
def test_survey_answer_scale_out_of_range_refused(client, survey, value):
    response = _answer(client, survey, **{_field(survey, 1): value})
    assert response.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_survey_answer_scale_limits_accepted(client, survey):
    assert _answer(client, survey, **{_field(survey, 1): "10"}).status_code == 302
    assert services.survey_answer(
        survey=survey, answers={survey.questions.get(position=1).pk: services.Answer(scale=1)}
    )


def test_survey_answer_text_at_limit_accepted_over_refused(client, survey):
    assert _answer(client, survey, **{_field(survey, 5): "x" * 2000}).status_code == 302
    client.cookies.clear()
    response = _answer(client, survey, **{_field(survey, 5): "x" * 2001})
    assert "Your answer to ‘Anything else?’ must be 2000 characters or fewer" in response.content.decode()


def test_survey_answer_line_breaks_count_once(client, survey):
    assert _answer(client, survey, **{_field(survey, 5): "x\r\n" * 666 + "xx"}).status_code == 302


def test_survey_answer_bad_postcode_refused(client, survey):
    response = _answer(client, survey, postcode="not a postcode")
    assert str(ERROR_POSTCODE_INVALID) in response.content.decode()


def test_survey_answer_unknown_postcode_refused(client, survey):
    response = _answer(client, survey, postcode="ZZ1 1ZZ")
    assert str(services.ERROR_POSTCODE_UNKNOWN) in response.content.decode()


def test_survey_answer_postcode_gives_ward_and_district(client, survey):
    ward = WardFactory()
    postcode = PostcodeFactory(ward=ward)
    assert _answer(client, survey, postcode=postcode.postcode.lower().replace(" ", "")).status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.ward == ward
    assert saved.district == ward.district


def test_survey_for_districts_refuses_postcode_elsewhere(client, survey):
    medway = DistrictFactory(name="Medway")
    survey.districts.add(medway)
    elsewhere = PostcodeFactory(ward=WardFactory(district=DistrictFactory(name="Dover")))
    response = _answer(client, survey, postcode=elsewhere.postcode)
    assert "This survey is only for people who live in Medway" in response.content.decode()
    inside = PostcodeFactory(ward=WardFactory(district=medway))
    assert _answer(client, survey, postcode=inside.postcode).status_code == 302


def test_survey_closed_refuses_answers(client, survey):
    survey.closes_at = timezone.now() - datetime.timedelta(days=1)
    survey.save()
    url = reverse("feedback:survey", args=[survey.slug])
    assert "This survey closed on" in client.get(url).content.decode()
    response = client.post(url, _answers(survey))
    assert response.status_code == 403
    assert not SurveyResponse.objects.exists()
    with pytest.raises(FeedbackError, match=str(services.ERROR_NOT_OPEN)):
        services.survey_answer(survey=survey, answers=_minimal(survey))


def test_survey_not_yet_open_refuses_answers(client, survey):
    survey.opens_at = timezone.now() + datetime.timedelta(days=1)
    survey.save()
    url = reverse("feedback:survey", args=[survey.slug])
    assert "This survey opens on" in client.get(url).content.decode()
    assert client.post(url, _answers(survey)).status_code == 403


def test_survey_unknown_slug_is_not_found(client):
    assert client.get(reverse("feedback:survey", args=["no-such-survey"])).status_code == 404


def test_survey_honeypot_refuses(client, survey):
    response = _answer(client, survey, website="http://spam.example")
    assert str(ERROR_HONEYPOT) in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_survey_answers_are_rate_limited(client, survey, monkeypatch):
    monkeypatch.setattr("feedback.views.surveys.public.form_limit_refusal", lambda request, rule: ERROR_RATE_LIMITED)
    response = _answer(client, survey)
    assert response.status_code == 429
    assert str(ERROR_RATE_LIMITED) in response.content.decode()


def test_survey_form_needs_csrf(survey):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("feedback:survey", args=[survey.slug]), _answers(survey))
    assert response.status_code == 403
