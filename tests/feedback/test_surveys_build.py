"""Administrators build, preview, open and close surveys from the staff area: the same rules as
the admin, an address made from the title once, and every change audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from feedback.errors import FeedbackError
from feedback.models import ERROR_CLOSES_BEFORE_OPENING, ERROR_MAXIMUM_REQUIRED, Survey, SurveyResponse
from feedback.services import surveys as services
from feedback.services.surveys import QuestionDraft, SurveyDraft
from tests.priorities.factories import SurveyChoiceFactory, SurveyFactory, SurveyQuestionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _draft(**extra) -> SurveyDraft:
    now = timezone.now()
    values = {
        "title": "Speeding on Tonbridge Road",
        "opens_at": now + 7 * DAY,
        "closes_at": now + 30 * DAY,
        "questions": [
            QuestionDraft(kind="scale", text="How safe do you feel?"),
            QuestionDraft(kind="multiple", text="Which roads?", max_choices=2, choices=["A26", "A20", "B2015"]),
        ],
    }
    return SurveyDraft(**values | extra)


def _admin_form(**extra) -> dict:
    """The admin's add-survey form (as tests/feedback/test_surveys_admin.py posts it)."""
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


def _staff_form(**extra) -> dict:
    data = {
        "title": "Speeding survey",
        "introduction": "Tell us where drivers speed.",
        "opens_at_0": "1",
        "opens_at_1": "3",
        "opens_at_2": "2026",
        "closes_at_0": "31",
        "closes_at_1": "3",
        "closes_at_2": "2026",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "50",
        "questions-0-kind": "multiple",
        "questions-0-text": "Which roads?",
        "questions-0-max_choices": "2",
        "questions-0-choices": "A26\r\nA20\r\n\r\nB2015",
        "questions-1-kind": "text",
        "questions-1-text": "Anything else?",
        "action": "save",
    }
    return data | extra


# The rules: one set, the models', for the admin and the staff pages alike.


@pytest.mark.parametrize(
    ("admin_change", "staff_change", "message"),
    [
        ({"questions-0-max_choices": ""}, {"questions-0-max_choices": ""}, ERROR_MAXIMUM_REQUIRED),
        ({"closes_at_0": "2026-02-01"}, {"closes_at_0": "1", "closes_at_1": "2"}, ERROR_CLOSES_BEFORE_OPENING),
    ],
)
def test_survey_rules_are_the_admins(client, admin_user, admin_change, staff_change, message):
    client.force_login(admin_user)
    admin = client.post(reverse("admin:feedback_survey_add"), _admin_form(**admin_change))
    staff = client.post(reverse("feedback:staff_survey_create"), _staff_form(**staff_change))
    assert admin.status_code == 200
    assert staff.status_code == 400
    assert str(message) in admin.content.decode()
    assert str(message) in staff.content.decode()
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"questions": [QuestionDraft(kind="multiple", text="Which roads?", choices=["A26", "A20"])]},
            ERROR_MAXIMUM_REQUIRED,
        ),
        ({"closes_at": timezone.now()}, ERROR_CLOSES_BEFORE_OPENING),
    ],
)
def test_survey_create_refuses_what_the_admin_refuses(admin_user, change, message):
    with pytest.raises(FeedbackError, match=str(message)):
        services.survey_create(actor=admin_user, draft=_draft(**change))
    assert not Survey.objects.exists()


def test_survey_create_makes_the_address_from_the_title_once(admin_user):
    survey = services.survey_create(actor=admin_user, draft=_draft())
    again = services.survey_create(actor=admin_user, draft=_draft())
    services.survey_update(actor=admin_user, survey=survey, draft=_draft(title="Speeding in Maidstone"))
    survey.refresh_from_db()
    assert survey.title == "Speeding in Maidstone"
    assert survey.slug == "speeding-on-tonbridge-road"
    assert again.slug == "speeding-on-tonbridge-road-2"


def test_survey_create_saves_questions_and_choices_in_order_and_audits(admin_user):
    survey = services.survey_create(actor=admin_user, draft=_draft())
    questions = list(survey.questions.order_by("position"))
    assert [(question.position, question.kind) for question in questions] == [(1, "scale"), (2, "multiple")]
    assert list(questions[1].choices.order_by("position").values_list("text", flat=True)) == ["A26", "A20", "B2015"]
    event = AuditEvent.objects.get(action="feedback.survey.created")
    assert event.actor == admin_user
    assert event.data["questions"][1]["choices"] == ["A26", "A20", "B2015"]


def test_survey_update_replaces_questions_before_anyone_answers_and_audits(admin_user):
    survey = services.survey_create(actor=admin_user, draft=_draft())
    services.survey_update(
        actor=admin_user, survey=survey, draft=_draft(questions=[QuestionDraft(kind="yes_no", text="Is it safe?")])
    )
    assert list(survey.questions.values_list("kind", flat=True)) == ["yes_no"]
    event = AuditEvent.objects.get(action="feedback.survey.updated")
    assert len(event.data["before"]["questions"]) == 2
    assert len(event.data["after"]["questions"]) == 1


def test_survey_update_after_answers_only_rewords(admin_user):
    survey = services.survey_create(actor=admin_user, draft=_draft())
    SurveyResponse.objects.create(survey=survey)
    reworded = [
        QuestionDraft(kind="scale", text="How safe do you feel at night?"),
        QuestionDraft(kind="multiple", text="Which roads?", max_choices=2, choices=["A26 London Road", "A20", "B2015"]),
    ]
    services.survey_update(actor=admin_user, survey=survey, draft=_draft(questions=reworded))
    question = survey.questions.get(position=2)
    assert question.choices.get(position=1).text == "A26 London Road"
    for changed in (
        [*reworded, QuestionDraft(kind="text", text="Anything else?")],
        [QuestionDraft(kind="yes_no", text="Safe?"), reworded[1]],
        [reworded[0], QuestionDraft(kind="multiple", text="Which roads?", max_choices=1, choices=["A", "B", "C"])],
        [reworded[0], QuestionDraft(kind="multiple", text="Which roads?", max_choices=2, choices=["A", "B"])],
    ):
        with pytest.raises(FeedbackError, match=str(services.ERROR_ANSWERED_STRUCTURE)):
            services.survey_update(actor=admin_user, survey=survey, draft=_draft(questions=changed))
    assert survey.questions.count() == 2


def test_survey_open_and_close_are_audited(admin_user):
    survey = services.survey_create(actor=admin_user, draft=_draft())
    services.survey_open(actor=admin_user, survey=survey)
    survey.refresh_from_db()
    assert services.survey_is_open(survey)
    services.survey_close(actor=admin_user, survey=survey)
    survey.refresh_from_db()
    assert not services.survey_is_open(survey)
    assert survey.closes_at > survey.opens_at
    actions = list(AuditEvent.objects.filter(object_id=str(survey.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == ["feedback.survey.created", "feedback.survey.opened", "feedback.survey.closed"]


def test_survey_open_refuses_an_empty_survey_and_too_few_choices(admin_user):
    empty = services.survey_create(actor=admin_user, draft=_draft(questions=[]))
    with pytest.raises(FeedbackError, match=str(services.ERROR_OPEN_NO_QUESTIONS)):
        services.survey_open(actor=admin_user, survey=empty)
    one = [QuestionDraft(kind="single", text="Where?", choices=["Only here"])]
    few = services.survey_create(actor=admin_user, draft=_draft(title="Few", questions=one))
    with pytest.raises(FeedbackError, match="Where"):
        services.survey_open(actor=admin_user, survey=few)
    assert not AuditEvent.objects.filter(action="feedback.survey.opened").exists()


def test_survey_open_and_close_refuse_the_wrong_state(admin_user):
    open_now = SurveyFactory()
    with pytest.raises(FeedbackError, match=str(services.ERROR_ALREADY_OPEN)):
        services.survey_open(actor=admin_user, survey=open_now)
    closed = SurveyFactory(opens_at=timezone.now() - 9 * DAY, closes_at=timezone.now() - DAY)
    with pytest.raises(FeedbackError, match=str(services.ERROR_OPEN_CLOSED)):
        services.survey_open(actor=admin_user, survey=closed)
    with pytest.raises(FeedbackError, match=str(services.ERROR_CLOSE_NOT_OPEN)):
        services.survey_close(actor=admin_user, survey=closed)


def test_admin_keeps_the_address_once_made(client, admin_user):
    survey = SurveyFactory(slug="speeding")
    client.force_login(admin_user)
    page = client.get(reverse("admin:feedback_survey_change", args=[survey.pk])).content.decode()
    assert 'name="slug"' not in page


# The pages.

NEW_URLS = ["feedback:staff_survey_edit", "feedback:staff_survey_preview", "feedback:staff_survey_open"]


@pytest.mark.parametrize("persona", ["outsider", "officer", "chair"])
def test_survey_building_refused_to_others(client, persona, request):
    survey = SurveyFactory()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("feedback:staff_survey_create")).status_code == 403
    assert client.post(reverse("feedback:staff_survey_create"), _staff_form()).status_code == 403
    for name in [*NEW_URLS, "feedback:staff_survey_close"]:
        assert client.get(reverse(name, args=[survey.slug])).status_code == 403
    assert client.post(reverse("feedback:staff_survey_close", args=[survey.slug])).status_code == 403
    assert Survey.objects.get().closes_at == survey.closes_at
    assert not AuditEvent.objects.exists()


def test_admin_creates_a_survey_in_one_form(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("feedback:staff_survey_create"), _staff_form())
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.slug == "speeding-survey"
    assert timezone.localtime(survey.opens_at).isoformat() == "2026-03-01T00:00:00+00:00"
    assert timezone.localtime(survey.closes_at).isoformat() == "2026-04-01T00:00:00+01:00"
    question = survey.questions.get(position=1)
    assert list(question.choices.values_list("text", flat=True)) == ["A26", "A20", "B2015"]
    assert survey.questions.get(position=2).kind == "text"


def test_add_another_question_saves_nothing_and_keeps_what_was_typed(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("feedback:staff_survey_create"), _staff_form(action="add-question"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Question 3" in page
    assert "Which roads?" in page
    assert "There is a problem" not in page
    assert not Survey.objects.exists()


def test_answered_survey_form_holds_the_type_and_maximum(client, admin_user):
    question = SurveyQuestionFactory(kind="multiple", max_choices=2, text="Which roads?")
    SurveyChoiceFactory.create_batch(2, question=question)
    SurveyResponse.objects.create(survey=question.survey)
    client.force_login(admin_user)
    url = reverse("feedback:staff_survey_edit", args=[question.survey.slug])
    page = client.get(url).content.decode()
    assert "Add another question" not in page
    data = _staff_form(
        **{
            "questions-TOTAL_FORMS": "1",
            "questions-0-kind": "text",
            "questions-0-max_choices": "",
            "questions-0-text": "Which roads are worst?",
            "questions-0-choices": "A26\nA20",
        }
    )
    assert client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.max_choices, question.text) == ("multiple", 2, "Which roads are worst?")


def test_staff_survey_list_queries(client, admin_user, django_assert_num_queries):
    for _ in range(3):
        SurveyFactory()
    client.force_login(admin_user)
    # session, user, the user's roles, surveys with their written answers counted
    with django_assert_num_queries(4):
        response = client.get(reverse("feedback:staff_surveys"))
    page = response.content.decode()
    assert page.count("Close now") == 3
    assert "Create a survey" in page


def test_survey_preview_shows_the_residents_page_without_taking_answers(client, admin_user, django_assert_num_queries):
    survey = SurveyFactory(opens_at=timezone.now() + DAY)
    for _ in range(3):
        SurveyChoiceFactory.create_batch(3, question=SurveyQuestionFactory(survey=survey, kind="single"))
    client.force_login(admin_user)
    # session, user, roles, the survey, its districts, its questions, their choices
    with django_assert_num_queries(7):
        response = client.get(reverse("feedback:staff_survey_preview", args=[survey.slug]))
    page = response.content.decode()
    assert page.count('type="radio"') == 9
    assert "takes no answers" in page
    assert f'action="{reverse("feedback:survey", args=[survey.slug])}"' not in page
    assert "disabled" in page


def test_open_asks_first_then_opens(client, admin_user):
    question = SurveyQuestionFactory(survey=SurveyFactory(opens_at=timezone.now() + DAY))
    url = reverse("feedback:staff_survey_open", args=[question.survey.slug])
    client.force_login(admin_user)
    assert "Open this survey now?" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="feedback.survey.opened").count() == 0
    response = client.post(url, follow=True)
    assert "Survey opened" in response.content.decode()
    assert AuditEvent.objects.filter(action="feedback.survey.opened").count() == 1


def test_close_of_a_closed_survey_says_why(client, admin_user):
    survey = SurveyFactory(opens_at=timezone.now() - 9 * DAY, closes_at=timezone.now() - DAY)
    client.force_login(admin_user)
    response = client.post(reverse("feedback:staff_survey_close", args=[survey.slug]))
    assert response.status_code == 400
    assert str(services.ERROR_CLOSE_NOT_OPEN) in response.content.decode()


def test_survey_edit_page_queries(client, admin_user, django_assert_num_queries):
    survey = SurveyFactory()
    for _ in range(3):
        SurveyChoiceFactory.create_batch(3, question=SurveyQuestionFactory(survey=survey, kind="single"))
    client.force_login(admin_user)
    # session, user, roles; the survey, its districts, questions and their choices; whether anyone
    # has answered; the districts to choose from
    with django_assert_num_queries(9):
        response = client.get(reverse("feedback:staff_survey_edit", args=[survey.slug]))
    assert response.content.decode().count("Choose a type") == 3
    assert response.context["formset"].total_form_count() == 3


def test_survey_create_refuses_an_address_taken_at_the_same_moment(admin_user, monkeypatch):
    SurveyFactory(slug="speeding-on-tonbridge-road")
    # The other survey was saved between looking for a free address and saving this one.
    monkeypatch.setattr(services, "_slug_for", lambda title: "speeding-on-tonbridge-road")
    with pytest.raises(FeedbackError, match=str(services.ERROR_ADDRESS_TAKEN)):
        services.survey_create(actor=admin_user, draft=_draft())
    assert Survey.objects.count() == 1
    assert not AuditEvent.objects.exists()
