"""`make run` (manage.py rundemo): the zero-setup demo starts, serves, and stops cleanly."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

pytestmark = pytest.mark.integration

SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(opener: urllib.request.OpenerDirector, url: str, data: dict | None = None) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _processes_mentioning(marker: str) -> list[str]:
    command = ["ps", "-ww", "-eo", "pid,args"]
    listing = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return [line for line in listing.splitlines() if marker in line]


def test_rundemo_with_no_configuration_serves_the_demo_and_stops_on_ctrl_c(tmp_path):
    """With no service variables the demo uses SQLite and the filesystem broker under var/,
    prints the address and the demo password, lets a demo user sign in, and Ctrl-C stops
    the web server and the Celery worker it started."""
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    env["THIDUA_VAR_DIR"] = str(tmp_path)
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "rundemo", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line)
            if "Ctrl-C" in line:
                break
        text = "".join(output)
        assert f"http://127.0.0.1:{port}/" in text, text
        password = re.search(r"demo: (\S+)", text).group(1)
        assert (tmp_path / "thidua.sqlite3").is_file()
        assert (tmp_path / "celery" / "queue").is_dir()

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, page = _get(opener, f"{base}/dang-nhap/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        assert "Đăng nhập" in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page = _get(
            opener,
            f"{base}/dang-nhap/",
            {"csrfmiddlewaretoken": token, "username": "chuyenvien", "password": password, "next": "/"},
        )
        assert status == 200
        assert "Tổng quan" in page or "chuyenvien" in page
        status, health = _get(opener, f"{base}/healthz")
        assert status == 200
        assert json.loads(health)["database"] == "ok"
        assert _processes_mentioning(str(tmp_path)), "the Celery worker with beat should be running"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, "".join(output) + process.stdout.read()
    assert _processes_mentioning(str(tmp_path)) == []
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
