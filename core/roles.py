"""Who may do what: the roles of DESIGN.md as groups, and the per-ward rules.

Every staff view is denied by default and opened by one of these rules. A rule that takes
a ward checks the user's own connection to it (their team, their panel, their organisation).
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

AnyUser = User | AnonymousUser


class Role(models.TextChoices):
    OFFICER = "officer", "Neighbourhood officer"
    CHAIR = "chair", "PACT panel chair"
    PARTNER = "partner", "Partner agency"
    ADMINISTRATOR = "administrator", "Force administrator"
    PROFESSIONAL_STANDARDS = "professional_standards", "Professional standards"


def user_roles(user: AnyUser) -> frozenset[str]:
    """The roles a signed-in, active user holds (superusers hold the administrator role)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_pact_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        cached = frozenset(names)
        # Kept on the user object for the rest of the request: every permission check asks.
        setattr(user, "_pact_roles", cached)  # noqa: B010
    return cached


def is_staff_member(user: AnyUser) -> bool:
    return bool(user_roles(user))


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_administrator(user: AnyUser) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def team_id_for(user: AnyUser) -> int | None:
    """The neighbourhood team an officer belongs to, if any."""
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer.team_id if officer is not None else None


def can_manage_ward(user: AnyUser, ward) -> bool:
    """Administrators manage every ward; an officer manages the wards of their own team."""
    if is_administrator(user):
        return True
    if has_role(user, Role.OFFICER):
        team_id = team_id_for(user)
        return team_id is not None and team_id == ward.team_id
    return False


def chaired_panel_ids(user: AnyUser) -> frozenset[int]:
    """The panels the user chairs now (an open chair membership), cached on the user."""
    user_id = user.pk
    if user_id is None or not has_role(user, Role.CHAIR):
        return frozenset()
    cached = getattr(user, "_pact_chaired_panels", None)
    if cached is None:
        from priorities.models import PanelMember

        cached = frozenset(
            PanelMember.objects.filter(user_id=user_id, role=PanelMember.Role.CHAIR, ended_on__isnull=True).values_list(
                "panel_id", flat=True
            )
        )
        setattr(user, "_pact_chaired_panels", cached)  # noqa: B010
    return cached


def can_chair_ward(user: AnyUser, ward) -> bool:
    """Administrators, and the chair of a panel that serves the ward, run its meetings' ballots."""
    if is_administrator(user):
        return True
    panels = chaired_panel_ids(user)
    return bool(panels) and ward.panels.filter(pk__in=panels).exists()


def can_run_ward(user: AnyUser, ward) -> bool:
    """Schedule events for, and moderate the concerns of, a ward: its team's officers or its chair."""
    return can_manage_ward(user, ward) or can_chair_ward(user, ward)


def ward_ids_for(user: AnyUser):
    """The ids of the wards whose events and concerns the user may manage (None: every ward)."""
    from priorities.models import Panel
    from wards.models import Ward

    if is_administrator(user):
        return None
    ids: set[int] = set()
    team_id = team_id_for(user) if has_role(user, Role.OFFICER) else None
    if team_id is not None:
        ids |= set(Ward.objects.filter(team_id=team_id).values_list("pk", flat=True))
    panels = chaired_panel_ids(user)
    if panels:
        ids |= set(Panel.wards.through.objects.filter(panel_id__in=panels).values_list("ward_id", flat=True))
    return ids


def partner_agency_id_for(user: AnyUser) -> int | None:
    """The partner agency a signed-in partner user acts for (None: not a partner, or not linked)."""
    if user.pk is None or not has_role(user, Role.PARTNER):
        return None
    cached = getattr(user, "_pact_agency", None)
    if cached is None:
        from priorities.models import PartnerUser

        # Kept as a 1-tuple so that "no agency" is cached too.
        cached = (PartnerUser.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first(),)
        setattr(user, "_pact_agency", cached)  # noqa: B010
    return cached[0]


def partner_ward_ids_for(user: AnyUser) -> frozenset[int]:
    """The wards the user's partner agency works in: the only wards a partner sees anything of."""
    agency_id = partner_agency_id_for(user)
    if agency_id is None:
        return frozenset()
    cached = getattr(user, "_pact_partner_wards", None)
    if cached is None:
        from priorities.models import PartnerAgency

        through = PartnerAgency.wards.through.objects.filter(partneragency_id=agency_id)
        cached = frozenset(through.values_list("ward_id", flat=True))
        setattr(user, "_pact_partner_wards", cached)  # noqa: B010
    return cached


def can_partner_ward(user: AnyUser, ward) -> bool:
    """A partner user acts in a ward only when their agency is scoped to it (administrators: any)."""
    return is_administrator(user) or ward.pk in partner_ward_ids_for(user)


def can_see_agency_information(user: AnyUser, *, agency_id: int, ward) -> bool:
    """Information an agency gave about a ward: the ward's team and administrators, and the
    agency's own users while the agency is still scoped to that ward. Never other agencies."""
    if can_manage_ward(user, ward):
        return True
    return partner_agency_id_for(user) == agency_id and ward.pk in partner_ward_ids_for(user)
