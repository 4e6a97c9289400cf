"""Reads of updates."""

from typing import Any

from wards.models import NeighbourhoodTeam, Ward


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's updates section."""
    return {}


def team_section(team: NeighbourhoodTeam) -> dict[str, Any]:
    """Context of the team page's updates section."""
    return {}
