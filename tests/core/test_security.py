from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from awards.services import award_record_revoke
from clusters.services import unit_merge
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN_URL = "/dang-nhap/"


class _InlineCode(HTMLParser):
    """Finds what a strict CSP would block: inline scripts, <style> blocks, style= and hx-on."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script":
            self.scripts += 1
            if "src" not in names:
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> block")
        if "style" in names:
            self.problems.append(f"style= on <{tag}>")
        self.problems += [f"{name} on <{tag}>" for name in names if name.startswith(("hx-on", "on"))]


def _inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.problems


@pytest.fixture
def site(cluster_with_head):
    """Enough data that every main page renders its tables, badges and history."""
    unit = cluster_with_head.head_unit
    predecessor = factories.UnitFactory(name="Xã Mễ Sở cũ")
    unit_merge(units=[predecessor], into=unit, effective_on=dt.date(2025, 7, 1))
    factories.AwardRecordFactory(collective=True, unit=predecessor, year=2024)
    person = factories.PersonFactory(unit=unit)
    record = factories.AwardRecordFactory(person=person)
    award_record_revoke(record=record, reason="Trùng quyết định")
    factories.AwardRecordFactory(person=person)
    factories.AwardRecordFactory(collective=True, unit=unit)
    return {"unit": unit, "person": person, "cluster": cluster_with_head.cluster}


def _main_pages(site) -> list[str]:
    return [
        "/",
        "/tai-khoan/",
        "/doi-mat-khau/",
        "/don-vi/",
        "/don-vi/?q=xa&sort=-code",
        f"/don-vi/{site['unit'].pk}/",
        "/cum-khoi/",
        f"/cum-khoi/{site['cluster'].pk}/",
        "/ca-nhan/",
        f"/ca-nhan/{site['person'].pk}/",
        "/don-vi/999999/",  # 404 page
    ]


PUBLIC_PAGES = [LOGIN_URL, "/quen-mat-khau/", "/quen-mat-khau/da-gui/", "/dat-lai-mat-khau/xong/"]


def test_every_page_sends_a_strict_csp(staff_client, site):
    """Every page, signed in or not, sends a CSP that allows no inline script or style."""
    responses = [staff_client.get(path) for path in _main_pages(site)]
    responses += [Client().get(path) for path in PUBLIC_PAGES]
    responses.append(Client().get("/healthz"))
    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_hold_no_inline_code(staff_client, site):
    """No main page has an inline <script>, a <style> block, a style= or an hx-on/on* attribute."""
    for path in _main_pages(site):
        response = staff_client.get(path)
        assert response.status_code in (200, 404), path
        assert _inline_code(response.text) == [], path
    for path in PUBLIC_PAGES:
        response = Client().get(path)
        assert _inline_code(response.text) == [], path


def test_htmx_partials_hold_no_inline_code(staff_client, site):
    """The htmx partials follow the same rule as the pages."""
    for path in ["/don-vi/", "/cum-khoi/", "/ca-nhan/", f"/cum-khoi/{site['cluster'].pk}/"]:
        response = staff_client.get(path, HTTP_HX_REQUEST="true")
        assert _inline_code(response.text) == [], path


def test_htmx_is_served_from_our_own_static_files(staff_client, site):
    """htmx is loaded from /static/, not from a CDN."""
    html = staff_client.get("/").text
    assert '<script src="/static/django_htmx/' in html or '<script src="/static/' in html
    assert "unpkg.com" not in html
    assert "cdn" not in html.lower()


def test_security_headers(staff_client, site):
    """Clickjacking, sniffing, referrer and opener protections are on every page."""
    response = staff_client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_csrf_is_enforced_on_login(officer_a):
    """A sign-in POST without the CSRF token is refused with 403; with it, it works."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN_URL, {"username": "canbo_a", "password": factories.PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session

    token = client.get(LOGIN_URL).context["csrf_token"]
    response = client.post(
        LOGIN_URL,
        {"username": "canbo_a", "password": factories.PASSWORD, "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_a.pk)


def test_csrf_is_enforced_on_logout_and_language_switch(officer_a):
    """Sign-out and the language switch refuse a POST without the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    assert client.post("/dang-xuat/").status_code == 403
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_pages_carry_the_csrf_token_for_htmx(staff_client, site):
    """The <body> gives htmx the CSRF token in hx-headers, so htmx requests need no cookie reading."""
    html = staff_client.get("/don-vi/").text
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_session_and_csrf_cookies_are_http_only_where_possible(officer_a):
    """The session cookie is HttpOnly and SameSite=Lax."""
    client = Client()
    client.post(LOGIN_URL, {"username": "canbo_a", "password": factories.PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_check_deploy_with_production_settings_reports_no_issues():
    """`manage.py check --deploy` with the production variables passes at WARNING level.

    EMAIL_URL is one of them (.env.example): without it the console mailer is the default and
    the deploy check rightly reports mail.E001.
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(settings.BASE_DIR)),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE": "true",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "thidua.example.vn",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/thidua"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "EMAIL_URL": "smtp+tls://thidua:mat-khau@smtp.example.vn:587",
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "no issues" in output
