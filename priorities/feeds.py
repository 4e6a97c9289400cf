"""The Atom feed of a team: its monthly updates and its local news, newest first.

Links are absolute on PACT_SITE_URL (a feed is read away from the site, by feed readers).
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from priorities.models import MonthlyUpdate, NewsItem
from priorities.selectors import updates as selectors
from priorities.selectors.news import news_for_feed
from wards.models import NeighbourhoodTeam

FEED_UPDATES = 12
FEED_NEWS = 20


def _absolute(path: str) -> str:
    return f"{settings.PACT_SITE_URL}{path}"


def update_url(update: MonthlyUpdate) -> str:
    month = update.month
    return reverse("priorities:update_detail", args=[update.team.slug, f"{month.year:04d}", f"{month.month:02d}"])


class TeamUpdatesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> NeighbourhoodTeam:
        return get_object_or_404(NeighbourhoodTeam.objects.only("slug", "name"), slug=slug)

    def title(self, team: NeighbourhoodTeam) -> str:
        return f"PACT: {team.name} neighbourhood team"

    def subtitle(self, team: NeighbourhoodTeam) -> str:
        return f"Monthly updates and local news from the {team.name} neighbourhood team."

    def link(self, team: NeighbourhoodTeam) -> str:
        return _absolute(reverse("wards:team", args=[team.slug]))

    def feed_url(self, team: NeighbourhoodTeam) -> str:
        return _absolute(reverse("priorities:update_feed", args=[team.slug]))

    def author_name(self, team: NeighbourhoodTeam) -> str:
        return f"{team.name} neighbourhood team"

    def items(self, team: NeighbourhoodTeam) -> list[Any]:
        items: list[Any] = [*selectors.updates_for_feed(team, FEED_UPDATES), *news_for_feed(team, FEED_NEWS)]
        return sorted(items, key=self._published, reverse=True)

    @staticmethod
    def _published(item: Any) -> datetime.datetime:
        return item.published_at

    def item_title(self, item: Any) -> str:
        if isinstance(item, MonthlyUpdate):
            return f"Monthly update: {item.month:%B %Y}"
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item: Any) -> str:
        return item.summary if isinstance(item, MonthlyUpdate) else item.body

    def item_link(self, item: Any) -> str:
        if isinstance(item, MonthlyUpdate):
            return _absolute(update_url(item))
        return _absolute(reverse("priorities:news_detail", args=[item.pk]))

    def item_guid(self, item: Any) -> str:
        return self.item_link(item)

    def item_pubdate(self, item: Any) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: Any) -> datetime.datetime:
        if isinstance(item, NewsItem):
            return max(item.published_at, item.updated_at)
        return max(item.published_at, item.last_corrected_at or item.published_at)
