"""Consultation survey pages for residents: the open surveys, answering one, and results.

Answering needs no account. The browser is given a random token in a signed cookie when the
form is shown; only a keyed hash of it is stored, to refuse an obvious repeat submission.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from core.roles import is_administrator, is_staff_member
from feedback.errors import FeedbackError
from feedback.forms.surveys import SurveyAnswerForm
from feedback.models import Survey
from feedback.repeat import RepeatToken
from feedback.selectors import surveys as selectors
from feedback.services.surveys import survey_answer, survey_is_open

ERROR_RATE_LIMITED = _("You have sent 10 survey answers in the last hour. Wait an hour and try again.")
# Generous per address: a consultation is often answered by a whole meeting on its venue's wifi.
ANSWER_LIMIT = FormLimit(scope="survey", per_person=10, per_address=200, person_refusal=ERROR_RATE_LIMITED)
MESSAGE_ANSWERED = _("Thank you: your answers have been sent")
TOKEN = RepeatToken(cookie="pact_survey", salt="feedback.surveys.repeat")


def _get_survey(slug: str) -> Survey:
    survey = selectors.survey_for_page(slug=slug)
    if survey is None:
        raise Http404("No survey with that address")
    return survey


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    context = {"open_surveys": selectors.surveys_open(), "closed_surveys": selectors.surveys_closed()[:10]}
    return render(request, "feedback/surveys/list.html", context)


@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _get_survey(slug)
    if not survey_is_open(survey):
        context = {"survey": survey, "not_yet_open": survey.opens_at > timezone.now()}
        return render(request, "feedback/surveys/closed.html", context, status=403 if request.method == "POST" else 200)
    token = TOKEN.read(request)
    form = SurveyAnswerForm(request.POST or None, survey=survey)
    status = 200
    if request.method == "POST" and form.is_valid():
        if refusal := form_limit_refusal(request, ANSWER_LIMIT):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                postcode = form.cleaned_data["postcode"]
                survey_answer(survey=survey, answers=form.answers(), postcode=postcode, token=token)
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, MESSAGE_ANSWERED)
                return redirect("feedback:survey_answered", slug=survey.slug)
    response = render(request, "feedback/surveys/answer.html", {"survey": survey, "form": form}, status=status)
    return TOKEN.attach(request, response, token, path="/surveys/")


@require_GET
def survey_answered(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "feedback/surveys/answered.html", {"survey": _get_survey(slug)})


@require_GET
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _get_survey(slug)
    staff = is_staff_member(request.user)
    if survey.closes_at > timezone.now() and not staff:
        return render(request, "feedback/surveys/results_not_yet.html", {"survey": survey})
    districts = selectors.districts_for_results(survey=survey)
    district = next((item for item in districts if item.code == request.GET.get("district")), None)
    results = selectors.survey_results(survey=survey, district=district)
    context = {
        "survey": survey,
        "results": results,
        "districts": districts,
        "district": district,
        "can_export": is_administrator(request.user),
    }
    return render(request, "feedback/surveys/results.html", context)
