from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import exports, history, selectors
from core.listing import FIRST_YEAR, LAST_YEAR, render_page, wants_partial
from core.models import ExportJob, ExportStatus
from core.tasks import HEARTBEAT_CACHE_KEY

logger = logging.getLogger(__name__)


def parse_year(value: str | None) -> int | None:
    """A year from a query string, or None when it is missing or not plausible."""
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.home_summary(request.user))


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "core/profile.html", {"profile_user": request.user})


@require_GET
def object_history(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    """Who changed an object and its dependent rows, when, how and why (staff only).

    Anyone else gets 404, not 403: the history must not even confirm what exists. An htmx
    request gets the panel, or for a later page only its rows ("show more").
    """
    found = history.subject_for(subject)
    if found is None or not history.can_see(request.user):
        raise Http404
    obj = get_object_or_404(found.tracked, pk=pk)
    page = parse_page(request.GET.get("page"))
    context = history.panel_context(subject, obj, page=page)
    context["object"] = obj
    context["back_url"] = found.back(obj)
    if wants_partial(request):
        partial = "history-rows" if page > 1 else "history-panel"
        response = render(request, f"core/_history.html#{partial}", context)
    else:
        response = render(request, "core/history.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def parse_page(value: str | None) -> int:
    try:
        page = int(value or "1")
    except ValueError:
        return 1
    return min(max(page, 1), 10_000)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # health checks report every failure as unhealthy
        logger.exception("healthz: database check failed")
        return False
    return True


def _broker_ok() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:
        logger.exception("healthz: broker check failed")
        return False
    return True


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker: database and broker reachability."""
    database = _database_ok()
    broker = _broker_ok()
    try:
        last_beat = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        last_beat = None
    healthy = database and broker
    body = {
        "status": "ok" if healthy else "error",
        "database": "ok" if database else "error",
        "broker": "ok" if broker else "error",
        "broker_transport": settings.CELERY_BROKER_URL.split("://", 1)[0],
        "last_beat": last_beat,
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@never_cache
@require_GET
def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """The benchmark's ceiling: the whole middleware stack and nothing else (no database, no template).

    Public and harmless: it answers the same two bytes to everyone. `make bench` compares each
    key page's throughput with this view's on the same server.
    """
    return HttpResponse(b"ok", content_type="text/plain")


@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background export's progress; htmx polls the partial until it is done or has failed."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    return render_page(request, "core/export_status.html", "export-status", exports.status_context(job))


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The finished spreadsheet, for the user who asked for it (anyone else gets 404)."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportStatus.DONE)
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=exports.stamped_filename(job.filename, at=job.finished_at),
        content_type=exports.XLSX_CONTENT_TYPE,
    )
