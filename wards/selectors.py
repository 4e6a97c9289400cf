"""Reads for the public ward, team and search pages, each shaped for its page."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from wards.models import District, NeighbourhoodTeam, Officer, Postcode, Ward

_RANK_POSITION = Case(
    *(When(rank=rank, then=Value(position)) for position, rank in enumerate(Officer.Rank.values)),
    output_field=IntegerField(),
)


def ward_code_for_postcode(postcode: str) -> str | None:
    """The ONS code of the ward a normalised postcode is in, or None if we do not hold it."""
    return Postcode.objects.filter(postcode=postcode).values_list("ward__code", flat=True).first()


def outward_is_held(outward: str) -> bool:
    """Whether any postcode we hold starts with this outward code."""
    return Postcode.objects.filter(outward=outward).exists()


def wards_for_outward(outward: str) -> QuerySet[Ward]:
    """The wards an outward code covers, with how many of its postcodes fall in each."""
    return (
        Ward.objects.filter(postcodes__outward=outward)
        .select_related("district", "team")
        .annotate(postcode_count=Count("postcodes"))
        .order_by("-postcode_count", "name")
    )


def wards_matching_name(text: str) -> QuerySet[Ward]:
    """Wards whose own name, district or neighbourhood team matches the text."""
    return (
        Ward.objects.filter(
            Q(name__icontains=text)
            | Q(district__name__icontains=text)
            | Q(district__former_name__icontains=text)
            | Q(team__name__icontains=text)
        )
        .select_related("district", "team")
        .order_by("district__name", "name")
    )


def ward_for_page(code: str) -> QuerySet[Ward]:
    """The ward page's ward, with its district and team."""
    return Ward.objects.select_related("district", "team", "team__district").filter(code=code)


def officers_of_team(team_id: int) -> QuerySet[Officer]:
    """A team's officers, most senior first."""
    return (
        Officer.objects.filter(team_id=team_id)
        .annotate(rank_position=_RANK_POSITION)
        .order_by("rank_position", "last_name", "first_name")
    )


def wards_of_team(team_id: int) -> QuerySet[Ward]:
    """A team's wards with their boundaries, for the team page and its map."""
    return Ward.objects.filter(team_id=team_id).order_by("name")


def ward_names_of_team(team_id: int) -> QuerySet[Ward]:
    """A team's wards, names and codes only (boundaries are large and unneeded here)."""
    return Ward.objects.filter(team_id=team_id).only("code", "name").order_by("name")


def team_for_page(slug: str) -> QuerySet[NeighbourhoodTeam]:
    return NeighbourhoodTeam.objects.select_related("district").filter(slug=slug)


def districts_with_wards() -> QuerySet[District]:
    """Every district with its wards and their teams, for the index of all wards."""
    return District.objects.prefetch_related(
        Prefetch(
            "wards",
            queryset=Ward.objects.select_related("team").only(
                "code", "name", "district_id", "team__slug", "team__name"
            ),
        ),
    ).order_by("name")


def teams_with_wards() -> QuerySet[NeighbourhoodTeam]:
    """Every team with its district and wards (name, code, boundary), for the force map."""
    return (
        NeighbourhoodTeam.objects.select_related("district")
        .prefetch_related(Prefetch("wards", queryset=Ward.objects.order_by("name")))
        .order_by("district__name", "name")
    )


class SearchOutcome:
    WARD = "ward"
    WARDS = "wards"
    UNKNOWN_POSTCODE = "unknown_postcode"
    OUTSIDE_AREA = "outside_area"
    NO_MATCH = "no_match"


def search_resolve(*, kind: str, value: str) -> tuple[str, str | QuerySet[Ward] | None]:
    """Decide what a valid search leads to.

    A held postcode, or the exact name of one ward, leads to that ward; an outward code or
    another name to a list of wards. A postcode or outward code we do not hold is outside Kent
    and Medway unless we hold other postcodes in its district, in which case the postcode
    itself is unknown to us.
    """
    from wards.postcodes import outward_of

    if kind == "postcode":
        code = ward_code_for_postcode(value)
        if code:
            return SearchOutcome.WARD, code
        held = outward_is_held(outward_of(value))
        return (SearchOutcome.UNKNOWN_POSTCODE if held else SearchOutcome.OUTSIDE_AREA), None
    if kind == "outward":
        if not outward_is_held(value):
            return SearchOutcome.OUTSIDE_AREA, None
        return SearchOutcome.WARDS, wards_for_outward(value)
    wards = wards_matching_name(value)
    # The exact name of one ward leads to it; a name two wards share lists them.
    exact = list(wards.filter(name__iexact=value).values_list("code", flat=True)[:2])
    if len(exact) == 1:
        return SearchOutcome.WARD, exact[0]
    return (SearchOutcome.WARDS if exact or wards.exists() else SearchOutcome.NO_MATCH), wards
