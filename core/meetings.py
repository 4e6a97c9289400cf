"""What other apps may know about a PACT meeting or panel, without depending on priorities.

feedback offers the equality questions to the people taking part in PACT and needs a
meeting's date, wards and district, and a panel's district. feedback must not import
priorities (DESIGN.md), so this module reads them and hands back plain, frozen values: no
model instance crosses, and priorities stays free to change its models behind it. Like
core.roles, it imports priorities lazily, because pact holds what every app shares.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class MeetingFacts:
    """A meeting (any PACT event) as other apps see it."""

    pk: int
    uid: str
    title: str
    kind_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_cancelled: bool
    panel_id: int | None
    ward_ids: frozenset[int]
    # The district of its wards; None when they lie in more than one (a rare cross-border panel).
    district_id: int | None


@dataclass(frozen=True)
class PanelFacts:
    pk: int
    name: str
    ward_ids: frozenset[int]
    district_id: int | None


def _one_district(district_ids: set[int]) -> int | None:
    return next(iter(district_ids)) if len(district_ids) == 1 else None


def _meeting_facts(event, wards: list[tuple[int, int]]) -> MeetingFacts:
    return MeetingFacts(
        pk=event.pk,
        uid=str(event.uid),
        title=event.title,
        kind_label=event.get_kind_display(),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        is_cancelled=event.status in (event.Status.CANCELLED, event.Status.MOVED),
        panel_id=event.panel_id,
        ward_ids=frozenset(ward_id for ward_id, _district in wards),
        district_id=_one_district({district for _ward, district in wards}),
    )


def meeting_facts(*, uid: str | None = None, pk: int | None = None) -> MeetingFacts | None:
    """The meeting with this public uid or staff id, in two queries; None if there is none."""
    from priorities.models import Event

    events = Event.objects.filter(uid=uid) if uid is not None else Event.objects.filter(pk=pk or 0)
    event = events.only("uid", "title", "kind", "starts_at", "ends_at", "status", "panel").first()
    if event is None:
        return None
    wards = list(Event.wards.through.objects.filter(event_id=event.pk).values_list("ward_id", "ward__district_id"))
    return _meeting_facts(event, wards)


def panel_facts(*, pk: int) -> PanelFacts | None:
    """The panel with this id, with its wards and their district, in two queries."""
    from priorities.models import Panel

    panel = Panel.objects.filter(pk=pk).only("name").first()
    if panel is None:
        return None
    wards = list(Panel.wards.through.objects.filter(panel_id=pk).values_list("ward_id", "ward__district_id"))
    return PanelFacts(
        pk=panel.pk,
        name=panel.name,
        ward_ids=frozenset(ward_id for ward_id, _district in wards),
        district_id=_one_district({district for _ward, district in wards}),
    )
