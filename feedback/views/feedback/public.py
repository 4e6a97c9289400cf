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
from feedback.errors import FeedbackError
from feedback.forms.equality import EqualityForm
from feedback.forms.feedback import FeedbackForm
from feedback.models import EqualityResponse, Feedback
from feedback.selectors import feedback as selectors
from feedback.services.equality import equality_record
from feedback.services.feedback import feedback_give

ERROR_RATE_LIMITED = _(
    "You have sent 5 forms in the last hour, the most we take from one person. Wait an hour, or call 101."
)
GIVE_LIMIT = FormLimit(scope="feedback", per_person=5, per_address=50, person_refusal=ERROR_RATE_LIMITED)
_REFERENCE = re.compile(r"^FB-[A-Z0-9]{6}$")
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


def _record(request: HttpRequest, form: FeedbackForm, equality: EqualityForm) -> Feedback:
    data = form.cleaned_data_for_service()
    feedback = feedback_give(**data)
    ward = data["ward"]
    # Kept apart from the item: only the district and the month link it to anything.
    equality_record(
        context=EqualityResponse.Context.FEEDBACK,
        district=ward.district if ward else None,
        answers=equality.answers(),
    )
    return feedback


@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("No such form")
    # From a team's or ward's page (?team=<id>): the team's officers are offered by name.
    team = selectors.team_for_feedback(request.POST.get("team") or request.GET.get("team") or "")
    form = FeedbackForm(request.POST or None, kind=kind, team=team, initial={"officer": request.GET.get("officer")})
    equality = EqualityForm(request.POST or None, prefix="equality")
    status = 200
    if request.method == "POST" and form.is_valid() and equality.is_valid():
        # Only complete submissions count towards the limit: a person correcting mistakes is not refused.
        if refusal := form_limit_refusal(request, GIVE_LIMIT, email=form.cleaned_data.get("contact_email", "")):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                feedback = _record(request, form, equality)
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                return redirect("feedback:sent", reference=feedback.reference)
    context = {"form": form, "equality_form": equality, "kind": kind, "kind_label": KINDS[kind].label, "team": team}
    return render(request, "feedback/give.html", context, status=status)


@require_GET
def sent(request: HttpRequest, reference: str) -> HttpResponse:
    reference = reference.upper()
    feedback = selectors.feedback_for_confirmation(reference=reference) if _REFERENCE.match(reference) else None
    if feedback is None:
        raise Http404("No feedback with that reference")
    return render(request, "feedback/sent.html", {"feedback": feedback})
