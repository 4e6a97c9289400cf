"""Residents' concerns pages: raise a concern, its confirmation, its status, and a ward's published concerns.

Only moderated concerns are ever listed, and never with the contact email or who raised it.
A concern's own pages are found by its follow code (a secret the resident holds), never by
the short reference, which could be guessed.
"""

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.abuse import FormLimit, RateLimit, form_limit_refusal, rate_limit_exceeded
from core.cache import public_page
from core.text_checks import emergency_panel_needed
from priorities.errors import PrioritiesError
from priorities.forms.concern_satisfaction import ConcernSatisfactionForm
from priorities.forms.concerns import ConcernRaiseForm
from priorities.models import Concern
from priorities.selectors import concerns as selectors
from priorities.selectors.concern_satisfaction import ANCHOR, concern_satisfaction_state
from priorities.services.concern_follow import concern_follow_stop
from priorities.services.concern_satisfaction import concern_satisfaction_give
from priorities.services.concerns import concern_raise
from wards.models import Ward

ERROR_RATE_LIMITED = _(
    "You have sent 5 concerns in the last hour, the most we take from one person. "
    "Wait an hour before sending another, or call 101."
)
RAISE_LIMIT = FormLimit(scope="concern", per_person=5, per_address=50, person_refusal=ERROR_RATE_LIMITED)
CONCERNS_PER_PAGE = 20
_FOLLOW_CODE = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$")
_CODE_IN_TEXT = re.compile(r"[A-Z2-9]{4}-?[A-Z2-9]{4}-?[A-Z2-9]{4}-?[A-Z2-9]{4}")
ERROR_NOT_FOUND = _(
    "We found no concern with that follow code. Check the code in your email, "
    "or on the page you saw after sending your concern."
)
ERROR_SATISFACTION_LIMITED = _(
    "You have sent 5 answers in the last hour, the most we take from one person. Wait an hour and try again."
)
SATISFACTION_LIMIT = FormLimit(
    scope="concern-satisfaction", per_person=5, per_address=50, person_refusal=ERROR_SATISFACTION_LIMITED
)
LOOKUP_LIMIT = RateLimit(scope="concern-follow", limit=30, window_seconds=3600)
ERROR_LOOKUP_LIMITED = _("You have looked up 30 codes in the last hour. Wait an hour and try again, or call 101.")


def _get_ward(code: str) -> Ward:
    ward = selectors.ward_for_concerns(code=code)
    if ward is None:
        raise Http404("No ward with that code")
    return ward


@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, code: str) -> HttpResponse:
    ward = _get_ward(code)
    form = ConcernRaiseForm(request.POST or None)
    status = 200
    # Someone in danger now needs 999, not a concern read in office hours: say so before sending.
    text = (request.POST.get("description", ""), request.POST.get("location_text", ""))
    emergency = request.method == "POST" and emergency_panel_needed(request.POST, *text)
    if request.method == "POST" and form.is_valid() and not emergency:
        # Only complete submissions count towards the limit: a person correcting mistakes is not refused.
        if refusal := form_limit_refusal(request, RAISE_LIMIT, email=form.cleaned_data.get("contact_email", "")):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                concern = concern_raise(ward=ward, **form.cleaned_data_for_service())
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return redirect("priorities:concern_raised", code=concern.follow_code)
    context = {"form": form, "ward": ward, "emergency": emergency}
    return render(request, "priorities/concerns/new.html", context, status=status)


def _by_code(code: str):
    code = code.upper()
    concern = selectors.concern_by_follow_code(code=code) if _FOLLOW_CODE.match(code) else None
    if concern is None:
        raise Http404("No concern with that follow code")
    return concern


def _private(response: HttpResponse) -> HttpResponse:
    # The address is a secret: kept out of shared caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def concern_raised(request: HttpRequest, code: str) -> HttpResponse:
    concern = _by_code(code)
    return _private(render(request, "priorities/concerns/raised.html", {"concern": concern, "ward": concern.ward}))


@require_GET
def concern_status(request: HttpRequest, code: str) -> HttpResponse:
    return _status_page(request, _by_code(code))


def _status_page(request: HttpRequest, concern, *, satisfaction_form=None, status: int = 200) -> HttpResponse:
    status_facts = status_context(concern)
    satisfaction = concern_satisfaction_state(concern=concern, history=status_facts["history"])
    if satisfaction_form is None and satisfaction.may_ask:
        satisfaction_form = ConcernSatisfactionForm()
    context = {
        "concern": concern,
        "ward": concern.ward,
        **status_facts,
        "satisfaction": satisfaction,
        "satisfaction_form": satisfaction_form,
        "satisfaction_anchor": ANCHOR,
    }
    return _private(render(request, "priorities/concerns/status.html", context, status=status))


@require_http_methods(["GET", "POST"])
def concern_satisfaction(request: HttpRequest, code: str) -> HttpResponse:
    """How did we do? Answered once per concern, on its status page (a GET goes there)."""
    concern = _by_code(code)
    status_url = reverse("priorities:concern_status", args=[concern.follow_code])
    if request.method == "GET":
        return _private(redirect(f"{status_url}#{ANCHOR}"))
    form = ConcernSatisfactionForm(request.POST)
    status = 400
    if form.is_valid():
        # Only complete answers count towards the limit; the follow code stands for the person.
        if refusal := form_limit_refusal(request, SATISFACTION_LIMIT, person=concern.follow_code):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                concern_satisfaction_give(concern=concern, **form.cleaned_data_for_service())
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return _private(redirect(f"{status_url}?answered=1#{ANCHOR}"))
    return _status_page(request, concern, satisfaction_form=form, status=status)


def status_context(concern) -> dict:
    """What the status page says: the public steps, the current one, and whether the text may show."""
    history = selectors.concern_public_history(concern=concern)
    merged_into = concern.merged_into if concern.merged_into_id else None
    return {
        "history": history,
        "current": history[-1] if history else None,
        "shows_text": concern.status in Concern.PUBLIC_STATUSES,
        "merged_into_public": merged_into is not None and merged_into.status in Concern.PUBLIC_STATUSES,
    }


def normalise_follow_code(text: str) -> str:
    """The follow code in what a resident typed or pasted (a code with or without dashes, or its link)."""
    found = _CODE_IN_TEXT.search(re.sub(r"\s+", "", text.upper()))
    if not found:
        return ""
    bare = found.group(0).replace("-", "")
    return "-".join(bare[i : i + 4] for i in range(0, 16, 4))


@require_GET
def concern_follow_lookup(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("code", "")[:200]
    error, status = "", 200
    if typed:
        if rate_limit_exceeded(request, LOOKUP_LIMIT):
            error, status = str(ERROR_LOOKUP_LIMITED), 429
        else:
            code = normalise_follow_code(typed)
            if code and selectors.concern_by_follow_code(code=code) is not None:
                return redirect("priorities:concern_status", code=code)
            error, status = str(ERROR_NOT_FOUND), 404
    context = {"typed": typed, "error": error}
    return _private(render(request, "priorities/concerns/follow.html", context, status=status))


@require_GET
@public_page
def ward_concerns(request: HttpRequest, code: str) -> HttpResponse:
    ward = _get_ward(code)
    page = Paginator(selectors.concerns_public_for_ward(ward=ward), CONCERNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/concerns/list.html", {"ward": ward, "page": page})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def concern_follow_stop_view(request: HttpRequest, token: str) -> HttpResponse:
    """Stop a concern's follow-up emails: a POST stops at once (a mail program's RFC 8058 one click,
    or the button); a GET only asks, as mail scanners follow links."""
    if request.method == "POST":
        try:
            concern_follow_stop(token=token)
        except Concern.DoesNotExist:
            raise Http404("No such link") from None
        if request.POST.get("List-Unsubscribe") != "One-Click":
            return _private(redirect(request.path + "?stopped=1"))
        return _private(HttpResponse(status=200))
    context = {"stopped": request.GET.get("stopped") == "1"}
    return _private(render(request, "priorities/concerns/follow_stop.html", context))
