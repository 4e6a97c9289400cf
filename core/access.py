"""The one way a staff view is opened: it names the roles that may use it.

Anyone not signed in is sent to sign in; a signed-in user who has not passed their second
factor in this session is sent to do so; a verified user without one of the roles gets 403.
Staff pages are never cached by browsers or proxies.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from core.roles import has_role
from core.two_factor import is_verified


def two_factor_redirect(request: HttpRequest) -> HttpResponse:
    """Send a signed-in user to pass their second factor, then back to this page."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('staff:two_factor_check')}?{query}")


def staff_view(*, roles: tuple[str, ...]) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @never_cache
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_verified(request):
                return two_factor_redirect(request)
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.staff_roles = roles
        return wrapper

    return decorator
