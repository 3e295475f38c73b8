"""Point this test process's Celery app at another broker for a while."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

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
