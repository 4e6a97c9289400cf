"""Staff priority pages: edit a priority (lead officer, plan priority, partners) and resolve it.

Priorities are kept up by the ward's officers and chair (priorities.scopes.can_run_ward); a priority
of a ward one does not run is not found (404).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.forms.priorities import PriorityForm, ResolveForm
from priorities.models import Priority
from priorities.scopes import can_run_ward
from priorities.selectors import priorities as selectors
from priorities.services import priorities as services

PRIORITY_ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)


def _get_priority_for_user(request: HttpRequest, pk: int) -> Priority:
    priority = selectors.priority_for_staff(pk).first()
    if priority is None or not can_run_ward(request.user, priority.ward):
        raise Http404("No priority with that number")
    return priority


def _priority_form(priority: Priority, data=None) -> PriorityForm:
    initial = {
        "title": priority.title,
        "lead_officer": priority.lead_officer_id,
        "plan_priority": priority.plan_priority_id,
        "partners": list(priority.partners.values_list("pk", flat=True)),
    }
    return PriorityForm(
        data,
        initial=initial,
        officers=selectors.lead_officer_choices(priority.ward),
        partners=selectors.partner_choices(priority.ward),
        plan_priorities=selectors.plan_priority_choices(priority),
    )


@staff_view(roles=PRIORITY_ROLES)
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _get_priority_for_user(request, pk)
    form = _priority_form(priority, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(actor=request.user, priority=priority, **form.cleaned_data)
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Priority updated"))
            return redirect("priorities:priority_detail", pk=priority.pk)
    return render(request, "priorities/priorities/staff/edit.html", {"priority": priority, "form": form})


@staff_view(roles=PRIORITY_ROLES)
def priority_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _get_priority_for_user(request, pk)
    form = ResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_resolve(actor=request.user, priority=priority, outcome=form.cleaned_data["outcome"])
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Priority marked as resolved"))
            return redirect("priorities:priority_detail", pk=priority.pk)
    return render(request, "priorities/priorities/staff/resolve.html", {"priority": priority, "form": form})
