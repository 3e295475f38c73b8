"""docker-compose.yml describes the production deployment (no Docker engine runs here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_the_deployment_services(compose):
    """Web, worker, beat, PostgreSQL, Redis and a one-shot migration are defined."""
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(compose["services"])


def test_web_runs_gunicorn_with_a_health_check_on_healthz(compose):
    """The web service serves the WSGI app with gunicorn and checks /healthz."""
    web = compose["services"]["web"]
    assert web["command"][0] == "gunicorn"
    assert "config.wsgi:application" in web["command"]
    assert any("/healthz" in part for part in web["healthcheck"]["test"])


def test_worker_and_exactly_one_beat(compose):
    """The worker runs `celery worker`; beat runs separately, as a single replica."""
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert "--beat" not in worker
    assert "-B" not in worker
    assert beat["command"][:4] == ["celery", "-A", "config", "beat"]
    assert beat["deploy"]["replicas"] == 1


def test_app_services_use_production_settings_and_real_services(compose):
    """Every app container runs with DEBUG off, HTTPS settings, PostgreSQL and Redis."""
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        env = service["environment"]
        assert env["DJANGO_DEBUG"] == "false"
        assert env["DJANGO_SECURE"] == "true"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"


def test_databases_have_health_checks_and_volumes(compose):
    """PostgreSQL and Redis keep data in named volumes and report health."""
    services, volumes = compose["services"], compose["volumes"]
    for name, mount in (("db", "/var/lib/postgresql/data"), ("redis", "/data")):
        assert "healthcheck" in services[name]
        volume = services[name]["volumes"][0].split(":")
        assert volume[1] == mount
        assert volume[0] in volumes


def test_image_builds_from_the_project_dockerfile():
    """The Dockerfile installs the project and serves it with gunicorn as a non-root user."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install ." in dockerfile
    assert "collectstatic" in dockerfile
    assert "USER thidua" in dockerfile
