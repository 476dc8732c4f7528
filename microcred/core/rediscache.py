"""Django's Redis cache, keeping its redis-py client instead of making one per operation.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` on every call; building
one fills its table of about 170 response callbacks, which costs more than the round trip
to a local Redis. A signed-in page reads the cache on every request (its session and its
person, `core.sessions`), so the client is built once per connection pool here. A
`redis.Redis` takes a connection from its pool for each command, so one client serves
every thread that shares the pool.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        base: Any = self  # Django's private attributes, untyped in the stubs
        pool = base._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = base._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
