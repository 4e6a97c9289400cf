"""Fictional demo officers for every neighbourhood team.

Everything is derived from hashes of the team slug, so every run, on any machine and any
Python version, makes the same officers and a second run changes nothing.
"""

import hashlib
from collections.abc import Iterator, Sequence

from wards.importers.base import ImportResult, import_transaction, upsert
from wards.importers.teams import DEMO_EMAIL_DOMAIN, TEAMS_FILE
from wards.models import NeighbourhoodTeam, Officer

VERSION = "1"
# The officers follow the teams; the teams file is the input that can change them.
INPUT_FILES = (TEAMS_FILE,)
PHONE = "101"
Rank = Officer.Rank

FIRST_NAMES = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
    "James", "Henry", "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Daniel",
    "Samuel", "Joseph", "Max", "Lucas", "Mohammed", "Adam", "Ryan", "Liam", "Connor", "Matthew",
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Mia", "Poppy", "Ella",
    "Lily", "Evie", "Jessica", "Isabella", "Ruby", "Chloe", "Sophia", "Freya", "Charlotte", "Lucy",
    "Hannah", "Katie", "Rebecca", "Sarah", "Laura", "Emma", "Megan", "Priya", "Aisha", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
    "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
    "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
)  # fmt: skip


def _number(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


def _pick(items: Sequence[str], *parts: object) -> str:
    return items[_number(*parts) % len(items)]


def team_ranks(slug: str, *, with_inspector: bool) -> list[str]:
    """The ranks of one team: an inspector where asked, a sergeant, then 2–4 PCs and 2–4 PCSOs."""
    ranks: list[str] = [Rank.INSPECTOR] if with_inspector else []
    ranks.append(Rank.SERGEANT)
    ranks += [Rank.PC] * (2 + _number(slug, "pcs") % 3)
    ranks += [Rank.PCSO] * (2 + _number(slug, "pcsos") % 3)
    return ranks


def _collar(slug: str, slot: int, taken: set[str]) -> str:
    """A four-digit collar number from the hash, stepping on past numbers already taken."""
    number = _number(slug, slot, "collar") % 9000
    while f"{1000 + number}" in taken:
        number = (number + 1) % 9000
    collar = f"{1000 + number}"
    taken.add(collar)
    return collar


def team_officers(team: NeighbourhoodTeam, ranks: list[str], taken: set[str]) -> Iterator[tuple[str, dict]]:
    """(collar number, Officer fields) for each demo officer of one team."""
    for slot, rank in enumerate(ranks):
        first, last = _pick(FIRST_NAMES, team.slug, slot, "first"), _pick(LAST_NAMES, team.slug, slot, "last")
        collar = _collar(team.slug, slot, taken)
        yield (
            collar,
            {
                "team_id": team.id,
                "rank": rank,
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{collar}@{DEMO_EMAIL_DOMAIN}".lower(),
                "phone": PHONE,
                "is_demo": True,
            },
        )


def officer_rows() -> dict[str, dict]:
    """Wanted officers of every demo team by collar number; the first team of a district (by slug) gets its inspector.

    Teams are taken in slug order so that collisions between hashed collar numbers always
    resolve the same way; numbers held by real officers are never reused.
    """
    taken = set(Officer.objects.filter(is_demo=False).values_list("collar_number", flat=True))
    rows: dict[str, dict] = {}
    districts_seen: set[int] = set()
    for team in NeighbourhoodTeam.objects.filter(is_demo=True).order_by("slug"):
        ranks = team_ranks(team.slug, with_inspector=team.district_id not in districts_seen)
        districts_seen.add(team.district_id)
        rows.update(team_officers(team, ranks, taken))
    return rows


def create_demo_officers(*, commit: bool) -> ImportResult:
    """Upsert the demo officers of every team, keyed by collar number; only demo officers are touched."""
    with import_transaction(commit):
        counts = upsert(
            Officer,
            "collar_number",
            officer_rows(),
            entity="demo officers",
            queryset=Officer.objects.filter(is_demo=True),
        )
    return ImportResult("create_demo_officers", committed=commit, counts=[counts])
