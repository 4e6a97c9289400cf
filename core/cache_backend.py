"""Django's Redis cache, keeping one Redis client per connection pool.

Django's backend builds a new ``redis.Redis`` for every cache call, and redis-py fills a
table of some 170 response callbacks each time: about a quarter of a millisecond per call,
more than the round trip itself. A client is thread-safe and holds no connection of its
own (the pool does), so one per pool serves every call.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class PactRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
