"""Reads of the monthly "you said, we did" updates: what a month held, and the update pages.

A month is a calendar month in UK time: from 00:00 Europe/London on the 1st to 00:00 on the
next 1st, whatever the clocks did in between. The content of updates is gathered in a
fixed number of queries, for one team or many (``month_content``, ``months_content``),
whatever the teams' size.
"""

import datetime
import zoneinfo
from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from priorities.models import Event, MonthlyUpdate, MonthlyUpdateDraft, MonthlyUpdateRevision, Priority, ProgressEntry
from wards.models import NeighbourhoodTeam, Ward

UPCOMING_PER_WARD = 3
ARCHIVE_ORDER = ("-month", "-pk")


def _uk() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_after(month: datetime.date) -> datetime.date:
    """The first day of the month after ``month``."""
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_before(moment: datetime.datetime) -> datetime.date:
    """The first day of the calendar month before the one ``moment`` falls in, in UK time."""
    local = moment.astimezone(_uk()).date()
    return datetime.date(local.year - (local.month == 1), (local.month - 2) % 12 + 1, 1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as aware UTC datetimes: [00:00 UK on the 1st, 00:00 UK on the next 1st)."""
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=_uk())
    end = datetime.datetime.combine(month_after(month), datetime.time.min, tzinfo=_uk())
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def _wards_for_month(team_ids: Sequence[int], month: datetime.date) -> QuerySet[Ward]:
    """The wards of the teams, each with what the month held, in one query per kind of thing (5 in all).

    A priority belongs to the month if it was on the ward's list at any time in it: agreed
    before the month ended and not ended before it began.
    """
    next_month = month_after(month)
    start, end = month_bounds(month)
    priorities = (
        Priority.objects.filter(agreed_on__lt=next_month)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month))
        .select_related("category")
        .order_by("status", "slot", "pk")
    )
    entries = (
        ProgressEntry.objects.filter(
            visibility=ProgressEntry.Visibility.PUBLIC,
            withdrawn_at__isnull=True,
            happened_on__gte=month,
            happened_on__lt=next_month,
        )
        .select_related("officer", "agency")
        .order_by("happened_on", "pk")
    )
    held = Event.objects.filter(status=Event.Status.HELD, starts_at__gte=start, starts_at__lt=end).order_by(
        "starts_at", "pk"
    )
    upcoming = Event.objects.filter(status=Event.Status.SCHEDULED, starts_at__gte=end).order_by("starts_at", "pk")
    return (
        Ward.objects.filter(team_id__in=team_ids)
        .only("pk", "code", "name", "team_id")
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch("priorities", queryset=priorities, to_attr="month_priorities"),
            Prefetch("month_priorities__progress", queryset=entries, to_attr="month_entries"),
            Prefetch("events", queryset=held, to_attr="month_held"),
            Prefetch("events", queryset=upcoming[:UPCOMING_PER_WARD], to_attr="month_upcoming"),
        )
    )


def _entry(entry: ProgressEntry) -> dict[str, Any]:
    by = str(entry.officer) if entry.officer is not None else str(entry.agency)
    return {"id": entry.pk, "happened_on": entry.happened_on.isoformat(), "text": entry.text, "by": by}


def _priority(priority: Priority, month: datetime.date, next_month: datetime.date) -> dict[str, Any]:
    ended = priority.ended_on is not None and priority.ended_on < next_month
    return {
        "id": priority.pk,
        "title": priority.title,
        "category": priority.category.name,
        "status": priority.status if ended else "active",
        "status_label": priority.get_status_display() if ended else "Current",
        "agreed_on": priority.agreed_on.isoformat(),
        "adopted": month <= priority.agreed_on < next_month,
        "ended_on": priority.ended_on.isoformat() if ended and priority.ended_on else None,
        "outcome": priority.outcome if ended else "",
        "entries": [_entry(entry) for entry in getattr(priority, "month_entries", [])],
    }


def _event(event: Event) -> dict[str, Any]:
    return {
        "uid": str(event.uid),
        "title": event.title,
        "kind": event.get_kind_display(),
        "starts_at": event.starts_at.isoformat(),
        "venue": event.venue,
    }


def _ward(ward: Ward, month: datetime.date) -> dict[str, Any]:
    next_month = month_after(month)
    priorities = [_priority(priority, month, next_month) for priority in getattr(ward, "month_priorities", [])]
    return {
        "id": ward.pk,
        "code": ward.code,
        "name": ward.name,
        "priorities": priorities,
        "adopted": [priority["id"] for priority in priorities if priority["adopted"]],
        "ended": [priority["id"] for priority in priorities if priority["ended_on"]],
        "meetings_held": [_event(event) for event in getattr(ward, "month_held", [])],
        "meetings_next": [_event(event) for event in getattr(ward, "month_upcoming", [])],
    }


def _totals(wards: list[dict[str, Any]]) -> dict[str, int]:
    priorities = [priority for ward in wards for priority in ward["priorities"]]
    return {
        "wards": len(wards),
        "priorities": len(priorities),
        "actions": sum(len(priority["entries"]) for priority in priorities),
        # A meeting may serve several wards of the team: count it once.
        "meetings_held": len({event["uid"] for ward in wards for event in ward["meetings_held"]}),
        "adopted": sum(len(ward["adopted"]) for ward in wards),
        "ended": sum(len(ward["ended"]) for ward in wards),
    }


def month_content(*, team: NeighbourhoodTeam, month: datetime.date) -> dict[str, Any]:
    """What ``month`` held for each ward of ``team``, as plain JSON-ready data (5 queries).

    Only public progress entries are included: the update is published to residents.
    """
    return months_content(teams=[team], month=month)[team.pk]


def months_content(*, teams: Sequence[NeighbourhoodTeam], month: datetime.date) -> dict[int, dict[str, Any]]:
    """``month_content`` of each of ``teams``, by team id, in the same 5 queries however many teams."""
    wards: dict[int, list[dict[str, Any]]] = {team.pk: [] for team in teams}
    for ward in _wards_for_month(list(wards), month):
        # Only wards of these teams are read: each has one of them.
        wards[cast(int, ward.team_id)].append(_ward(ward, month))
    return {
        team.pk: {
            "month": month.isoformat(),
            "team": {"id": team.pk, "slug": team.slug, "name": team.name},
            "wards": wards[team.pk],
            "totals": _totals(wards[team.pk]),
        }
        for team in teams
    }


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def month_summary(content: dict[str, Any], month: datetime.date) -> str:
    """The plain summary of a month's content; an honest short one when nothing happened."""
    totals, name = content["totals"], f"{month:%B %Y}"
    if not (totals["actions"] or totals["meetings_held"] or totals["adopted"] or totals["ended"]):
        return (
            f"Nothing was recorded for {name}: no action on a priority was reported, no meeting was held "
            "and no priority was adopted or resolved."
        )
    held = "meeting was" if totals["meetings_held"] == 1 else "meetings were"
    summary = (
        f"In {name} the team recorded {_plural(totals['actions'], 'action')} on "
        f"{_plural(totals['priorities'], 'priority', 'priorities')} in {_plural(totals['wards'], 'ward')}; "
        f"{totals['meetings_held']} {held} held."
    )
    if totals["adopted"] or totals["ended"]:
        summary += (
            f" {_plural(totals['adopted'], 'priority', 'priorities')} adopted, {totals['ended']} resolved or closed."
        )
    return summary


# Pages. The stored content is plain JSON; these turn its ISO strings back into dates so
# templates show them in UK time, with no further queries.


def _hydrate_event(event: dict[str, Any]) -> dict[str, Any]:
    return {**event, "starts_at": parse_datetime(event["starts_at"])}


def _hydrate_priority(priority: dict[str, Any]) -> dict[str, Any]:
    entries = [{**entry, "happened_on": parse_date(entry["happened_on"])} for entry in priority["entries"]]
    ended_on = parse_date(priority["ended_on"]) if priority.get("ended_on") else None
    return {**priority, "agreed_on": parse_date(priority["agreed_on"]), "ended_on": ended_on, "entries": entries}


def ward_for_display(ward: dict[str, Any], notes: dict[str, Any] | None = None) -> dict[str, Any]:
    """One ward of an update's content, with dates as dates and adopted/ended priorities listed.

    ``notes`` (the team's words per priority id) are set on each priority as ``note``.
    """
    notes = notes or {}
    priorities = [
        {**_hydrate_priority(priority), "note": notes.get(str(priority["id"]))} for priority in ward["priorities"]
    ]
    return {
        **ward,
        "priorities": priorities,
        "adopted": [priority for priority in priorities if priority["id"] in ward["adopted"]],
        "ended": [priority for priority in priorities if priority["id"] in ward["ended"]],
        "meetings_held": [_hydrate_event(event) for event in ward["meetings_held"]],
        "meetings_next": [_hydrate_event(event) for event in ward["meetings_next"]],
    }


def content_for_display(content: dict[str, Any], notes: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The wards of an update's content (with the team's ``notes`` per priority), ready for a template."""
    return [ward_for_display(ward, notes) for ward in content.get("wards", [])]


def drafts_for_staff(team_id: int | None) -> QuerySet[MonthlyUpdateDraft]:
    """Drafts a staff member may see: their team's (``None``: every team's), newest first."""
    drafts = (
        MonthlyUpdateDraft.objects.select_related("team", "approved_by")
        .defer("content")
        .order_by("-month", "team__name")
    )
    return drafts if team_id is None else drafts.filter(team_id=team_id)


def draft_for_staff(pk: int) -> QuerySet[MonthlyUpdateDraft]:
    return MonthlyUpdateDraft.objects.filter(pk=pk).select_related("team", "approved_by")


def draft_priorities(draft: MonthlyUpdateDraft) -> list[dict[str, Any]]:
    """The priorities of a draft's facts, each with its ward's name and the team's note so far."""
    return [
        {
            "id": priority["id"],
            "title": priority["title"],
            "ward": ward["name"],
            "note": draft.notes.get(str(priority["id"]), {}),
        }
        for ward in draft.content.get("wards", [])
        for priority in ward["priorities"]
    ]


def update_for_page(*, slug: str, month: datetime.date) -> QuerySet[MonthlyUpdate]:
    """A team's update for ``month``, with its team and its earlier versions (2 queries)."""
    revisions = MonthlyUpdateRevision.objects.order_by("number")
    return (
        MonthlyUpdate.objects.filter(team__slug=slug, month=month)
        .select_related("team")
        .prefetch_related(Prefetch("revisions", queryset=revisions))
    )


def updates_of_team(team: NeighbourhoodTeam) -> QuerySet[MonthlyUpdate]:
    """A team's updates for its archive, newest first, without their (large) content."""
    return MonthlyUpdate.objects.filter(team=team).defer("content").order_by(*ARCHIVE_ORDER)


def updates_for_feed(team: NeighbourhoodTeam, limit: int) -> list[MonthlyUpdate]:
    """A team's latest updates for its Atom feed, newest first, with when each was last corrected."""
    updates = (
        MonthlyUpdate.objects.filter(team=team)
        .select_related("team")
        .defer("content")
        .annotate(last_corrected_at=Max("revisions__corrected_at"))
    )
    return list(updates.order_by(*ARCHIVE_ORDER)[:limit])


def updates_for_staff(team_id: int | None) -> QuerySet[MonthlyUpdate]:
    """Updates a staff member may correct: their team's (``None``: every team's), newest first."""
    updates = MonthlyUpdate.objects.select_related("team").defer("content").order_by("-month", "team__name")
    return updates if team_id is None else updates.filter(team_id=team_id)


def update_for_staff(pk: int) -> QuerySet[MonthlyUpdate]:
    return MonthlyUpdate.objects.filter(pk=pk).select_related("team")


def team_ids() -> list[int]:
    """Every neighbourhood team, by id: each gets its update every month."""
    return list(NeighbourhoodTeam.objects.order_by("pk").values_list("pk", flat=True))


def _latest(team_id: int | None) -> MonthlyUpdate | None:
    if team_id is None:
        return None
    return MonthlyUpdate.objects.filter(team_id=team_id).select_related("team").order_by(*ARCHIVE_ORDER).first()


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's updates section: its part of the team's latest update (1 query)."""
    update = _latest(ward.team_id)
    if update is None:
        return {"update": None}
    part = next((item for item in update.content.get("wards", []) if item["id"] == ward.pk), None)
    return {"update": update, "ward_update": ward_for_display(part, update.notes) if part else None}


def team_section(team: NeighbourhoodTeam) -> dict[str, Any]:
    """Context of the team page's updates section: the latest update (1 query)."""
    update = _latest(team.pk)
    return {"update": update, "totals": update.content.get("totals", {}) if update else {}}


def now_month() -> datetime.date:
    """The first day of the current month in UK time."""
    return timezone.localdate(timezone.now(), _uk()).replace(day=1)
