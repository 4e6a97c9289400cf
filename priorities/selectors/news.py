"""Reads of news."""

from typing import Any

from wards.models import NeighbourhoodTeam, Ward


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's news section."""
    return {}


def team_section(team: NeighbourhoodTeam) -> dict[str, Any]:
    """Context of the team page's news section."""
    return {}
