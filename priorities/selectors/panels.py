"""Reads of panel membership for the staff panel pages."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.roles import AnyUser
from priorities.models import Panel, PanelInvitation, PanelMember
from priorities.scopes import panel_ids_for

# The chair first, then the vice-chair, then members by name.
_ROLE_ORDER: dict[str, int] = {PanelMember.Role.CHAIR: 0, PanelMember.Role.VICE_CHAIR: 1, PanelMember.Role.MEMBER: 2}


def panels_for_staff(user: AnyUser) -> QuerySet[Panel]:
    """The panels whose members the user may see, with their wards, current chair and number of
    current members (exactly those priorities.scopes.can_see_panel opens)."""
    panels = Panel.objects.all()
    ids = panel_ids_for(user)
    if ids is not None:
        panels = panels.filter(pk__in=ids)
    chairs = PanelMember.objects.filter(role=PanelMember.Role.CHAIR, ended_on__isnull=True)
    return (
        panels.annotate(current_members=Count("members", filter=Q(members__ended_on__isnull=True)))
        .prefetch_related("wards", Prefetch("members", queryset=chairs, to_attr="current_chairs"))
        .order_by("name")
    )


def panel_memberships(panel: Panel) -> tuple[list[PanelMember], list[PanelMember]]:
    """(current memberships, chair first; ended ones, latest first)."""
    rows = list(panel.members.select_related("user"))
    current = sorted((m for m in rows if m.ended_on is None), key=lambda m: (_ROLE_ORDER.get(m.role, 3), m.name))
    ended = sorted((m for m in rows if m.ended_on is not None), key=lambda m: (m.ended_on, m.pk), reverse=True)
    return current, ended


def open_invitations(panel: Panel) -> list[PanelInvitation]:
    """Invitations to the panel still waiting for an answer."""
    waiting = panel.invitations.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
    return list(waiting.order_by("-created_at"))


def handover_candidates(panel: Panel) -> list[PanelMember]:
    """Current members, other than the chair, who could take the chair (those with a staff account)."""
    members = panel.members.filter(ended_on__isnull=True, user__isnull=False, started_on__lte=timezone.localdate())
    return list(members.exclude(role=PanelMember.Role.CHAIR).order_by("name"))
