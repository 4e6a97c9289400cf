"""Caching of the public pages.

Public pages are read far more than they change. Two layers keep them cheap, both under a
version number that every change to public data bumps (so nothing is ever stale):

- ``public_page``: a whole response, for visitors with no session (nearly all residents).
  Kept only when rendering it used no CSRF token, so no visitor's token reaches another.
- ``public_fragment``: the costly middle of a page (queries, map, content), rendered
  without the request, for everyone else (signed-in staff, residents with a session).

One cache round trip fetches the version and the entry together. The cache is a help,
never a dependency: when it is unreachable (Redis down) pages are built from the database.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

VERSION_KEY = "public-version"
# Pages list what is "coming up", which changes with the clock and not only with the data:
# ten minutes bounds how long a finished meeting can stay listed.
SECONDS = 600
_CACHE_ERRORS = (RedisError, ConnectionError, OSError)
_UNREACHABLE = object()


def public_cache_bump() -> None:
    """Make every cached public page and fragment stale (call after any public change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: public version not bumped")


def _lookup(key: str) -> tuple[Any, Any]:
    """(current version, the entry kept under ``key`` if still of that version)."""
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: building public pages uncached")
        return _UNREACHABLE, None
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return version, entry[1]
    return version, None


def _keep(key: str, version: Any, value: Any) -> None:
    try:
        cache.set(key, (version, value), timeout=SECONDS)
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: %s not kept", key)


def public_fragment(name: str, key: str, build: Callable[[], Any]) -> Any:
    """The cached fragment ``name``/``key``, built (and kept) when missing or stale.

    ``build`` returning None (nothing to show, e.g. an unknown ward) is not kept.
    """
    cache_key = f"fragment:{name}:{key}"
    version, value = _lookup(cache_key)
    if value is None:
        value = build()
        if value is not None and version is not _UNREACHABLE:
            _keep(cache_key, version, value)
    return value


def _page_key(path: str) -> str:
    # A digest, not the path itself: an address may hold spaces, control characters or run to
    # thousands of characters, which cache backends refuse (memcached) or warn about (locmem).
    return f"page:{hashlib.sha256(path.encode()).hexdigest()}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page from the cache to visitors without a session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or request.GET or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        cache_key = _page_key(request.path)
        version, kept = _lookup(cache_key)
        if kept is not None:
            return HttpResponse(kept, content_type="text/html; charset=utf-8")
        response = view(request, *args, **kwargs)
        used_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if response.status_code == 200 and not used_csrf and not response.cookies and version is not _UNREACHABLE:
            _keep(cache_key, version, response.content)
        return response

    return wrapper
