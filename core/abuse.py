"""Protection of the public forms against automated abuse, without a third-party service.

Every public form has Django's CSRF protection, a honeypot field (core.forms.HoneypotForm)
and rate limits: a generous one per client address, which a library, a venue's wifi or a
council office shares among many people, and a tighter one per person (their browser, and
the email address they give). Clients are counted by keyed hashes, so no address is
stored. The limits fail open: a Redis outage must not stop a resident from reporting
something, and the other defences still stand.
"""

import functools
import hashlib
import hmac
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from redis.exceptions import NoScriptError, RedisError

from core import worker_copy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    scope: str
    limit: int
    window_seconds: int

    @property
    def window_minutes(self) -> int:
        return max(1, round(self.window_seconds / 60))


def client_address(request: HttpRequest) -> str:
    """The client's address, as the outermost of our own proxies saw it, else the peer's.

    Behind PACT_TRUSTED_PROXY_COUNT proxies of our own (PACT_BEHIND_PROXY), each appends the
    address it was reached from to X-Forwarded-For, so the client is that many entries from
    the right. Whatever stands left of it was sent by the client and proves nothing: trusting
    it would let anyone dodge every per-address limit, or lock out an address of their choice.
    A header too short to have passed all our proxies, or malformed, is not trusted either.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not settings.PACT_BEHIND_PROXY:
        return peer
    hops = request.headers.get("x-forwarded-for", "").split(",")
    proxies = settings.PACT_TRUSTED_PROXY_COUNT
    if len(hops) < proxies:
        return peer
    return _address(hops[-proxies]) or peer


def _address(text: str) -> str:
    """``text`` as a normalised IP address ("" when it is none), without a port some proxies add."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def _counted_as(address: str) -> str:
    # One IPv6 connection is usually given a whole /64, so it is counted as one client, as
    # django-ratelimit does; an IPv4 address is one client (or many behind one NAT).
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def keyed_digest(text: str, *, length: int = 24) -> str:
    """A keyed hash of ``text`` (an address, a username): countable, but never the thing itself."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()[:length]


def _client_key(request: HttpRequest) -> str:
    return _address_key(client_address(request), settings.SECRET_KEY)


@functools.lru_cache(maxsize=4096)
def _address_key(address: str, secret: str) -> str:
    # Remembered: the read APIs ask for every request, and the same clients come back. The
    # secret is part of the key only so that a changed SECRET_KEY is never answered from here.
    return keyed_digest(_counted_as(address))


def client_key(request: HttpRequest) -> str:
    """The keyed hash that stands for this client's address wherever clients are counted."""
    return _client_key(request)


def rate_limit_exceeded(request: HttpRequest, rule: RateLimit) -> bool:
    """Count one attempt by this client under ``rule``; True once it is over the limit."""
    return _count(rule, _client_key(request)) > rule.limit


def _count(rule: RateLimit, key: str) -> int:
    """Count one attempt under ``key`` in the current window of ``rule``; 0 when it cannot be counted."""
    window = int(time.time() // rule.window_seconds)
    cache_key = f"ratelimit:{rule.scope}:{key}:{window}"
    try:
        if cache.add(cache_key, 1, timeout=rule.window_seconds + 5):
            return 1
        return cache.incr(cache_key)
    except (RedisError, ConnectionError, OSError, ValueError):
        logger.warning("rate limit for %s not counted: cache unreachable", rule.scope)
        return 0


# Refused for the address, which may be shared: it says so, and blames nobody.
ERROR_ADDRESS_LIMITED = _(
    "A lot of forms have been sent from your internet connection in the last hour. If you share it, "
    "at a library, a venue or an office for example, everyone using it counts. Try again later. "
    "To report something now, call 101, or 999 in an emergency."
)


@dataclass(frozen=True)
class FormLimit:
    """The limits of one public form, per ``window_seconds``.

    ``per_address`` is generous, as many people may share one address; ``per_person`` is
    tighter, counted per browser and per email address given. ``person_refusal`` says what
    the person did ("you have sent 5 concerns…"); an address refusal says what it is.
    """

    scope: str
    per_person: int
    per_address: int
    person_refusal: str
    window_seconds: int = 3600


def form_limit_refusal(request: HttpRequest, rule: FormLimit, *, email: str = "", person: str = "") -> str | None:
    """Count one complete submission of a public form; the refusal to show when it is over a limit.

    The person is their browser (its CSRF cookie, a random secret every accepted post must
    match), plus ``email`` when they gave one and ``person`` when the form already knows them
    (a private link). A client that keeps no cookie is counted by its address at the
    person's limit: it has nothing else to be told apart by. None: go ahead.
    """
    window = rule.window_seconds
    people = [_person_key(request)]
    if email.strip():
        people.append(keyed_digest("email:" + email.strip().casefold()))
    if person:
        people.append(keyed_digest("person:" + person))
    person_rule = RateLimit(scope=f"{rule.scope}:person", limit=rule.per_person, window_seconds=window)
    address_rule = RateLimit(scope=f"{rule.scope}:address", limit=rule.per_address, window_seconds=window)
    over_person = max(_count(person_rule, key) for key in people) > rule.per_person
    over_address = _count(address_rule, _client_key(request)) > rule.per_address
    if over_person:
        return str(rule.person_refusal)
    if over_address:
        return str(ERROR_ADDRESS_LIMITED)
    return None


def _person_key(request: HttpRequest) -> str:
    browser = request.META.get("CSRF_COOKIE")
    if browser:
        return keyed_digest("browser:" + browser)
    return _client_key(request)


# Staff sign-in: every POST of the sign-in and second-factor forms counts, before any
# password or code is checked. Failed attempts are also counted in the database for lockouts
# (core.sign_in), which hold when this limit cannot be counted.
SIGN_IN_RATE = RateLimit(scope="sign-in", limit=20, window_seconds=60)


# The read APIs are limited as data.police.uk limits its own: a leaky bucket per client that
# lets through ``rate`` requests a second on average and bursts of up to ``burst``. It is the
# generic cell rate algorithm: one number per client, the time at which its bucket will be
# empty ("theoretical arrival time"). In Redis the check and the update are one script, so
# concurrent requests on several web servers cannot both take the last place, and the clock
# is Redis's own, so the servers' clocks need not agree. The reads a request needs are in the
# same script: one round trip to Redis for all. It takes up to ARGV[3] places at once when there
# are that many (a lease: see core.worker_copy), none when the worker holds one already, and
# answers {wait, places taken, values read}.
_LEASE_AND_READ_SCRIPT = b"""
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local values = {}
if #KEYS > 1 then values = redis.call('MGET', unpack(KEYS, 2)) end
if ARGV[3] == '0' then return {'0', 0, values} end
local allowed_at = tat + interval - burst * interval
if now < allowed_at then return {tostring(allowed_at - now), 0, values} end
local places = math.max(1, math.min(tonumber(ARGV[3]), math.floor((now - allowed_at) / interval) + 1))
local emptied_at = tat + places * interval
redis.call('SET', KEYS[1], tostring(emptied_at), 'PX', math.ceil((emptied_at - now) * 1000) + 1000)
return {'0', places, values}
"""
_LEASE_AND_READ_SCRIPT_SHA = hashlib.sha1(_LEASE_AND_READ_SCRIPT).hexdigest()  # noqa: S324


def _lease_and_read_in_redis(
    backend: RedisCache, key: str, interval: float, burst: int, wanted: int, reads: tuple[str, ...]
) -> tuple[float, int, tuple[Any, ...]]:
    client = backend._cache.get_client(key, write=True)  # type: ignore[attr-defined]
    args = (1 + len(reads), key, *(backend.make_key(read) for read in reads), repr(interval), burst, wanted)
    try:
        answer, places, raws = client.evalsha(_LEASE_AND_READ_SCRIPT_SHA, *args)
    except NoScriptError:
        answer, places, raws = client.eval(_LEASE_AND_READ_SCRIPT, *args)
    loads = backend._cache._serializer.loads  # type: ignore[attr-defined]
    return float(answer), int(places), tuple(None if raw is None else loads(raw) for raw in raws)


def _lease(burst: int) -> int:
    # A tenth of the burst: a client spread over several workers loses at most a few places.
    return max(1, burst // 10)


def _bucket_wait_in_cache(key: str, interval: float, burst: int) -> float:
    # Any other cache (the local-memory one of the embedded mode) is one process's own, where
    # a read then a write is good enough.
    now = time.time()
    tat = max(cache.get(key, now), now)
    allowed_at = tat + interval - burst * interval
    if now < allowed_at:
        return allowed_at - now
    cache.set(key, tat + interval, timeout=math.ceil(tat + interval - now) + 1)
    return 0.0


# What ``api_rate_limit_wait_and_read`` reads when the cache cannot be reached.
UNREAD = object()


def api_rate_limit_wait_and_read(request: HttpRequest, *reads: str) -> tuple[int, tuple[Any, ...]]:
    """``api_rate_limit_wait`` and the cache's values under ``reads`` (None when missing), together.

    On Redis all are one script, one round trip, or none: when this worker holds a place this
    client leased and a current copy of every value (core.worker_copy). With the cache
    unreachable the request may go ahead (0) and every value is ``UNREAD``.
    """
    client = _client_key(request)
    # A place this worker leased and a current copy of every value: nothing to ask (only the
    # Redis cache leases places, and a change of cache forgets them).
    leased = worker_copy.LEASES.take(client)
    copied = worker_copy.copies_of(reads) if leased else None
    if copied is not None:
        return 0, copied
    backend = caches["default"]
    key = backend.make_key(f"bucket:api:{client}")
    interval = 1 / settings.PACT_API_RATE
    try:
        if isinstance(backend, RedisCache):
            burst = settings.PACT_API_BURST
            wanted = 0 if leased else _lease(burst)
            wait, places, values = _lease_and_read_in_redis(backend, key, interval, burst, wanted, reads)
            if places > 1:
                worker_copy.LEASES.add(client, places - 1)
            worker_copy.offer(reads, values)
        else:
            wait = _bucket_wait_in_cache(key, interval, settings.PACT_API_BURST)
            found = backend.get_many(list(reads))
            values = tuple(found.get(read) for read in reads)
    except (RedisError, ConnectionError, OSError, ValueError):
        logger.warning("API rate limit for api not counted: cache unreachable")
        return 0, tuple(UNREAD for _ in reads)
    return (math.ceil(wait) if wait > 0 else 0), values


def api_rate_limit_wait(request: HttpRequest) -> int:
    """Whole seconds this client must wait before its next API request (0: go ahead now).

    One bucket per client address across all the read APIs, PACT_API_RATE requests a second
    with bursts of PACT_API_BURST, as data.police.uk. A positive answer is the Retry-After of
    the HTTP 429 to send.
    """
    return api_rate_limit_wait_and_read(request)[0]
