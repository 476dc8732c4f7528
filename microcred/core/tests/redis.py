"""The Redis the tests that need one use: its URL, and a check that it answers. Without it
those tests skip, unless MICROCRED_REQUIRE_REDIS is set (CI sets it), when they fail."""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("MICROCRED_TEST_REDIS_URL", "redis://localhost:6379/13")


def require_redis() -> str:
    """REDIS_URL once Redis answers there; a skip (or, when required, a failure) if not."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        if os.environ.get("MICROCRED_REQUIRE_REDIS"):
            pytest.fail(f"Redis is required at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL
