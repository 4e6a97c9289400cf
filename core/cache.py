"""Caching of the public pages.

Public pages are read far more than they change. Two layers keep them cheap, both under a
version number that every change to public data bumps (so nothing is ever stale):

- ``public_page``: a whole response (HTML, iCalendar or Atom) with its own headers, for
  visitors with no session (nearly all residents). Kept only when rendering it used no CSRF
  token, so no visitor's token reaches another. ``PublicPageMiddleware`` answers a kept page
  before the session, CSRF and authentication middleware run, and every kept page carries an
  ETag, so a repeat visitor's browser revalidates it and gets a bodiless 304. A gzipped copy
  is kept beside it for browsers that accept one, so compressing costs nothing per request.
- ``public_query_page``: the same for a page whose address has a query string (a search),
  keyed by the whole address, kept only when the view marks its answer ``keepable`` (one the
  data bounds) and for a few addresses per answer; redirects are kept too.
- ``public_fragment``: the costly middle of a page (queries, map, content), rendered
  without the request, for everyone else (signed-in staff, residents with a session).

Kept pages and fragments name static files by their hashed names, so their keys carry the
static files' manifest hash: after a deploy with new static files no page names a file that
is gone. One cache round trip fetches the version and the entry together. The cache is a help,
never a dependency: when it is unreachable (Redis down) pages are built from the database.
"""

import gzip
import hashlib
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from redis.exceptions import RedisError

from core import worker_copy

logger = logging.getLogger(__name__)

VERSION_KEY = worker_copy.PUBLIC_VERSION
# Pages list what is "coming up", which changes with the clock and not only with the data:
# ten minutes bounds how long a finished meeting can stay listed.
SECONDS = 600
_CACHE_ERRORS = (RedisError, ConnectionError, OSError)
_UNREACHABLE = object()


def public_cache_bump() -> None:
    """Make every cached public page and fragment stale (call after any public change)."""
    try:
        if worker_copy.tell_increment(VERSION_KEY) is None:
            cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, worker_copy.start_value(), timeout=None)
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: public version not bumped")


def _lookup(key: str) -> tuple[Any, Any]:
    """(current version, the entry kept under ``key`` if still of that version): from this
    worker's copy when it has it (core.worker_copy), else in one round trip to the cache."""
    copied = worker_copy.copy_get(key)
    if copied is not None:
        return copied
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = _start_version()
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: building public pages uncached")
        return _UNREACHABLE, None
    worker_copy.listen()
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        worker_copy.copy_put(key, entry)
        return version, entry[1]
    return version, None


def _start_version() -> Any:
    start = worker_copy.start_value()
    held = worker_copy.tell_set(VERSION_KEY, start, only_if_missing=True)
    return cache.get_or_set(VERSION_KEY, start, timeout=None) if held is None else held


def _keep(key: str, version: Any, value: Any) -> None:
    try:
        cache.set(key, (version, value), timeout=SECONDS)
    except _CACHE_ERRORS:
        logger.warning("cache unreachable: %s not kept", key)
        return
    worker_copy.copy_put(key, (version, value))


def static_build() -> str:
    """The hash of the static files' manifest (empty without manifest storage, as in development)."""
    return getattr(staticfiles_storage, "manifest_hash", "") or ""


def fragment_key(name: str, key: str) -> str:
    """The cache key of the fragment ``name``/``key`` (to read it with other things at once)."""
    return f"fragment:{static_build()}:{name}:{key}"


def fragment_if_current(version: Any, entry: Any) -> Any:
    """The fragment in ``entry`` (read under ``fragment_key``) if kept under ``version`` (read
    under ``VERSION_KEY`` in the same round trip), else None."""
    if version is None or not isinstance(entry, tuple) or len(entry) != 2:
        return None
    return entry[1] if entry[0] == version else None


def public_fragment(name: str, key: str, build: Callable[[], Any]) -> Any:
    """The cached fragment ``name``/``key``, built (and kept) when missing or stale.

    ``build`` returning None (nothing to show, e.g. an unknown ward) is not kept.
    """
    cache_key = fragment_key(name, key)
    version, value = _lookup(cache_key)
    if value is None:
        value = build()
        if value is not None and version is not _UNREACHABLE:
            _keep(cache_key, version, value)
    return value


def _page_key(path: str) -> str:
    # A digest, not the path itself: an address may hold spaces, control characters or run to
    # thousands of characters, which cache backends refuse (memcached) or warn about (locmem).
    return f"page:{static_build()}:{hashlib.sha256(path.encode()).hexdigest()}"


# The view's own headers that travel with a kept page (those of the middleware are added again
# on the way out; cookies are never kept).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Cache-Control", "Location")


def _may_use_page_cache(request: HttpRequest) -> bool:
    return request.method == "GET" and not request.GET and settings.SESSION_COOKIE_NAME not in request.COOKIES


# A page smaller than this gains nothing from compression (as Django's GZipMiddleware).
_GZIP_FROM_BYTES = 200
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")

# (body, gzipped body, ETag, headers), then the status when it is not 200 (a redirect).
Entry = tuple


def _kept_response(request: HttpRequest, kept: Entry) -> HttpResponse:
    body, gzipped, etag, headers, *status = kept
    if status:
        # A kept redirect: no body worth an ETag or compressing.
        response = HttpResponse(body, status=status[0])
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        patch_vary_headers(response, ("Cookie",))
        return response
    if gzipped is not None and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        body, etag = gzipped, f'{etag[:-1]}-gzip"'
    conditional = get_conditional_response(request, etag=etag)
    response = conditional if conditional is not None else HttpResponse(body)
    for name, value in headers:
        response[name] = value
    if conditional is None:
        response["Content-Length"] = str(len(body))
        if body is gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    # What a shared cache on the way may keep for everyone is the page of a visitor with no
    # session, so it must ask again for one who has a session (and for the other encoding).
    patch_vary_headers(response, ("Cookie", "Accept-Encoding") if gzipped is not None else ("Cookie",))
    return response


def _page_entry(response: HttpResponse) -> Entry:
    body = response.content
    if response.status_code != 200:
        headers = tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name))
        return body, None, "", headers, response.status_code
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= _GZIP_FROM_BYTES else None
    etag = f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'
    headers = tuple((name, response[name]) for name in _KEPT_HEADERS if response.has_header(name))
    return body, gzipped, etag, headers


_MISSED = "_public_page_missed"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page from the cache to visitors without a session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _may_use_page_cache(request):
            return view(request, *args, **kwargs)
        cache_key = _page_key(request.path)
        # PublicPageMiddleware has looked already: do not ask the cache twice.
        version, kept = getattr(request, _MISSED, None) or _lookup(cache_key)
        if kept is not None:
            _PAGE_PATHS.add(request.path)
            return _kept_response(request, kept)
        response = view(request, *args, **kwargs)
        used_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        if (
            response.status_code == 200
            and not getattr(response, "streaming", False)
            and not used_csrf
            and not response.cookies
            and version is not _UNREACHABLE
        ):
            entry = _page_entry(response)
            _keep(cache_key, version, entry)
            # From now on PublicPageMiddleware looks for this path's kept page itself.
            _PAGE_PATHS.add(request.path)
            return _kept_response(request, entry)
        return response

    return wrapper


# The paths this process has kept or found a page for: the only ones PublicPageMiddleware
# asks the cache about, so an API call, a staff page or a 404 costs no extra round trip. As
# many as the public pages that exist (only a kept 200 adds one).
_PAGE_PATHS: set[str] = set()
_KEEPABLE = "_public_page_keepable"
# How many addresses may keep a page of one answer (a search typed in upper or lower case…).
QUERY_PAGE_VARIANTS = 4


def keepable(response: HttpResponse, answer: str) -> HttpResponse:
    """Mark a response of a ``public_query_page`` view as one the cache may keep.

    ``answer`` names what the page answers, from a set the data bounds (a place's name, say,
    never raw text): only ``QUERY_PAGE_VARIANTS`` addresses keep a page of one answer, so
    endless ways of typing the same search cannot fill the cache.
    """
    setattr(response, _KEEPABLE, answer)
    return response


def _variant_allowed(answer: str) -> bool:
    key = f"query-variants:{hashlib.sha256(answer.encode()).hexdigest()}"
    try:
        cache.add(key, 0, timeout=SECONDS)
        return cache.incr(key) <= QUERY_PAGE_VARIANTS
    except (*_CACHE_ERRORS, ValueError):
        return False


# The paths of the public_query_page views this process has served (a search page's one
# path, say): only these are looked up with their query string before the session is read.
_QUERY_PAGE_PATHS: set[str] = set()


def _may_use_query_page_cache(request: HttpRequest) -> bool:
    return request.method == "GET" and bool(request.GET) and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _query_page_key(request: HttpRequest) -> str:
    # Apart from the pages kept by path: a path may hold an encoded "?" too.
    return f"query-{_page_key(request.get_full_path())}"


def public_query_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public GET page whose address has a query string (a search) from the cache to
    visitors without a session, keyed by the whole address as sent.

    What a visitor types is endless, and each answer kept costs memory: only responses the
    view marks ``keepable`` (answers the data bounds, such as places or wards found) are kept,
    and only a few addresses for each.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _may_use_query_page_cache(request):
            return view(request, *args, **kwargs)
        # From now on PublicPageMiddleware looks for this path's kept pages itself.
        _QUERY_PAGE_PATHS.add(request.path)
        cache_key = _query_page_key(request)
        # PublicPageMiddleware has looked already: do not ask the cache twice.
        version, kept = getattr(request, _MISSED, None) or _lookup(cache_key)
        if kept is not None:
            return _kept_response(request, kept)
        response = view(request, *args, **kwargs)
        answer = getattr(response, _KEEPABLE, None)
        if (
            answer is not None
            and response.status_code in (200, 302)
            and not getattr(response, "streaming", False)
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.cookies
            and version is not _UNREACHABLE
            and _variant_allowed(answer)
        ):
            entry = _page_entry(response)
            _keep(cache_key, version, entry)
            return _kept_response(request, entry)
        return response

    return wrapper


class PublicPageMiddleware:
    """Answer a kept public page before the middleware that needs a session.

    Sits after the security headers (which every response needs) and before the session,
    CSRF, authentication and message middleware, which a visitor with no session and a page
    that used no CSRF token have no use for. It asks only about paths a ``public_page`` or
    ``public_query_page`` view of this process has kept or found, so everything else falls
    through to the view without a round trip.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in _PAGE_PATHS and _may_use_page_cache(request):
            key = _page_key(request.path)
        elif request.path in _QUERY_PAGE_PATHS and _may_use_query_page_cache(request):
            key = _query_page_key(request)
        else:
            return self.get_response(request)
        version, kept = _lookup(key)
        if kept is not None:
            return _kept_response(request, kept)
        setattr(request, _MISSED, (version, None))
        return self.get_response(request)
