"""The force, neighbourhood, boundary, people and locate methods of the police.uk-compatible API.

Every method answers GET and HEAD only (405 otherwise), sends
``Access-Control-Allow-Origin: *`` as data.police.uk does, counts against the client's
rate limit (HTTP 429 with Retry-After past it) and answers an unknown force, neighbourhood
or point with data.police.uk's own 404: ``Not Found`` as plain text. Answers are kept in
the public cache (core.cache), so a repeated request costs no query.
"""

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from core.abuse import UNREAD, api_rate_limit_wait, api_rate_limit_wait_and_read
from core.cache import VERSION_KEY, fragment_if_current, fragment_key, public_fragment
from wards import boundary_index
from wards.policeuk import selectors

METHODS = ("GET", "HEAD")
# "lat,lng" in decimal degrees, as data.police.uk's locate method takes it.
_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def not_found() -> HttpResponse:
    """data.police.uk's answer to an unknown force, neighbourhood or point."""
    return HttpResponse(b"Not Found", status=404, content_type="text/plain")


def too_many_requests(wait: int) -> HttpResponse:
    response = HttpResponse(b"Too Many Requests", status=429, content_type="text/plain")
    response["Retry-After"] = str(wait)
    return response


def json_response(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json")


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def cached_json(name: str, key: str, build: Callable[[], Any]) -> HttpResponse:
    """The JSON of ``build()`` from the public cache (built and kept when missing); 404 when None."""

    def encoded() -> bytes | None:
        data = build()
        return None if data is None else encode(data)

    body = public_fragment(*_kept_json(name, key), encoded)
    return not_found() if body is None else json_response(body)


def _kept_json(name: str, key: str) -> tuple[str, str]:
    # Neighbourhoods are the active generation's wards: a change of generation is a new key.
    return f"policeuk-{name}", f"{key}@{settings.PACT_WARD_GENERATION}"


def police_uk_method(
    view: Callable[..., HttpResponse] | None = None,
    *,
    read: str | None = None,
    kept: Callable[..., tuple[str, str] | None] | None = None,
) -> Any:
    """Wrap a police.uk-compatible method: rate limit, GET/HEAD only, CORS, HEAD without a body.

    With ``read``, the cache's value under that key is read in the rate limit's round trip
    and given to the view after the request (``UNREAD`` when the cache is unreachable). With
    ``kept(request, **kwargs)`` naming the method's kept JSON (see ``cached_json``), that JSON
    and the public version are read in the same round trip, and a current answer is sent
    without calling the view: one round trip to Redis for the whole request.
    """
    if view is None:
        return lambda view: police_uk_method(view, read=read, kept=kept)

    # Nothing here changes state and only GET and HEAD get through, so there is nothing for
    # a CSRF token to protect; without the exemption a POST would get 403 rather than 405.
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        named = kept(request, **kwargs) if kept is not None and request.method in METHODS else None
        reads = ([read] if read is not None else []) + ([VERSION_KEY, fragment_key(*named)] if named else [])
        if reads:
            wait, values = api_rate_limit_wait_and_read(request, *reads)
        else:
            wait, values = api_rate_limit_wait(request), ()
        extra = values[:1] if read is not None else ()
        body = fragment_if_current(*values[-2:]) if named and values[-1] is not UNREAD else None
        if wait:
            response = too_many_requests(wait)
        elif request.method not in METHODS:
            response = HttpResponseNotAllowed(METHODS)
        elif body is not None:
            response = json_response(body)
        else:
            response = view(request, *extra, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        if request.method == "HEAD":
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper


@police_uk_method
def forces(request: HttpRequest) -> HttpResponse:
    return json_response(encode(selectors.force_summaries()))


@police_uk_method
def force(request: HttpRequest, force_id: str) -> HttpResponse:
    if force_id != selectors.FORCE_ID:
        return not_found()
    return json_response(encode(selectors.force_detail()))


@police_uk_method
def neighbourhoods(request: HttpRequest) -> HttpResponse:
    return cached_json("neighbourhoods", "all", selectors.neighbourhood_summaries)


def ward_method(name: str, build: Callable[[str], Any]) -> Callable[..., HttpResponse]:
    """A method for one ward: 404 for an unknown code, else the cached JSON of ``build(code)`` (a
    malformed code matches no address: ``unknown`` answers it)."""

    def kept(request: HttpRequest, code: str) -> tuple[str, str] | None:
        # police.uk's ids are case-sensitive: the converter upper-cases, the address must not need it.
        return _kept_json(name, code) if code in request.path else None

    @police_uk_method(kept=kept)
    def view(request: HttpRequest, code: str) -> HttpResponse:
        if code not in request.path:
            return not_found()
        return cached_json(name, code, lambda: build(code))

    view.__name__ = view.__qualname__ = name
    return view


@police_uk_method
def unknown(request: HttpRequest) -> HttpResponse:
    return not_found()


neighbourhood = ward_method("neighbourhood", selectors.neighbourhood_detail)
boundary = ward_method("boundary", selectors.neighbourhood_boundary)
people = ward_method("people", selectors.neighbourhood_people)


def parse_point(text: str) -> tuple[float, float] | None:
    """``"51.27,0.52"`` → (51.27, 0.52); None unless two decimal degrees in range."""
    match = _POINT.match(text)
    if not match:
        return None
    lat, lng = float(match.group(1)), float(match.group(2))
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


@police_uk_method(read=boundary_index.VERSION_KEY)
def locate_neighbourhood(request: HttpRequest, boundary_version: Any) -> HttpResponse:
    """The force and neighbourhood for ``q=<lat>,<lng>``; 404 outside our wards or for a malformed q.

    Every point is a different key, so answers are not cached: the polygons are, in this
    worker's memory, under the boundary version read with the rate limit (wards.boundary_index).
    """
    point = parse_point(request.GET.get("q", ""))
    code = None
    if point:
        version = None if boundary_version is UNREAD else boundary_index.boundary_version(boundary_version)
        if version is None:
            code = selectors.neighbourhood_at_point(*point)
        else:
            code = boundary_index.ward_at_point(*point, version=version)
    if code is None:
        return not_found()
    return json_response(encode({"force": selectors.FORCE_ID, "neighbourhood": code}))
