"""Staff survey pages: the CSV export of a survey's responses, for administrators.

No personal data is held with a response, so the export holds none: its district, ward,
date and the answers, one column per question.
"""

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from feedback import survey_selectors as selectors
from feedback.models import Survey, SurveyAnswer, SurveyQuestion
from pact.access import staff_view
from pact.roles import Role


def _get_survey_for_user(request: HttpRequest, slug: str) -> Survey:
    # Only administrators reach here (staff_view); every survey is theirs to export.
    survey = selectors.survey_for_page(slug=slug)
    if survey is None:
        raise Http404("No survey with that address")
    return survey


def _cell(question: SurveyQuestion, answer: SurveyAnswer | None) -> str:
    if answer is None:
        return ""
    if question.kind == SurveyQuestion.Kind.SCALE:
        return str(answer.scale or "")
    if question.kind == SurveyQuestion.Kind.YES_NO:
        return "" if answer.yes is None else ("Yes" if answer.yes else "No")
    if question.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
        return "; ".join(choice.text for choice in sorted(answer.choices.all(), key=lambda choice: choice.position))
    return answer.text


@staff_view(roles=(Role.ADMINISTRATOR,))
def survey_export(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _get_survey_for_user(request, slug)
    questions = list(survey.questions.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-responses.csv"'
    writer = csv.writer(response)
    writer.writerow(["Response", "Answered on", "District", "Ward", *(question.text for question in questions)])
    for item in selectors.responses_for_export(survey=survey):
        by_question = {answer.question_id: answer for answer in item.answers.all()}
        writer.writerow(
            [
                item.pk,
                timezone.localtime(item.created_at).date().isoformat(),
                item.district.name if item.district else "",
                item.ward.name if item.ward else "",
                *(_cell(question, by_question.get(question.pk)) for question in questions),
            ]
        )
    return response
