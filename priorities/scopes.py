"""Who may act for which ward: the one place that answers it (DESIGN.md, People and permissions).

A role (core.roles) says what kind of staff member someone is; a scope says where they may
act. Officers act for the wards of their own neighbourhood team, chairs for the wards of the
panels they chair now, partner users for the wards their agency works in. Administrators act
everywhere. Every view and service asks these functions; the feedback app asks the same ones
through the port in core.scopes, which this module plugs in.

Each answer is cached on the user object for the rest of the request: every check asks.
"""

from core.roles import AnyUser, Role, has_role, is_administrator
from core.scopes import WardScopes, ward_scopes
from priorities.models import Panel, PanelMember, PartnerAgency, PartnerUser
from wards.models import Officer, Ward

# Officers


def team_id_for(user: AnyUser) -> int | None:
    """The neighbourhood team an officer belongs to, if any."""
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer.team_id if officer is not None else None


def can_manage_ward(user: AnyUser, ward: Ward) -> bool:
    """Administrators manage every ward; an officer manages the wards of their own team."""
    if is_administrator(user):
        return True
    if has_role(user, Role.OFFICER):
        team_id = team_id_for(user)
        return team_id is not None and team_id == ward.team_id
    return False


def supervised_team_id(user: AnyUser) -> int | None:
    """The team a sergeant or inspector (with the officer role) supervises, if any."""
    officer = getattr(user, "officer", None) if user.is_authenticated and has_role(user, Role.OFFICER) else None
    return officer.team_id if officer is not None and officer.rank in Officer.SUPERVISOR_RANKS else None


def can_supervise_team(user: AnyUser, team_id: int | None) -> bool:
    """A sergeant or inspector of the team (administrators are not supervisors)."""
    return team_id is not None and supervised_team_id(user) == team_id


def can_supervise_ward(user: AnyUser, ward: Ward) -> bool:
    """A sergeant or inspector of the ward's own team."""
    return can_supervise_team(user, ward.team_id)


def can_assign_ward_officers(user: AnyUser, team_id: int) -> bool:
    """Say which officers cover which of a team's wards: its supervisors, and administrators."""
    return is_administrator(user) or can_supervise_team(user, team_id)


def managed_ward_ids_for(user: AnyUser) -> set[int] | None:
    """The wards whose team's business (partner information, feedback) the user may see: an
    officer's own team's wards, exactly those can_manage_ward opens (None: every ward)."""
    if is_administrator(user):
        return None
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    if team_id is None:
        return set()
    return set(Ward.objects.filter(team_id=team_id).values_list("pk", flat=True))


# Chairs


def chaired_panel_ids(user: AnyUser) -> frozenset[int]:
    """The panels the user chairs now (an open chair membership)."""
    if user.pk is None or not has_role(user, Role.CHAIR):
        return frozenset()
    cached = getattr(user, "_pact_chaired_panels", None)
    if cached is None:
        chairs = PanelMember.objects.filter(user_id=user.pk, role=PanelMember.Role.CHAIR, ended_on__isnull=True)
        cached = frozenset(chairs.values_list("panel_id", flat=True))
        setattr(user, "_pact_chaired_panels", cached)  # noqa: B010
    return cached


def can_chair_ward(user: AnyUser, ward: Ward) -> bool:
    """Administrators, and the chair of a panel that serves the ward, run its meetings' ballots."""
    if is_administrator(user):
        return True
    panels = chaired_panel_ids(user)
    return bool(panels) and ward.panels.filter(pk__in=panels).exists()


def can_run_ward(user: AnyUser, ward: Ward) -> bool:
    """Schedule events for, and moderate the concerns of, a ward: its team's officers or its chair."""
    return can_manage_ward(user, ward) or can_chair_ward(user, ward)


def ward_ids_for(user: AnyUser) -> set[int] | None:
    """The wards whose events and concerns the user may manage or run (None: every ward)."""
    if is_administrator(user):
        return None
    ids = managed_ward_ids_for(user) or set()
    panels = chaired_panel_ids(user)
    if panels:
        ids |= set(Panel.wards.through.objects.filter(panel_id__in=panels).values_list("ward_id", flat=True))
    return ids


# Panels: who runs a panel's membership


def _panel_team_ids(panel: Panel) -> set[int]:
    return {team_id for team_id in panel.wards.values_list("team_id", flat=True) if team_id is not None}


def can_see_panel(user: AnyUser, panel: Panel) -> bool:
    """A panel's members are seen by administrators, its chair, and the officers of a team
    that polices one of its wards."""
    if is_administrator(user) or panel.pk in chaired_panel_ids(user):
        return True
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    return team_id is not None and team_id in _panel_team_ids(panel)


def can_manage_panel(user: AnyUser, panel: Panel) -> bool:
    """A panel's members are added, changed and ended, and its chair handed over, by its
    chair now, a sergeant or inspector of a team that polices one of its wards, and
    administrators."""
    if is_administrator(user) or panel.pk in chaired_panel_ids(user):
        return True
    team_id = supervised_team_id(user)
    return team_id is not None and team_id in _panel_team_ids(panel)


def panel_ids_for(user: AnyUser) -> set[int] | None:
    """The panels whose members the user may see, exactly those can_see_panel opens (None: every panel)."""
    if is_administrator(user):
        return None
    ids = set(chaired_panel_ids(user))
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    if team_id is not None:
        wards = Panel.wards.through.objects.filter(ward__team_id=team_id)
        ids |= set(wards.values_list("panel_id", flat=True))
    return ids


# Partners


def partner_agency_for(user: AnyUser) -> PartnerAgency | None:
    """The partner agency a signed-in partner user acts for (None: not a partner, or not linked)."""
    if user.pk is None or not has_role(user, Role.PARTNER):
        return None
    cached = getattr(user, "_pact_agency", None)
    if cached is None:
        link = PartnerUser.objects.filter(user_id=user.pk).select_related("agency").first()
        # Kept as a 1-tuple so that "no agency" is cached too.
        cached = (link.agency if link is not None else None,)
        setattr(user, "_pact_agency", cached)  # noqa: B010
    return cached[0]


def partner_ward_ids_for(user: AnyUser) -> frozenset[int]:
    """The wards the user's partner agency works in now: the only wards a partner sees anything of."""
    agency = partner_agency_for(user)
    if agency is None:
        return frozenset()
    cached = getattr(user, "_pact_partner_wards", None)
    if cached is None:
        through = PartnerAgency.wards.through.objects.filter(partneragency_id=agency.pk)
        cached = frozenset(through.values_list("ward_id", flat=True))
        setattr(user, "_pact_partner_wards", cached)  # noqa: B010
    return cached


def can_partner_ward(user: AnyUser, ward: Ward) -> bool:
    """May this partner act in this ward: only while their agency works in it (administrators: any)."""
    return is_administrator(user) or ward.pk in partner_ward_ids_for(user)


def can_see_agency_information(user: AnyUser, *, agency_id: int, ward: Ward) -> bool:
    """Information an agency gave about a ward: the ward's team and administrators, and the
    agency's own users while the agency still works in that ward. Never other agencies."""
    if can_manage_ward(user, ward):
        return True
    agency = partner_agency_for(user)
    return agency is not None and agency.pk == agency_id and can_partner_ward(user, ward)


def plug() -> None:
    """Answer the ground floor's scope questions for the apps that may not import priorities."""
    ward_scopes.plug(
        WardScopes(
            team_id_for=team_id_for,
            managed_ward_ids_for=managed_ward_ids_for,
            ward_ids_for=ward_ids_for,
            chaired_panel_ids=chaired_panel_ids,
        )
    )
