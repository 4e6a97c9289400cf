"""Staff pages for events: list, schedule, edit, cancel, move, record as held.

Officers, chairs and administrators open these pages; which events each may see and change
is decided per event by its wards (core.roles via the events services).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import staff_view
from core.roles import Role
from priorities.errors import PrioritiesError
from priorities.forms import events as forms
from priorities.forms.agendas import AgendaForm
from priorities.models import Event, PanelMember
from priorities.scopes import ward_ids_for
from priorities.selectors import agendas as agenda_selectors
from priorities.selectors import events as selectors
from priorities.services import agendas as agenda_services
from priorities.services import events as services

ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
EVENTS_PER_PAGE = 20
FORM_TEMPLATE = "priorities/events/staff_form.html"


def _get_event_for_user(request: HttpRequest, pk: int) -> Event:
    """The event, if one of its wards is the user's (else 404), and they may change it (else 403)."""
    event = get_object_or_404(Event.objects.select_related("panel").prefetch_related("wards"), pk=pk)
    visible = ward_ids_for(request.user)
    if visible is not None and not any(ward.pk in visible for ward in event.wards.all()):
        raise Http404("No event with that id")
    if not services.can_change_event(actor=request.user, event=event):
        raise PermissionDenied
    return event


def _ward_filter(request: HttpRequest, wards) -> int | None:
    value = request.GET.get("ward", "")
    return int(value) if value.isdigit() and any(ward.pk == int(value) for ward in wards) else None


@staff_view(roles=ROLES)
def event_list(request: HttpRequest) -> HttpResponse:
    wards = list(selectors.wards_for_user(request.user))
    ward_id = _ward_filter(request, wards)
    events = selectors.events_for_staff(ward_ids_for(request.user), ward_id)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "wards": wards, "ward_id": ward_id, "now": timezone.now()}
    context["query_string"] = f"ward={ward_id}" if ward_id else ""
    return render(request, "priorities/events/staff_list.html", context)


def _form_page(request: HttpRequest, form: Form, **context) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, **context})


def _run(form: Form, call) -> Event | None:
    """Call the service with the valid form; a refusal becomes an error on the form."""
    try:
        return call()
    except PrioritiesError as error:
        form.add_error(None, str(error))
        return None


def _schedule_form(request: HttpRequest) -> forms.EventScheduleForm:
    """The new-event form; ``?panel=<id>`` (a panel the user may schedule for) fills in a PACT
    meeting of that panel with its wards ticked."""
    data = request.POST if request.method == "POST" else None
    panels = selectors.panels_for_scheduling(request.user)
    chosen = request.GET.get("panel", "")
    panel = panels.filter(pk=int(chosen)).first() if data is None and chosen.isdigit() else None
    initial = forms.EventScheduleForm.initial_for_panel(panel) if panel else None
    return forms.EventScheduleForm(data, initial=initial, wards=selectors.wards_for_user(request.user), panels=panels)


def _schedule_values(form: forms.EventScheduleForm, *fields: str) -> dict:
    values = form.cleaned_data
    return {
        "ward_ids": [ward.pk for ward in values["wards"]],
        "panel_id": values["panel"].pk if values["panel"] else None,
        **{name: values[name] for name in ("kind", "title", "starts_at", "ends_at", "venue", "address", *fields)},
    }


@staff_view(roles=ROLES)
def event_schedule(request: HttpRequest) -> HttpResponse:
    form = _schedule_form(request)
    if form.is_bound and form.is_valid():
        values = _schedule_values(form, "joining_url", "accessibility_notes")
        event = _run(form, lambda: services.event_schedule(actor=request.user, **values))
        if event is not None:
            messages.success(request, f"{event.title} has been scheduled")
            return redirect("priorities:staff_event_list")
    panels = [] if form.is_bound else list(form.fields["panel"].queryset.order_by("name"))
    return _form_page(request, form, heading="Schedule an event", button="Schedule event", panels=panels)


@staff_view(roles=ROLES)
def event_record_past(request: HttpRequest) -> HttpResponse:
    """A meeting that took place but was never scheduled: recorded as held, then its attendance."""
    form = _schedule_form(request)
    if form.is_bound and form.is_valid():
        values = _schedule_values(form, "joining_url")
        event = _run(form, lambda: services.event_record_past(actor=request.user, **values))
        if event is not None:
            messages.success(request, f"{event.title} has been recorded: now record who attended and the minutes")
            return redirect("priorities:staff_event_held", pk=event.pk)
    heading = "Record a meeting that has already taken place"
    return _form_page(request, form, heading=heading, button="Record the meeting")


@staff_view(roles=ROLES)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_event_for_user(request, pk)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
    initial |= forms.EventTimesForm.initial_for(event)
    form = forms.EventDetailsForm(data, initial=initial, kind=event.kind)
    if data is not None and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        if updated := _run(form, lambda: services.event_update(actor=request.user, event_id=event.pk, **changes)):
            messages.success(request, f"{updated.title} has been updated")
            return redirect("priorities:staff_event_list")
    return _form_page(request, form, event=event, heading=f"Change {event.title}", button="Save changes")


@staff_view(roles=ROLES)
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_event_for_user(request, pk)
    following = selectors.next_meeting(event)
    shortlisted = event.shortlist.filter(status="shortlisted").count()
    data = request.POST if request.method == "POST" else None
    form = forms.EventCancelForm(data, next_meeting=following, shortlisted=shortlisted)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        move_to = following.pk if following and form.cleaned_data.get("move_shortlist") else None
        cancel = {"event_id": event.pk, "reason": reason, "move_shortlist_to": move_to}
        if _run(form, lambda: services.event_cancel(actor=request.user, **cancel)):
            messages.success(request, f"{event.title} has been cancelled")
            return redirect("priorities:staff_event_list")
    return _form_page(request, form, event=event, heading=f"Cancel {event.title}", button="Cancel event")


@staff_view(roles=ROLES)
def event_move(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_event_for_user(request, pk)
    form = forms.EventMoveForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        times = {name: form.cleaned_data[name] for name in ("starts_at", "ends_at")}
        if _run(form, lambda: services.event_move(actor=request.user, event_id=event.pk, **times)):
            messages.success(request, f"{event.title} has been moved")
            return redirect("priorities:staff_event_list")
    return _form_page(request, form, event=event, heading=f"Move {event.title}", button="Move event")


@staff_view(roles=ROLES)
def event_record_held(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_event_for_user(request, pk)
    day = timezone.localdate(event.starts_at)
    members = selectors.members_active_on(event.panel_id, day) if event.panel_id else PanelMember.objects.none()
    initial = {"members": list(event.attendance.values_list("member_id", flat=True))} | {
        "residents_attending": event.residents_attending,
        "minutes": event.minutes,
    }
    form = forms.EventHeldForm(request.POST if request.method == "POST" else None, initial=initial, members=members)
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        held = {
            "member_ids": [member.pk for member in values.get("members", [])],
            "residents_attending": values["residents_attending"],
            "minutes": values["minutes"],
        }
        if _run(form, lambda: services.event_record_held(actor=request.user, event_id=event.pk, **held)):
            messages.success(request, f"Attendance and minutes of {event.title} have been recorded")
            return redirect("priorities:staff_event_list")
    heading = f"Record {event.title} as held"
    return _form_page(request, form, event=event, heading=heading, button="Save attendance and minutes")


@staff_view(roles=ROLES)
def event_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish or change a PACT meeting's agenda: the shortlist and priorities are read live,
    matters arising and the venue's accessibility are written here."""
    event = _get_event_for_user(request, pk)
    if event.kind != event.Kind.PACT_MEETING:
        raise Http404("Only a PACT meeting has an agenda")
    content = agenda_selectors.agenda_content(event)
    agenda = content.agenda if content else None
    initial = {
        "matters_arising": agenda.matters_arising if agenda else "",
        "accessibility_notes": agenda.accessibility_notes if agenda else event.accessibility_notes,
    }
    form = AgendaForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        values = {"event_id": event.pk, **form.cleaned_data}
        if _run(form, lambda: agenda_services.agenda_publish(actor=request.user, **values)):
            verb = "updated" if agenda else "published"
            messages.success(request, f"The agenda of {event.title} has been {verb}")
            return redirect("priorities:staff_event_list")
    context = {
        "event": event,
        "form": form,
        "agenda": agenda,
        "concerns": list(agenda_selectors.shortlist_of(event)),
        "last_meeting": agenda_selectors.last_meeting_of(event),
    }
    return render(request, "priorities/events/staff_agenda.html", context)
