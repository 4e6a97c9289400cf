"""How a ballot is counted: votes per option in, the places won and any undecided tie out.

Plain data and no database, so every case of ties can be tested on its own. The ballot
services count with it to record the casting vote and close a ballot, the ballot selectors
to show the tie on the chair's page and the result on the public one.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

PLACES = 3
ORDINALS = {1: _("first"), 2: _("second"), 3: _("third")}


@dataclass(frozen=True)
class Tie:
    """Options with equal votes competing for fewer places than there are of them."""

    options: tuple[int, ...]
    places: tuple[int, ...]


@dataclass(frozen=True)
class Tally:
    """Each winning option's place (1–3), and the undecided tie, if any."""

    positions: dict[int, int] = field(default_factory=dict)
    tie: Tie | None = None
    casting_used: frozenset[int] = frozenset()


def tally(votes: Mapping[int, int], casting: frozenset[int] | set[int] = frozenset(), places: int = PLACES) -> Tally:
    """Place the options by votes: the most votes first; options without votes never win.

    Options with equal votes that all fit in the places left share them in the given order.
    Where they do not fit, ``casting`` (the chair's choice) must name exactly as many of them
    as there are places left; otherwise the result carries the undecided tie.
    """
    groups: dict[int, list[int]] = {}
    for option, count in sorted(votes.items(), key=lambda item: -item[1]):
        if count > 0:
            groups.setdefault(count, []).append(option)
    winners: list[int] = []
    used: frozenset[int] = frozenset()
    for group in groups.values():
        left = places - len(winners)
        if left <= 0:
            break
        if len(group) <= left:
            winners.extend(group)
            continue
        chosen = [option for option in group if option in casting]
        if len(chosen) != left:
            tie = Tie(options=tuple(group), places=tuple(range(len(winners) + 1, places + 1)))
            return Tally(positions=_places(winners), tie=tie)
        winners.extend(chosen)
        used = frozenset(chosen)
    return Tally(positions=_places(winners), casting_used=used)


def _places(winners: list[int]) -> dict[int, int]:
    return {option: place for place, option in enumerate(winners, start=1)}


def places_label(places: Sequence[int]) -> str:
    """'third place', 'second and third places'."""
    names = [str(ORDINALS[place]) for place in places]
    if len(names) == 1:
        return f"{names[0]} place"
    return f"{', '.join(names[:-1])} and {names[-1]} places"
