"""The staff area: sign-in and the home every staff member starts from."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pact.access import staff_view
from pact.roles import Role, has_role, is_administrator, user_roles
from pact.staff_menu import staff_links_for
from priorities.selectors.progress import priorities_for_partner
from priorities.selectors.workspace import workspace_for
from priorities.services.progress import partner_agency_for


class SignInView(auth_views.LoginView):
    template_name = "staff/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


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
