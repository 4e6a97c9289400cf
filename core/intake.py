"""Raising a PACT concern from another part of PACT.

A free-text survey answer can become a concern for its ward, but the feedback app may not
import the PACT cycle (see DESIGN.md: apps depend on wards and pact only). So the priorities
app registers here, in its AppConfig.ready(), how a concern is raised; feedback calls it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


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


_intake: list[ConcernIntake] = []


def register_concern_intake(intake: ConcernIntake) -> None:
    _intake[:] = [intake]


def concern_intake() -> ConcernIntake:
    if not _intake:
        raise ImproperlyConfigured("No app has registered how PACT concerns are raised (priorities.intake).")
    return _intake[0]
