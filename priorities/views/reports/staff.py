"""The partnership report: every ward's priorities for a district's Community Safety Partnership
or force-wide, filtered, paginated, and as a CSV file of the filtered set.

Open to every staff role (priorities are public) for the districts their work ties them to
(priorities.selectors.reports.report_district_ids_for); administrators see every district.
Asking for another district is refused (403).
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import staff_view
from core.csv_export import csv_lines
from core.roles import Role
from priorities.selectors import reports as selectors
from priorities.views.reports.forms import PartnershipReportForm
from wards.models import District

ROLES = (Role.OFFICER, Role.CHAIR, Role.PARTNER, Role.PROFESSIONAL_STANDARDS, Role.ADMINISTRATOR)
PER_PAGE = 50
CSV_HEADER = [
    "District",
    "Ward",
    "Ward code",
    "Place",
    "Priority",
    "Category",
    "Police and Crime Plan priority",
    "Status",
    "Agreed on",
    "Days open",
    "Last progress on",
    "Days without progress",
    "Lead officer",
]


def _report_form(request: HttpRequest) -> tuple[PartnershipReportForm, frozenset[int] | None]:
    """The bound filter form of districts the user may see; 403 for a district they may not."""
    allowed = selectors.report_district_ids_for(request.user)
    code = request.GET.get("district", "")
    if code and allowed is not None and District.objects.filter(code=code).exclude(pk__in=allowed).exists():
        raise PermissionDenied
    label = _("Kent and Medway (every district)") if allowed is None else _("All your districts")
    form = PartnershipReportForm(request.GET, districts=selectors.report_districts(allowed), all_districts_label=label)
    return form, allowed


def _query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@staff_view(roles=ROLES)
def partnership_report(request: HttpRequest) -> HttpResponse:
    form, allowed = _report_form(request)
    context: dict[str, Any] = {"form": form, "has_districts": allowed is None or bool(allowed)}
    status = 200
    if not form.is_valid():
        status = 400
    elif context["has_districts"]:
        today = timezone.localdate()
        priorities = selectors.partnership_priorities(district_ids=allowed, filters=form.filters(), today=today)
        page = Paginator(priorities, PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            rows=list(selectors.report_rows(page.object_list, today)),
            counts=selectors.partnership_counts(priorities),
            query_string=_query_string(request),
        )
    return render(request, "priorities/staff/reports/partnership.html", context, status=status)


def _csv_rows(rows: Iterator[selectors.ReportRow]) -> Iterator[list[Any]]:
    yield CSV_HEADER
    for row in rows:
        priority = row.priority
        yield [
            priority.ward.district.name,
            priority.ward.name,
            priority.ward.code,
            priority.slot,
            priority.title,
            priority.category.name,
            priority.plan_priority.name if priority.plan_priority else "",
            priority.get_status_display(),
            priority.agreed_on.isoformat(),
            row.days_open,
            row.last_progress_on.isoformat() if row.last_progress_on else "",
            row.days_without_progress,
            str(priority.lead_officer) if priority.lead_officer else "",
        ]


@require_GET
@staff_view(roles=ROLES)
def partnership_report_csv(request: HttpRequest) -> HttpResponse:
    form, allowed = _report_form(request)
    if not form.is_valid() or not (allowed is None or allowed):
        context = {"form": form, "has_districts": allowed is None or bool(allowed)}
        return render(request, "priorities/staff/reports/partnership.html", context, status=400)
    today = timezone.localdate()
    filters = form.filters()
    priorities = selectors.partnership_priorities(district_ids=allowed, filters=filters, today=today)
    # Streamed in chunks: a force-wide export is never held in memory whole.
    lines = csv_lines(_csv_rows(selectors.report_rows(priorities.iterator(chunk_size=500), today)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    district = form.cleaned_data.get("district")
    name = district.code if district else ("kent-and-medway" if allowed is None else "your-districts")
    response["Content-Disposition"] = f'attachment; filename="priorities-{name}-{today.isoformat()}.csv"'
    return response
