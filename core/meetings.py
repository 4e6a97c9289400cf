"""What other apps may know about a PACT meeting or panel, without depending on priorities.

feedback offers the equality questions to the people taking part in PACT and needs a
meeting's date, wards and district, and a panel's district. feedback must not import
priorities (DESIGN.md), so it asks this port, which priorities.facts plugs in: only plain,
frozen values cross, and priorities stays free to change its models behind it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from core.ports import Port


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


@dataclass(frozen=True)
class MeetingDirectory:
    # The meeting with this public uid or staff id (keyword arguments uid= or pk=), or None.
    meeting: Callable[..., MeetingFacts | None]
    # The panel with this id (keyword argument pk=), or None.
    panel: Callable[..., PanelFacts | None]


meeting_directory: Port[MeetingDirectory] = Port("what a PACT meeting is", owner="priorities.facts")


def meeting_facts(*, uid: str | None = None, pk: int | None = None) -> MeetingFacts | None:
    """The meeting with this public uid or staff id; None if there is none."""
    return meeting_directory().meeting(uid=uid, pk=pk)


def panel_facts(*, pk: int) -> PanelFacts | None:
    """The panel with this id, with its wards and their district; None if there is none."""
    return meeting_directory().panel(pk=pk)
