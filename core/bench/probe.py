"""In-process measurements of `make bench`, run in a subprocess pointed at one bench database.

Query counts come from Django's test client inside one process with CaptureQueriesContext:
every page is asked for once to warm the session cache and lazy imports, then once more with
the queries captured. Counting in-process needs no change to the served app (no counting
middleware in production code) and counts exactly what one request runs, middleware included.

The export's peak memory is the process's maximum resident set size (`ru_maxrss`) after the
whole spreadsheet has been written and read back from the response, next to the same figure
before the request.
"""

from __future__ import annotations

import resource
import tempfile
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.bench.pages import KeyPage, key_pages, people_export

SERVER_NAME = "127.0.0.1"


def _client(username: str | None) -> Client:
    client = Client(SERVER_NAME=SERVER_NAME)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _drain(response: HttpResponse) -> int:
    """Read the whole body, as a browser would; returns its size in bytes."""
    if response.streaming:
        # The test client closes the response once its content has been read.
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _get(client: Client, page: KeyPage) -> HttpResponse:
    response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code} as {page.user}")
    return response


def query_counts() -> list[dict[str, Any]]:
    """Each key page of this database with the number of queries one request runs."""
    clients: dict[str | None, Client] = {}
    results = []
    for page in key_pages():
        client = clients.setdefault(page.user, _client(page.user))
        _drain(_get(client, page))
        with CaptureQueriesContext(connection) as queries:
            _drain(_get(client, page))
        results.append({**page.as_dict(), "queries": len(queries)})
    return results


def _max_rss_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_memory() -> dict[str, Any]:
    """Export every person to xlsx through the real view; time, size and peak memory.

    An export this large is a background job: its task runs here, in this process (eager), so
    the figures are those of the worker that writes the file, then of its download.
    """
    from openpyxl import load_workbook

    from config.celery import app
    from core.models import ExportJob

    app.conf.task_always_eager = True
    page = people_export()
    client = _client(page.user)
    # A first small page loads the templates, the session and the lazy imports.
    client.get("/")
    before = _max_rss_mb()
    started = time.perf_counter()
    response = client.get(page.path)
    if response.status_code == 302:
        job = ExportJob.objects.latest("pk")
        response = client.get(reverse("export_download", args=[job.pk]))
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code} as {page.user}")
    size = 0
    with tempfile.TemporaryFile() as spool:
        for chunk in response.streaming_content:
            size += len(chunk)
            spool.write(chunk)
        seconds = time.perf_counter() - started
        peak = _max_rss_mb()
        # Read back after the measurement, to report the rows the file really holds.
        spool.seek(0)
        workbook = load_workbook(spool, read_only=True)
        rows = sum(1 for _ in workbook.active.iter_rows(values_only=True)) - 1
        workbook.close()
    return {
        **page.as_dict(),
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1),
    }
