"""Real Celery workers for integration tests, and this process's Celery app on another broker."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from kombu import pools


def _forget_connections() -> None:
    from config.celery import app

    # Connections and producers are pooled per broker URL, partly in kombu's global registry:
    # closing only the app's pool leaves a producer pool that raises "Acquire on closed pool".
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str, *, eager: bool | None = None) -> Iterator[None]:
    """Use the broker at `url` (and, when given, set eager mode) until the block ends."""
    from config.celery import app

    working, was_eager = app.conf.broker_url, app.conf.task_always_eager
    _forget_connections()
    app.conf.broker_url = url
    if eager is not None:
        app.conf.task_always_eager = eager
    try:
        yield
    finally:
        app.conf.broker_url = working
        app.conf.task_always_eager = was_eager
        _forget_connections()


def worker_database_url() -> str:
    """This test's database, as a URL for a worker process."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


class CeleryWorkers:
    """Real Celery worker processes consuming a queue of this test only, on this test's database."""

    def __init__(self, redis_url: str, *, name: str, **env: str) -> None:
        from django.conf import settings

        self.queue = f"test-{name}-{uuid.uuid4().hex[:8]}"
        self.cwd = settings.BASE_DIR
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "DJANGO_LOG_LEVEL": "WARNING",
            **env,
        }
        self.processes: list[subprocess.Popen] = []

    def start(self, **env: str) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                sys.executable,
                *("-m", "celery", "-A", "config", "worker", "-Q", self.queue),
                *("-n", f"{self.queue}-{len(self.processes)}@%h", "--pool", "solo"),
                *("--without-mingle", "--without-gossip", "-l", "WARNING"),
            ],
            cwd=self.cwd,
            env={**self.env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def serve(self, task: Any, monkeypatch: Any) -> None:
        """Send `task` to these workers' queue (this test's only) instead of the default one."""
        monkeypatch.setattr(task, "queue", self.queue, raising=False)
        monkeypatch.setattr(task, "_exec_options", None, raising=False)

    def stop(self) -> None:
        # The tests wait until the work is done; a warm shutdown would only add seconds.
        for process in self.processes:
            if process.poll() is None:
                process.kill()
        for process in self.processes:
            process.wait(timeout=10)


def wait_until(condition: Callable[[], Any], what: str, timeout: float = 20) -> None:
    """Poll a real external process's effect (the only place these tests sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
