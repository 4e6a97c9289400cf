"""Staff pages of equality monitoring: typing in a meeting's paper forms, and the report.

Paper forms: the meeting's chair, the officers of its wards' teams and administrators
(feedback.services.equality.can_enter_paper_forms); anyone else finds no such page (404).
The report and its CSV are for administrators, who see every district.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import staff_view
from core.csv_export import csv_writer
from core.meetings import MeetingFacts, meeting_facts
from core.roles import Role
from feedback.errors import FeedbackError
from feedback.forms.equality import EqualityPaperForm
from feedback.selectors.equality import (
    GROUPS,
    PARTICIPANTS,
    equality_csv_rows,
    equality_group,
    equality_tables,
    paper_forms_entered,
)
from feedback.services.equality import can_enter_paper_forms, equality_paper_enter, equality_report_exported

PAPER_ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
ANOTHER = "another"


def _get_meeting_for_user(request: HttpRequest, pk: int) -> MeetingFacts:
    meeting = meeting_facts(pk=pk)
    if meeting is None or not can_enter_paper_forms(request.user, meeting):
        raise Http404("No meeting with that id")
    return meeting


@require_http_methods(["GET", "POST"])
@staff_view(roles=PAPER_ROLES)
def paper_forms(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_user(request, pk)
    form = EqualityPaperForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                equality_paper_enter(actor=request.user, meeting=meeting, context=data["role"], answers=form.answers())
            except FeedbackError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Monitoring form saved"))
                if request.POST.get("then") == ANOTHER:
                    return redirect("feedback:staff_equality_paper", pk=meeting.pk)
                return redirect("staff:home")
    context = {"meeting": meeting, "form": form, "entered": paper_forms_entered(meeting_pk=meeting.pk)}
    return render(request, "feedback/equality/staff/paper.html", context, status=status)


def _group(request: HttpRequest):
    group = equality_group(request.GET.get("group") or PARTICIPANTS)
    if group is None:
        raise Http404("No such group")
    return group


@require_GET
@staff_view(roles=(Role.ADMINISTRATOR,))
def report(request: HttpRequest) -> HttpResponse:
    tables = equality_tables(group=_group(request))
    return render(request, "feedback/equality/staff/report.html", {"report": tables, "groups": GROUPS})


@require_GET
@staff_view(roles=(Role.ADMINISTRATOR,))
def report_export(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    tables = equality_tables(group=group)
    equality_report_exported(actor=request.user, group=group.key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="equality-{group.key}.csv"'
    csv_writer(response).writerows(equality_csv_rows(tables))
    return response
