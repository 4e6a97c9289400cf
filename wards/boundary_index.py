"""Which ward holds a point, answered from the ward boundaries each web worker keeps in memory.

Locating a point (the police.uk locate method) is a point-in-polygon test, and reading the
boundaries from the database for every request cost far more than the test itself. So each
worker keeps the active generation's ward polygons, prepared (GEOS indexes a polygon's edges
on its first test), in an STRtree of their bounding boxes.

They are kept under the boundary data's version: a random number in the cache that every
change to the wards' boundaries replaces (the ward importer, a ward saved or deleted). A
worker that reads another version, or none, builds them again with one query. The caller
reads the version in the round trip it makes to the cache anyway (the API's rate limit), so
an unchanged version costs nothing. A random number, not a counter, so a cache that lost it
(flushed, restarted) cannot give an old number back. Polygons are also built again after
``MAX_AGE_SECONDS``, as the public pages are, in case a change could not reach the cache.
"""

import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError
from shapely.geometry import Point, shape

from core import worker_copy
from wards.models import Ward

logger = logging.getLogger(__name__)

VERSION_KEY = "boundary-version"
# Every worker hears a new version the moment it is set, and locate reads it without a round trip.
worker_copy.watch(VERSION_KEY)
MAX_AGE_SECONDS = 600
_CACHE_ERRORS = (RedisError, ConnectionError, OSError)


def _new_version() -> int:
    # An int: the Redis cache stores it as a plain number, readable by a raw GET.
    return secrets.randbits(62)


def _set_new_version() -> None:
    try:
        new = _new_version()
        if worker_copy.tell_set(VERSION_KEY, new) is None:
            cache.set(VERSION_KEY, new, timeout=None)
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: boundary version not changed")


def boundary_version_bump() -> None:
    """Make every worker's kept polygons stale (call after any change to ward boundaries).

    Now, and again once the transaction commits: a worker that read the new version before
    the commit may have built from the old rows, and the second change makes it build again.
    """
    _set_new_version()
    transaction.on_commit(_set_new_version)


def boundary_version(read: Any) -> Any:
    """The current version, given what was read from the cache (None: missing, so one is set).

    None when the cache cannot be reached: nothing kept can then be trusted.
    """
    if read is not None:
        return read
    try:
        new = _new_version()
        held = worker_copy.tell_set(VERSION_KEY, new, only_if_missing=True)
        if held is None:
            cache.add(VERSION_KEY, new, timeout=None)
            held = cache.get(VERSION_KEY)
        return held
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: ward boundaries read from the database")
        return None


@dataclass(frozen=True)
class WardIndex:
    """The active generation's wards by code order, their prepared polygons and a tree of their boxes."""

    key: tuple
    built_at: float
    codes: tuple[str, ...]
    polygons: np.ndarray
    tree: shapely.STRtree

    def ward_at(self, lat: float, lng: float) -> str | None:
        """The code of the ward holding the point; on an edge two wards share, the lower code."""
        point = Point(lng, lat)
        candidates = self.tree.query(point)
        if not len(candidates):
            return None
        hits = candidates[shapely.intersects(self.polygons[candidates], point)]
        # Codes are in order, so the lowest index is the lowest code.
        return self.codes[hits.min()] if len(hits) else None


def build_index(key: tuple) -> WardIndex:
    """The index of the active generation's wards, from one query."""
    rows = Ward.objects.active().order_by("code").values_list("code", "boundary")
    codes, polygons = [], []
    for code, boundary in rows:
        codes.append(code)
        polygons.append(shape(boundary))
    array = np.empty(len(polygons), dtype=object)
    array[:] = polygons
    shapely.prepare(array)
    return WardIndex(key, time.monotonic(), tuple(codes), array, shapely.STRtree(array))


_held: WardIndex | None = None
_lock = threading.Lock()


def _fresh(index: WardIndex | None, key: tuple) -> bool:
    return index is not None and index.key == key and time.monotonic() - index.built_at < MAX_AGE_SECONDS


def ward_index(version: Any) -> WardIndex:
    """This worker's index for the boundary data of ``version``, built when it has none of that version."""
    global _held
    key = (version, settings.PACT_WARD_GENERATION)
    held = _held
    if _fresh(held, key):
        return held
    with _lock:
        if not _fresh(_held, key):
            _held = build_index(key)
        return _held


def ward_at_point(lat: float, lng: float, *, version: Any) -> str | None:
    """The code of the active ward holding the point, from the polygons kept for ``version``."""
    return ward_index(version).ward_at(lat, lng)
