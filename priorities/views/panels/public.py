"""Accepting an invitation to join a panel: the invitee, not signed in, creates a password;
their staff account and membership start, and they go on to set up their authenticator app
(core.two_factor) with a set-up link issued to this session there and then."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.audit import audit_record
from core.sign_in import session_start
from core.two_factor import enrolment_link_issue, enrolment_link_open
from priorities.errors import PrioritiesError
from priorities.forms.panels import InvitationAcceptForm
from priorities.services import panels as services

BACKEND = "core.auth_backend.PactBackend"


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.panel_invitation_for_token(token)
    if invitation is None:
        # Expired, used, withdrawn or never issued: the same answer for each.
        return render(request, "priorities/panels/invitation_not_working.html", status=404)
    form = InvitationAcceptForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            user = services.panel_invitation_accept(token=token, password=form.cleaned_data["password1"])
        except PrioritiesError as error:
            form.add_error("password1" if services.panel_invitation_for_token(token) else None, str(error))
        else:
            login(request, user, backend=BACKEND)
            session_start(request.session)
            audit_record(actor=user, action="pact.sign_in.password_accepted", data={"via": "panel_invitation"})
            enrolment_link_open(session=request.session, token=enrolment_link_issue(actor=user, user=user))
            messages.success(request, "Your account has been created. Now set up your authenticator app")
            return redirect("staff:two_factor_setup")
    context = {"form": form, "invitation": invitation}
    return render(request, "priorities/panels/invitation_accept.html", context)
