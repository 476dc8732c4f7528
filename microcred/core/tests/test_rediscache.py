"""core.rediscache: Django's Redis cache, with one redis-py client per connection pool
instead of one built for every operation."""

from __future__ import annotations

import pytest

from microcred.core.rediscache import RedisCache
from microcred.core.tests.redis import require_redis


@pytest.fixture
def cache():
    made = RedisCache(require_redis(), {"KEY_PREFIX": "test-rediscache"})
    yield made
    made.clear()


def test_the_client_is_kept_between_operations_and_the_cache_works(cache):
    client = cache._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client("a", write=True) is client.get_client("b", write=True)
    cache.set("person", {"roles": ["assessor"]}, 30)
    assert cache.get("person") == {"roles": ["assessor"]}
    cache.set_many({"x": 1, "y": 2}, 30)
    assert cache.get_many(["x", "y", "z"]) == {"x": 1, "y": 2}
    cache.delete("x")
    assert cache.get("x") is None
