"""The staff area: sign-in and the home every staff member starts from."""

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from pact.abuse import SIGN_IN_RATE, rate_limit_exceeded
from pact.access import staff_view
from pact.audit import audit_record
from pact.models import SignInFailure
from pact.roles import Role, has_role, is_administrator, user_roles
from pact.sign_in import ERROR_RATE_LIMITED, locked_message, session_start, sign_in_failure_record, sign_in_locked
from pact.staff_menu import staff_links_for
from priorities.selectors.progress import priorities_for_partner
from priorities.selectors.workspace import workspace_for
from priorities.services.progress import partner_agency_for


class SignInView(auth_views.LoginView):
    """The password step. Each POST is rate-limited per address and refused under a lockout
    before the password is checked; a right password leads on to the second factor."""

    template_name = "staff/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if rate_limit_exceeded(request, SIGN_IN_RATE):
            return self._refused(str(ERROR_RATE_LIMITED))
        if sign_in_locked(username=request.POST.get("username", ""), request=request):
            return self._refused(locked_message())
        return super().post(request, *args, **kwargs)

    def _refused(self, message: str) -> HttpResponse:
        form = self.get_form_class()(self.request, initial={"username": self.request.POST.get("username", "")})
        context = self.get_context_data(form=form, refusal=message)
        return self.render_to_response(context, status=429)

    def form_invalid(self, form) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS):
            username = form.data.get("username", "")
            if sign_in_failure_record(username=username, request=self.request, stage=SignInFailure.Stage.PASSWORD):
                return self._refused(locked_message())
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        session_start(self.request.session)
        audit_record(actor=user, action="pact.sign_in.password_accepted")
        query = urlencode({"next": self.get_success_url()})
        return redirect(f"{reverse('staff:two_factor_check')}?{query}")


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(actor=request.user, action="pact.sign_in.signed_out")
        return super().post(request, *args, **kwargs)


@staff_view(roles=tuple(Role.values))
def staff_home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    context = {
        "role_labels": [label for value, label in Role.choices if value in roles],
        "team": getattr(getattr(request.user, "officer", None), "team", None),
        "is_administrator": is_administrator(request.user),
        "links": staff_links_for(request.user),
    }
    if has_role(request.user, Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR):
        context["workspace"] = workspace_for(request.user)
    if has_role(request.user, Role.PARTNER):
        agency = partner_agency_for(request.user)
        context["agency"] = agency
        context["partner_priorities"] = list(priorities_for_partner(agency))
    return render(request, "staff/home.html", context)
