"""Public pages: search, ward, team, the index of wards and the force map."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from wards import selectors
from wards.forms import SearchForm
from wards.geometry import SvgProjection, bbox

WARDS_PER_PAGE = 30


def _map_context(wards: list, highlight: str | None = None, with_geojson: bool = True) -> dict:
    """The ward outlines drawn as SVG (the map without JavaScript or tiles) plus tile settings."""
    if not wards:
        return {"map": None}
    projection = SvgProjection(bbox(ward.boundary for ward in wards))
    shapes = [
        {"ward": ward, "d": projection.path(ward.boundary), "highlight": ward.code == highlight} for ward in wards
    ]
    features = (
        [
            {
                "type": "Feature",
                "geometry": ward.boundary,
                "properties": {"code": ward.code, "name": ward.name, "url": reverse("wards:detail", args=[ward.code])},
            }
            for ward in wards
        ]
        if with_geojson
        else []
    )
    return {
        "map": {"view_box": projection.view_box, "shapes": shapes},
        "map_geojson": {"type": "FeatureCollection", "features": features},
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    if "q" not in request.GET:
        return render(request, "wards/search.html", {"form": SearchForm()})
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "wards/search.html", {"form": form})
    query = form.cleaned_data["q"]
    outcome, found = selectors.search_resolve(kind=query["kind"], value=query["value"])
    if outcome == selectors.SearchOutcome.WARD:
        return redirect("wards:detail", code=found)
    page = Paginator(found, WARDS_PER_PAGE).get_page(request.GET.get("page")) if found is not None else None
    return render(request, "wards/search.html", {"form": form, "query": query, "outcome": outcome, "page": page})


@require_GET
def ward_detail(request: HttpRequest, code: str) -> HttpResponse:
    ward = selectors.ward_for_page(code.upper()).first()
    if ward is None:
        raise Http404("No ward with that code")
    context = {"ward": ward, "officers": [], "team_wards": []}
    if ward.team_id:
        context["officers"] = list(selectors.officers_of_team(ward.team_id))
        context["team_wards"] = [other for other in selectors.wards_of_team(ward.team_id) if other.pk != ward.pk]
    context.update(_map_context([ward], highlight=ward.code))
    return render(request, "wards/ward_detail.html", context)


@require_GET
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = selectors.team_for_page(slug).first()
    if team is None:
        raise Http404("No neighbourhood team with that id")
    wards = list(selectors.wards_of_team(team.pk))
    context = {"team": team, "wards": wards, "officers": list(selectors.officers_of_team(team.pk))}
    context.update(_map_context(wards))
    return render(request, "wards/team_detail.html", context)


@require_GET
def ward_index(request: HttpRequest) -> HttpResponse:
    return render(request, "wards/ward_index.html", {"districts": selectors.districts_with_wards()})


@require_GET
def force_map(request: HttpRequest) -> HttpResponse:
    teams = list(selectors.teams_with_wards())
    context = {
        "teams": teams,
        **_map_context([ward for team in teams for ward in team.wards.all()], with_geojson=False),
    }
    return render(request, "wards/force_map.html", context)


@require_GET
@cache_page(3600)
def force_map_geojson(request: HttpRequest) -> JsonResponse:
    """Every ward's boundary with its team, for the interactive force map."""
    features = [
        {
            "type": "Feature",
            "geometry": ward.boundary,
            "properties": {
                "code": ward.code,
                "name": ward.name,
                "team": team.name,
                "team_url": f"/teams/{team.slug}/",
                "url": f"/wards/{ward.code}/",
            },
        }
        for team in selectors.teams_with_wards()
        for ward in team.wards.all()
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})
