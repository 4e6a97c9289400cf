"""Reads of the wards' priorities."""

from typing import Any

from wards.models import Ward


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's priorities section."""
    return {"priorities": []}
