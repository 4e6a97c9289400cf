"""Staff progress pages: a priority's full timeline (internal entries too), adding an entry,
and putting one right (edit or withdraw).

The ward's officers, its chair, administrators and partners named on the priority whose agency
works in its ward see the timeline (partners: the public entries and their own agency's internal
ones); anyone else gets 404. Officers, administrators and those partners add to it; a chair may
see but not add (403). An entry is edited or withdrawn by its author or a sergeant or inspector
of the team (403 for other readers of the timeline).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.forms.progress import ProgressForm
from priorities.models import Priority, ProgressEntry
from priorities.scopes import can_manage_ward, can_run_ward, partner_agency_for
from priorities.selectors import progress as selectors
from priorities.services import progress as services

VIEW_ROLES = (Role.OFFICER, Role.CHAIR, Role.PARTNER, Role.ADMINISTRATOR)
ADD_ROLES = (Role.OFFICER, Role.PARTNER, Role.ADMINISTRATOR)


def _get_priority_for_user(request: HttpRequest, pk: int, *, to_add: bool = False) -> Priority:
    priority = selectors.progress_for_staff(pk).first()
    if priority is None:
        raise Http404("No priority with that number")
    may_add = services.can_add_progress(actor=request.user, priority=priority)
    if not may_add and not can_run_ward(request.user, priority.ward):
        raise Http404("No priority with that number")
    if to_add and not may_add:
        raise PermissionDenied
    return priority


def _partner_reader(request: HttpRequest, priority: Priority):
    """The agency whose internal entries are all a partner reader may see (None: staff see all)."""
    if can_run_ward(request.user, priority.ward):
        return None
    return partner_agency_for(request.user)


@staff_view(roles=VIEW_ROLES)
def progress_list(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _get_priority_for_user(request, pk)
    entries = list(selectors.staff_timeline(priority, agency=_partner_reader(request, priority)))
    for entry in entries:
        entry.priority = priority
        entry.may_change = not entry.is_withdrawn and services.can_change_progress(actor=request.user, entry=entry)
    context = {
        "priority": priority,
        "entries": entries,
        "may_add": priority.is_active and services.can_add_progress(actor=request.user, priority=priority),
    }
    return render(request, "priorities/progress/staff_list.html", context)


def _form(request: HttpRequest, priority: Priority, entry: ProgressEntry | None = None) -> ProgressForm:
    if can_manage_ward(request.user, priority.ward):
        officers, agencies = selectors.officer_choices(priority), selectors.agency_choices(priority)
        own = getattr(request.user, "officer", None)
        initial = {"by": f"officer-{own.pk}"} if own is not None and own.team_id == priority.ward.team_id else {}
    else:
        agency = partner_agency_for(request.user)
        officers, agencies, initial = [], [agency], {"by": f"agency-{agency.pk}"}
    initial["happened_on"] = timezone.localdate()
    if entry is not None:
        by = f"officer-{entry.officer_id}" if entry.officer_id else f"agency-{entry.agency_id}"
        initial = {"happened_on": entry.happened_on, "text": entry.text, "by": by}
    data = request.POST if request.method == "POST" else None
    return ProgressForm(data, officers=officers, agencies=agencies, initial=initial, with_visibility=entry is None)


@staff_view(roles=ADD_ROLES)
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _get_priority_for_user(request, pk, to_add=True)
    form = _form(request, priority)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_add(
                actor=request.user,
                priority=priority,
                happened_on=data["happened_on"],
                text=data["text"],
                visibility=data["visibility"],
                officer=data["officer"],
                agency=data["agency"],
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Progress added to %(priority)s") % {"priority": priority.title})
            return redirect("priorities:staff_progress", pk=priority.pk)
    return render(request, "priorities/progress/staff_form.html", {"priority": priority, "form": form})


def _get_entry_for_user(request: HttpRequest, pk: int, entry_pk: int) -> ProgressEntry:
    """The entry, if the user may see its timeline (404 otherwise) and change it (403 otherwise)."""
    priority = _get_priority_for_user(request, pk)
    entry = selectors.entry_for_staff(priority.pk, entry_pk).first()
    agency = _partner_reader(request, priority)
    if entry is None or (entry.visibility == ProgressEntry.Visibility.INTERNAL and agency and entry.agency != agency):
        raise Http404("No progress entry with that number")
    entry.priority = priority
    if entry.is_withdrawn or not services.can_change_progress(actor=request.user, entry=entry):
        raise PermissionDenied
    return entry


@staff_view(roles=ADD_ROLES)
def progress_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk, entry_pk)
    priority = entry.priority
    form = _form(request, priority, entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_edit(
                actor=request.user,
                entry=entry,
                happened_on=data["happened_on"],
                text=data["text"],
                officer=data["officer"],
                agency=data["agency"],
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Progress entry edited: the public page shows it was edited"))
            return redirect("priorities:staff_progress", pk=priority.pk)
    context = {"priority": priority, "entry": entry, "form": form}
    return render(request, "priorities/progress/staff_edit.html", context)


@staff_view(roles=ADD_ROLES)
def progress_withdraw(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk, entry_pk)
    error = None
    if request.method == "POST":
        try:
            services.progress_withdraw(actor=request.user, entry=entry)
        except PrioritiesError as refused:
            error = str(refused)
        else:
            messages.success(request, _("Progress entry withdrawn: the public page shows the date it was withdrawn"))
            return redirect("priorities:staff_progress", pk=entry.priority.pk)
    context = {"priority": entry.priority, "entry": entry, "error": error}
    return render(request, "priorities/progress/staff_withdraw.html", context)
