"""The admin site class, in a module of its own: django.contrib.auth.admin builds the site
while it is imported, so the class must not live beside the ModelAdmins that import it."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from core.roles import is_administrator
from core.two_factor import is_verified


class PactAdminSite(admin.AdminSite):
    site_header = "PACT administration"
    site_title = "PACT administration"
    index_title = "Wards, teams, users and imports"

    def has_permission(self, request) -> bool:
        return request.user.is_active and is_administrator(request.user) and is_verified(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The admin has no sign-in form of its own: the staff sign-in, with its rate limit,
        lockouts and second factor, is the only way in."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = resolve_url("admin:index")
        if request.user.is_authenticated and is_verified(request):
            # Signed in in full but not an administrator: no other account will be offered.
            raise PermissionDenied
        return redirect_to_login(next_url)
