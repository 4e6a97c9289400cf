"""Who may act for which ward, as the apps that may not import priorities ask it.

The answer lives in priorities.scopes, beside the panels and partner agencies it reads; it
plugs itself in here (core.ports). The feedback app asks through these functions.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.ports import Port
from core.roles import AnyUser


@dataclass(frozen=True)
class WardScopes:
    # The neighbourhood team an officer belongs to, if any.
    team_id_for: Callable[[AnyUser], int | None]
    # The wards of an officer's own team (None: every ward, for administrators).
    managed_ward_ids_for: Callable[[AnyUser], set[int] | None]
    # The wards a user may manage or run (None: every ward, for administrators).
    ward_ids_for: Callable[[AnyUser], set[int] | None]
    # The panels a user chairs now.
    chaired_panel_ids: Callable[[AnyUser], frozenset[int]]


ward_scopes: Port[WardScopes] = Port("who may act for which ward", owner="priorities.scopes")


def team_id_for(user: AnyUser) -> int | None:
    return ward_scopes().team_id_for(user)


def managed_ward_ids_for(user: AnyUser) -> set[int] | None:
    return ward_scopes().managed_ward_ids_for(user)


def ward_ids_for(user: AnyUser) -> set[int] | None:
    return ward_scopes().ward_ids_for(user)


def chaired_panel_ids(user: AnyUser) -> frozenset[int]:
    return ward_scopes().chaired_panel_ids(user)
