"""What kind of staff member someone is: the roles of DESIGN.md, held as auth groups.

Every staff view is denied by default and opened for the roles it names (core.access). Where
a role may act (which wards) is the scope's question, answered in priorities.scopes.
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


def roles_withhold(user: AnyUser) -> None:
    """For the rest of this request the user holds no role (a session without its second factor)."""
    setattr(user, "_pact_roles", frozenset())  # noqa: B010


def is_staff_member(user: AnyUser) -> bool:
    return bool(user_roles(user))


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_administrator(user: AnyUser) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
