"""Reads of the wards' priorities: the ward page's top three, a priority's page, the archive."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from priorities.models import Ballot, PartnerAgency, PlanPriority, Priority
from priorities.selectors.progress import public_timeline_entries, with_latest_public_action
from wards.models import Officer, Ward


def current_priorities(ward: Ward) -> QuerySet[Priority]:
    """The ward's active priorities (at most three), in slot order."""
    return (
        Priority.objects.filter(ward=ward, status__in=Priority.ACTIVE_STATUSES)
        .select_related("category", "lead_officer")
        .order_by("slot")
    )


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's priorities section: the current three, each with its latest
    public action and date, and the latest ballot result."""
    latest = Ballot.objects.filter(ward=ward, status=Ballot.Status.CLOSED).order_by("-closed_at").values("pk").first()
    priorities = list(with_latest_public_action(current_priorities(ward)))
    return {"priorities": priorities, "latest_ballot_id": latest["pk"] if latest else None}


def priority_for_page(pk: int) -> QuerySet[Priority]:
    """A priority with everything its public page shows, its public timeline as ``timeline``."""
    return (
        Priority.objects.filter(pk=pk)
        .select_related(
            "ward", "category", "plan_priority", "agreed_at", "lead_officer", "ended_at", "carried_from__ward"
        )
        .prefetch_related("partners", Prefetch("progress", queryset=public_timeline_entries(), to_attr="timeline"))
    )


def priority_for_staff(pk: int) -> QuerySet[Priority]:
    return Priority.objects.filter(pk=pk).select_related("ward__team", "category")


def past_priorities(ward: Ward) -> QuerySet[Priority]:
    """The ward's resolved and closed priorities, most recently ended first."""
    return (
        Priority.objects.filter(
            ward=ward, status__in=[Priority.Status.RESOLVED, Priority.Status.CLOSED, Priority.Status.CARRIED]
        )
        .select_related("category")
        .order_by("-ended_on", "-pk")
    )


PAST_SECTION_SIZE = 3


def ward_past_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's folded past priorities: the latest few to end, with their outcome, in one query."""
    return {"past_priorities": list(past_priorities(ward)[:PAST_SECTION_SIZE])}


def ward_for_archive(code: str) -> QuerySet[Ward]:
    return Ward.objects.filter(code=code.upper()).select_related("district")


def lead_officer_choices(ward: Ward) -> QuerySet[Officer]:
    """Officers who may lead a ward's priority: those of its own neighbourhood team."""
    return Officer.objects.filter(team_id=ward.team_id).order_by("last_name", "first_name")


def partner_choices(ward: Ward) -> QuerySet[PartnerAgency]:
    """Agencies that may be named on a ward's priority: those that work in the ward."""
    return PartnerAgency.objects.filter(wards=ward).order_by("name")


def plan_priority_choices(priority: Priority) -> QuerySet[PlanPriority]:
    """Current plan priorities, and the one the priority already serves even if since retired."""
    return PlanPriority.objects.filter(Q(is_active=True) | Q(pk=priority.plan_priority_id))
