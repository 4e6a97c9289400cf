"""The facts of PACT meetings and panels that other apps may know (the port in core.meetings)."""

from core.meetings import MeetingDirectory, MeetingFacts, PanelFacts, meeting_directory
from priorities.models import Event, Panel


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


def meeting(*, uid: str | None = None, pk: int | None = None) -> MeetingFacts | None:
    """The meeting with this public uid or staff id, in two queries; None if there is none."""
    events = Event.objects.filter(uid=uid) if uid is not None else Event.objects.filter(pk=pk or 0)
    event = events.only("uid", "title", "kind", "starts_at", "ends_at", "status", "panel").first()
    if event is None:
        return None
    wards = list(Event.wards.through.objects.filter(event_id=event.pk).values_list("ward_id", "ward__district_id"))
    return _meeting_facts(event, wards)


def panel(*, pk: int) -> PanelFacts | None:
    """The panel with this id, with its wards and their district, in two queries."""
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


def plug() -> None:
    meeting_directory.plug(MeetingDirectory(meeting=meeting, panel=panel))
