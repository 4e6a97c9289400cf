"""Staff sign-in and sign-out: the password step, rate-limited and under lockouts."""

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from core.abuse import SIGN_IN_RATE, rate_limit_exceeded
from core.audit import audit_record
from core.models import SignInFailure
from core.sign_in import ERROR_RATE_LIMITED, locked_message, session_start, sign_in_failure_record, sign_in_locked


class SignInView(auth_views.LoginView):
    """The password step. Each POST is rate-limited per address and refused under a lockout
    before the password is checked; a right password leads on to the second factor."""

    template_name = "staff/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if rate_limit_exceeded(request, SIGN_IN_RATE):
            return self._refused(str(ERROR_RATE_LIMITED))
        if until := sign_in_locked(username=request.POST.get("username", ""), request=request):
            return self._refused(locked_message(until))
        return super().post(request, *args, **kwargs)

    def _refused(self, message: str) -> HttpResponse:
        form = self.get_form_class()(self.request, initial={"username": self.request.POST.get("username", "")})
        context = self.get_context_data(form=form, refusal=message)
        return self.render_to_response(context, status=429)

    def form_invalid(self, form) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS):
            username = form.data.get("username", "")
            stage = SignInFailure.Stage.PASSWORD
            if until := sign_in_failure_record(username=username, request=self.request, stage=stage):
                return self._refused(locked_message(until))
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
