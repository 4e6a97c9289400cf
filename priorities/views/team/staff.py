"""Staff pages about a team's people: who is in it and which of its wards each one covers.

The team's officers see their own team (another team is not found, 404); its sergeants and
inspectors, and administrators, change who covers which ward (other officers: 403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import staff_view
from core.roles import Role, is_administrator
from priorities.errors import PrioritiesError
from priorities.forms.team import OfficerWardsForm
from priorities.scopes import can_assign_ward_officers, team_id_for
from priorities.selectors import team as selectors
from priorities.services import team as services
from wards.models import NeighbourhoodTeam, Officer

ROLES = (Role.OFFICER, Role.ADMINISTRATOR)


def _check_team(request: HttpRequest, team_id: int) -> None:
    """404 unless the user is an administrator or an officer of the team."""
    if not is_administrator(request.user) and team_id_for(request.user) != team_id:
        raise Http404("No team with that id")


def _get_team_for_user(request: HttpRequest, slug: str) -> NeighbourhoodTeam:
    team = selectors.team_for_staff(slug)
    if team is None:
        raise Http404("No team with that id")
    _check_team(request, team.pk)
    return team


def _get_officer_for_user(request: HttpRequest, pk: int) -> Officer:
    officer = selectors.officer_for_staff(pk)
    if officer is None:
        raise Http404("No officer with that number")
    _check_team(request, officer.team_id)
    if not can_assign_ward_officers(request.user, officer.team_id):
        raise PermissionDenied
    return officer


def _team_page(request: HttpRequest, team: NeighbourhoodTeam) -> HttpResponse:
    officers = list(selectors.team_officers_with_wards(team.pk))
    covered = {ward.pk for officer in officers for ward in officer.covered}
    context = {
        "team": team,
        "officers": officers,
        "uncovered": [ward for ward in selectors.team_wards_for_staff(team.pk) if ward.pk not in covered],
        "can_assign": can_assign_ward_officers(request.user, team.pk),
    }
    return render(request, "priorities/team/staff_officers.html", context)


@staff_view(roles=ROLES)
def team_home(request: HttpRequest) -> HttpResponse:
    """An officer's own team (the staff home's link opens it at once); for administrators,
    every team to choose from."""
    if not is_administrator(request.user):
        officer = getattr(request.user, "officer", None)
        if officer is None:
            raise PermissionDenied
        return _team_page(request, officer.team)
    return render(request, "priorities/team/staff_teams.html", {"teams": selectors.teams_for_staff()})


@staff_view(roles=ROLES)
def team_officers(request: HttpRequest, slug: str) -> HttpResponse:
    return _team_page(request, _get_team_for_user(request, slug))


@staff_view(roles=ROLES)
def officer_wards(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _get_officer_for_user(request, pk)
    wards = selectors.team_wards_for_staff(officer.team_id)
    initial = {"wards": list(officer.wards.values_list("pk", flat=True))}
    form = OfficerWardsForm(request.POST if request.method == "POST" else None, wards=wards, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_wards_set(actor=request.user, officer=officer, wards=form.cleaned_data["wards"])
        except PrioritiesError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The wards %(officer)s covers have been saved") % {"officer": officer})
            return redirect("priorities:staff_team_officers", slug=officer.team.slug)
    return render(request, "priorities/team/staff_officer_wards.html", {"form": form, "officer": officer})
