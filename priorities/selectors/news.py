"""Reads of local news: the ward and team page sections, the team's list and feed, staff lists."""

from typing import Any

from django.db.models import Q, QuerySet

from priorities.models import NewsItem
from wards.models import NeighbourhoodTeam, Ward

WARD_SECTION_SIZE = 3
TEAM_SECTION_SIZE = 5


def _news() -> QuerySet[NewsItem]:
    return NewsItem.objects.select_related("ward", "team").order_by("-published_at", "-pk")


def news_of_team(team: NeighbourhoodTeam) -> QuerySet[NewsItem]:
    """Every item of a team (for the whole team or one of its wards), newest first."""
    return _news().filter(team=team)


def news_for_ward(ward: Ward) -> QuerySet[NewsItem]:
    """Items for the ward itself or for its whole team, newest first."""
    return _news().filter(Q(ward=ward) | Q(team_id=ward.team_id, ward__isnull=True))


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's news section: the latest few items, in one query."""
    items = list(news_for_ward(ward)[:WARD_SECTION_SIZE]) if ward.team_id else []
    return {"news": items}


def team_section(team: NeighbourhoodTeam) -> dict[str, Any]:
    """Context of the team page's news section: its latest items, in one query."""
    return {"news": list(news_of_team(team)[:TEAM_SECTION_SIZE])}


def news_for_feed(team: NeighbourhoodTeam, limit: int) -> list[NewsItem]:
    """The team's latest ``limit`` items, newest first, with their ward, for the team's Atom feed."""
    return list(news_of_team(team)[:limit])


def news_for_page(pk: int) -> QuerySet[NewsItem]:
    return _news().filter(pk=pk)


def news_for_staff(team_id: int | None) -> QuerySet[NewsItem]:
    """Items a staff member manages: their team's, or every team's (team_id None, administrators)."""
    items = _news()
    return items if team_id is None else items.filter(team_id=team_id)
