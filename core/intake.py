"""Raising a PACT concern from another part of PACT.

A free-text survey answer can become a concern for its ward, but the feedback app may not
import the PACT cycle (DESIGN.md). So the priorities app plugs in here (core.ports), from its
AppConfig.ready(), how a concern is raised; feedback calls it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.ports import Port


class ConcernIntakeError(Exception):
    """The concern could not be raised; the message says why, for the person who tried."""


@dataclass(frozen=True)
class ConcernIntake:
    # The categories a concern may have, as (slug, name) pairs in display order.
    categories: Callable[[], list[tuple[str, str]]]
    # raise_concern(actor=, ward=, category_slug=, description=, source=) -> the concern's
    # reference; raises ConcernIntakeError with a message for the user.
    raise_concern: Callable[..., str]
    # The staff address of a concern, by reference.
    staff_url: Callable[[str], str]


concern_intake: Port[ConcernIntake] = Port("how a PACT concern is raised", owner="priorities.intake")
