"""UK postcodes: normalising and recognising what a person typed.

Follows the shape rules of the Royal Mail / ONS postcode format: an outward code of an
area (one or two letters) and a district (a digit, then an optional digit or letter), and
an inward code of a digit and two letters.
"""

import re

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
_SPACES = re.compile(r"\s+")

# The postcode areas that reach into Kent and Medway. TN, DA and BR also cover parts of
# East Sussex and London; a postcode there is inside the force area only if we hold it.
KENT_AREAS = frozenset({"ME", "CT", "TN", "DA", "BR"})


def squash(text: str) -> str:
    """Upper case with every kind of white space removed."""
    return _SPACES.sub("", text).upper()


def normalise_postcode(text: str) -> str | None:
    """``' me44tr '`` → ``'ME4 4TR'``; None when it is not shaped like a full postcode."""
    match = _FULL.match(squash(text))
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def normalise_outward(text: str) -> str | None:
    """``'me4'`` → ``'ME4'``; None when it is not shaped like an outward code."""
    squashed = squash(text)
    return squashed if _OUTWARD.match(squashed) else None


def outward_of(postcode: str) -> str:
    """The outward code of a normalised postcode."""
    return postcode.split(" ", 1)[0]


def area_of(outward: str) -> str:
    """The letters of an outward code: ``'ME4'`` → ``'ME'``."""
    match = re.match(r"^[A-Z]+", outward)
    return match.group(0) if match else ""
