"""Celery tasks for reminders: thin wrappers around `reports.reminders` (ids in, no objects)."""

from __future__ import annotations

from celery import shared_task

from reports import reminders


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=50, time_limit=60)
def sweep_reminders() -> int:
    """Beat, every minute: hand the due reminders to the workers."""
    return len(reminders.sweep_due_reminders())


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # Well under the claim's lease (reminders.DEFAULT_LEASE_SECONDS), so a live send keeps it.
    soft_time_limit=100,
    time_limit=120,
    max_retries=None,
)
def send_reminder(self, reminder_id: int) -> str:
    """Send one reminder; a redelivered or duplicate message finds it claimed or sent."""
    outcome = reminders.reminder_send(reminder_id=reminder_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=240, time_limit=300)
def replan_reminders() -> int:
    """Beat, hourly: bring the open deadlines' pending reminders in line with who owes them now
    (a campaign's participants may change after its deadlines were set)."""
    return reminders.reminders_replan_open()
