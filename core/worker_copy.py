"""What each web worker keeps of the public cache in its own memory, and how it hears of changes.

A kept public answer (a page, a police.uk method's JSON) cost one round trip to Redis per
request, to learn the public version and fetch the answer: on loopback about a third of a
request that does nothing. So each worker also keeps the answers it served lately
(``PACT_WORKER_COPY_BYTES`` in all, the least recently used leaving first) and learns every
change of the watched versions (the public version, the boundary version) the moment it is
made: whatever changes one does so in a Redis script that also publishes the new value on a
channel every worker subscribes to (``tell``), so the order of messages is the order of
changes. A worker answers from its copy only while its subscription is live and the copy was
kept under the version it last heard; otherwise it asks Redis as before. A worker's own change
is known to it at once, without waiting for its message.

What can still be stale, and for how long: an answer in the instant between a change and its
message reaching a worker (as if the request had come a moment sooner); a change made while
Redis was unreachable was never kept anywhere (as before). A worker re-reads the versions
every ``CHECK_SECONDS`` (a lost connection, a flushed Redis), forgets its copy whenever it
could not hear, and keeps each answer at most ``COPY_SECONDS`` before asking Redis again, so
answers that change with the clock are never older than the cache's own limit and that.

Only with the Redis cache: the local-memory cache of the embedded mode is the process's own.
"""

import hashlib
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis.exceptions import NoScriptError

logger = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
COPY_SECONDS = 30.0
_ERRORS = (redis.RedisError, ConnectionError, OSError)

# Each script changes a version and publishes "<name> <value>" in one step, so no other
# change can come between a change and its message. Values travel as strings.
_INCR = b"""
local value
if redis.call('EXISTS', KEYS[1]) == 1 then value = string.format('%d', redis.call('INCR', KEYS[1]))
else value = ARGV[3]; redis.call('SET', KEYS[1], value) end
redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. value)
return value
"""
_SET = b"""
if ARGV[4] == 'nx' and redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('GET', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
return ARGV[3]
"""


def start_value() -> int:
    """A version to start from: random, so a cache that lost its versions (flushed, restarted)
    cannot give an old number back and make an old copy look current. Under 2**40, so
    that Redis's Lua (whose numbers are doubles) counts on from it exactly."""
    return secrets.randbits(40)


def _backend() -> RedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) and settings.PACT_WORKER_COPY_BYTES > 0 else None


def _identity(backend: RedisCache) -> tuple:
    return (tuple(backend._servers), backend.key_prefix, backend.version)  # type: ignore[attr-defined]


def _channel(backend: RedisCache) -> str:
    # Pub/sub is one namespace for a whole Redis server, whatever its databases: name the
    # database and the key prefix, so two sites on one server do not hear each other.
    return f"{backend.make_key('versions')}@{'|'.join(backend._servers)}"  # type: ignore[attr-defined]


def _run_script(backend: RedisCache, script: bytes, key: str, *args: Any) -> int:
    client = backend._cache.get_client(key, write=True)  # type: ignore[attr-defined]
    full = (1, backend.make_key(key), _channel(backend), key, *args)
    sha = _SHAS.setdefault(script, hashlib.sha1(script).hexdigest())  # noqa: S324 (Redis names scripts by SHA-1)
    try:
        return int(client.evalsha(sha, *full))
    except NoScriptError:
        return int(client.eval(script, *full))


_SHAS: dict[bytes, str] = {}


def tell_increment(name: str) -> int | None:
    """Add one to the version ``name`` (starting it at a random value when missing) and tell
    every worker; the new value, or None when the Redis cache is not in use."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    value = _run_script(backend, _INCR, name, start_value())
    _WATCH.heard(backend, name, value)
    return value


def tell_set(name: str, value: int, *, only_if_missing: bool = False) -> int | None:
    """Set the version ``name`` to ``value`` (or leave the one there, ``only_if_missing``) and
    tell every worker; the value now held, or None when the Redis cache is not in use."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    held = _run_script(backend, _SET, name, value, "nx" if only_if_missing else "")
    _WATCH.heard(backend, name, held)
    return held


class _Watch:
    """This process's subscription to the versions' channel, and the values it has heard."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = 0
        self._identity: tuple | None = None
        self._live = False
        self._values: dict[str, int] = {}
        self._generation = 0

    def known(self, name: str) -> int | None:
        """The version ``name`` as last heard, or None (not heard, or not listening now)."""
        # Asked on every request: no look-up of the cache in use (a changed one resets this).
        if not self._live or self._pid != os.getpid():
            return None
        return self._values.get(name)

    def reset(self) -> None:
        """Stop listening and forget (the cache in use changed): the next round trip listens anew."""
        with self._lock:
            self._generation += 1
            self._identity, self._live, self._values = None, False, {}

    def heard(self, backend: RedisCache, name: str, value: int) -> None:
        with self._lock:
            if self._live and self._identity == _identity(backend) and self._pid == os.getpid():
                self._values[name] = value

    def ensure(self) -> None:
        """Start listening, for the cache in use, unless already (call after Redis answered)."""
        backend = _backend()
        if backend is None:
            return
        identity = _identity(backend)
        if self._identity == identity and self._pid == os.getpid():
            return
        with self._lock:
            if self._identity == identity and self._pid == os.getpid():
                return
            self._generation += 1
            self._identity, self._pid, self._live, self._values = identity, os.getpid(), False, {}
            generation = self._generation
        COPY.forget()
        thread = threading.Thread(target=self._listen, args=(backend, generation), name="pact-versions", daemon=True)
        thread.start()

    def forget(self) -> None:
        """Forget the values heard (the cache was cleared): ask Redis until heard again."""
        with self._lock:
            self._values = {}

    def _current(self, generation: int) -> bool:
        return self._generation == generation and self._pid == os.getpid()

    def _listen(self, backend: RedisCache, generation: int) -> None:
        pause = 0.1
        while self._current(generation):
            try:
                self._subscribed(backend, generation)
            except _ERRORS as error:
                logger.info("public versions not heard (%s): kept answers come from Redis", error)
            except Exception:
                # Whatever went wrong, this worker must stop trusting what it heard, then try again.
                logger.exception("listening for public versions failed: kept answers come from Redis")
            with self._lock:
                if not self._current(generation):
                    return
                self._live = False
            COPY.forget()
            time.sleep(pause)
            pause = min(pause * 2, CHECK_SECONDS)

    def _subscribed(self, backend: RedisCache, generation: int) -> None:
        pool = backend._cache.get_client(write=False).connection_pool  # type: ignore[attr-defined]
        # A connection of its own with no read timeout: it waits for messages by design.
        kwargs = {**pool.connection_kwargs, "socket_timeout": None}
        client = redis.Redis(connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **kwargs))
        pubsub = client.pubsub()
        try:
            pubsub.subscribe(_channel(backend))
            if pubsub.get_message(timeout=CHECK_SECONDS) is None:
                raise ConnectionError("no answer to SUBSCRIBE")
            self._check(backend, generation)
            with self._lock:
                self._live = self._current(generation)
            checked = time.monotonic()
            while self._current(generation):
                message = pubsub.get_message(ignore_subscribe_messages=True, timeout=CHECK_SECONDS / 2)
                if message is not None and message["type"] == "message":
                    self._apply(message["data"], generation)
                if time.monotonic() - checked >= CHECK_SECONDS:
                    self._check(backend, generation)
                    checked = time.monotonic()
        finally:
            pubsub.close()
            client.close()

    def _apply(self, data: bytes, generation: int) -> None:
        name, _, value = data.decode().partition(" ")
        with self._lock:
            if self._current(generation):
                self._values[name] = int(value)

    def _check(self, backend: RedisCache, generation: int) -> None:
        # After the subscription, so no change between the read and the first message is lost.
        # With the cache's own timeout: a frozen Redis stops this listener hearing, at once.
        names = sorted({*self._values, *WATCHED})
        raws = backend._cache.get_client(write=False).mget([backend.make_key(name) for name in names])
        with self._lock:
            if self._current(generation):
                self._values = {name: int(raw) for name, raw in zip(names, raws, strict=True) if raw is not None}


# The versions every worker listens for (names of cache keys holding an int): the public
# version of core.cache, and those other modules add with ``watch``.
PUBLIC_VERSION = "public-version"
WATCHED: set[str] = {PUBLIC_VERSION}
_WATCH = _Watch()


def watch(name: str) -> None:
    """Listen for the version ``name`` too (modules that keep answers under it call this)."""
    WATCHED.add(name)


def known(name: str) -> int | None:
    """The current value of the watched version ``name``, without a round trip, or None: then
    ask Redis."""
    return _WATCH.known(name)


@receiver(setting_changed)
def _cache_changed(setting: str, **kwargs: Any) -> None:
    # Tests (override_settings) and nothing else change the cache of a running process.
    if setting in {"CACHES", "PACT_WORKER_COPY_BYTES"}:
        _WATCH.reset()
        forget()


def listen() -> None:
    """Start listening for the versions (call after a round trip to Redis succeeded)."""
    _WATCH.ensure()


class _Copy:
    """Kept answers by cache key, each with the public version it was kept under."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[int, Any, float, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: str, version: int) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            kept_version, value, until, _size = found
            if kept_version != version or time.monotonic() > until:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, version: int, value: Any) -> None:
        limit = settings.PACT_WORKER_COPY_BYTES
        size = _size(value)
        if size > limit // 8:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = (version, value, time.monotonic() + COPY_SECONDS, size)
            self._bytes += size
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        found = self._entries.pop(key, None)
        if found is not None:
            self._bytes -= found[3]


def _size(value: Any) -> int:
    if isinstance(value, bytes | str):
        return len(value) + 64
    if isinstance(value, tuple | list):
        return sum(_size(item) for item in value) + 64
    return 32 if value is None or isinstance(value, int | float) else 256


COPY = _Copy()


def copy_get(key: str) -> Any:
    """What Redis holds under ``key`` (a ``(public version, answer)`` pair), from this worker's
    copy when it holds it under the current public version; else None: ask Redis."""
    version = known(PUBLIC_VERSION)
    return None if version is None else COPY.get(key, version)


def copy_put(key: str, kept: Any) -> None:
    """Keep a copy of ``kept``, a ``(public version, answer)`` pair Redis holds under ``key``."""
    if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], int) and _backend() is not None:
        COPY.put(key, kept[0], kept)


def copies_of(reads: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The values Redis holds under ``reads``, all from this worker (the watched versions as
    heard, the rest from its copy), or None when any must be asked for."""
    values = []
    for read in reads:
        value = known(read) if read in WATCHED else copy_get(read)
        if value is None:
            return None
        values.append(value)
    return tuple(values)


def offer(reads: tuple[str, ...], values: tuple[Any, ...]) -> None:
    """Values just read from Redis under ``reads``: keep a copy of those current under the
    public version read with them, and listen for the versions."""
    listen()
    found = dict(zip(reads, values, strict=True))
    version = found.get(PUBLIC_VERSION)
    for read, value in found.items():
        if read not in WATCHED and isinstance(value, tuple) and len(value) == 2 and value[0] == version:
            copy_put(read, value)


class _Leases:
    """Places in the API's rate limit buckets this worker has taken and not yet spent, by client.

    Taking a few places at once (``core.abuse``) spares a round trip per request; each was
    taken from the shared bucket, so no client gets more than its limit across all workers.
    Places not spent within ``LEASE_SECONDS`` are dropped, so a client spread over several
    workers may be refused a few places early, never late.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def take(self, client: str) -> bool:
        with self._lock:
            places, until = self._held.get(client, (0, 0.0))
            if places <= 0 or time.monotonic() > until:
                self._held.pop(client, None)
                return False
            self._held[client] = (places - 1, until)
            return True

    def add(self, client: str, places: int) -> None:
        with self._lock:
            self._held[client] = (places, time.monotonic() + LEASE_SECONDS)
            self._held.move_to_end(client)
            while len(self._held) > LEASE_CLIENTS:
                self._held.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._held.clear()


LEASE_SECONDS = 1.0
LEASE_CLIENTS = 10_000
LEASES = _Leases()


def forget() -> None:
    """Forget every copy, lease and version heard (the cache was cleared)."""
    COPY.forget()
    LEASES.forget()
    _WATCH.forget()
