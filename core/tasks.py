from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "core:beat-heartbeat"


@shared_task(ignore_result=True, soft_time_limit=10, time_limit=20)
def heartbeat() -> None:
    """Beat → worker round trip; /healthz shows when it last completed."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=60 * 60)
