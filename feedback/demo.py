"""A demo consultation survey in the shape of the one the Police and Crime Commissioner ran in
2021, with a few thousand generated answers spread over the districts, closed last month so
its results are public.

Idempotent: run again, it finds the survey and adds nothing. Deterministic: a fixed seed.
Answers are written with bulk_create, so the whole survey takes a few seconds.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from feedback.models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from wards.models import District

SLUG = "police-and-crime-survey-2021"
RESPONSES = 3000
SEED = 2021
MAX_ISSUES = 6
ISSUES = [
    "Anti-social behaviour",
    "Burglary",
    "Child sexual exploitation",
    "Cyber crime and online fraud",
    "Domestic abuse",
    "Drug dealing and county lines",
    "Fraud and scams against older people",
    "Gangs and youth violence",
    "Hate crime",
    "Human trafficking and modern slavery",
    "Knife crime",
    "Littering and fly-tipping",
    "Rural and wildlife crime",
    "Sexual offences",
    "Shoplifting",
    "Speeding and dangerous driving",
    "Street drinking",
    "Terrorism and extremism",
    "Theft of and from vehicles",
    "Vandalism and criminal damage",
    "Violence against women and girls",
    "Visible police patrols",
]
# The issues people choose most often first: the generated answers favour them.
ISSUE_WEIGHTS = [22 - position for position in range(len(ISSUES))]


@dataclass
class DemoSurveyResult:
    survey: Survey
    created: bool
    responses: int


def _survey_create() -> Survey:
    closes_at = timezone.now().replace(hour=23, minute=59, second=0, microsecond=0) - datetime.timedelta(days=30)
    survey = Survey.objects.create(
        title="Police and crime survey 2021",
        slug=SLUG,
        introduction="Tell the Police and Crime Commissioner how safe you feel and what Kent Police should focus on.",
        opens_at=closes_at - datetime.timedelta(days=42),
        closes_at=closes_at,
    )
    questions = [
        ("scale", "How safe do you feel in your local area?", None),
        ("yes_no", "Have you been a victim of crime in the last 12 months?", None),
        ("scale", "How satisfied are you with policing in your area?", None),
        ("multiple", "Which of these issues should Kent Police focus on? Choose up to six", MAX_ISSUES),
    ]
    for position, (kind, text, max_choices) in enumerate(questions, start=1):
        SurveyQuestion.objects.create(
            survey=survey, position=position, kind=kind, text=text, max_choices=max_choices, required=True
        )
    issues = survey.questions.get(kind="multiple")
    SurveyChoice.objects.bulk_create(
        SurveyChoice(question=issues, position=position, text=text) for position, text in enumerate(ISSUES, start=1)
    )
    return survey


def _answers_create(survey: Survey, responses: list[SurveyResponse], rng: random.Random) -> None:
    safe, victim, satisfied, issues = survey.questions.order_by("position")
    choices = list(issues.choices.order_by("position"))
    answers = []
    for response in responses:
        answers += [
            SurveyAnswer(response=response, question=safe, scale=min(10, max(1, round(rng.gauss(6.4, 2))))),
            SurveyAnswer(response=response, question=victim, yes=rng.random() < 0.18),
            SurveyAnswer(response=response, question=satisfied, scale=min(10, max(1, round(rng.gauss(5.6, 2.2))))),
            SurveyAnswer(response=response, question=issues),
        ]
    answers = SurveyAnswer.objects.bulk_create(answers)
    through = SurveyAnswer.choices.through
    links = []
    for answer in answers[3::4]:
        picked = {rng.choices(range(len(choices)), weights=ISSUE_WEIGHTS)[0] for _ in range(rng.randint(1, MAX_ISSUES))}
        links += [through(surveyanswer_id=answer.pk, surveychoice_id=choices[index].pk) for index in picked]
    through.objects.bulk_create(links)


def demo_survey_create(*, responses: int = RESPONSES) -> DemoSurveyResult:
    """Create the demo survey with ``responses`` generated answers, unless it exists already."""
    existing = Survey.objects.filter(slug=SLUG).first()
    if existing is not None:
        return DemoSurveyResult(survey=existing, created=False, responses=existing.responses.count())
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    districts = list(District.objects.order_by("code")) or [None]
    with transaction.atomic():
        survey = _survey_create()
        saved = SurveyResponse.objects.bulk_create(
            SurveyResponse(survey=survey, district=rng.choice(districts)) for _ in range(responses)
        )
        _answers_create(survey, saved, rng)
    return DemoSurveyResult(survey=survey, created=True, responses=len(saved))
