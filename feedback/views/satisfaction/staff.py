"""The satisfaction-after-a-concern report, for administrators (every team and district)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import staff_view
from core.roles import Role
from feedback.selectors.satisfaction import AREA_FIELDS, BY_DISTRICT, BY_TEAM, satisfaction_report

GROUPINGS = ((BY_TEAM, "By neighbourhood team"), (BY_DISTRICT, "By district"))


@require_GET
@staff_view(roles=(Role.ADMINISTRATOR,))
def report(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by") or BY_TEAM
    if by not in AREA_FIELDS:
        raise Http404("No such grouping")
    return render(
        request, "feedback/satisfaction/report.html", {"report": satisfaction_report(by=by), "groupings": GROUPINGS}
    )
