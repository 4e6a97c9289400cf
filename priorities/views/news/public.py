"""Public news pages: one item, and a team's news, newest first."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.cache import public_page
from priorities.selectors import news as selectors
from wards.models import NeighbourhoodTeam

NEWS_PER_PAGE = 10


@require_GET
@public_page
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.news_for_page(pk).first()
    if item is None:
        raise Http404("No news with that number")
    return render(request, "priorities/news/detail.html", {"item": item})


@require_GET
@public_page
def team_news(request: HttpRequest, slug: str) -> HttpResponse:
    team = NeighbourhoodTeam.objects.filter(slug=slug).first()
    if team is None:
        raise Http404("No neighbourhood team with that id")
    page = Paginator(selectors.news_of_team(team), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "priorities/news/team_list.html", {"team": team, "page": page})
