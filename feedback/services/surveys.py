"""Writes of consultation surveys: a resident's answers.

Residents answer without an account. Obvious repeat submissions are blocked without tracking
people: the browser holds a random token in a signed cookie, and only a keyed hash of that
token and the survey is stored, so the token cannot be traced back or matched across surveys.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.intake import ConcernIntakeError, concern_intake
from core.roles import AnyUser
from feedback.errors import FeedbackError
from feedback.models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from feedback.repeat import repeat_key
from wards.models import Ward
from wards.selectors import ward_code_for_postcode

TEXT_MAX_LENGTH = 2000

ERROR_NOT_OPEN = _("This survey is not open for answers")
ERROR_ALREADY_ANSWERED = _("You have already answered this survey")
ERROR_POSTCODE_UNKNOWN = _("Enter a postcode in Kent or Medway, or leave the postcode empty")
ERROR_POSTCODE_OUTSIDE = _("This survey is only for people who live in {districts}")
ERROR_TOO_MANY_CHOICES = _("Choose up to {maximum} answers to ‘{question}’")
ERROR_REQUIRED = _("Answer ‘{question}’")
ERROR_TEXT_TOO_LONG = _("Your answer to ‘{question}’ must be 2000 characters or fewer")


@dataclass
class Answer:
    """One answer as the form cleaned it: exactly one of the values, by the question's kind."""

    scale: int | None = None
    yes: bool | None = None
    choices: list[SurveyChoice] = field(default_factory=list)
    text: str = ""

    def is_empty(self) -> bool:
        return self.scale is None and self.yes is None and not self.choices and not self.text


def survey_is_open(survey: Survey) -> bool:
    return survey.opens_at <= timezone.now() < survey.closes_at


def repeat_key_for(*, survey: Survey, token: str) -> str:
    """The keyed hash stored for a browser's token; blank when the browser sent none."""
    return repeat_key(f"survey:{survey.pk}", token)


def _ward_for_postcode(survey: Survey, postcode: str) -> Ward | None:
    if not postcode:
        return None
    code = ward_code_for_postcode(postcode)
    ward = Ward.objects.select_related("district").filter(code=code).first() if code else None
    if ward is None:
        raise FeedbackError(ERROR_POSTCODE_UNKNOWN)
    districts = list(survey.districts.all())
    if districts and ward.district not in districts:
        names = " or ".join(district.name for district in districts)
        raise FeedbackError(ERROR_POSTCODE_OUTSIDE.format(districts=names))
    return ward


def _check_answer(question: SurveyQuestion, answer: Answer) -> None:
    if question.required and answer.is_empty():
        raise FeedbackError(ERROR_REQUIRED.format(question=question.text))
    if question.kind == SurveyQuestion.Kind.MULTIPLE and len(answer.choices) > (question.max_choices or 0):
        raise FeedbackError(ERROR_TOO_MANY_CHOICES.format(maximum=question.max_choices, question=question.text))
    if answer.scale is not None and not 1 <= answer.scale <= 10:
        raise FeedbackError(ERROR_REQUIRED.format(question=question.text))
    if len(answer.text) > TEXT_MAX_LENGTH:
        raise FeedbackError(ERROR_TEXT_TOO_LONG.format(question=question.text))
    if any(choice.question_id != question.pk for choice in answer.choices):
        raise FeedbackError(ERROR_REQUIRED.format(question=question.text))


def survey_answer(*, survey: Survey, answers: dict[int, Answer], postcode: str = "", token: str = "") -> SurveyResponse:
    """Record one resident's answers to an open survey.

    Rules: the survey is open now; a postcode (normalised) must be one we hold and, for a
    survey limited to some districts, in one of them; multiple choice questions take at most
    their maximum; the same browser token answers a survey once (the database constraint
    holds under a double submit). Nothing identifying the person is stored.
    """
    if not survey_is_open(survey):
        raise FeedbackError(ERROR_NOT_OPEN)
    ward = _ward_for_postcode(survey, postcode)
    questions = list(survey.questions.all())
    for question in questions:
        _check_answer(question, answers.get(question.pk, Answer()))
    repeat_key = repeat_key_for(survey=survey, token=token)
    if repeat_key and SurveyResponse.objects.filter(survey=survey, repeat_key=repeat_key).exists():
        raise FeedbackError(ERROR_ALREADY_ANSWERED)
    try:
        with transaction.atomic():
            return _save_response(survey, ward, repeat_key, questions, answers)
    except IntegrityError:
        # Two submissions raced past the check above: the constraint refused the second.
        raise FeedbackError(ERROR_ALREADY_ANSWERED) from None


def _save_response(survey, ward, repeat_key, questions, answers) -> SurveyResponse:
    response = SurveyResponse(survey=survey, ward=ward, district=ward.district if ward else None, repeat_key=repeat_key)
    # The once-per-key constraint is checked before and enforced by the database (a double
    # submit races past any check), so it is not validated a third time here.
    response.full_clean(validate_constraints=False)
    response.save()
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None or answer.is_empty():
            continue
        saved = SurveyAnswer(response=response, question=question, scale=answer.scale, yes=answer.yes, text=answer.text)
        saved.full_clean()
        saved.save()
        if answer.choices:
            saved.choices.set(answer.choices)
    return response


# Staff: a free-text answer raised as a PACT concern for its ward (through core.intake, as the
# feedback app does not reach into the PACT cycle itself).

ERROR_NOT_A_COMMENT = _("Only a written answer can be raised as a concern")
ERROR_NO_WARD = _("The person gave no postcode, so there is no ward to raise it for")
ERROR_ALREADY_RAISED = _("This answer has already been raised as {reference}")


def survey_answer_raise_concern(*, actor: AnyUser, answer: SurveyAnswer, category_slug: str, description: str) -> str:
    """Raise a written survey answer as a PACT concern for the ward of the person's postcode,
    once; only staff who run that ward. Returns the concern's reference."""
    with transaction.atomic():
        locked = (
            SurveyAnswer.objects.select_for_update(of=("self",))
            .select_related("question", "response__ward")
            .get(pk=answer.pk)
        )
        if locked.question.kind != SurveyQuestion.Kind.TEXT or not locked.text:
            raise FeedbackError(ERROR_NOT_A_COMMENT)
        if locked.concern_reference:
            raise FeedbackError(ERROR_ALREADY_RAISED.format(reference=locked.concern_reference))
        ward = locked.response.ward
        if ward is None:
            raise FeedbackError(ERROR_NO_WARD)
        try:
            reference = concern_intake().raise_concern(
                actor=actor, ward=ward, category_slug=category_slug, description=description, source="survey"
            )
        except ConcernIntakeError as error:
            raise FeedbackError(str(error)) from error
        locked.concern_reference = reference
        locked.save(update_fields=["concern_reference"])
        audit_record(
            actor=actor,
            action="feedback.survey_answer.concern",
            target=locked,
            data={"survey": locked.response.survey_id, "concern": reference},
        )
    answer.concern_reference = reference
    return reference
