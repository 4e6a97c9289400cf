"""Staff survey pages: building, previewing, opening and closing a survey, for administrators;
the CSV export of a survey's responses, for administrators, and the
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
from core.roles import Role, has_role
from core.scopes import ward_ids_for
from feedback.errors import FeedbackError
from feedback.forms.surveys import (
    QuestionFormSet,
    SurveyAnswerForm,
    SurveyBuildForm,
    SurveyConcernForm,
    question_rows,
    rows_with_one_more,
    survey_draft,
    typed_survey,
)
from feedback.models import Survey, SurveyAnswer, SurveyQuestion
from feedback.selectors import surveys as selectors
from feedback.services.surveys import (
    survey_answer_raise_concern,
    survey_close,
    survey_create,
    survey_open,
    survey_update,
)


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
    context = {"surveys": surveys, "can_build": has_role(request.user, *BUILD_ROLES), "now": timezone.now()}
    return render(request, "feedback/surveys/staff_list.html", context)


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


# Building a survey, previewing it and opening and closing it: administrators, as in DESIGN.md
# ("force administrator: manage ... surveys"); every change is audited by the services.

BUILD_ROLES = (Role.ADMINISTRATOR,)
ADD_QUESTION = "add-question"


def _build(request: HttpRequest, survey: Survey | None) -> HttpResponse:
    answered = survey is not None and selectors.survey_has_answers(survey=survey)
    rows = question_rows(survey)
    form = SurveyBuildForm(request.POST or None, instance=survey)
    formset = QuestionFormSet(request.POST or None, initial=rows, answered=answered, prefix="questions")
    status = 200
    if request.method == "POST" and request.POST.get("action") == ADD_QUESTION and not answered:
        # Shown again unvalidated with one more blank question; nothing is saved.
        form = SurveyBuildForm(initial=typed_survey(request.POST), instance=survey)
        formset = QuestionFormSet(initial=rows_with_one_more(formset), prefix="questions")
    elif request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            try:
                draft = survey_draft(form, formset)
                if survey is None:
                    survey = survey_create(actor=request.user, draft=draft)
                else:
                    survey = survey_update(actor=request.user, survey=survey, draft=draft)
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Survey saved: %(title)s") % {"title": survey.title})
                return redirect("feedback:staff_surveys")
    context = {"survey": survey, "form": form, "formset": formset, "answered": answered, "add_question": ADD_QUESTION}
    return render(request, "feedback/surveys/staff_build.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(roles=BUILD_ROLES)
def survey_create_view(request: HttpRequest) -> HttpResponse:
    return _build(request, None)


@require_http_methods(["GET", "POST"])
@staff_view(roles=BUILD_ROLES)
def survey_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _build(request, _get_survey_for_user(request, slug))


@require_http_methods(["GET"])
@staff_view(roles=BUILD_ROLES)
def survey_preview(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _get_survey_for_user(request, slug)
    context = {"survey": survey, "form": SurveyAnswerForm(survey=survey), "preview": True}
    return render(request, "feedback/surveys/answer.html", context)


def _confirm(request: HttpRequest, slug: str, *, action: str) -> HttpResponse:
    survey = _get_survey_for_user(request, slug)
    status = 200
    if request.method == "POST":
        change = survey_open if action == "open" else survey_close
        try:
            change(actor=request.user, survey=survey)
        except FeedbackError as error:
            messages.error(request, str(error))
            status = 400
        else:
            done = _("Survey opened: %(title)s") if action == "open" else _("Survey closed: %(title)s")
            messages.success(request, done % {"title": survey.title})
            return redirect("feedback:staff_surveys")
    context = {"survey": survey, "action": action}
    return render(request, "feedback/surveys/staff_confirm.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(roles=BUILD_ROLES)
def survey_open_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm(request, slug, action="open")


@require_http_methods(["GET", "POST"])
@staff_view(roles=BUILD_ROLES)
def survey_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    return _confirm(request, slug, action="close")
