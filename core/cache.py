"""A Redis cache that a Redis outage turns into cache misses instead of server errors.

The cache only speeds things up: sessions live in the database behind it (`cached_db`), so when
Redis is stopped or unreachable a read is a miss and a write is skipped, with a warning in the
log. Without this, Django's `cached_db` session store re-raises the failed cache write of every
signed-in request, and a Redis outage would take the whole site down.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCache's method `name`, answering `fallback(*args)` when Redis cannot be reached."""
    parent = getattr(RedisCache, name)

    @functools.wraps(parent)
    def method(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return parent(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("Redis cache unavailable (%s): %s", name, error)
            return fallback(*args, **kwargs)

    return method


def _nothing(*args: Any, **kwargs: Any) -> None:
    return None


def _false(*args: Any, **kwargs: Any) -> bool:
    return False


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; an unreachable Redis reads as a miss and writes as a no-op."""

    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", lambda *args, **kwargs: {})
    has_key = _tolerant("has_key", _false)
    add = _tolerant("add", _false)
    set = _tolerant("set", _nothing)
    # What could not be stored, as set_many reports it.
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", _false)
    delete = _tolerant("delete", _false)
    delete_many = _tolerant("delete_many", _nothing)
    clear = _tolerant("clear", _false)
