"""The public "Have your say" pages: the start page, one form per kind and the confirmation.

The confirmation shows only the reference and what happens next, never contact details.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from core.cache import public_page
from core.text_checks import emergency_panel_needed
from feedback.errors import FeedbackError
from feedback.forms.feedback import FeedbackForm
from feedback.models import Feedback
from feedback.selectors import feedback as selectors
from feedback.selectors.feedback import feedback_can_take_equality
from feedback.services.feedback import feedback_give

ERROR_RATE_LIMITED = _(
    "You have sent 5 forms in the last hour, the most we take from one person. Wait an hour, or call 101."
)
GIVE_LIMIT = FormLimit(scope="feedback", per_person=5, per_address=50, person_refusal=ERROR_RATE_LIMITED)
_REFERENCE = re.compile(r"^FB-[A-Z0-9]{6}$")
FREE_TEXT = ("description", "went_well", "could_be_better", "officer_text")
# What the emergency panel calls what is being sent.
WHAT = {
    "service": _("feedback"),
    "compliment": _("compliment"),
    "complaint": _("complaint"),
    "suggestion": _("suggestion"),
}
KINDS = {
    "service": Feedback.Kind.SERVICE,
    "compliment": Feedback.Kind.COMPLIMENT,
    "complaint": Feedback.Kind.COMPLAINT,
    "suggestion": Feedback.Kind.SUGGESTION,
}


@require_GET
@public_page
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/start.html")


@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("No such form")
    # From a team's or ward's page (?team=<id>): the team's officers are offered by name.
    team = selectors.team_for_feedback(request.POST.get("team") or request.GET.get("team") or "")
    form = FeedbackForm(request.POST or None, kind=kind, team=team, initial={"officer": request.GET.get("officer")})
    status = 200
    # Someone in danger now needs 999, not a form read in office hours: say so before sending.
    emergency = request.method == "POST" and emergency_panel_needed(
        request.POST, *(request.POST.get(name, "") for name in FREE_TEXT)
    )
    if request.method == "POST" and form.is_valid() and not emergency:
        # Only complete submissions count towards the limit: a person correcting mistakes is not refused.
        if refusal := form_limit_refusal(request, GIVE_LIMIT, email=form.cleaned_data.get("contact_email", "")):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                feedback = feedback_give(**form.cleaned_data_for_service())
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                return redirect("feedback:sent", reference=feedback.reference)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": KINDS[kind].label,
        "team": team,
        "emergency": emergency,
        "what": WHAT[kind],
    }
    return render(request, "feedback/give.html", context, status=status)


@require_GET
def sent(request: HttpRequest, reference: str) -> HttpResponse:
    reference = reference.upper()
    feedback = selectors.feedback_for_confirmation(reference=reference) if _REFERENCE.match(reference) else None
    if feedback is None:
        raise Http404("No feedback with that reference")
    context = {"feedback": feedback, "can_answer": feedback_can_take_equality(feedback)}
    return render(request, "feedback/sent.html", context)
