"""Writes of local news: officers publish, correct and remove short items for their team or one ward."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.roles import AnyUser, Role, has_role, is_administrator
from priorities.errors import PrioritiesError
from priorities.models import NewsItem
from priorities.scopes import team_id_for
from wards.models import NeighbourhoodTeam, Ward

ERROR_NOT_ALLOWED = _("Only the team's neighbourhood officers can publish its news")
ERROR_WARD_NOT_IN_TEAM = _("The ward must be one of the team's wards")
ERROR_TITLE_REQUIRED = _("Enter a title")
ERROR_BODY_REQUIRED = _("Enter the news")
ERROR_KIND = _("Choose what kind of news it is")


def can_manage_news(*, actor: AnyUser, team: NeighbourhoodTeam) -> bool:
    """Administrators manage every team's news; an officer manages their own team's."""
    if is_administrator(actor):
        return True
    return has_role(actor, Role.OFFICER) and team_id_for(actor) == team.pk


def _check(actor: User, team: NeighbourhoodTeam, ward: Ward | None, kind: str, title: str, body: str) -> None:
    if not can_manage_news(actor=actor, team=team):
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    if ward is not None and ward.team_id != team.pk:
        raise PrioritiesError(ERROR_WARD_NOT_IN_TEAM)
    if kind not in NewsItem.Kind.values:
        raise PrioritiesError(ERROR_KIND)
    if not title:
        raise PrioritiesError(ERROR_TITLE_REQUIRED)
    if not body:
        raise PrioritiesError(ERROR_BODY_REQUIRED)


def _snapshot(item: NewsItem) -> dict:
    return {"team": item.team_id, "ward": item.ward_id, "kind": item.kind, "title": item.title, "body": item.body}


def news_publish(
    *, actor: User, team: NeighbourhoodTeam, ward: Ward | None = None, kind: str, title: str, body: str
) -> NewsItem:
    """Publish a news item now, for the whole team or one of its wards. Audited."""
    title, body = " ".join(title.split()), body.strip()
    _check(actor, team, ward, kind, title, body)
    with transaction.atomic():
        item = NewsItem(
            team=team, ward=ward, kind=kind, title=title, body=body, published_at=timezone.now(), author=actor
        )
        item.full_clean()
        item.save()
        audit_record(actor=actor, action="priorities.news.published", target=item, data={"after": _snapshot(item)})
    return item


def news_update(*, actor: User, item: NewsItem, ward: Ward | None, kind: str, title: str, body: str) -> NewsItem:
    """Correct a published item (its team stays the same). Audited with before and after."""
    title, body = " ".join(title.split()), body.strip()
    _check(actor, item.team, ward, kind, title, body)
    with transaction.atomic():
        before = _snapshot(item)
        item.ward, item.kind, item.title, item.body = ward, kind, title, body
        item.full_clean()
        item.save(update_fields=["ward", "kind", "title", "body", "updated_at"])
        audit_record(
            actor=actor,
            action="priorities.news.updated",
            target=item,
            data={"before": before, "after": _snapshot(item)},
        )
    return item


def news_delete(*, actor: User, item: NewsItem) -> None:
    """Remove an item from the public pages. Audited with what it said."""
    if not can_manage_news(actor=actor, team=item.team):
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        audit_record(actor=actor, action="priorities.news.deleted", target=item, data={"before": _snapshot(item)})
        item.delete()
