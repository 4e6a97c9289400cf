"""References that people read aloud or write down, unique by a database constraint."""

import secrets
from collections.abc import Callable

from django.db import IntegrityError, models, transaction

# Unambiguous when read aloud or written down: no 0/O, 1/I/L.
READABLE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def readable_code(length: int) -> str:
    """A random code of ``length`` characters of the readable alphabet."""
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def insert_with_unique(obj: models.Model, *, field: str, draw: Callable[[], str], attempts: int = 5) -> bool:
    """Save the new ``obj`` with ``field`` drawn by ``draw()``, drawing again on the rare collision.

    The unique constraint decides (two requests may draw the same value at once); each attempt
    runs in a savepoint so the surrounding transaction survives a refused insert. False when
    every attempt collided: the caller says so in its own words.
    """
    for _attempt in range(attempts):
        setattr(obj, field, draw())
        obj.full_clean(exclude=[field])
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return True
        except IntegrityError:
            if not type(obj)._default_manager.filter(**{field: getattr(obj, field)}).exists():
                raise
            obj.pk = None
    return False
