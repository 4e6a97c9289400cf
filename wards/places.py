"""Place names as people type them: one normal form, and how alike two names are.

``place_key`` reduces what someone typed and what OS Open Names holds to the same form, so
"St. Margaret's-at-Cliffe", "st margarets at cliffe" and "Saint Margarets at Cliffe" meet.

``similarity`` is PostgreSQL pg_trgm's ``similarity()`` written out in Python. On PostgreSQL
the database picks the candidate names with pg_trgm; on SQLite this function picks them. Keys
hold only ``a-z``, ``0-9`` and single spaces, where the two agree exactly (tested on
PostgreSQL), so both databases give the same answers. ``edit_distance`` then ranks the
candidates and drops those more than a typo or two away.
"""

import re
import unicodedata

# pg_trgm's default threshold is 0.3; 0.2 keeps one-typo misspellings of short names such as
# "Fordwcih" (0.38) and two-typo ones of long names as candidates. The edit distance decides.
SIMILARITY_THRESHOLD = 0.2
# A name shorter than this may be one typo away from what was typed, a longer one two: two
# edits turn "bromley" into "boxley", and Bromley is not in Kent.
LONG_NAME = 8

_APOSTROPHES = re.compile(r"['’‘`.]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def place_key(text: str) -> str:
    """The form names are compared in: ``"St. Mary's Bay"`` → ``"st marys bay"``.

    Lower case without accents; apostrophes and full stops dropped; hyphens and other
    punctuation as spaces; "Saint" as "St"; a final "on Sea" dropped ("Westgate-on-Sea" and
    "Westgate" meet). Empty when nothing of a name is left.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", ascii_text)).split()
    words = ["st" if word == "saint" else word for word in words]
    if len(words) > 2 and words[-2:] == ["on", "sea"]:
        words = words[:-2]
    return " ".join(words)


def trigrams(key: str) -> set[str]:
    """pg_trgm's trigrams of a key: each word padded with two spaces before and one after."""
    found: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity(a, b)`` for two keys: shared trigrams over all trigrams."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def edit_distance(a: str, b: str) -> int:
    """Letters inserted, deleted, changed or swapped with a neighbour to turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def typos_allowed(key: str) -> int:
    return 1 if len(key) < LONG_NAME else 2


def closest(key: str, candidates: set[str]) -> list[str]:
    """The candidate keys nearest to ``key`` within the typos allowed, all those equally near.

    Nearest by edit distance, then by trigram similarity; several keys come back only when
    they tie on both ("whitehxll": Whitehall and Whitehill).
    """
    allowed = typos_allowed(key)
    ranked = sorted(
        (distance, -similarity(key, candidate), candidate)
        for candidate in candidates
        if (distance := edit_distance(key, candidate)) <= allowed
    )
    if not ranked:
        return []
    best = ranked[0][:2]
    return [candidate for *rank, candidate in ranked if tuple(rank) == best]
