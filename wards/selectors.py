"""Reads for the public ward, team and search pages, each shaped for its page."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from wards.models import (
    District,
    NeighbourhoodTeam,
    Officer,
    OfficerWard,
    Place,
    PlaceWard,
    Postcode,
    PostcodeWard,
    Ward,
    WardSuccession,
)
from wards.places import SIMILARITY_THRESHOLD, closest, place_key, similarity

_RANK_POSITION = Case(
    *(When(rank=rank, then=Value(position)) for position, rank in enumerate(Officer.Rank.values)),
    output_field=IntegerField(),
)


def ward_code_for_postcode(postcode: str) -> str | None:
    """The ONS code of the active generation's ward a normalised postcode is in, or None if we do not hold it."""
    return (
        PostcodeWard.objects.filter(postcode__postcode=postcode, generation_id=settings.PACT_WARD_GENERATION)
        .values_list("ward__code", flat=True)
        .first()
    )


def outward_is_held(outward: str) -> bool:
    """Whether any postcode we hold starts with this outward code."""
    return Postcode.objects.filter(outward=outward).exists()


def wards_for_outward(outward: str) -> QuerySet[Ward]:
    """The active generation's wards an outward code covers, with how many of its postcodes fall in each."""
    return (
        Ward.objects.filter(
            postcode_links__generation_id=settings.PACT_WARD_GENERATION, postcode_links__postcode__outward=outward
        )
        .select_related("district", "team")
        .annotate(postcode_count=Count("postcode_links"))
        .order_by("-postcode_count", "name")
    )


def wards_matching_name(text: str) -> QuerySet[Ward]:
    """Wards of the active generation whose own name, district or neighbourhood team matches the text."""
    return (
        Ward.objects.active()
        .filter(
            Q(name__icontains=text)
            | Q(district__name__icontains=text)
            | Q(district__former_name__icontains=text)
            | Q(team__name__icontains=text)
        )
        .select_related("district", "team")
        .order_by("district__name", "name")
    )


def ward_for_page(code: str) -> QuerySet[Ward]:
    """The ward page's ward, of any generation, with its district, team and generations."""
    return Ward.objects.select_related(
        "district", "team", "team__district", "generation_low", "generation_high"
    ).filter(code=code)


def successions_of_ward(ward_id: int) -> list[WardSuccession]:
    """The wards that took over this ward's area and those whose area it took, largest share first.

    One query whatever the number of generations; each side carries the generation it began in.
    """
    return list(
        WardSuccession.objects.filter(Q(predecessor_id=ward_id) | Q(successor_id=ward_id))
        .select_related("predecessor__generation_low", "successor__generation_low")
        .only(
            "share",
            "predecessor__code",
            "predecessor__name",
            "predecessor__generation_low__name",
            "predecessor__generation_low__in_force_from",
            "successor__code",
            "successor__name",
            "successor__generation_low__name",
            "successor__generation_low__in_force_from",
        )
        .order_by("-share", "successor__name", "predecessor__name")
    )


def officers_of_team(team_id: int) -> QuerySet[Officer]:
    """A team's officers, most senior first."""
    return (
        Officer.objects.filter(team_id=team_id)
        .annotate(rank_position=_RANK_POSITION)
        .order_by("rank_position", "last_name", "first_name")
    )


def officers_of_ward(*, ward_id: int, team_id: int) -> QuerySet[Officer]:
    """The officers of the ward's team, those who cover the ward first (``covers_ward``), each
    group most senior first: "your ward officers", then the rest of the team. One query."""
    covers = Exists(OfficerWard.objects.filter(officer=OuterRef("pk"), ward_id=ward_id))
    return (
        Officer.objects.filter(team_id=team_id)
        .annotate(covers_ward=covers, rank_position=_RANK_POSITION)
        .order_by("-covers_ward", "rank_position", "last_name", "first_name")
    )


def ward_officers_section(ward: Ward) -> dict:
    """Context of the ward page's officers section: its own officers, the rest of its team and
    the team's other wards, in two queries (none without a team)."""
    if ward.team_id is None:
        return {"ward_officers": [], "team_officers": [], "team_wards": []}
    officers = list(officers_of_ward(ward_id=ward.pk, team_id=ward.team_id))
    return {
        "ward_officers": [officer for officer in officers if getattr(officer, "covers_ward", False)],
        "team_officers": [officer for officer in officers if not getattr(officer, "covers_ward", False)],
        "team_wards": list(ward_names_of_team(ward.team_id).exclude(pk=ward.pk)),
    }


def _ward_officers() -> Prefetch:
    """Each ward's own officers, most senior first, as ``officers_here``."""
    officers = Officer.objects.annotate(rank_position=_RANK_POSITION).order_by("rank_position", "last_name")
    return Prefetch("ward_officers", queryset=officers.only("rank", "first_name", "last_name"), to_attr="officers_here")


def wards_of_team(team_id: int) -> QuerySet[Ward]:
    """A team's wards of the active generation with their boundaries and the officers who
    cover each (``officers_here``), for the team page and its map."""
    return Ward.objects.active().filter(team_id=team_id).prefetch_related(_ward_officers()).order_by("name")


def ward_names_of_team(team_id: int) -> QuerySet[Ward]:
    """A team's wards of the active generation, names and codes only (boundaries are large and unneeded here)."""
    return Ward.objects.active().filter(team_id=team_id).only("code", "name").order_by("name")


def team_for_page(slug: str) -> QuerySet[NeighbourhoodTeam]:
    return NeighbourhoodTeam.objects.select_related("district").filter(slug=slug)


def districts_with_wards() -> QuerySet[District]:
    """Every district with its wards of the active generation and their teams, for the index of all wards."""
    return District.objects.prefetch_related(
        Prefetch(
            "wards",
            queryset=Ward.objects.active()
            .select_related("team")
            .only("code", "name", "district_id", "team__slug", "team__name"),
        ),
    ).order_by("name")


def teams_with_wards() -> QuerySet[NeighbourhoodTeam]:
    """Every team with its district and wards of the active generation (name, code, boundary),
    each ward with the officers who cover it (``officers_here``), for the force map."""
    wards = Ward.objects.active().prefetch_related(_ward_officers()).order_by("name")
    return (
        NeighbourhoodTeam.objects.select_related("district")
        .prefetch_related(Prefetch("wards", queryset=wards))
        .order_by("district__name", "name")
    )


# Suggestions put towns before villages and hamlets: more people look for them.
_KIND_POSITION = Case(
    *(
        When(kind=kind, then=Value(position))
        for position, kind in enumerate(
            [Place.Kind.CITY, Place.Kind.TOWN, Place.Kind.SUBURB, Place.Kind.VILLAGE, Place.Kind.OTHER]
        )
    ),
    default=Value(9),
    output_field=IntegerField(),
)
SUGGESTIONS = 10


def places_named(keys: list[str]) -> list[Place]:
    """The places whose normalised name is one of ``keys``, each with its active wards, largest share first.

    A place with no ward in the active generation (not yet linked to it) is left out.
    """
    links = (
        PlaceWard.objects.filter(generation_id=settings.PACT_WARD_GENERATION)
        .select_related("ward__district", "ward__team")
        .order_by("-share", "ward__name")
    )
    places = (
        Place.objects.filter(search_name__in=keys)
        .select_related("district")
        .prefetch_related(Prefetch("ward_links", queryset=links))
        .order_by("name", "district__name", "os_id")
    )
    return [place for place in places if place.ward_links.all()]


def place_keys_like(key: str) -> list[str]:
    """The normalised place names nearest to ``key`` within a typo or two (wards.places.closest).

    PostgreSQL's pg_trgm picks the candidates; elsewhere the same measure is computed here.
    """
    names = Place.objects.values_list("search_name", flat=True).distinct()
    if connection.vendor == "postgresql":
        candidates = set(
            names.annotate(similarity=TrigramSimilarity("search_name", key)).filter(
                similarity__gte=SIMILARITY_THRESHOLD
            )
        )
    else:
        candidates = {name for name in names if similarity(key, name) >= SIMILARITY_THRESHOLD}
    return closest(key, candidates)


def place_suggestions(text: str) -> list[dict[str, str]]:
    """Places whose name, or a word of it, starts with the text: towns first, then by name."""
    key = place_key(text)
    if len(key) < 2:
        return []
    starts = Q(search_name__startswith=key)
    places = (
        Place.objects.filter(starts | Q(search_name__contains=f" {key}"))
        .annotate(
            starts=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField()),
            kind_position=_KIND_POSITION,
        )
        .order_by("starts", "kind_position", "name")
        .values_list("name", "kind", "district__name")[:SUGGESTIONS]
    )
    labels = dict(Place.Kind.choices)
    return [{"name": name, "kind": str(labels[kind]), "district": district} for name, kind, district in places]


class SearchOutcome:
    WARD = "ward"
    WARDS = "wards"
    AREA = "area"
    PLACES = "places"
    UNKNOWN_POSTCODE = "unknown_postcode"
    OUTSIDE_AREA = "outside_area"
    NO_MATCH = "no_match"


@dataclass
class SearchResult:
    """What a valid search leads to.

    ``ward_code`` for WARD (a redirect); ``wards`` for WARDS (to paginate) and AREA (a town's
    wards, largest share first); ``places`` for AREA (the one town) and PLACES; ``also_wards``
    the wards whose own name, district or team matches the text as well, shown after places;
    ``corrected`` when the places were found by a near spelling.
    """

    outcome: str
    ward_code: str | None = None
    wards: QuerySet[Ward] | list[Ward] | None = None
    places: list[Place] | None = None
    also_wards: QuerySet[Ward] | None = None
    corrected: bool = False


def _place_result(places: list[Place], *, corrected: bool) -> SearchResult:
    """One place in one ward: that ward. One place in several: the town's wards. Else the list."""
    if len(places) == 1:
        wards = [link.ward for link in places[0].ward_links.all()]
        if len(wards) == 1:
            return SearchResult(SearchOutcome.WARD, ward_code=wards[0].code)
        return SearchResult(SearchOutcome.AREA, wards=wards, places=places, corrected=corrected)
    return SearchResult(SearchOutcome.PLACES, places=places, corrected=corrected)


def name_search(text: str) -> SearchResult:
    """A place by its exact (normalised) name; else wards by name; else a place by a near spelling.

    Ward, district and team names come before near spellings so that "Chatham Central"
    finds that ward rather than the town of Chatham.
    """
    key = place_key(text)
    places = places_named([key]) if key else []
    if places:
        result = _place_result(places, corrected=False)
        shown = {link.ward_id for place in places for link in place.ward_links.all()}
        result.also_wards = wards_matching_name(text).exclude(pk__in=shown)
        return result
    wards = wards_matching_name(text)
    # The exact name of one ward leads to it; a name two wards share lists them.
    exact = list(wards.filter(name__iexact=text).values_list("code", flat=True)[:2])
    if len(exact) == 1:
        return SearchResult(SearchOutcome.WARD, ward_code=exact[0])
    if exact or wards.exists():
        return SearchResult(SearchOutcome.WARDS, wards=wards)
    places = places_named(place_keys_like(key)) if key else []
    if places:
        return _place_result(places, corrected=True)
    return SearchResult(SearchOutcome.NO_MATCH)


def postcode_not_held(postcode: str) -> SearchResult:
    """A postcode we do not hold: unknown to us if we hold others of its outward code, else outside our area."""
    from wards.postcodes import outward_of

    held = outward_is_held(outward_of(postcode))
    return SearchResult(SearchOutcome.UNKNOWN_POSTCODE if held else SearchOutcome.OUTSIDE_AREA)


def search_resolve(*, kind: str, value: str) -> SearchResult:
    """Decide what a valid search leads to.

    A held postcode, or the exact name of one ward, leads to that ward; an outward code to a
    list of wards; another name to a place or a list of wards (``name_search``). A postcode or
    outward code we do not hold is outside Kent and Medway unless we hold other postcodes in its
    district, in which case the postcode itself is unknown to us.
    """
    if kind == "postcode":
        code = ward_code_for_postcode(value)
        if code:
            return SearchResult(SearchOutcome.WARD, ward_code=code)
        return postcode_not_held(value)
    if kind == "outward":
        if not outward_is_held(value):
            return SearchResult(SearchOutcome.OUTSIDE_AREA)
        return SearchResult(SearchOutcome.WARDS, wards=wards_for_outward(value))
    return name_search(value)
