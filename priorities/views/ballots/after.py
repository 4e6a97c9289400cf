"""Staff pages after a ballot closes: adopting its new priorities, and reopening it.

Adoption: the ward's officers and its chair (priorities.scopes.can_run_ward) give each new
priority a short title, a lead officer, its plan priority and partners, one priority per save.
Reopening: the chair of the ward's panel and a sergeant or inspector of its team, one asking
and the other confirming (services.ballot_reopening); administrators may look, not act.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import staff_view
from core.roles import Role, is_administrator
from priorities.errors import PrioritiesError
from priorities.forms.ballots import BallotReopenForm
from priorities.forms.priorities import AdoptionForm
from priorities.models import Ballot, Priority
from priorities.scopes import can_chair_ward, can_run_ward
from priorities.selectors import ballots as selectors
from priorities.selectors import priorities as priority_selectors
from priorities.services import ballot_reopening as reopening_services
from priorities.services import priorities as priority_services

ADOPT_ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)
REOPEN_ROLES = (Role.OFFICER, Role.CHAIR, Role.ADMINISTRATOR)


def _get_ballot(pk: int) -> Ballot:
    ballot = selectors.ballot_for_page(pk).first()
    if ballot is None:
        raise Http404("No ballot with that number")
    return ballot


# Adopting the new priorities


def _adoption_form(priority: Priority, data=None) -> AdoptionForm:
    initial = {
        "title": priority.title,
        "lead_officer": priority.lead_officer_id,
        "plan_priority": priority.plan_priority_id,
        "partners": [partner.pk for partner in priority.partners.all()],
    }
    return AdoptionForm(
        data,
        priority_pk=priority.pk,
        initial=initial,
        officers=priority_selectors.lead_officer_choices(priority.ward),
        partners=priority_selectors.partner_choices(priority.ward),
        plan_priorities=priority_selectors.plan_priority_choices(priority),
    )


@staff_view(roles=ADOPT_ROLES)
def ballot_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot(pk)
    if not can_run_ward(request.user, ballot.ward):
        raise Http404("No ballot with that number")
    priorities = list(selectors.adopted_priorities(ballot)) if ballot.status == Ballot.Status.CLOSED else []
    for priority in priorities:
        priority.ward = ballot.ward  # already loaded: the choices ask for its team
    bound, error_form = None, None
    if request.method == "POST":
        chosen = request.POST.get("priority", "")
        bound = next((p for p in priorities if chosen.isdigit() and p.pk == int(chosen)), None)
        if bound is None:
            messages.error(request, _("That priority is no longer one this ballot adopted"))
            return redirect("priorities:staff_ballot_adopt", pk=ballot.pk)
        error_form = form = _adoption_form(bound, request.POST)
        if form.is_valid():
            try:
                values = {"partners": []} | form.cleaned_data
                priority_services.priority_update(actor=request.user, priority=bound, **values)
            except PrioritiesError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved: %(title)s") % {"title": bound.title})
                return redirect(reverse("priorities:staff_ballot_adopt", args=[ballot.pk]) + f"#priority-{bound.pk}")
    rows = [
        (priority, error_form if error_form is not None and priority.pk == bound.pk else _adoption_form(priority))
        for priority in priorities
    ]
    context = {
        "ballot": ballot,
        "rows": rows,
        "error_form": error_form,
        "can_chair": can_chair_ward(request.user, ballot.ward),
        "can_reopen": reopening_services.reopen_side(request.user, ballot.ward) is not None,
    }
    return render(request, "priorities/ballots/staff/adopt.html", context)


# Reopening a closed ballot


@staff_view(roles=REOPEN_ROLES)
def ballot_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _get_ballot(pk)
    side = reopening_services.reopen_side(request.user, ballot.ward)
    if side is None and not is_administrator(request.user):
        raise Http404("No ballot with that number")
    form = BallotReopenForm()
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "request":
            form = BallotReopenForm(request.POST)
            if form.is_valid():
                try:
                    reopening_services.ballot_reopen_request(
                        actor=request.user, ballot=ballot, reason=form.cleaned_data["reason"]
                    )
                except PrioritiesError as refused:
                    form.add_error(None, str(refused))
                else:
                    messages.success(request, _("Reopening asked for: it waits for the other side to confirm"))
                    return redirect("priorities:staff_ballot_reopen", pk=ballot.pk)
        else:
            try:
                if action == "confirm":
                    reopening_services.ballot_reopen_confirm(actor=request.user, ballot=ballot)
                else:
                    reopening_services.ballot_reopen_withdraw(actor=request.user, ballot=ballot)
            except PrioritiesError as refused:
                error = str(refused)
            else:
                if action == "confirm":
                    messages.success(
                        request, _("Ballot reopened: the ward's priorities are as they were before it closed")
                    )
                    if can_chair_ward(request.user, ballot.ward):
                        return redirect("priorities:staff_ballot", pk=ballot.pk)
                else:
                    messages.success(request, _("Request to reopen withdrawn: the ballot stays closed"))
                return redirect("priorities:staff_ballot_reopen", pk=ballot.pk)
    context = {
        "ballot": ballot,
        "form": form,
        "error": error,
        "side": side,
        "pending": reopening_services.pending_reopening(ballot),
        "reopenings": selectors.ballot_reopenings(ballot),
    }
    return render(request, "priorities/ballots/staff/reopen.html", context)
