"""Sections other apps add to the ward and team pages.

The wards app knows nothing of priorities, meetings or updates (dependencies point from
those apps to this one), so each app registers the sections it contributes, in its
AppConfig.ready(). A section is rendered into the page's cached fragment: it must not use
the request (no user, no CSRF token) and must run a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from wards.models import NeighbourhoodTeam, Ward

SectionContext = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    order: int
    template: str
    context: SectionContext


_sections: dict[str, list[Section]] = {"ward": [], "team": []}


def register_ward_section(*, order: int, template: str, context: Callable[[Ward], dict[str, Any]]) -> None:
    """Add a section to every ward page; ``context(ward)`` gives its template's context."""
    _register("ward", Section(order, template, context))


def register_team_section(*, order: int, template: str, context: Callable[[NeighbourhoodTeam], dict[str, Any]]) -> None:
    """Add a section to every team page; ``context(team)`` gives its template's context."""
    _register("team", Section(order, template, context))


def _register(page: str, section: Section) -> None:
    if section.template not in {existing.template for existing in _sections[page]}:
        _sections[page].append(section)
        _sections[page].sort(key=lambda item: item.order)


def render_sections(page: str, subject: Ward | NeighbourhoodTeam) -> list[str]:
    """Each registered section of ``page`` rendered for ``subject``, in order."""
    return [
        render_to_string(section.template, {page: subject, **section.context(subject)}) for section in _sections[page]
    ]
