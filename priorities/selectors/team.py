"""Reads of the staff page about a team's people and the wards each covers."""

from django.db.models import Prefetch, QuerySet

from wards.models import NeighbourhoodTeam, Officer, Ward
from wards.selectors import officers_of_team


def teams_for_staff() -> QuerySet[NeighbourhoodTeam]:
    """Every team, by district and name, for an administrator to choose from."""
    return NeighbourhoodTeam.objects.select_related("district").order_by("district__name", "name")


def team_for_staff(slug: str) -> NeighbourhoodTeam | None:
    return NeighbourhoodTeam.objects.filter(slug=slug).first()


def team_officers_with_wards(team_id: int) -> QuerySet[Officer]:
    """The team's officers, most senior first, each with the wards they cover (``covered``). Two queries."""
    wards = Ward.objects.only("code", "name").order_by("name")
    return officers_of_team(team_id).prefetch_related(Prefetch("wards", queryset=wards, to_attr="covered"))


def team_wards_for_staff(team_id: int) -> QuerySet[Ward]:
    """The team's wards of the active generation, by name: those an officer may be given."""
    return Ward.objects.active().filter(team_id=team_id).only("pk", "code", "name", "team_id").order_by("name")


def officer_for_staff(pk: int) -> Officer | None:
    return Officer.objects.select_related("team").filter(pk=pk).first()
