"""A Celery worker killed (SIGKILL) in the middle of a background export, with a real Redis.

The export is asked for through the list view, as a user would. The first worker is killed as
soon as the job reports progress: it acknowledges nothing (acks_late), so the message stays in
Redis's unacknowledged set. Meanwhile the status page says the export stopped once the job has
made no progress for the limit. A second worker, started with a short visibility timeout (the
production one is an hour), takes the message back at start-up and writes the file from scratch.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.models import Gender, Person, PersonCategory
from core.models import ExportJob, ExportStatus
from core.tasks import run_export
from core.text import search_key
from tests import factories
from tests.brokers import CeleryWorkers, celery_broker, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = 10_000
WAIT = 60  # seconds: a worker's start-up plus the whole export on a busy machine


@pytest.fixture
def workers(transactional_db, redis_url, monkeypatch):
    pool = CeleryWorkers(redis_url, name="exports", DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    pool.serve(run_export, monkeypatch)
    with celery_broker(redis_url):
        yield pool
        pool.stop()


def make_people(count: int) -> None:
    units = [factories.UnitFactory() for _ in range(10)]
    Person.objects.bulk_create(
        (
            Person(
                full_name=(name := factories.vietnamese_name(n)),
                gender=Gender.MALE if n % 2 else Gender.FEMALE,
                birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=n % 12_000),
                position="Chuyên viên",
                unit=units[n % len(units)],
                category=PersonCategory.DIRECT_WORKER,
                search_text=search_key(name, ""),
            )
            for n in range(count)
        ),
        batch_size=5000,
    )


def test_an_export_interrupted_by_a_killed_worker_is_reported_then_completed(workers, login_as, settings):
    """SIGKILL mid-export: the page says the export stopped; a new worker redoes it in full."""
    settings.THIDUA_EXPORT_SYNC_MAX_ROWS = 1000
    settings.THIDUA_EXPORT_STALL_SECONDS = 60
    staff = factories.make_staff(username="chuyenvien")
    make_people(ROWS)
    client = login_as(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    first = workers.start()
    response = client.get(reverse("awards:person_list"), {"export": "xlsx", "sort": "full_name"})
    job = ExportJob.objects.get()
    assert urlsplit(response["Location"]).path == job.get_absolute_url()

    def progressing() -> bool:
        job.refresh_from_db()
        return job.rows_done > 0

    wait_until(progressing, "the first worker to report progress", timeout=WAIT)
    first.kill()  # SIGKILL: no clean-up, no acknowledgement
    first.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING
    assert 0 < job.rows_done < ROWS
    assert not job.file

    # Nobody is working on it: once the limit has passed, the page says so instead of polling.
    with time_machine.travel(job.progress_at + dt.timedelta(seconds=61)):
        page = client.get(job.get_absolute_url())
    assert "The export stopped; start it again." in page.text
    assert "every 2s" not in page.text

    # The message comes back when its visibility timeout has passed (an hour in production).
    workers.start(CELERY_VISIBILITY_TIMEOUT="1")

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in (ExportStatus.DONE, ExportStatus.FAILED)

    wait_until(finished, "the second worker to finish the export", timeout=WAIT)
    assert (job.status, job.attempts, job.rows_done, job.rows_total) == (ExportStatus.DONE, 2, ROWS, ROWS)
    assert job.finished_at <= timezone.now()

    page = client.get(job.get_absolute_url())
    assert f"The spreadsheet is ready: {ROWS} rows." in page.text
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download.status_code == 200
    path = settings.MEDIA_ROOT / job.file.name
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert len(rows) == ROWS + 1
    assert rows[0][0] == "Full name"
    listed = client.get(reverse("awards:person_list"), {"sort": "full_name"}).context["page_obj"]
    assert [row[0] for row in rows[1 : len(listed) + 1]] == [person.full_name for person in listed]
    # One file: the killed run never saved one, and the second run's is the job's.
    assert [p.name for p in (settings.MEDIA_ROOT / "exports" / str(job.pk)).iterdir()] == [
        job.file.name.rsplit("/", 1)[1]
    ]
