"""Moving the PACT cycle to another ward generation: carry out a plan in one transaction, audited.

History is never rewritten: a priority carried to a new ward is a new row that names the
one it carries on (``carried_from``), and the old one ends as "carried over", with its
ward, ballot, progress and updates as they were. Past meetings keep their wards; only
meetings still to come, live subscriptions and the wards' teams and panels move. Each
subscriber whose ward moved is told once (outbox, confirmed subscriptions only).
"""

import hashlib
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_record
from core.cache import public_cache_bump
from core.emails import email_queue
from priorities.models import Event, GenerationSwitch, Panel, Priority, Subscription
from priorities.selectors.generation_switch import Plan, switch_plan
from priorities.services.subscriptions import subscription_unsubscribe_headers
from wards.models import Generation, Ward


def generation_switch(*, target: int) -> tuple[GenerationSwitch, Plan]:
    """Move the live PACT cycle to the wards of generation ``target``; the plan is worked out inside the transaction."""
    with transaction.atomic():
        # One move at a time: a second run waits here and then plans from the first one's result.
        list(Generation.objects.select_for_update().order_by("pk"))
        plan = switch_plan(target)
        today = timezone.localdate()
        _teams_and_panels(plan)
        _priorities(plan, today)
        _meetings(plan)
        _subscriptions(plan)
        switch = GenerationSwitch.objects.create(
            from_generation_id=plan.from_generation,
            to_generation_id=plan.to_generation,
            plan=plan.as_json(),
            reverses_id=plan.reverses,
            switched_at=timezone.now(),
        )
        _tell_subscribers(switch, plan)
        audit_record(
            actor=None,
            action="priorities.ward_generation.switch",
            target=switch,
            data={
                "from": plan.from_generation,
                "to": plan.to_generation,
                "reverses": plan.reverses,
                "teams": len(plan.teams),
                "panels": len(plan.panels),
                "priorities": len(plan.priorities),
                "meetings": len(plan.meetings),
                "subscriptions": len(plan.subscriptions),
                "to_decide": len(plan.decide),
            },
        )
        transaction.on_commit(public_cache_bump)
    return switch, plan


def _teams_and_panels(plan: Plan) -> None:
    for item in plan.teams:
        Ward.objects.filter(pk=item["ward"], team__isnull=True).update(team_id=item["team"])
    for item in plan.teams_cleared:
        Ward.objects.filter(pk=item["ward"], team_id=item["team"]).update(team=None)
    links = Panel.wards.through
    links.objects.bulk_create(
        [links(panel_id=item["panel"], ward_id=item["ward"]) for item in plan.panels], ignore_conflicts=True
    )
    for item in plan.panels_removed:
        links.objects.filter(panel_id=item["panel"], ward_id=item["ward"]).delete()


def _priorities(plan: Plan, today) -> None:
    wards = dict(Ward.objects.filter(pk__in={item["to_ward"] for item in plan.priorities}).values_list("pk", "name"))
    # End every moving priority first, so a restored one can take back its old place.
    moving = {p.pk: p for p in Priority.objects.filter(pk__in=[item["priority"] for item in plan.priorities])}
    for item in plan.priorities:
        priority = moving[item["priority"]]
        item["status"] = priority.status
        Priority.objects.filter(pk=priority.pk).update(
            status=Priority.Status.CARRIED,
            ended_on=today,
            outcome=f"Carried over to {wards[item['to_ward']]} when the ward boundaries changed.",
        )
    for item in plan.priorities:
        priority = moving[item["priority"]]
        if item.get("reopen"):
            Priority.objects.filter(pk=item["reopen"]).update(
                status=item["status"], ended_on=None, outcome="", slot=item["slot"]
            )
            continue
        carried = Priority.objects.create(
            ward_id=item["to_ward"],
            slot=item["slot"],
            title=priority.title,
            category_id=priority.category_id,
            plan_priority_id=priority.plan_priority_id,
            concern_id=priority.concern_id,
            agreed_on=priority.agreed_on,
            agreed_at_id=priority.agreed_at_id,
            last_reviewed_at_id=priority.last_reviewed_at_id,
            lead_officer_id=priority.lead_officer_id,
            status=priority.status,
            carried_from=priority,
        )
        carried.partners.set(priority.partners.all())
        item["new_priority"] = carried.pk


def _meetings(plan: Plan) -> None:
    events = {event.pk: event for event in Event.objects.filter(pk__in=[item["event"] for item in plan.meetings])}
    for item in plan.meetings:
        event = events[item["event"]]
        event.wards.set(item["wards_after"])
        # Calendar programs replace their copy when the SEQUENCE rises.
        Event.objects.filter(pk=event.pk).update(sequence=event.sequence + 1)


def _subscriptions(plan: Plan) -> None:
    now = timezone.now()
    for item in plan.subscriptions:
        rows = Subscription.objects.filter(pk=item["subscription"])
        if item.get("resume"):
            rows.update(unsubscribed_at=None)
        elif item.get("end"):
            # The address already follows the new ward: one subscription there is enough.
            rows.update(unsubscribed_at=now)
        else:
            rows.update(ward_id=item["to_ward"])


def _address_key(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:24]


def _tell_subscribers(switch: GenerationSwitch, plan: Plan) -> int:
    """One email per address whose ward moved, keyed by the move, so no one hears twice."""
    moved: dict[int, dict] = {item["subscription"]: item for item in plan.subscriptions if not item.get("resume")}
    subscriptions = Subscription.objects.filter(pk__in=moved, confirmed_at__isnull=False).order_by("email", "pk")
    by_address: dict[str, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        by_address[subscription.email.lower()].append(subscription)
    wards = {
        ward.pk: ward
        for ward in Ward.objects.filter(
            pk__in={w for item in moved.values() for w in (item["from_ward"], item["to_ward"])}
        )
    }
    queued = 0
    for email, rows in by_address.items():
        changes = [
            {
                "before": wards[moved[row.pk]["from_ward"]],
                "after": wards[moved[row.pk]["to_ward"]],
                "url": settings.PACT_SITE_URL + reverse("wards:detail", args=[wards[moved[row.pk]["to_ward"]].code]),
            }
            for row in rows
        ]
        live = next((row for row in rows if not moved[row.pk].get("end")), rows[0])
        queued += bool(
            email_queue(
                key=f"ward-switch:{switch.pk}:{_address_key(email)}",
                to=rows[0].email,
                template="area_changed",
                context={
                    "changes": changes,
                    "unsubscribe_url": settings.PACT_SITE_URL
                    + reverse("priorities:subscription_unsubscribe", args=[live.token]),
                },
                headers=subscription_unsubscribe_headers(live),
            )
        )
    return queued
