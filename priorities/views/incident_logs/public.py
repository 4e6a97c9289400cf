"""A resident's incident log, kept through a private link without an account.

The link is the only key: a wrong token is not found (404), a turned-off one is gone (410).
These pages are never cached or indexed, and the site's referrer policy keeps the link from
other sites. Every form has CSRF, a honeypot and a rate limit.
"""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.abuse import FormLimit, form_limit_refusal
from priorities.errors import PrioritiesError
from priorities.forms.information import IncidentLogEntryForm, IncidentLogStartForm
from priorities.models import IncidentLog
from priorities.selectors import concerns as concern_selectors
from priorities.selectors import incident_logs as selectors
from priorities.services import incident_logs as services

ERROR_START_LIMITED = _("You have started 5 logs in the last hour. Wait an hour before starting another.")
ERROR_ENTRY_LIMITED = _("You have added 30 entries in the last hour. Wait an hour before adding more.")
START_LIMIT = FormLimit(scope="incident-log-start", per_person=5, per_address=50, person_refusal=ERROR_START_LIMITED)
ENTRY_LIMIT = FormLimit(scope="incident-log-entry", per_person=30, per_address=300, person_refusal=ERROR_ENTRY_LIMITED)
_REFERENCE = re.compile(r"^PACT-[A-Z0-9]{6}$")


def _private(response: HttpResponse) -> HttpResponse:
    # The site's Referrer-Policy (same-origin) already keeps the link from other sites; a stricter
    # "no-referrer" would make browsers send "Origin: null" and fail the forms' CSRF check.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _get_log(token: str) -> IncidentLog:
    log = selectors.incident_log_for_token(token=token)
    if log is None:
        raise Http404("No log with that link")
    return log


@never_cache
@require_http_methods(["GET", "POST"])
def incident_log_start(request: HttpRequest, reference: str) -> HttpResponse:
    reference = reference.upper()
    concern = concern_selectors.concern_for_confirmation(reference=reference) if _REFERENCE.match(reference) else None
    if concern is None:
        raise Http404("No concern with that reference")
    form = IncidentLogStartForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if refusal := form_limit_refusal(request, START_LIMIT, email=form.cleaned_data["email"]):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                _log, token = services.incident_log_start(concern=concern, email=form.cleaned_data["email"])
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return _private(redirect(f"{_log_url(token)}?started=1"))
    context = {"form": form, "concern": concern, "ward": concern.ward}
    return _private(render(request, "priorities/incident_logs/start.html", context, status=status))


def _log_url(token: str) -> str:
    return reverse("priorities:incident_log", args=[token])


@never_cache
@require_http_methods(["GET", "POST"])
def incident_log(request: HttpRequest, token: str) -> HttpResponse:
    log = _get_log(token)
    if log.is_revoked:
        return _private(render(request, "priorities/incident_logs/revoked.html", {"log": log}, status=410))
    form = IncidentLogEntryForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if refusal := form_limit_refusal(request, ENTRY_LIMIT, person=f"incident-log:{log.pk}"):
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                services.incident_log_entry_add(log=log, **form.cleaned_data_for_service())
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                return _private(redirect(f"{_log_url(token)}?added=1#entries"))
    context = {
        "log": log,
        "concern": log.concern,
        "form": form,
        "entries": list(selectors.incident_log_entries(log=log)),
        "link": services.incident_log_link(token),
        "token": token,
        "started": request.GET.get("started") == "1",
        "added": request.GET.get("added") == "1",
    }
    return _private(render(request, "priorities/incident_logs/log.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def incident_log_revoke(request: HttpRequest, token: str) -> HttpResponse:
    log = _get_log(token)
    if log.is_revoked:
        return _private(render(request, "priorities/incident_logs/revoked.html", {"log": log}, status=410))
    if request.method == "POST":
        services.incident_log_revoke(log=log)
        return _private(render(request, "priorities/incident_logs/revoked.html", {"log": log, "just_now": True}))
    return _private(render(request, "priorities/incident_logs/revoke.html", {"log": log, "token": token}))
