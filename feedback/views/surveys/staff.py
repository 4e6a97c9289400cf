"""Staff survey pages: the CSV export of a survey's responses, for administrators, and the
written answers from the wards a member of staff runs, each of which can be raised as a PACT
concern.

No personal data is held with a response, so the export holds none: its district, ward,
date and the answers, one column per question.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import staff_view
from core.csv_export import csv_writer
from core.intake import concern_intake
from core.roles import Role
from core.scopes import ward_ids_for
from feedback.errors import FeedbackError
from feedback.forms.surveys import SurveyConcernForm
from feedback.models import Survey, SurveyAnswer, SurveyQuestion
from feedback.selectors import surveys as selectors
from feedback.services.surveys import survey_answer_raise_concern


def _get_survey_for_user(request: HttpRequest, slug: str) -> Survey:
    # Every survey is visible to the staff who reach here; what they see of it is narrowed by the caller.
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
    writer = csv_writer(response)
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


# Written answers, and raising one as a PACT concern for its ward: the staff who run the ward.

COMMENT_ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
COMMENTS_PER_PAGE = 25


@staff_view(roles=COMMENT_ROLES)
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.surveys_for_staff()
    return render(request, "feedback/surveys/staff_list.html", {"surveys": surveys})


@staff_view(roles=COMMENT_ROLES)
def survey_comments(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _get_survey_for_user(request, slug)
    answers = selectors.survey_comments_for(survey=survey, ward_ids=ward_ids_for(request.user))
    page = Paginator(answers, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/surveys/staff_comments.html", {"survey": survey, "page": page})


@require_http_methods(["GET", "POST"])
@staff_view(roles=COMMENT_ROLES)
def survey_comment_concern(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = _get_survey_for_user(request, slug)
    answer = selectors.survey_comment(survey=survey, pk=pk)
    ward_ids = ward_ids_for(request.user)
    if answer is None or (ward_ids is not None and answer.response.ward_id not in ward_ids):
        raise Http404("No written answer of yours with that number")
    intake = concern_intake()
    form = SurveyConcernForm(request.POST or None, categories=intake.categories(), initial={"description": answer.text})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                reference = survey_answer_raise_concern(
                    actor=request.user,
                    answer=answer,
                    category_slug=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                )
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Raised as PACT concern %(reference)s") % {"reference": reference})
                return redirect("feedback:staff_survey_comments", slug=survey.slug)
    context = {"survey": survey, "answer": answer, "form": form, "intake": intake}
    return render(request, "feedback/surveys/staff_concern.html", context, status=status)
