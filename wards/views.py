"""Public pages: search, ward, team, the index of wards and the force map.

The costly part of each page is rendered once into a cached fragment (core.cache), without
the request, and placed inside the site layout on every request.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.cache import keepable, public_fragment, public_page, public_query_page
from wards import map_boundaries, selectors
from wards.forms import SearchForm
from wards.geometry import SvgProjection, bbox
from wards.postcodes import normalise_postcode
from wards.sections import render_sections

WARDS_PER_PAGE = 30


def _covered_by(ward) -> dict:
    """Who covers the ward, for a map's tooltip, where the ward came with its officers."""
    officers = getattr(ward, "officers_here", None)
    return {"officers": ", ".join(str(officer) for officer in officers)} if officers else {}


def _map_context(wards: list, highlight: str | None = None, with_geojson: bool = True) -> dict:
    """The ward outlines drawn as SVG (the map without JavaScript or tiles) plus tile settings."""
    if not wards:
        return {"map": None}
    projection = SvgProjection(bbox(ward.boundary for ward in wards))
    shapes = [
        {"ward": ward, "d": projection.path(ward.boundary), "highlight": ward.code == highlight} for ward in wards
    ]
    features = [
        {
            "type": "Feature",
            "geometry": ward.boundary,
            "properties": {
                "code": ward.code,
                "name": ward.name,
                "url": reverse("wards:detail", args=[ward.code]),
                **_covered_by(ward),
            },
        }
        for ward in wards
        if with_geojson
    ]
    return {
        "map": {"view_box": projection.view_box, "shapes": shapes},
        "map_geojson": {"type": "FeatureCollection", "features": features},
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _ward_code_for_postcode(postcode: str) -> str | None:
    # Nearly every search is a postcode, and its answer a redirect: the ward is kept in the
    # cache (a postcode we do not hold is not, or any text shaped like one would fill it).
    key = f"{postcode.replace(' ', '')}@{settings.PACT_WARD_GENERATION}"
    return public_fragment("postcode-ward", key, lambda: selectors.ward_code_for_postcode(postcode))


# The outcomes the data bounds, so their pages may be kept (core.cache.public_query_page);
# not near spellings, of which there are endless.
_KEEPABLE_OUTCOMES = (selectors.SearchOutcome.AREA, selectors.SearchOutcome.PLACES, selectors.SearchOutcome.WARDS)


@require_GET
@public_query_page
def search(request: HttpRequest) -> HttpResponse:
    if "q" not in request.GET:
        return render(request, "wards/search.html", {"form": SearchForm()})
    # A held postcode goes to its ward before the form is even built (the form finds the same).
    postcode = normalise_postcode(request.GET["q"])
    code = _ward_code_for_postcode(postcode) if postcode else None
    if code:
        return keepable(redirect("wards:detail", code=code), f"postcode:{postcode}")
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "wards/search.html", {"form": form})
    query = form.cleaned_data["q"]
    if postcode:
        result = selectors.postcode_not_held(postcode)
    else:
        result = selectors.search_resolve(kind=query["kind"], value=query["value"])
    if result.outcome == selectors.SearchOutcome.WARD:
        return redirect("wards:detail", code=result.ward_code)
    # One list per page is paginated: the wards found, or those matching by name after places.
    listed = result.wards if result.outcome == selectors.SearchOutcome.WARDS else result.also_wards
    page = Paginator(listed, WARDS_PER_PAGE).get_page(request.GET.get("page")) if listed is not None else None
    context = {"form": form, "query": query, "outcome": result.outcome, "result": result, "page": page}
    if result.outcome == selectors.SearchOutcome.AREA:
        context.update(_map_context(result.wards or []))
    response = render(request, "wards/search.html", context)
    if result.outcome in _KEEPABLE_OUTCOMES and not result.corrected and list(request.GET) == ["q"]:
        # The answer: what was found, for the text as the form normalised it, case aside.
        return keepable(response, f"{query['kind']}:{query['value'].casefold()}")
    return response


@require_GET
def place_suggestions(request: HttpRequest) -> JsonResponse:
    """Places whose name starts with what has been typed, for the search box's suggestions."""
    text = request.GET.get("q", "")[:100]
    return JsonResponse({"places": selectors.place_suggestions(text)})


def _generation_key(key: str) -> str:
    # Pages list the active generation's wards and say whether a ward is one of them; and
    # whether their crime figures are too old depends on the month (wards.crime.STALE_AFTER_MONTHS).
    return f"{key}@{settings.PACT_WARD_GENERATION}@{timezone.localdate():%Y-%m}"


def _ward_fragment(code: str) -> dict | None:
    ward = selectors.ward_for_page(code).first()
    if ward is None:
        return None
    successions = selectors.successions_of_ward(ward.pk)
    context = {
        "ward": ward,
        "successors": [s for s in successions if s.predecessor_id == ward.pk],
        "predecessors": [s for s in successions if s.successor_id == ward.pk],
        "sections": render_sections("ward", ward),
        **_map_context([ward], highlight=ward.code),
    }
    return {
        "ward_name": ward.name,
        "district_name": ward.district.name,
        "district_code": ward.district.code,
        "body": render_to_string("wards/_ward_body.html", context),
    }


@require_GET
@public_page
def ward_detail(request: HttpRequest, code: str) -> HttpResponse:
    page = public_fragment("ward", _generation_key(code), lambda: _ward_fragment(code))
    if page is None:
        raise Http404("No ward with that code")
    return render(request, "wards/ward_detail.html", page)


def _team_fragment(slug: str) -> dict | None:
    team = selectors.team_for_page(slug).first()
    if team is None:
        return None
    wards = list(selectors.wards_of_team(team.pk))
    context = {"team": team, "wards": wards, "officers": list(selectors.officers_of_team(team.pk))}
    context.update(_map_context(wards))
    context["sections"] = render_sections("team", team)
    return {"team_name": team.name, "body": render_to_string("wards/_team_body.html", context)}


@require_GET
@public_page
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = public_fragment("team", _generation_key(slug), lambda: _team_fragment(slug)) if len(slug) <= 80 else None
    if page is None:
        raise Http404("No neighbourhood team with that id")
    return render(request, "wards/team_detail.html", page)


def _index_fragment() -> dict:
    districts = list(selectors.districts_with_wards())
    return {"body": render_to_string("wards/_ward_index_body.html", {"districts": districts})}


@require_GET
@public_page
def ward_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "wards/ward_index.html", public_fragment("ward-index", _generation_key("all"), _index_fragment)
    )


def _force_map_fragment() -> dict:
    teams = list(selectors.teams_with_wards())
    wards = [ward for team in teams for ward in team.wards.all()]
    context = {
        "teams": teams,
        "boundaries_url": reverse("wards:map_boundaries"),
        **_map_context(wards, with_geojson=False),
    }
    return {"body": render_to_string("wards/_force_map_body.html", context)}


@require_GET
@public_page
def force_map(request: HttpRequest) -> HttpResponse:
    return render(
        request, "wards/force_map.html", public_fragment("force-map", _generation_key("all"), _force_map_fragment)
    )


_CODE_PLACEHOLDER = "E05000000"
# Most of the map's bytes are the boundaries: no spaces between them.
_COMPACT = {"separators": (",", ":")}


def _force_boundaries() -> dict:
    """Both levels of the force map's boundaries (wards.map_boundaries), from one topology."""
    teams = list(selectors.teams_with_wards())
    wards = [(team, ward) for team in teams for ward in team.wards.all()]
    topo = map_boundaries.topology(ward.boundary for _, ward in wards)
    # Every address of a ward page is this one with its code (a placeholder that is a valid code).
    ward_url = reverse("wards:detail", args=[_CODE_PLACEHOLDER]).replace(_CODE_PLACEHOLDER, "{code}")
    overview = {
        "ward_url": ward_url,
        "wards": [
            {"code": ward.code, "name": ward.name, "team": team.name, **_covered_by(ward), "polygons": shapes}
            for (team, ward), shapes in zip(wards, topo.shapes, strict=True)
        ],
        "arcs": map_boundaries.encode_arcs(topo, map_boundaries.overview_level(topo)),
        "detail_url": reverse("wards:map_boundaries_detail"),
    }
    return {"overview": overview, "detail": map_boundaries.encode_arcs(topo, map_boundaries.DETAIL)}


@require_GET
@public_page
def force_map_boundaries(request: HttpRequest) -> JsonResponse:
    """Every ward's boundary, name and team for the interactive force map, simplified for the
    force-wide view (wards.map_boundaries; static/js/map.js decodes it)."""
    return JsonResponse(
        public_fragment("force-boundaries", _generation_key("all"), _force_boundaries)["overview"],
        json_dumps_params=_COMPACT,
    )


@require_GET
@public_page
def force_map_boundaries_detail(request: HttpRequest) -> JsonResponse:
    """The same boundaries with every vertex, for a force map zoomed in past the overview."""
    return JsonResponse(
        public_fragment("force-boundaries", _generation_key("all"), _force_boundaries)["detail"],
        json_dumps_params=_COMPACT,
    )
