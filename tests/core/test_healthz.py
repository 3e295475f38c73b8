from __future__ import annotations

import socket

import pytest
from django.conf import settings

from config.celery import app as celery_app
from core import views
from core.tasks import heartbeat

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"


def _closed_port() -> int:
    """A local TCP port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_url():
    """Point the Celery app at another broker for one test, then restore it."""
    original = celery_app.conf.broker_url

    def set_url(url: str) -> None:
        celery_app.conf.broker_url = url

    yield set_url
    celery_app.conf.broker_url = original


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (the real broker)")
def test_healthy_with_the_real_redis_broker(client):
    """With PostgreSQL and Redis up, /healthz answers 200 and says both are ok."""
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["broker_transport"] == "redis"


def test_broker_down_answers_503(client, broker_url):
    """When the broker cannot be reached, /healthz answers 503 with broker "error"."""
    broker_url(f"redis://127.0.0.1:{_closed_port()}/0")
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"] == "error"
    assert body["database"] == "ok"


def test_database_down_answers_503(client, monkeypatch):
    """A failing database check turns the status into 503 with database "error"."""

    class BrokenConnection:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["status"] == "error"


def test_json_shape(client):
    """The body has exactly the documented keys, and the response is JSON and never cached."""
    response = client.get(HEALTHZ)
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"status", "database", "broker", "broker_transport", "last_beat"}
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_last_beat_is_reported_after_a_heartbeat(client):
    """The heartbeat task's timestamp shows in /healthz; before any beat it is null."""
    assert client.get(HEALTHZ).json()["last_beat"] is None
    heartbeat()
    assert client.get(HEALTHZ).json()["last_beat"]


def test_healthz_needs_no_login_and_only_answers_get(client):
    """/healthz is public and refuses POST."""
    assert client.get(HEALTHZ).status_code in (200, 503)
    assert client.post(HEALTHZ).status_code == 405


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    """Behind DJANGO_SECURE, plain-HTTP probes of /healthz are not redirected to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(HEALTHZ).status_code in (200, 503)
    assert client.get("/dang-nhap/").status_code == 301
