from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import selectors
from core.tasks import HEARTBEAT_CACHE_KEY

logger = logging.getLogger(__name__)


def parse_year(value: str | None) -> int | None:
    """A year from a query string, or None when it is missing or not plausible."""
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1945 <= year <= 2100 else None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.home_summary(request.user))


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "core/profile.html", {"profile_user": request.user})


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
