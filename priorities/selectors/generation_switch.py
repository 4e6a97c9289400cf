"""What moving the PACT cycle from one ward generation to another would do: a plan, read only.

Each ward the move leaves behind ("leaving") hands what is live on it to the ward of the
new generation that takes the largest part of its area ("arriving"); each arriving ward
joins the team and the panels of the leaving ward it takes most from. Overlaps come from
the successor shares stored on import (wards.WardSuccession) times the predecessor's area,
so they read the same in both directions. Wards both generations keep need nothing.

What a person must decide is listed, not guessed: a tie between two wards, a ward split
between several, a ward that would receive more than three active priorities (the rule of
PACT), a ward with no team or panel to join. History stays where it happened: only active
priorities, upcoming meetings and live subscriptions are in a plan.

A move back to the generation the last move came from undoes that move first (its plan
says exactly what it did), then carries whatever has appeared since in the same way.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

import shapely
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape

from priorities.models import Ballot, Concern, Event, GenerationSwitch, Panel, Priority, Subscription
from wards.models import Generation, Ward, WardSuccession

# Two wards whose overlaps with a leaving ward differ by less than this share of it: a tie.
TIE_MARGIN = 0.02
# A second ward taking at least this share of a leaving ward: a split, listed for review.
SPLIT_SHARE = 0.25


@dataclass
class Overlaps:
    """Leaving ward → [(arriving ward, share of the leaving ward)], largest first; and the other way round."""

    by_leaving: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    by_arriving: dict[int, list[tuple[int, float]]] = field(default_factory=dict)


def generation_in_force() -> int:
    """The generation the PACT cycle's live data is on: the last committed move's, or the setting."""
    last = GenerationSwitch.objects.order_by("-switched_at", "-pk").values_list("to_generation_id", flat=True).first()
    return last if last is not None else settings.PACT_WARD_GENERATION


def last_switch() -> GenerationSwitch | None:
    return GenerationSwitch.objects.order_by("-switched_at", "-pk").first()


def _area(boundary: dict[str, Any]) -> float:
    return shapely.make_valid(shape(boundary)).area


def overlaps_between(leaving: set[int], arriving: set[int]) -> Overlaps:
    """The stored overlaps between the two sets of wards, as shares of each side's wards."""
    rows = WardSuccession.objects.filter(
        Q(predecessor_id__in=leaving, successor_id__in=arriving)
        | Q(predecessor_id__in=arriving, successor_id__in=leaving)
    ).values_list("predecessor_id", "successor_id", "share")
    pairs = list(rows)
    involved = {ward for pair in pairs for ward in pair[:2]}
    areas = {pk: _area(boundary) for pk, boundary in Ward.objects.filter(pk__in=involved).values_list("pk", "boundary")}
    result = Overlaps()
    by_leaving: dict[int, list[tuple[int, float]]] = defaultdict(list)
    by_arriving: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for predecessor, successor, share in pairs:
        overlap = share * areas[predecessor]
        old, new = (predecessor, successor) if predecessor in leaving else (successor, predecessor)
        if areas[old] > 0:
            by_leaving[old].append((new, min(overlap / areas[old], 1.0)))
        if areas[new] > 0:
            by_arriving[new].append((old, min(overlap / areas[new], 1.0)))
    for source, target in ((by_leaving, result.by_leaving), (by_arriving, result.by_arriving)):
        for ward, items in source.items():
            target[ward] = sorted(items, key=lambda item: (-item[1], item[0]))
    return result


def _is_tie(items: list[tuple[int, float]]) -> bool:
    return len(items) > 1 and items[0][1] - items[1][1] < TIE_MARGIN


@dataclass
class Plan:
    """What a move would do; ``as_json`` is what a committed move records."""

    from_generation: int
    to_generation: int
    names: dict[int, str]
    reverses: int | None = None
    teams: list[dict[str, Any]] = field(default_factory=list)
    teams_cleared: list[dict[str, Any]] = field(default_factory=list)
    panels: list[dict[str, Any]] = field(default_factory=list)
    panels_removed: list[dict[str, Any]] = field(default_factory=list)
    priorities: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    decide: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.from_generation,
            "to": self.to_generation,
            "reverses": self.reverses,
            "teams": self.teams,
            "teams_cleared": self.teams_cleared,
            "panels": self.panels,
            "panels_removed": self.panels_removed,
            "priorities": self.priorities,
            "meetings": self.meetings,
            "subscriptions": self.subscriptions,
            "decide": self.decide,
        }

    def name(self, ward_id: int | None) -> str:
        return self.names.get(ward_id, "?") if ward_id is not None else "?"

    def names_of(self, ward_ids: list[int]) -> str:
        return ", ".join(self.name(ward_id) for ward_id in ward_ids)

    def lines(self) -> list[str]:
        """The plan in words, for the command's output."""
        out = [f"Moving from the wards of {self.from_generation} to the wards of {self.to_generation}."]
        if self.reverses:
            out.append(f"This undoes the move recorded as switch {self.reverses}.")
        sections = [
            (
                "Teams",
                [
                    f"{self.name(t['ward'])} joins {t['team_name']} (from {self.name(t['from_ward'])})"
                    for t in self.teams
                ],
            ),
            ("Teams undone", [f"{self.name(t['ward'])} leaves {t['team_name']}" for t in self.teams_cleared]),
            ("Panels", [f"{self.name(p['ward'])} joins the panel {p['panel_name']}" for p in self.panels]),
            (
                "Panels undone",
                [f"{self.name(p['ward'])} leaves the panel {p['panel_name']}" for p in self.panels_removed],
            ),
            (
                "Active priorities",
                [
                    f"“{p['title']}”: {self.name(p['from_ward'])} → {self.name(p['to_ward'])}, place {p['slot']}"
                    + (" (restored)" if p.get("reopen") else "")
                    for p in self.priorities
                ],
            ),
            (
                "Upcoming meetings",
                [
                    f"{m['title']} ({m['starts_at']}): {self.names_of(m['wards_before'])} → "
                    f"{self.names_of(m['wards_after'])}"
                    for m in self.meetings
                ],
            ),
            (
                "Subscriptions",
                [
                    f"subscription {s['subscription']}: {self.name(s['from_ward'])} → {self.name(s['to_ward'])}"
                    + (" (already subscribed there: ended)" if s.get("end") else "")
                    + (" (resumed)" if s.get("resume") else "")
                    for s in self.subscriptions
                ],
            ),
            ("For a person to decide (not carried automatically)", [d["text"] for d in self.decide]),
        ]
        for title, items in sections:
            out.append(f"{title}: {len(items) or 'none'}")
            out.extend(f"  - {item}" for item in items)
        return out


def _undo(plan: Plan, previous: GenerationSwitch, done: dict[str, set[int]]) -> None:
    """Put into ``plan`` the exact reverse of ``previous``, as far as it still stands."""
    recorded = previous.plan
    teams = {t["ward"]: t for t in recorded.get("teams", [])}
    for ward_id, team_id in Ward.objects.filter(pk__in=teams).values_list("pk", "team_id"):
        if team_id == teams[ward_id]["team"]:
            plan.teams_cleared.append(teams[ward_id])
    linked = set(Panel.wards.through.objects.values_list("panel_id", "ward_id"))
    plan.panels_removed = [p for p in recorded.get("panels", []) if (p["panel"], p["ward"]) in linked]
    carried = {p["new_priority"]: p for p in recorded.get("priorities", []) if p.get("new_priority")}
    for new in Priority.objects.filter(pk__in=carried, status__in=Priority.ACTIVE_STATUSES):
        old = carried[new.pk]
        plan.priorities.append(
            {
                "priority": new.pk,
                "title": new.title,
                "from_ward": new.ward_id,
                "to_ward": old["from_ward"],
                "slot": old["old_slot"],
                "reopen": old["priority"],
            }
        )
        done["priorities"].add(new.pk)
    now = timezone.now()
    moved = {m["event"]: m for m in recorded.get("meetings", [])}
    for event in Event.objects.filter(pk__in=moved, status=Event.Status.SCHEDULED, starts_at__gte=now):
        before = moved[event.pk]
        plan.meetings.append(
            {
                "event": event.pk,
                "title": event.title,
                "starts_at": f"{event.starts_at:%Y-%m-%d}",
                "wards_before": sorted(event.wards.values_list("pk", flat=True)),
                "wards_after": before["wards_before"],
            }
        )
        done["meetings"].add(event.pk)
    subscriptions = {s["subscription"]: s for s in recorded.get("subscriptions", [])}
    for subscription in Subscription.objects.filter(pk__in=subscriptions):
        before = subscriptions[subscription.pk]
        if before.get("end"):
            if subscription.unsubscribed_at is not None and subscription.ward_id == before["from_ward"]:
                plan.subscriptions.append(
                    {
                        "subscription": subscription.pk,
                        "from_ward": before["from_ward"],
                        "to_ward": before["from_ward"],
                        "resume": True,
                    }
                )
        elif subscription.unsubscribed_at is None and subscription.ward_id == before["to_ward"]:
            plan.subscriptions.append(
                {"subscription": subscription.pk, "from_ward": before["to_ward"], "to_ward": before["from_ward"]}
            )
        done["subscriptions"].add(subscription.pk)


def switch_plan(target: int) -> Plan:
    """The plan of moving the live PACT cycle from the generation it is on to ``target``."""
    source = generation_in_force()
    if source == target:
        raise ValueError(f"The PACT cycle is on the wards of {target} already.")
    if not Generation.objects.filter(pk=target).exists():
        raise ValueError(f"There is no ward generation {target}.")
    leaving = set(
        Ward.objects.in_generation(source)
        .exclude(pk__in=Ward.objects.in_generation(target))
        .values_list("pk", flat=True)
    )
    arriving = set(
        Ward.objects.in_generation(target)
        .exclude(pk__in=Ward.objects.in_generation(source))
        .values_list("pk", flat=True)
    )
    names = dict(Ward.objects.in_generation(source).union(Ward.objects.in_generation(target)).values_list("pk", "name"))
    plan = Plan(from_generation=source, to_generation=target, names=names)
    done: dict[str, set[int]] = {"priorities": set(), "meetings": set(), "subscriptions": set()}
    previous = last_switch()
    since = None
    if previous is not None and previous.to_generation_id == source and previous.from_generation_id == target:
        plan.reverses = previous.pk
        _undo(plan, previous, done)
        # What was on those wards before the move it undoes was left alone then: so it is now.
        since = previous.switched_at
    overlaps = overlaps_between(leaving, arriving)
    _teams_and_panels(plan, arriving, overlaps)
    _priorities(plan, leaving, overlaps, done["priorities"])
    _meetings(plan, leaving, overlaps, done["meetings"], since)
    _subscriptions(plan, leaving, overlaps, done["subscriptions"], since)
    _not_carried(plan, leaving)
    return plan


def _decide(plan: Plan, kind: str, text: str, **ids: Any) -> None:
    plan.decide.append({"kind": kind, "text": text, **ids})


def _teams_and_panels(plan: Plan, arriving: set[int], overlaps: Overlaps) -> None:
    wards = {ward.pk: ward for ward in Ward.objects.filter(pk__in=arriving).select_related("team")}
    sources = {source for items in overlaps.by_arriving.values() for source, _ in items}
    teams = {ward.pk: ward.team for ward in Ward.objects.filter(pk__in=sources).select_related("team")}
    panels: dict[int, list[Panel]] = defaultdict(list)
    with_panel: set[int] = set()
    for link in Panel.wards.through.objects.filter(ward_id__in=sources | arriving).select_related("panel"):
        panels[link.ward_id].append(link.panel)
        if link.ward_id in arriving:
            with_panel.add(link.ward_id)
    for ward_id in sorted(arriving, key=lambda pk: plan.name(pk)):
        ward = wards[ward_id]
        items = overlaps.by_arriving.get(ward_id, [])
        if not items:
            if ward.team_id is None or ward_id not in with_panel:
                _decide(
                    plan,
                    "no_predecessor",
                    f"{ward.name} overlaps no ward left behind: choose its team and panel.",
                    ward=ward_id,
                )
            continue
        largest = items[0][0]
        if ward.team_id is not None and ward_id in with_panel:
            continue  # kept its team and panel: nothing to choose
        if _is_tie(items):
            _decide(
                plan,
                "tie",
                f"{ward.name} takes equal parts of {plan.name(items[0][0])} and {plan.name(items[1][0])}: "
                f"it joins the team and panel of {plan.name(largest)}; check that is right.",
                ward=ward_id,
            )
        team = teams.get(largest)
        if ward.team_id is None:
            if team is None:
                _decide(
                    plan,
                    "no_team",
                    f"{ward.name}: {plan.name(largest)} has no team to pass on; choose one.",
                    ward=ward_id,
                )
            else:
                plan.teams.append({"ward": ward_id, "team": team.pk, "team_name": team.name, "from_ward": largest})
        if ward_id not in with_panel:
            if not panels.get(largest):
                _decide(
                    plan, "no_panel", f"{ward.name}: {plan.name(largest)} is on no panel; choose one.", ward=ward_id
                )
            for panel in panels.get(largest, []):
                plan.panels.append({"ward": ward_id, "panel": panel.pk, "panel_name": panel.name, "from_ward": largest})


def _split_note(plan: Plan, what: str, ward_id: int, items: list[tuple[int, float]]) -> None:
    others = [f"{plan.name(other)} ({share:.0%})" for other, share in items[1:] if share >= SPLIT_SHARE]
    if others:
        _decide(
            plan,
            "split",
            f"{what}: {plan.name(ward_id)} is split; carried to {plan.name(items[0][0])} ({items[0][1]:.0%}), "
            f"which takes most of it, but also {', '.join(others)}: check that is right.",
            ward=ward_id,
        )


def _priorities(plan: Plan, leaving: set[int], overlaps: Overlaps, done: set[int]) -> None:
    active = list(
        Priority.objects.filter(ward_id__in=leaving, status__in=Priority.ACTIVE_STATUSES)
        .exclude(pk__in=done)
        .order_by("ward_id", "slot")
    )
    incoming: dict[int, list[Priority]] = defaultdict(list)
    for priority in active:
        items = overlaps.by_leaving.get(priority.ward_id, [])
        what = f"Priority “{priority.title}”"
        if not items:
            _decide(
                plan,
                "no_successor",
                f"{what} of {plan.name(priority.ward_id)}: no ward takes its area.",
                priority=priority.pk,
            )
        elif _is_tie(items):
            _decide(
                plan,
                "tie",
                f"{what} of {plan.name(priority.ward_id)}: {plan.name(items[0][0])} and {plan.name(items[1][0])} "
                "take equal parts; the panel decides which ward keeps it (it stays active where it is until then).",
                priority=priority.pk,
            )
        else:
            incoming[items[0][0]].append(priority)
    restored = defaultdict(set)
    for item in plan.priorities:
        restored[item["to_ward"]].add(item["slot"])
    taken: dict[int, set[int]] = defaultdict(set)
    for ward_id, slot in Priority.objects.filter(ward_id__in=incoming, status__in=Priority.ACTIVE_STATUSES).values_list(
        "ward_id", "slot"
    ):
        taken[ward_id].add(slot)
    for ward_id, priorities in sorted(incoming.items()):
        used = taken[ward_id] | restored[ward_id]
        free = [slot for slot in Priority.SLOTS if slot not in used]
        if len(priorities) > len(free):
            titles = "; ".join(f"“{p.title}” ({plan.name(p.ward_id)})" for p in priorities)
            _decide(
                plan,
                "over_three",
                f"{plan.name(ward_id)} would have {len(priorities) + len(used)} active priorities, more than three: "
                f"its panel chooses which to keep of {titles}. They stay active on their old wards until then.",
                ward=ward_id,
                priorities=[p.pk for p in priorities],
            )
            continue
        for priority, slot in zip(priorities, free, strict=False):
            _split_note(plan, f"Priority “{priority.title}”", priority.ward_id, overlaps.by_leaving[priority.ward_id])
            plan.priorities.append(
                {
                    "priority": priority.pk,
                    "title": priority.title,
                    "from_ward": priority.ward_id,
                    "to_ward": ward_id,
                    "slot": slot,
                    "old_slot": priority.slot,
                }
            )


def _meetings(plan: Plan, leaving: set[int], overlaps: Overlaps, done: set[int], since) -> None:
    events = (
        Event.objects.filter(wards__in=leaving, status=Event.Status.SCHEDULED, starts_at__gte=timezone.now())
        .exclude(pk__in=done)
        .distinct()
        .prefetch_related("wards")
    )
    if since is not None:
        events = events.filter(created_at__gt=since)
    for event in events:
        before: list[int] = sorted(ward.id for ward in event.wards.all())
        after: list[int] = []
        for ward_id in before:
            items = overlaps.by_leaving.get(ward_id, []) if ward_id in leaving else [(ward_id, 1.0)]
            if not items:
                _decide(
                    plan,
                    "no_successor",
                    f"Meeting {event.title}: no ward takes the area of {plan.name(ward_id)}.",
                    event=event.pk,
                )
                continue
            chosen = [items[0][0]]
            if ward_id in leaving and _is_tie(items):
                # A meeting can serve both: it is for both until someone decides otherwise.
                chosen.append(items[1][0])
                _decide(
                    plan,
                    "tie",
                    f"Meeting {event.title}: {plan.name(ward_id)} splits equally; it is now for both "
                    f"{plan.name(items[0][0])} and {plan.name(items[1][0])}.",
                    event=event.pk,
                )
            after.extend(ward for ward in chosen if ward not in after)
        if after and after != before:
            plan.meetings.append(
                {
                    "event": event.pk,
                    "title": event.title,
                    "starts_at": f"{event.starts_at:%Y-%m-%d}",
                    "wards_before": before,
                    "wards_after": sorted(after),
                }
            )


def _subscriptions(plan: Plan, leaving: set[int], overlaps: Overlaps, done: set[int], since) -> None:
    subscriptions = Subscription.objects.filter(ward_id__in=leaving, unsubscribed_at__isnull=True).exclude(pk__in=done)
    if since is not None:
        subscriptions = subscriptions.filter(created_at__gt=since)
    targets = {item["to_ward"] for item in plan.subscriptions}
    targets |= {items[0][0] for items in overlaps.by_leaving.values() if items}
    planned = {item["subscription"]: item["to_ward"] for item in plan.subscriptions}
    held = {
        (email.lower(), ward_id)
        for email, ward_id in Subscription.objects.filter(ward_id__in=targets, unsubscribed_at__isnull=True)
        .exclude(pk__in=planned)
        .values_list("email", "ward_id")
    }
    held |= {
        (email.lower(), planned[pk])
        for pk, email in Subscription.objects.filter(pk__in=planned).values_list("pk", "email")
    }
    splits: set[int] = set()
    for subscription in subscriptions.order_by("pk"):
        ward_id = cast(int, subscription.ward_id)  # a ward's subscription: the filter above
        items = overlaps.by_leaving.get(ward_id, [])
        if not items:
            _decide(
                plan,
                "no_successor",
                f"Subscription {subscription.pk}: no ward takes the area of {plan.name(subscription.ward_id)}.",
            )
            continue
        if _is_tie(items) and ward_id not in splits:
            splits.add(ward_id)
            _decide(
                plan,
                "tie",
                f"Subscriptions to {plan.name(subscription.ward_id)}: it splits equally; they move to "
                f"{plan.name(items[0][0])} (one of the two) and its subscribers are told the new ward.",
                ward=subscription.ward_id,
            )
        target = items[0][0]
        key = (subscription.email.lower(), target)
        end = key in held
        held.add(key)
        plan.subscriptions.append(
            {"subscription": subscription.pk, "from_ward": subscription.ward_id, "to_ward": target, "end": end}
        )


def _not_carried(plan: Plan, leaving: set[int]) -> None:
    """What stays with the old wards and a person must pick up: open ballots and concerns still in hand."""
    for ballot in Ballot.objects.filter(ward_id__in=leaving, status=Ballot.Status.OPEN).select_related("meeting"):
        _decide(
            plan,
            "open_ballot",
            f"Open ballot for {plan.name(ballot.ward_id)} at {ballot.meeting.title}: close or cancel it.",
        )
    open_concerns = (
        Concern.objects.filter(
            ward_id__in=leaving,
            status__in=[Concern.Status.RECEIVED, Concern.Status.ACCEPTED, Concern.Status.SHORTLISTED],
        )
        .values_list("ward_id")
        .order_by("ward_id")
    )
    counts: dict[int, int] = defaultdict(int)
    for (ward_id,) in open_concerns:
        counts[ward_id] += 1
    for ward_id, count in sorted(counts.items()):
        _decide(
            plan,
            "open_concerns",
            f"{count} concern(s) in hand for {plan.name(ward_id)}: they stay with it; moderators move them if need be.",
            ward=ward_id,
        )
