"""A real Celery worker on real Redis runs the project's tasks."""

from __future__ import annotations

import pytest
from django.core.cache.backends.redis import RedisCache

from core.tasks import HEARTBEAT_CACHE_KEY, heartbeat
from tests.brokers import CeleryWorkers, celery_broker, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(redis_url, monkeypatch):
    """A worker process consuming a queue of its own, so parallel test runs never share work."""
    pool = CeleryWorkers(redis_url, name="heartbeat")
    pool.serve(heartbeat, monkeypatch)
    pool.start()
    with celery_broker(redis_url):
        yield pool
        pool.stop()


def test_heartbeat_round_trip_through_a_real_worker(worker, redis_url):
    """A task sent to Redis is executed by the worker, which writes the heartbeat to the Redis cache."""
    cache = RedisCache(redis_url, {"KEY_PREFIX": "thidua"})
    cache.delete(HEARTBEAT_CACHE_KEY)
    heartbeat.delay()
    wait_until(lambda: cache.get(HEARTBEAT_CACHE_KEY) is not None, "the worker to run the task", timeout=60)
