"""Reads for the wards API, each one query per kind of thing whatever the page size.

Boundaries are large: lists leave them out and only a ward's own detail carries its own.
"""

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from wards.models import District, NeighbourhoodTeam, Officer, Ward

_RANK_POSITION = Case(
    *(When(rank=rank, then=Value(position)) for position, rank in enumerate(Officer.Rank.values)),
    output_field=IntegerField(),
)
_DISTRICT_FIELDS = ("district__code", "district__name")


def districts_for_api() -> QuerySet[District]:
    """Every district, by name, without its boundary."""
    return District.objects.only("code", "name", "former_name").order_by("name", "code")


def wards_for_api(*, district: str | None = None, team: int | None = None) -> QuerySet[Ward]:
    """Active wards by name (then code), with district and team, optionally of one district or team."""
    wards = (
        Ward.objects.active()
        .select_related("district", "team")
        .only("code", "name", "centroid_lat", "centroid_lng", *_DISTRICT_FIELDS, "team__slug", "team__name")
    )
    if district is not None:
        wards = wards.filter(district__code=district)
    if team is not None:
        wards = wards.filter(team_id=team)
    return wards.order_by("name", "code")


def ward_for_api(code: str) -> QuerySet[Ward]:
    """One ward by its ONS code, with its boundary, district and team."""
    return Ward.objects.select_related("district", "team").defer("district__boundary", "team__email").filter(code=code)


def _team_wards() -> Prefetch:
    return Prefetch("wards", queryset=Ward.objects.active().only("code", "name", "team_id").order_by("name", "code"))


def teams_for_api(*, district: str | None = None) -> QuerySet[NeighbourhoodTeam]:
    """Neighbourhood teams by name, each with its district and wards, optionally of one district."""
    teams = (
        NeighbourhoodTeam.objects.select_related("district")
        .only("slug", "name", "is_demo", *_DISTRICT_FIELDS)
        .prefetch_related(_team_wards())
    )
    if district is not None:
        teams = teams.filter(district__code=district)
    return teams.order_by("name", "pk")


def team_for_api(team_id: int) -> QuerySet[NeighbourhoodTeam]:
    """One team with its district, wards and officers (most senior first): no contact details."""
    officers = (
        Officer.objects.only("team_id", "rank", "first_name", "last_name", "collar_number", "is_demo")
        .annotate(rank_position=_RANK_POSITION)
        .order_by("rank_position", "last_name", "first_name", "pk")
    )
    return (
        NeighbourhoodTeam.objects.select_related("district")
        .only("slug", "name", "is_demo", *_DISTRICT_FIELDS)
        .prefetch_related(_team_wards(), Prefetch("officers", queryset=officers))
        .filter(pk=team_id)
    )
