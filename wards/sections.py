"""Sections other apps add to the ward and team pages.

The wards app knows nothing of priorities, meetings or updates (dependencies point from
those apps to this one), so each app registers the sections it contributes, in its
AppConfig.ready(). A section is rendered into the page's cached fragment: it must not use
the request (no user, no CSRF token) and must run a fixed number of queries.

A section with a ``title`` is listed in the page's contents and its ``anchor`` is the id of
its heading. A ``folded`` section is what few residents came for (crime figures, news, past
updates): the page shows its heading and keeps its body behind a summary a resident opens,
so that on a phone the priorities, the next meeting and the officers come within the first
screens. A folded section's template gets ``folded`` in its context and leaves out its own
heading (the page gives it one).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from wards.models import NeighbourhoodTeam, Ward

SectionContext = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    order: int
    template: str
    context: SectionContext
    title: str = ""
    anchor: str = ""
    folded: bool = False


@dataclass(frozen=True)
class RenderedSection:
    """One section's HTML, with what the page needs to list it and fold it.

    Printed as it stands (``{{ section }}``), it is its HTML, as sections always were.
    """

    html: SafeString
    title: str
    anchor: str
    folded: bool

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:
        return self.html


_sections: dict[str, list[Section]] = {"ward": [], "team": []}


def register_ward_section(
    *,
    order: int,
    template: str,
    context: Callable[[Ward], dict[str, Any]],
    title: str = "",
    anchor: str = "",
    folded: bool = False,
) -> None:
    """Add a section to every ward page; ``context(ward)`` gives its template's context."""
    _register("ward", Section(order, template, context, title, anchor, folded))


def register_team_section(
    *,
    order: int,
    template: str,
    context: Callable[[NeighbourhoodTeam], dict[str, Any]],
    title: str = "",
    anchor: str = "",
    folded: bool = False,
) -> None:
    """Add a section to every team page; ``context(team)`` gives its template's context."""
    _register("team", Section(order, template, context, title, anchor, folded))


def _register(page: str, section: Section) -> None:
    if section.folded and not (section.title and section.anchor):
        raise ValueError(f"A folded section needs a title and an anchor: {section.template}")
    if section.template not in {existing.template for existing in _sections[page]}:
        _sections[page].append(section)
        _sections[page].sort(key=lambda item: item.order)


def render_sections(page: str, subject: Ward | NeighbourhoodTeam) -> list[RenderedSection]:
    """Each registered section of ``page`` rendered for ``subject``, in order."""
    return [
        RenderedSection(
            html=render_to_string(
                section.template, {page: subject, "folded": section.folded, **section.context(subject)}
            ),
            title=section.title,
            anchor=section.anchor,
            folded=section.folded,
        )
        for section in _sections[page]
    ]
