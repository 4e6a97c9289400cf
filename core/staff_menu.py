"""The links of the staff area's home page, by role.

Each app lists its staff pages in a ``staff_menu`` module that calls ``staff_link``; they are
found the way the Django admin finds ``admin`` modules, so pact needs to know none of them.
A link is shown to a user who has one of its roles; the page itself still checks (denied by
default), so the menu only spares people links that would refuse them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from core.roles import AnyUser, user_roles


@dataclass(frozen=True)
class StaffLink:
    order: int
    label: str
    url_name: str
    roles: tuple[str, ...]
    hint: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_links: dict[str, StaffLink] = {}
_discovered: list[bool] = []


def staff_link(*, order: int, label: str, url_name: str, roles: tuple[str, ...], hint: str = "") -> None:
    """Offer a staff page on the staff home to users with one of ``roles``."""
    _links[url_name] = StaffLink(order, label, url_name, tuple(roles), hint)


def staff_links_for(user: AnyUser) -> list[StaffLink]:
    """The staff pages this user's roles open, in order."""
    if not _discovered:
        autodiscover_modules("staff_menu")
        _discovered.append(True)
    roles = user_roles(user)
    return sorted(
        (link for link in _links.values() if roles & set(link.roles)), key=lambda link: (link.order, link.label)
    )
