"""Reads of the partnership reports: every ward's priorities for a district's Community Safety
Partnership (e.g. the Safer Maidstone Partnership), or force-wide for administrators.

Priorities are public, so every staff role may read the report, but for the districts their
work ties them to; administrators see every district.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from core.roles import AnyUser, Role, has_role, is_administrator
from priorities.models import Panel, Priority, ProgressEntry
from priorities.scopes import chaired_panel_ids, partner_ward_ids_for, team_id_for
from wards.models import District, NeighbourhoodTeam, Ward

ACTIVE = ""  # the default status filter: current or in progress


@dataclass(frozen=True)
class ReportFilters:
    district_id: int | None = None
    category_id: int | None = None
    plan_priority_id: int | None = None
    status: str = ACTIVE
    stale_days: int | None = None


@dataclass(frozen=True)
class ReportRow:
    """One priority as the report shows it, with the days worked out for ``today``."""

    priority: Priority
    days_open: int
    last_progress_on: datetime.date | None
    days_without_progress: int


def report_district_ids_for(user: AnyUser) -> frozenset[int] | None:
    """The districts whose priorities the user may report on; None means every district.

    Administrators: all. An officer: their team's district. A chair: the districts of their
    panels' wards. A partner: the districts of the wards their agency works in, and of the
    priorities it is named on.
    """
    if is_administrator(user):
        return None
    ids: set[int] = set()
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    if team_id is not None:
        ids |= set(NeighbourhoodTeam.objects.filter(pk=team_id).values_list("district_id", flat=True))
    panels = chaired_panel_ids(user)
    if panels:
        ids |= set(Panel.wards.through.objects.filter(panel_id__in=panels).values_list("ward__district_id", flat=True))
    if has_role(user, Role.PARTNER) and user.pk is not None:
        named = Priority.objects.filter(partners__users__user_id=user.pk).values_list("ward__district_id", flat=True)
        ids |= set(named)
        ids |= set(Ward.objects.filter(pk__in=partner_ward_ids_for(user)).values_list("district_id", flat=True))
    return frozenset(ids)


def report_districts(district_ids: frozenset[int] | None) -> QuerySet[District]:
    """The districts offered in the report's filter, by name."""
    districts = District.objects.only("code", "name").order_by("name")
    return districts if district_ids is None else districts.filter(pk__in=district_ids)


def _last_progress() -> Subquery:
    entries = (
        ProgressEntry.objects.filter(priority=OuterRef("pk"), withdrawn_at__isnull=True)
        .order_by("-happened_on")
        .values("happened_on")
    )
    return Subquery(entries[:1])


def partnership_priorities(
    *, district_ids: frozenset[int] | None, filters: ReportFilters, today: datetime.date
) -> QuerySet[Priority]:
    """The priorities of the report, by district, ward and slot, each with ``last_progress_on``
    (its latest progress entry, public or internal). One query whatever their number.

    ``stale_days`` keeps those with no progress for at least that many days (counted from the
    day they were agreed when they have none).
    """
    priorities = (
        Priority.objects.select_related("ward__district", "category", "plan_priority", "lead_officer")
        .annotate(last_progress_on=_last_progress())
        .order_by("ward__district__name", "ward__name", "slot", "pk")
    )
    if district_ids is not None:
        priorities = priorities.filter(ward__district_id__in=district_ids)
    if filters.district_id is not None:
        priorities = priorities.filter(ward__district_id=filters.district_id)
    if filters.category_id is not None:
        priorities = priorities.filter(category_id=filters.category_id)
    if filters.plan_priority_id is not None:
        priorities = priorities.filter(plan_priority_id=filters.plan_priority_id)
    if filters.status == ACTIVE:
        priorities = priorities.filter(status__in=Priority.ACTIVE_STATUSES)
    else:
        priorities = priorities.filter(status=filters.status)
    if filters.stale_days is not None:
        cutoff = today - datetime.timedelta(days=filters.stale_days)
        priorities = priorities.filter(
            Q(last_progress_on__lte=cutoff) | Q(last_progress_on__isnull=True, agreed_on__lte=cutoff)
        )
    return priorities


def partnership_counts(priorities: QuerySet[Priority]) -> list[dict]:
    """How many of the report's priorities fall in each category, most first. One query."""
    return list(
        priorities.order_by().values("category__name").annotate(count=Count("pk")).order_by("-count", "category__name")
    )


def report_rows(priorities: Iterable[Priority], today: datetime.date) -> Iterator[ReportRow]:
    """Each priority with how long it has been open (to the day it ended, if it has) and how
    long since its last progress (or since it was agreed, if it has none)."""
    for priority in priorities:
        last = getattr(priority, "last_progress_on", None)
        until = priority.ended_on or today
        yield ReportRow(
            priority=priority,
            days_open=(until - priority.agreed_on).days,
            last_progress_on=last,
            days_without_progress=(until - (last or priority.agreed_on)).days,
        )
