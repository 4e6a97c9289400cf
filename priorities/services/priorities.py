"""Writes of priorities once adopted: their wording, lead officer, partners and plan priority; resolving."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from priorities.errors import PrioritiesError
from priorities.models import ConcernEvent, PartnerAgency, PlanPriority, Priority
from priorities.scopes import can_run_ward
from priorities.services.concerns import concern_history_add
from wards.models import Officer

ERROR_NOT_ALLOWED = _("Only the ward's neighbourhood officers and its panel chair can change its priorities")
ERROR_NOT_ACTIVE = _("This priority has ended and cannot be changed")
ERROR_TITLE_REQUIRED = _("Enter the priority as the panel agreed it")
ERROR_LEAD_NOT_IN_TEAM = _("The lead officer must be an officer of the ward's neighbourhood team")
ERROR_PLAN_INACTIVE = _("Choose a current Police and Crime Plan priority")
ERROR_PARTNER_NOT_IN_WARD = _("Name only partner agencies that work in the ward")
ERROR_OUTCOME_REQUIRED = _("Enter what was achieved")


def _check(actor: User, priority: Priority) -> None:
    if not can_run_ward(actor, priority.ward):
        raise PrioritiesError(ERROR_NOT_ALLOWED)
    if not priority.is_active:
        raise PrioritiesError(ERROR_NOT_ACTIVE)


def _snapshot(priority: Priority) -> dict:
    return {
        "title": priority.title,
        "lead_officer": priority.lead_officer_id,
        "plan_priority": priority.plan_priority_id,
        "partners": sorted(priority.partners.values_list("pk", flat=True)),
    }


def priority_update(
    *,
    actor: User,
    priority: Priority,
    title: str,
    lead_officer: Officer | None,
    partners: Iterable[PartnerAgency],
    plan_priority: PlanPriority | None,
) -> Priority:
    """Set an active priority's wording, lead officer, partner agencies and plan priority.

    The ward's officers and its chair may; the lead officer comes from the ward's own team,
    partners from the agencies that work in the ward, and the plan priority must be current
    (one already set may stay).
    """
    _check(actor, priority)
    title = " ".join(title.split())
    if not title:
        raise PrioritiesError(ERROR_TITLE_REQUIRED)
    if lead_officer is not None and lead_officer.team_id != priority.ward.team_id:
        raise PrioritiesError(ERROR_LEAD_NOT_IN_TEAM)
    if plan_priority is not None and not plan_priority.is_active and plan_priority.pk != priority.plan_priority_id:
        raise PrioritiesError(ERROR_PLAN_INACTIVE)
    partners = list(partners)
    working_here = set(
        PartnerAgency.wards.through.objects.filter(ward_id=priority.ward_id).values_list("partneragency_id", flat=True)
    )
    if any(agency.pk not in working_here for agency in partners):
        raise PrioritiesError(ERROR_PARTNER_NOT_IN_WARD)
    with transaction.atomic():
        before = _snapshot(priority)
        priority.title, priority.lead_officer, priority.plan_priority = title, lead_officer, plan_priority
        priority.full_clean(validate_constraints=False)
        priority.save(update_fields=["title", "lead_officer", "plan_priority"])
        priority.partners.set(partners)
        audit_record(
            actor=actor,
            action="priorities.priority.updated",
            target=priority,
            data={"before": before, "after": _snapshot(priority)},
        )
    return priority


def priority_resolve(*, actor: User, priority: Priority, outcome: str) -> Priority:
    """Mark an active priority resolved with what was achieved; its place among the three is freed."""
    _check(actor, priority)
    outcome = outcome.strip()
    if not outcome:
        raise PrioritiesError(ERROR_OUTCOME_REQUIRED)
    with transaction.atomic():
        priority = Priority.objects.select_for_update().get(pk=priority.pk)
        if not priority.is_active:
            raise PrioritiesError(ERROR_NOT_ACTIVE)
        before = {"status": priority.status}
        priority.status, priority.outcome, priority.ended_on = Priority.Status.RESOLVED, outcome, timezone.localdate()
        priority.full_clean(validate_constraints=False)
        priority.save(update_fields=["status", "outcome", "ended_on"])
        if priority.concern_id:
            concern_history_add(
                concern=priority.concern_id, kind=ConcernEvent.Kind.RESOLVED, priority=priority, text=outcome
            )
        audit_record(
            actor=actor,
            action="priorities.priority.resolved",
            target=priority,
            data={"before": before, "after": {"status": priority.status, "outcome": outcome}},
        )
    return priority
