"""The staff area's guard, in front of every view.

- Sessions end after PACT_SESSION_IDLE_SECONDS without a request and PACT_SESSION_SECONDS
  after signing in (core.sign_in.session_expiry), on any page.
- Under /staff/ and /admin/ a signed-in user who has not passed their second factor reaches
  only the sign-in, sign-out and second-factor pages (staff_view and the admin site check
  it too: this is the net under them, for any page added there later).
- A signed-in user who has not passed their second factor holds no staff role on any page
  (core.roles): what staff alone may see (early survey results, say) stays hidden from a
  session that has only the password.
- Every response under /staff/ and /admin/ is marked never to be stored by browsers or
  proxies, whatever the view did: staff pages carry personal data.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control

from core.access import two_factor_redirect
from core.audit import audit_record
from core.roles import roles_withhold
from core.sign_in import session_expiry
from core.two_factor import is_verified

STAFF_PREFIXES = ("/staff/", "/admin/")
# Pages a signed-in user needs before they are verified, by URL name.
OPEN_BEFORE_VERIFIED = frozenset(
    {
        "staff:login",
        "staff:logout",
        "staff:two_factor_setup",
        "staff:two_factor_enrol",
        "staff:two_factor_check",
        "admin:login",
        "admin:logout",
    }
)


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


class StaffAreaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._expire(request) or self._password_only(request) or self.get_response(request)
        if is_staff_path(request.path):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    def _expire(self, request: HttpRequest) -> HttpResponse | None:
        # Only a session that already exists is read: a first visit makes none.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or SESSION_KEY not in request.session:
            return None
        expiry = session_expiry(request.session)
        if expiry is None:
            return None
        audit_record(actor=request.user, action=f"pact.sign_in.session_expired_{expiry.reason}")
        logout(request)
        if not is_staff_path(request.path):
            return None
        messages.warning(request, expiry.message)
        if request.path == resolve_url(settings.LOGIN_URL):
            return None
        return redirect_to_login(request.get_full_path())

    def _password_only(self, request: HttpRequest) -> None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or SESSION_KEY not in request.session:
            return None
        if not is_verified(request):
            roles_withhold(request.user)
        return None

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if not is_staff_path(request.path) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_VERIFIED:
            return None
        if is_verified(request):
            return None
        return two_factor_redirect(request)
