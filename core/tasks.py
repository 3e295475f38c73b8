from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "core:beat-heartbeat"


@shared_task(ignore_result=True, soft_time_limit=10, time_limit=20)
def heartbeat() -> None:
    """Beat → worker round trip; /healthz shows when it last completed."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=60 * 60)


# Long enough for a few hundred thousand rows; a job with no progress shows as failed sooner.
@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def run_export(job_id: int) -> None:
    """Write a background list export (core.exports); a redelivered message starts it again."""
    from core.exports import export_job_run

    export_job_run(job_id=job_id)


@shared_task(ignore_result=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def delete_old_exports() -> None:
    """Beat: remove export jobs and files older than THIDUA_EXPORT_KEEP_DAYS."""
    from core.exports import export_jobs_delete_old

    export_jobs_delete_old()
