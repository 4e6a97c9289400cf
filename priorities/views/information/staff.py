"""The ward's team's pages of partner information: the list, one report, reviewing it and
turning it into a concern.

Officers see the reports about their team's wards, administrators every ward; a partner
user opens the reports their own agency gave about the wards it still works in. Anyone
else finds no such report (404); chairs and other roles are refused by staff_view (403).
Every page that shows a report records the view in the audit trail.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.forms.information import InformationFilterForm, InformationToConcernForm
from priorities.models import InformationReport
from priorities.scopes import can_manage_ward, managed_ward_ids_for
from priorities.selectors import information as selectors
from priorities.selectors.concerns import wards_for_staff
from priorities.services import information as services

TEAM_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)
VIEW_ROLES = (Role.OFFICER, Role.PARTNER, Role.ADMINISTRATOR)
REPORTS_PER_PAGE = 25


def _get_report_for_user(request: HttpRequest, pk: int, *, to_change: bool = False) -> InformationReport:
    report = selectors.information_report_for_staff(pk=pk)
    if report is None or not services.can_view_information_report(actor=request.user, report=report):
        raise Http404("No information report with that number")
    if to_change and not can_manage_ward(request.user, report.ward):
        raise PermissionDenied
    return report


@staff_view(roles=TEAM_ROLES)
def information_list(request: HttpRequest) -> HttpResponse:
    ward_ids = managed_ward_ids_for(request.user)
    form = InformationFilterForm(request.GET or None, wards=wards_for_staff(ward_ids=ward_ids))
    filters = form.filters()
    ward = filters["ward"]
    reports = selectors.information_reports_for_team(
        ward_ids=ward_ids, status=filters["status"], ward_id=ward.pk if ward else None
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    services.information_reports_listed(actor=request.user, reports=list(page.object_list), scope="team")
    query_string = urlencode({"status": filters["status"] or "all", "ward": ward.code if ward else ""})
    context = {"form": form, "page": page, "query_string": query_string, "status": filters["status"]}
    return render(request, "priorities/information/staff_list.html", context)


def _render_detail(request: HttpRequest, report: InformationReport) -> HttpResponse:
    services.information_report_viewed(actor=request.user, report=report)
    is_team = can_manage_ward(request.user, report.ward)
    context = {"report": report, "is_team": is_team, "is_open": report.status != InformationReport.Status.CONCERN}
    return render(request, "priorities/information/detail.html", context)


@staff_view(roles=VIEW_ROLES)
def information_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_report_for_user(request, pk))


@require_POST
@staff_view(roles=TEAM_ROLES)
def information_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk, to_change=True)
    try:
        services.information_report_review(actor=request.user, report=report)
    except PrioritiesError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Information report %(pk)s marked as reviewed") % {"pk": report.pk})
    return redirect("priorities:staff_information_detail", pk=report.pk)


@staff_view(roles=TEAM_ROLES)
def information_to_concern(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk, to_change=True)
    initial = {"category": report.category.slug, "location_text": report.location_text}
    form = InformationToConcernForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.information_report_to_concern(
                actor=request.user,
                report=report,
                category=data["category"],
                description=data["description"],
                location_text=data["location_text"],
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Concern %(reference)s recorded from the report") % {"reference": concern.reference}
            )
            return redirect("priorities:staff_concern", reference=concern.reference)
    # The form page shows the report beside the form, so opening it is a view too.
    services.information_report_viewed(actor=request.user, report=report)
    return render(request, "priorities/information/to_concern.html", {"report": report, "form": form})
