"""A real Celery worker on real Redis runs the project's tasks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache

from core.tasks import HEARTBEAT_CACHE_KEY, heartbeat

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    if not url:
        pytest.skip("REDIS_URL is not set: the integration tests need a real Redis")
    return url


@pytest.fixture
def worker(redis_url):
    """A worker process consuming a queue of its own, so parallel test runs never share work."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url}
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "-l",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_heartbeat_round_trip_through_a_real_worker(worker, redis_url, settings):
    """A task sent to Redis is executed by the worker, which writes the heartbeat to the Redis cache."""
    from config.celery import app

    cache = RedisCache(redis_url, {"KEY_PREFIX": "thidua"})
    cache.delete(HEARTBEAT_CACHE_KEY)
    app.conf.broker_url = redis_url
    try:
        heartbeat.apply_async(queue=worker)
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    deadline = time.monotonic() + 60
    value = None
    while time.monotonic() < deadline and value is None:
        value = cache.get(HEARTBEAT_CACHE_KEY)
        if value is None:
            time.sleep(0.2)
    assert value is not None, "the worker did not run the task within 60 seconds"
