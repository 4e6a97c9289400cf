"""The PACT cycle of a synthetic force (wards.synthetic): what the public pages of a ward show.

Each team gets one panel for its wards; each ward a PACT meeting held last month, where its
three priorities were agreed, and the next one coming up. Written in bulk for the national
data set of issue 17 (``make_national_force``); for measuring, not for a demo.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from priorities.models import Category, Event, Panel, Priority
from wards.models import Ward

BATCH = 5000
TITLES = (
    "Speeding on the main road",
    "Anti-social behaviour in the park",
    "Drug dealing near the shops",
    "Parking on pavements by the school",
    "Litter and fly-tipping in the lanes",
    "Burglary of sheds and garages",
)


@dataclass
class SyntheticCycle:
    panels: int = 0
    meetings: int = 0
    priorities: int = 0


def make_cycle() -> SyntheticCycle:
    """Panels, meetings and priorities for every ward with a team; run once, after ``make_force``."""
    result = SyntheticCycle()
    wards = list(Ward.objects.filter(team__isnull=False).order_by("id").values_list("id", "name", "team_id"))
    today = timezone.localdate()
    held_at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(19)))
    next_at = held_at + datetime.timedelta(days=60)
    with transaction.atomic():
        category, _ = Category.objects.get_or_create(
            slug="anti-social-behaviour", defaults={"name": "Anti-social behaviour"}
        )
        team_ids = sorted({team_id for _, _, team_id in wards})
        panels = Panel.objects.bulk_create([Panel(name=f"PACT panel {team_id}") for team_id in team_ids])
        panel_of = {team_id: panel.pk for team_id, panel in zip(team_ids, panels, strict=True)}
        Panel.wards.through.objects.bulk_create(
            [Panel.wards.through(panel_id=panel_of[team_id], ward_id=ward_id) for ward_id, _, team_id in wards],
            batch_size=BATCH,
        )
        events = Event.objects.bulk_create(
            [
                Event(
                    kind=Event.Kind.PACT_MEETING,
                    title=f"{name} PACT meeting",
                    panel_id=panel_of[team_id],
                    starts_at=at,
                    ends_at=at + datetime.timedelta(hours=1, minutes=30),
                    status=status,
                    venue=f"{name} community centre",
                )
                for _, name, team_id in wards
                for at, status in ((held_at, Event.Status.HELD), (next_at, Event.Status.SCHEDULED))
            ],
            batch_size=BATCH,
        )
        Event.wards.through.objects.bulk_create(
            [
                Event.wards.through(event_id=event.pk, ward_id=wards[index // 2][0])
                for index, event in enumerate(events)
            ],
            batch_size=BATCH,
        )
        Priority.objects.bulk_create(
            [
                Priority(
                    ward_id=ward_id,
                    slot=slot,
                    title=TITLES[(index + slot) % len(TITLES)],
                    category=category,
                    agreed_on=held_at.date(),
                    agreed_at_id=events[2 * index].pk,
                )
                for index, (ward_id, _, _) in enumerate(wards)
                for slot in Priority.SLOTS
            ],
            batch_size=BATCH,
        )
    result.panels, result.meetings, result.priorities = len(panels), len(events), 3 * len(wards)
    return result
