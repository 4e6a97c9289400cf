"""The admin site class, in a module of its own: django.contrib.auth.admin builds the site
while it is imported, so the class must not live beside the ModelAdmins that import it."""

from django.contrib import admin

from pact.roles import is_administrator


class PactAdminSite(admin.AdminSite):
    site_header = "PACT administration"
    site_title = "PACT administration"
    index_title = "Wards, teams, users and imports"

    def has_permission(self, request) -> bool:
        return request.user.is_active and is_administrator(request.user)
