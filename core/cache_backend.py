"""Django's Redis cache, keeping one Redis client per connection pool, and resting a Redis that fails.

Django's backend builds a new ``redis.Redis`` for every cache call, and redis-py fills a
table of some 170 response callbacks each time: about a quarter of a millisecond per call,
more than the round trip itself. A client is thread-safe and holds no connection of its
own (the pool does), so one per pool serves every call.

The cache is a help, never a dependency. A Redis that is down refuses at once, but one that
hangs (frozen, swapping, behind a network dropping packets) would hold every page for the
socket timeout of each call (settings.CACHES, PACT_CACHE_TIMEOUT_SECONDS). So after a call
fails to connect or times out, every thread of the process leaves that Redis alone for
PACT_CACHE_RETRY_SECONDS: calls fail at once with ``CacheResting``, a redis ConnectionError
that callers already handle as "cache unreachable", and pages are built from the database.
"""

import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core import worker_copy

# Per process, shared by every thread's cache connection: when each Redis may be asked again.
_resting_until: dict[tuple, float] = {}
_lock = threading.Lock()


class CacheResting(RedisConnectionError):
    """Not asked: this Redis failed moments ago and is resting (PACT_CACHE_RETRY_SECONDS)."""


def _server(client: Redis) -> tuple:
    kwargs = client.connection_pool.connection_kwargs
    return (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"), kwargs.get("db"))


def _check_awake(server: tuple) -> None:
    if time.monotonic() < _resting_until.get(server, 0.0):
        raise CacheResting("Redis failed moments ago; not asked again yet")


def _rest(server: tuple) -> None:
    with _lock:
        _resting_until[server] = time.monotonic() + settings.PACT_CACHE_RETRY_SECONDS


class RestingRedis(Redis):
    """A Redis client that sends its server to rest when a command cannot reach it in time."""

    def execute_command(self, *args, **options):
        server = _server(self)
        _check_awake(server)
        try:
            return super().execute_command(*args, **options)
        except (RedisConnectionError, RedisTimeoutError):
            _rest(server)
            raise


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._client = RestingRedis
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        # Pipelines (set_many, delete_many) do not go through execute_command: stop them here.
        _check_awake(_server(client))
        return client


class PactRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def clear(self):
        # What this worker copied from the cache goes with it (core.worker_copy).
        worker_copy.forget()
        return super().clear()
