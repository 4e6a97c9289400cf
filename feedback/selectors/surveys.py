"""Reads of consultation surveys: the open ones, one to answer, and its results.

Results are computed in the database (counts and averages grouped by question and by
choice), so a results page runs the same few queries however many answers there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from feedback.models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from wards.models import District, Ward

TOP_CHOICES = 5


def surveys_open() -> QuerySet[Survey]:
    """Surveys open for answers now, closing soonest first."""
    now = timezone.now()
    return Survey.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "title")


def surveys_open_for_district(district_id: int) -> list[Survey]:
    """Surveys open now that ask the district's residents: its own and force-wide ones. One query."""
    in_district = Q(districts__isnull=True) | Q(districts__id=district_id)
    return list(surveys_open().filter(in_district).distinct())


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's consultations section: the surveys open in its district."""
    return {"open_surveys": surveys_open_for_district(ward.district_id)}


def surveys_closed() -> QuerySet[Survey]:
    """Closed surveys, whose results are public, most recently closed first."""
    return Survey.objects.filter(closes_at__lte=timezone.now()).order_by("-closes_at", "title")


def survey_for_page(*, slug: str) -> Survey | None:
    """A survey with its districts, questions and their choices, for the answer and results pages."""
    questions = SurveyQuestion.objects.order_by("position").prefetch_related(
        Prefetch("choices", queryset=SurveyChoice.objects.order_by("position"))
    )
    return (
        Survey.objects.prefetch_related("districts", Prefetch("questions", queryset=questions))
        .filter(slug=slug)
        .first()
    )


@dataclass
class ChoiceResult:
    choice: SurveyChoice
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    average: float | None = None
    yes_percent: float | None = None
    choices: list[ChoiceResult] = field(default_factory=list)

    @property
    def top_choices(self) -> list[ChoiceResult]:
        """The most chosen choices of a multiple choice question, the top five."""
        ranked = sorted(self.choices, key=lambda result: (-result.count, result.choice.position))
        return [result for result in ranked if result.count][:TOP_CHOICES]


@dataclass
class SurveyResults:
    respondents: int
    questions: list[QuestionResult]


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def survey_results(*, survey: Survey, district: District | None = None) -> SurveyResults:
    """Per question of a survey (loaded by survey_for_page): how many answered, the average of a
    scale (one decimal), the percentage answering yes and choosing each choice; overall, or of
    the responses from one district. Three queries."""
    responses = SurveyResponse.objects.filter(survey=survey)
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    if district is not None:
        responses = responses.filter(district=district)
        answers = answers.filter(response__district=district)
    totals = {
        row["question"]: row
        for row in answers.values("question").annotate(
            answered=Count("id"), average=Avg("scale"), yes_count=Count("id", filter=Q(yes=True))
        )
    }
    chosen = Count("answers", filter=Q(answers__response__district=district)) if district else Count("answers")
    choice_counts = dict(
        SurveyChoice.objects.filter(question__survey=survey).annotate(chosen=chosen).values_list("pk", "chosen")
    )
    results = []
    for question in survey.questions.all():
        row = totals.get(question.pk, {"answered": 0, "average": None, "yes_count": 0})
        result = QuestionResult(question=question, answered=row["answered"])
        if question.kind == SurveyQuestion.Kind.SCALE and row["average"] is not None:
            result.average = round(row["average"], 1)
        if question.kind == SurveyQuestion.Kind.YES_NO:
            result.yes_percent = _percent(row["yes_count"], row["answered"])
        counts = [(choice, choice_counts.get(choice.pk, 0)) for choice in question.choices.all()]
        result.choices = [ChoiceResult(choice, count, _percent(count, row["answered"])) for choice, count in counts]
        results.append(result)
    return SurveyResults(respondents=responses.count(), questions=results)


def districts_for_results(*, survey: Survey) -> list[District]:
    """The districts a results page can be narrowed to: the survey's own, or all for a force-wide one."""
    own = list(survey.districts.all())
    return own or list(District.objects.order_by("name"))


def responses_for_export(*, survey: Survey) -> QuerySet[SurveyResponse]:
    """Every response of a survey with its answers and their choices, oldest first, for the CSV."""
    answers = SurveyAnswer.objects.prefetch_related("choices")
    return (
        SurveyResponse.objects.filter(survey=survey)
        .select_related("district", "ward")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("created_at", "pk")
    )


def surveys_for_staff() -> QuerySet[Survey]:
    """Every survey, newest first, with how many written answers each has."""
    written = Count("responses__answers", filter=~Q(responses__answers__text=""))
    return Survey.objects.annotate(comments=written).order_by("-opens_at", "title")


def survey_comments_for(*, survey: Survey, ward_ids: Iterable[int] | None) -> QuerySet[SurveyAnswer]:
    """The written answers of a survey, newest first: those from the given wards, or all of them
    (with those that gave no postcode) when ``ward_ids`` is None, as for an administrator."""
    answers = (
        SurveyAnswer.objects.filter(response__survey=survey, question__kind=SurveyQuestion.Kind.TEXT)
        .exclude(text="")
        .select_related("question", "response__ward")
        .order_by("-response__created_at", "-pk")
    )
    return answers if ward_ids is None else answers.filter(response__ward_id__in=ward_ids)


def survey_comment(*, survey: Survey, pk: int) -> SurveyAnswer | None:
    """One written answer of a survey, with its question and ward."""
    return (
        SurveyAnswer.objects.filter(response__survey=survey, question__kind=SurveyQuestion.Kind.TEXT, pk=pk)
        .exclude(text="")
        .select_related("question", "response__ward")
        .first()
    )


def survey_has_answers(*, survey: Survey) -> bool:
    """Whether anyone has answered: from then on its questions may only be reworded."""
    return SurveyResponse.objects.filter(survey=survey).exists()
