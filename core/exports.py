"""Spreadsheet exports with openpyxl in write-only mode, so memory stays flat with row count.

Speed: openpyxl turns every appended value into a cell object and serialises it; plain values
reuse one cell per row, so only the values that need a style or a forced type (dates, text that
looks like a formula or an error code) get a cell of their own, styled by copying a prototype's
style instead of looking the number format up again. With lxml installed openpyxl serialises
through libxml2, about twice as fast as the standard library's writer.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from core.models import ExportJob, ExportStatus, User

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# openpyxl stores a string starting with "=" as a formula and an error code ("#N/A") as an
# error; Excel would run the first (formula injection). Both are written as text cells.
# Other risky prefixes (+ - @) are safe already: openpyxl writes them as inline text.
_FORMULA_PREFIX = "="
_ERROR_CODES = frozenset(ERROR_CODES)
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# How often (in rows) `on_progress` is told how far the writing has got.
PROGRESS_EVERY = 2000


class _Cells:
    """Turns Python values into what `sheet.append` takes, with as few cell objects as possible."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.date = WriteOnlyCell(sheet)
        self.date.number_format = DATE_FORMAT
        self.datetime = WriteOnlyCell(sheet)
        self.datetime.number_format = DATETIME_FORMAT

    def _styled(self, prototype: Any, value: Any) -> Any:
        cell = WriteOnlyCell(self.sheet)
        # Copying the style array skips openpyxl's per-cell lookup of the number format.
        cell._style = copy.copy(prototype._style)
        cell.value = value
        return cell

    def _text(self, value: str) -> Any:
        cell = WriteOnlyCell(self.sheet, value)
        cell.data_type = "s"  # shown as typed, never run as a formula
        return cell

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            if ILLEGAL_CHARACTERS_RE.search(value):
                # Control characters (pasted from elsewhere) make an invalid file; drop them.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith(_FORMULA_PREFIX) or value in _ERROR_CODES:
                return self._text(value)
            return value
        if value is None or kind is int or kind is float or kind is bool:
            return value
        if kind is dt.datetime:
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            return self._styled(self.datetime, value)
        if kind is dt.date:
            return self._styled(self.date, value)
        if isinstance(value, (int, float)) and not isinstance(value, Decimal):
            return value
        # Anything else (lazy translations, Decimal, model instances) as its text, as before.
        return self.value(str(value))


def write_xlsx(
    target: Any,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write one sheet to a path or file object; returns the number of data rows.

    `on_progress(rows_written)` is called every PROGRESS_EVERY rows, for long exports that
    report how far they have got.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Data")[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    cells = _Cells(sheet)
    convert = cells.value
    append = sheet.append
    count = 0
    for row in rows:
        append([convert(value) for value in row])
        count += 1
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    workbook.save(target)
    return count


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """A download of the rows; spooled to a temporary file, never held whole in memory."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, title=title, headers=headers, rows=rows)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=stamped_filename(filename),
        content_type=XLSX_CONTENT_TYPE,
    )


def stamped_filename(name: str, *, at: dt.datetime | None = None) -> str:
    """`name-YYYYmmdd-HHMM.xlsx` in local time (now, or `at`), as downloads are named."""
    return f"{name}-{timezone.localtime(at).strftime('%Y%m%d-%H%M')}.xlsx"


# --- Background exports ----------------------------------------------------------------------
# A list whose export has more rows than THIDUA_EXPORT_SYNC_MAX_ROWS is written by a worker:
# the request records an ExportJob and the worker opens the same list view, as the same user,
# with the request attribute below set; render_list (core/listing.py) then writes the rows into
# the job instead of answering with a file.
EXPORT_JOB_ATTRIBUTE = "export_job"


class ExportSuperseded(Exception):
    """This run no longer owns the job (a redelivered message started it again, or it was deleted)."""


def export_job_start(
    *, user: User, path: str, query: str, title: str, filename: str, total: int
) -> ExportJob:
    """Record a background export and hand it to a worker once the row is committed.

    The same export asked for again while one is still under way (a double click) reuses it.
    """
    from core.tasks import run_export

    params = QueryDict(query, mutable=True)
    params.pop("page", None)
    params["export"] = "xlsx"
    query = params.urlencode()
    with transaction.atomic():
        running = (
            ExportJob.objects.filter(
                user=user, path=path, query=query, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
            )
            .order_by("-created_at")
            .first()
        )
        if running is not None and not export_job_stalled(running):
            return running
        job = ExportJob.objects.create(
            user=user,
            path=path,
            query=query,
            title=title[:200],
            filename=filename[:150],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            rows_total=total,
            progress_at=timezone.now(),
        )
        run_export.delay_on_commit(job.pk)
    return job


def export_job_stalled(job: ExportJob, *, now: dt.datetime | None = None) -> bool:
    """Queued or running with no progress for longer than THIDUA_EXPORT_STALL_SECONDS.

    A worker killed mid-export leaves its job "running"; its message comes back only after the
    broker's visibility timeout, so the page says the export stopped instead of waiting.
    """
    if job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return False
    last = job.progress_at or job.created_at
    limit = dt.timedelta(seconds=settings.THIDUA_EXPORT_STALL_SECONDS)
    return last < (now or timezone.now()) - limit


def export_job_run(*, job_id: int) -> None:
    """Write the job's spreadsheet from scratch; safe to run again for the same job.

    Each run claims the job with a new token: a run that finds it done or failed does nothing,
    and an earlier run that is somehow still going stops at its next progress write.
    """
    token = uuid.uuid4().hex
    claimed = ExportJob.objects.filter(
        pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    ).update(
        status=ExportStatus.RUNNING,
        run_token=token,
        attempts=F("attempts") + 1,
        rows_done=0,
        error="",
        progress_at=timezone.now(),
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language):
        try:
            _open_list_as_owner(job)
        except ExportSuperseded:
            return
        except SoftTimeLimitExceeded:
            _fail(job, _("The export took too long. Narrow the list with its filters and export again."))
            return
        except (PermissionDenied, Http404, Resolver404):
            _fail(job, _("You can no longer see this list, so it cannot be exported."))
            return
        except Exception:
            logger.exception("export job %s failed", job.pk)
            _fail(job, _("The export failed because of an error. Start it again from the list."))
            return
        if not ExportJob.objects.filter(pk=job.pk, run_token=token, status=ExportStatus.DONE).exists():
            _fail(job, _("This list can no longer be exported. Open the list and export it again."))


def _open_list_as_owner(job: ExportJob) -> None:
    """Call the list view for the job's user, as a request to the list would."""
    # The request machinery of django.test, loaded only in the worker that needs it.
    from django.test import RequestFactory

    user = job.user
    if not user.is_active:
        raise PermissionDenied
    match = resolve(job.path)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    request = RequestFactory(SERVER_NAME=host).get(job.path, QueryDict(job.query))
    request.user = user
    request.htmx = HtmxDetails(request)
    request.LANGUAGE_CODE = job.language
    setattr(request, EXPORT_JOB_ATTRIBUTE, job)
    match.func(request, *match.args, **match.kwargs)


def export_job_for(request: HttpRequest) -> ExportJob | None:
    """The background export a worker is running through this request, if any."""
    return getattr(request, EXPORT_JOB_ATTRIBUTE, None)


def export_job_write(
    *, job: ExportJob, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], total: int
) -> None:
    """Write the rows to the job's file, reporting progress; the last step marks it done."""

    def owned() -> Any:
        return ExportJob.objects.filter(pk=job.pk, run_token=job.run_token, status=ExportStatus.RUNNING)

    if not owned().update(rows_total=total, progress_at=timezone.now()):
        raise ExportSuperseded

    def on_progress(done: int) -> None:
        if not owned().update(rows_done=done, progress_at=timezone.now()):
            raise ExportSuperseded

    with tempfile.TemporaryFile() as handle:
        count = write_xlsx(handle, title=title, headers=headers, rows=rows, on_progress=on_progress)
        handle.seek(0)
        # A run that died after saving left a file behind: replace it, never keep two.
        previous = job.file.name
        name = job.file.field.generate_filename(job, f"{job.pk}/{stamped_filename(job.filename)}")
        saved = job.file.storage.save(name, File(handle))
    if previous and previous != saved:
        job.file.storage.delete(previous)
    finished = owned().update(
        status=ExportStatus.DONE,
        file=saved,
        rows_done=count,
        rows_total=count,
        progress_at=timezone.now(),
        finished_at=timezone.now(),
    )
    if not finished:
        job.file.storage.delete(saved)
        raise ExportSuperseded


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk, run_token=job.run_token).update(
        status=ExportStatus.FAILED, error=message, finished_at=timezone.now()
    )


def export_jobs_delete_old(*, now: dt.datetime | None = None) -> int:
    """Delete jobs (and their files) older than THIDUA_EXPORT_KEEP_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.THIDUA_EXPORT_KEEP_DAYS)
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).only("pk", "file").iterator():
        if job.file:
            job.file.storage.delete(job.file.name)
        job.delete()
        deleted += 1
    return deleted


def status_context(job: ExportJob) -> dict[str, Any]:
    """What the progress page shows: the job, whether it stalled, and its progress in percent."""
    stalled = export_job_stalled(job)
    done = job.status == ExportStatus.DONE
    failed = job.status == ExportStatus.FAILED or stalled
    list_query = QueryDict(job.query, mutable=True)
    list_query.pop("export", None)
    return {
        "job": job,
        "done": done,
        "failed": failed,
        "working": not done and not failed,
        "error": _("The export stopped; start it again.") if stalled else job.error,
        "percent": min(100, job.rows_done * 100 // job.rows_total) if job.rows_total else 0,
        "list_url": f"{job.path}?{list_query.urlencode()}" if list_query else job.path,
        "again_url": f"{job.path}?{job.query}",
    }
