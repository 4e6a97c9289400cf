"""The second-factor pages: open a set-up link, set up an authenticator app, enter a code at
sign-in, manage backup codes.

Signed-in users who have not passed their second factor reach only these pages and sign-out
(core.middleware, core.access.staff_view). Setting up needs a set-up link an administrator
issued, opened in the same session (core.two_factor). Every POST is rate-limited per address
before any code is checked, and wrong codes count towards the same lockouts as wrong passwords.
"""

import datetime

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.abuse import SIGN_IN_RATE, rate_limit_exceeded
from core.access import staff_view
from core.models import SecondFactor, SignInFailure
from core.roles import Role
from core.sign_in import (
    ERROR_RATE_LIMITED,
    locked_message,
    sign_in_failure_record,
    sign_in_failures_forgive,
    sign_in_locked,
)
from core.two_factor import (
    BACKUP_CODE_COUNT,
    TwoFactorError,
    backup_codes_left,
    backup_codes_regenerate,
    enrolment_grant,
    enrolment_link_open,
    is_verified,
    key_for_display,
    provisioning_uri,
    qr_code_svg,
    second_factor_confirm,
    second_factor_id_for,
    second_factor_verify,
    setup_key,
    setup_key_new,
)
from core.two_factor_forms import CheckCodeForm, SetupCodeForm

ALL_ROLES = tuple(Role.values)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("staff:home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _guard(request: HttpRequest) -> HttpResponse | None:
    """Refuse a code POST over the rate limit or under a lockout, before the code is looked at."""
    if rate_limit_exceeded(request, SIGN_IN_RATE):
        return _refused(request, str(ERROR_RATE_LIMITED), status=429)
    if until := sign_in_locked(username=request.user.get_username(), request=request):
        return _signed_out_locked(request, until)
    return None


def _refused(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "staff/two_factor/refused.html", {"message": message}, status=status)


def _signed_out_locked(request: HttpRequest, until: datetime.datetime) -> HttpResponse:
    # Locked out half-way: the password has to be given again, and that is locked too.
    logout(request)
    messages.error(request, locked_message(until))
    return redirect("staff:login")


def _wrong_code(request: HttpRequest) -> HttpResponse | None:
    stage = SignInFailure.Stage.CODE
    if until := sign_in_failure_record(username=request.user.get_username(), request=request, stage=stage):
        return _signed_out_locked(request, until)
    return None


@never_cache
@require_GET
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """A set-up link: remembered in this session, then on to the set-up page (through the
    password first). Every link that does not work gets the same answer."""
    if not enrolment_link_open(session=request.session, token=token):
        return render(request, "staff/two_factor/link_not_working.html", status=404)
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in with your username and password to set up your authenticator app."))
        return redirect_to_login(reverse("staff:home"))
    return redirect("staff:two_factor_setup")


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if second_factor_id_for(request.user) is not None:
        return redirect(next_url if is_verified(request) else _with_next("staff:two_factor_check", next_url))
    if request.method == "POST":
        refused = _guard(request)
        if refused is not None:
            return refused
    if enrolment_grant(request=request) is None:
        status = 200 if request.method == "GET" else 403
        return render(request, "staff/two_factor/needs_link.html", status=status)
    key = setup_key(session=request.session)
    if request.method == "GET" or key is None:
        # Every page its own key: a key shown before, to anyone, is never the one saved.
        return _setup_page(request, SetupCodeForm(), setup_key_new(session=request.session), next_url)
    return _setup_confirm(request, SetupCodeForm(request.POST), key, next_url)


def _setup_confirm(request: HttpRequest, form: SetupCodeForm, key: str, next_url: str) -> HttpResponse:
    if form.is_valid():
        try:
            codes = second_factor_confirm(request=request, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", str(error))
            locked = _wrong_code(request)
            if locked is not None:
                return locked
        else:
            sign_in_failures_forgive(username=request.user.get_username())
            return _show_codes(request, codes, next_url=next_url, first_time=True)
    return _setup_page(request, form, key, next_url)


def _setup_page(request: HttpRequest, form: SetupCodeForm, key: str, next_url: str) -> HttpResponse:
    context = {
        "form": form,
        "qr_code": qr_code_svg(provisioning_uri(key=key, username=request.user.get_username())),
        "key": key_for_display(key),
        "next": next_url,
    }
    return render(request, "staff/two_factor/setup.html", context, status=400 if form.errors else 200)


def _show_codes(request: HttpRequest, codes: list[str], *, next_url: str, first_time: bool) -> HttpResponse:
    # Shown in the answer to the POST, never stored in clear, not even in the session: a reload
    # does not show them again, which is the point.
    context = {"codes": codes, "next": next_url, "first_time": first_time}
    return render(request, "staff/two_factor/backup_codes.html", context)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if second_factor_id_for(request.user) is None:
        return redirect(_with_next("staff:two_factor_setup", next_url))
    if is_verified(request):
        return redirect(next_url)
    form = CheckCodeForm(request.POST or None)
    if request.method == "POST":
        refused = _guard(request)
        if refused is not None:
            return refused
        if form.is_valid():
            try:
                outcome = second_factor_verify(request=request, code=form.cleaned_data["code"])
            except TwoFactorError as error:
                form.add_error("code", str(error))
                locked = _wrong_code(request)
                if locked is not None:
                    return locked
            else:
                sign_in_failures_forgive(username=request.user.get_username())
                _tell_backup_codes_left(request, outcome["backup_codes_left"])
                return redirect(next_url)
    return render(
        request, "staff/two_factor/check.html", {"form": form, "next": next_url}, status=400 if form.errors else 200
    )


def _tell_backup_codes_left(request: HttpRequest, left: int | None) -> None:
    if left is None:
        return
    text = _("You signed in with a backup code. You have %(left)s backup codes left.") % {"left": left}
    if left <= 3:
        text += " " + _("Make new backup codes from the two-factor authentication page in the staff area.")
    messages.warning(request, text)


@staff_view(roles=ALL_ROLES)
def manage(request: HttpRequest) -> HttpResponse:
    factor = SecondFactor.objects.get(pk=second_factor_id_for(request.user))
    context = {"factor": factor, "left": backup_codes_left(factor), "total": BACKUP_CODE_COUNT}
    return render(request, "staff/two_factor/manage.html", context)


@require_POST
@staff_view(roles=ALL_ROLES)
def backup_codes_new(request: HttpRequest) -> HttpResponse:
    codes = backup_codes_regenerate(actor=request.user)  # type: ignore[arg-type]
    return _show_codes(request, codes, next_url=reverse("staff:two_factor"), first_time=False)
