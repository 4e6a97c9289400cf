"""Staff pages of the monthly updates: the team's updates, and correcting one.

Officers correct their own team's updates; administrators any team's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.access import staff_view
from core.roles import Role, is_administrator
from priorities.errors import PrioritiesError
from priorities.forms.updates import UpdateCorrectForm
from priorities.models import MonthlyUpdate
from priorities.scopes import team_id_for
from priorities.selectors import updates as selectors
from priorities.services import updates as services

ROLES = (Role.OFFICER, Role.ADMINISTRATOR)
UPDATES_PER_PAGE = 24


def _team_of(request: HttpRequest) -> int | None:
    """The team whose updates the user sees (None: every team, for administrators); 404 if none."""
    if is_administrator(request.user):
        return None
    team_id = team_id_for(request.user)
    if team_id is None:
        raise Http404("You are not a member of a neighbourhood team")
    return team_id


def _get_update_for_user(request: HttpRequest, pk: int) -> MonthlyUpdate:
    """The update, if it is of the user's team (else 404) and they may correct it (else 403)."""
    update = selectors.update_for_staff(pk).first()
    team_id = _team_of(request)
    if update is None or (team_id is not None and update.team_id != team_id):
        raise Http404("No update with that number")
    if not services.can_correct_monthly_update(actor=request.user, update=update):
        raise PermissionDenied
    return update


@staff_view(roles=ROLES)
def update_list(request: HttpRequest) -> HttpResponse:
    updates = selectors.updates_for_staff(_team_of(request))
    page = Paginator(updates, UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/updates/staff_list.html", {"page": page})


@staff_view(roles=ROLES)
def update_correct(request: HttpRequest, pk: int) -> HttpResponse:
    update = _get_update_for_user(request, pk)
    data = request.POST if request.method == "POST" else None
    form = UpdateCorrectForm(data, initial={"summary": update.summary})
    if form.is_bound and form.is_valid():
        values = form.cleaned_data
        try:
            services.monthly_update_correct(
                actor=request.user, update=update, summary=values["summary"], reason=values["reason"]
            )
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The {update.month:%B %Y} update of {update.team.name} has been corrected")
            return redirect("priorities:staff_update_list")
    return render(request, "priorities/updates/staff_correct.html", {"form": form, "update": update})
