"""The Redis cache reads an unreachable Redis as a miss (the outage test stops a real one)."""

from __future__ import annotations

import socket

from core.cache import ResilientRedisCache

OPTIONS = {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_redis_is_a_miss_and_writes_are_skipped(caplog):
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", OPTIONS)
    cache.set("k", "v")
    assert cache.get("k") is None
    assert cache.get("k", "default") == "default"
    assert cache.get("k", default="d") == "d"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", "v") is False
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    cache.delete_many(["a"])
    assert "Redis cache unavailable (get)" in caplog.text


def test_a_reachable_redis_caches(redis_url):
    cache = ResilientRedisCache(redis_url, {**OPTIONS, "KEY_PREFIX": "test-resilient"})
    cache.set("k", "v", 30)
    assert cache.get("k") == "v"
    assert cache.add("k", "other") is False
    assert cache.delete("k") is True
