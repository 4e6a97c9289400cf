"""The staff home every staff member starts from: their links, workspace and partner priorities."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import staff_view
from core.roles import Role, has_role, is_administrator, user_roles
from core.staff_menu import staff_links_for
from feedback.models import Feedback
from feedback.selectors.feedback import feedback_queue_for
from priorities.scopes import partner_agency_for
from priorities.selectors.progress import priorities_for_partner
from priorities.selectors.workspace import workspace_for


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
        context["workspace"] = workspace = workspace_for(request.user)
        if has_role(request.user, Role.OFFICER) and not is_administrator(request.user):
            # What is new for the officer: feedback not yet acknowledged, concerns to moderate,
            # and priorities with no progress for the stale period (28 days by default).
            context["new_for_you"] = {
                "feedback": feedback_queue_for(user=request.user, status=Feedback.Status.RECEIVED).count(),
                "concerns": workspace.to_moderate,
                "stale": sum(1 for row in workspace.priorities if row.is_stale),
            }
            context["stale_days"] = settings.PACT_STALE_PRIORITY_DAYS
    if has_role(request.user, Role.PARTNER):
        agency = partner_agency_for(request.user)
        context["agency"] = agency
        context["partner_priorities"] = list(priorities_for_partner(agency))
    return render(request, "staff/home.html", context)
