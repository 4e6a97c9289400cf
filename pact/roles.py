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
