"""Writes of consultation surveys: a resident's answers; building, opening and closing a survey.

Residents answer without an account. Obvious repeat submissions are blocked without tracking
people: the browser holds a random token in a signed cookie, and only a keyed hash of that
token and the survey is stored, so the token cannot be traced back or matched across surveys.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.intake import ConcernIntakeError, concern_intake
from core.roles import AnyUser
from feedback.errors import FeedbackError
from feedback.models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from feedback.repeat import repeat_key
from wards.models import District, Ward
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


# Staff: building a survey, and opening and closing it, for administrators. The rules of a
# survey and a question are the models' own (Survey.clean, SurveyQuestion.clean and the
# constraints), so the admin and the staff form refuse exactly the same things.

SLUG_MAX_LENGTH = 70

ERROR_ANSWERED_STRUCTURE = _(
    "People have answered this survey, so its questions and choices can be reworded but not "
    "added, removed, moved or changed in type or maximum"
)
ERROR_OPEN_NO_QUESTIONS = _("Add at least one question before the survey opens")
ERROR_OPEN_FEW_CHOICES = _("Give ‘{question}’ at least two choices before the survey opens")
ERROR_ALREADY_OPEN = _("This survey is already open")
ERROR_OPEN_CLOSED = _("This survey has closed. Change its closing date to open it again")
ERROR_CLOSE_NOT_OPEN = _("Only an open survey can be closed")
ERROR_ADDRESS_TAKEN = _("Another survey with this title was saved at the same moment. Save again")


@dataclass
class QuestionDraft:
    """One question as the staff form cleaned it, its choices in order (for a choice question)."""

    kind: str
    text: str
    hint: str = ""
    required: bool = False
    max_choices: int | None = None
    choices: list[str] = field(default_factory=list)


@dataclass
class SurveyDraft:
    title: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    introduction: str = ""
    districts: list[District] = field(default_factory=list)
    questions: list[QuestionDraft] = field(default_factory=list)


def _validated(instance: models.Model, exclude: list[str]) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise FeedbackError(" ".join(error.messages)) from error


def _slug_for(title: str) -> str:
    """A free address made from the title: ``speeding``, else ``speeding-2`` and so on."""
    base = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "survey"
    taken = set(Survey.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _survey_fields(survey: Survey, draft: SurveyDraft) -> None:
    survey.title = draft.title
    survey.introduction = draft.introduction
    survey.opens_at = draft.opens_at
    survey.closes_at = draft.closes_at
    # The address is made here, not typed; the unique constraint holds it under a race.
    _validated(survey, exclude=["districts", "slug"])


def _questions_create(survey: Survey, drafts: list[QuestionDraft]) -> None:
    for position, draft in enumerate(drafts, start=1):
        question = SurveyQuestion(
            survey=survey,
            position=position,
            kind=draft.kind,
            text=draft.text,
            hint=draft.hint,
            required=draft.required,
            max_choices=draft.max_choices,
        )
        _validated(question, exclude=[])
        question.save()
        for number, text in enumerate(draft.choices if question.has_choices else [], start=1):
            choice = SurveyChoice(question=question, position=number, text=text)
            _validated(choice, exclude=[])
            choice.save()


def _snapshot(survey: Survey) -> dict:
    questions = survey.questions.order_by("position").prefetch_related("choices")
    return {
        "title": survey.title,
        "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(),
        "districts": sorted(survey.districts.values_list("code", flat=True)),
        "questions": [
            {
                "kind": question.kind,
                "text": question.text,
                "required": question.required,
                "max_choices": question.max_choices,
                "choices": [choice.text for choice in question.choices.all()],
            }
            for question in questions
        ],
    }


def survey_create(*, actor: AnyUser, draft: SurveyDraft) -> Survey:
    """Create a survey with its questions and choices, its address made from the title once."""
    try:
        with transaction.atomic():
            survey = Survey(slug=_slug_for(draft.title))
            _survey_fields(survey, draft)
            survey.save()
            survey.districts.set(draft.districts)
            _questions_create(survey, draft.questions)
            audit_record(actor=actor, action="feedback.survey.created", target=survey, data=_snapshot(survey))
    except IntegrityError:
        # Another survey of the same title took the address between the look and the save.
        raise FeedbackError(ERROR_ADDRESS_TAKEN) from None
    return survey


def _same_shape(questions: list[SurveyQuestion], drafts: list[QuestionDraft]) -> bool:
    if len(questions) != len(drafts):
        return False
    return all(
        question.kind == draft.kind
        and question.max_choices == (draft.max_choices if question.has_choices else question.max_choices)
        and (not question.has_choices or len(question.choices.all()) == len(draft.choices))
        for question, draft in zip(questions, drafts, strict=True)
    )


def _questions_reword(questions: list[SurveyQuestion], drafts: list[QuestionDraft]) -> None:
    for question, draft in zip(questions, drafts, strict=True):
        question.text, question.hint, question.required = draft.text, draft.hint, draft.required
        _validated(question, exclude=[])
        question.save(update_fields=["text", "hint", "required"])
        for choice, text in zip(question.choices.all(), draft.choices if question.has_choices else [], strict=False):
            choice.text = text
            _validated(choice, exclude=[])
            choice.save(update_fields=["text"])


def survey_update(*, actor: AnyUser, survey: Survey, draft: SurveyDraft) -> Survey:
    """Change a survey, never its address. Before anyone answers, its questions are replaced
    as drafted; after, they may only be reworded (the same questions, types, maximums and
    number of choices), so every answer keeps meaning what it meant."""
    with transaction.atomic():
        # The row lock waits for, and then sees, a response being saved at this moment (its
        # foreign key takes a share lock on the survey).
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        before = _snapshot(locked)
        _survey_fields(locked, draft)
        locked.save(update_fields=["title", "introduction", "opens_at", "closes_at"])
        locked.districts.set(draft.districts)
        if locked.responses.exists():
            questions = list(locked.questions.order_by("position").prefetch_related("choices"))
            if not _same_shape(questions, draft.questions):
                raise FeedbackError(ERROR_ANSWERED_STRUCTURE)
            _questions_reword(questions, draft.questions)
        else:
            locked.questions.all().delete()
            _questions_create(locked, draft.questions)
        after = _snapshot(locked)
        audit_record(
            actor=actor, action="feedback.survey.updated", target=locked, data={"before": before, "after": after}
        )
    return locked


def survey_open(*, actor: AnyUser, survey: Survey) -> Survey:
    """Open a survey for answers now. It needs a question, and every choice question two choices."""
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        now = timezone.now()
        if locked.closes_at <= now:
            raise FeedbackError(ERROR_OPEN_CLOSED)
        if locked.opens_at <= now:
            raise FeedbackError(ERROR_ALREADY_OPEN)
        questions = list(locked.questions.prefetch_related("choices"))
        if not questions:
            raise FeedbackError(ERROR_OPEN_NO_QUESTIONS)
        for question in questions:
            if question.has_choices and len(question.choices.all()) < 2:
                raise FeedbackError(ERROR_OPEN_FEW_CHOICES.format(question=question.text))
        was = locked.opens_at
        locked.opens_at = now
        locked.save(update_fields=["opens_at"])
        audit_record(
            actor=actor,
            action="feedback.survey.opened",
            target=locked,
            data={"opens_at": [was.isoformat(), now.isoformat()]},
        )
    return locked


def survey_close(*, actor: AnyUser, survey: Survey) -> Survey:
    """Close an open survey now: it takes no more answers and its results become public."""
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey_is_open(locked):
            raise FeedbackError(ERROR_CLOSE_NOT_OPEN)
        was, now = locked.closes_at, timezone.now()
        locked.closes_at = now
        locked.save(update_fields=["closes_at"])
        audit_record(
            actor=actor,
            action="feedback.survey.closed",
            target=locked,
            data={"closes_at": [was.isoformat(), now.isoformat()]},
        )
    return locked
