"""PostgreSQL restarts while the app serves requests (issue 7).

A private PostgreSQL cluster (a copy of this run's migrated test database) serves gunicorn
running the production settings. Officers of many units submit their reports while the
cluster is restarted (`pg_ctl restart -m fast`). No request hangs; at most the requests in
flight fail with a clean 500; afterwards the same gunicorn answers again (connection health
checks, no restart), and every report is either wholly submitted or not there at all (one
transaction per change), so the units whose submission failed can simply submit again.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.faults.conftest import PrivatePostgres, answers, free_port

pytestmark = [pytest.mark.integration, pytest.mark.faults]

UNITS = 24
SPACING = 0.05  # seconds between two units' submissions
REQUEST_TIMEOUT = 15  # a request that takes longer counts as a hang

SETUP = """
import json, datetime as dt
from django.test import Client
from campaigns.models import ParticipantMode
from reports import services
from tests import factories
staff = factories.make_staff(username="fault_staff")
units = [factories.UnitFactory(name=f"Xã Khởi động {i}", code=f"XA-KD-{i}") for i in range(%(units)d)]
campaign = factories.CampaignFactory(
    start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), participant_mode=ParticipantMode.UNITS
)
campaign.participant_units.set(units)
deadline = services.deadline_create(
    by=staff,
    campaign=campaign,
    data=services.DeadlineData(title="Báo cáo quý", kind="quarterly", due_on=dt.date(2026, 12, 18), sections=["Kết quả"]),
)
sessions = []
for i, unit in enumerate(units):
    client = Client()
    client.force_login(factories.make_officer(unit, username=f"fault_canbo_{i}"))
    sessions.append(client.cookies["sessionid"].value)
print(json.dumps({"deadline": deadline.pk, "units": [u.pk for u in units], "sessions": sessions}))
"""


class Server:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
                *("--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "30"),
                *("--error-logfile", str(self.log)),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while not answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def site(django_db_setup, tmp_path_factory):
    """A private cluster holding a copy of the migrated test database, served by gunicorn."""
    cluster = PrivatePostgres()
    folder = tmp_path_factory.mktemp("pg-restart")
    try:
        cluster.create()
        from django.db import connection

        # The test database django_db_setup migrated (its name, not the configured one).
        name = connection.settings_dict["NAME"]
        if not name.startswith("test_"):
            name = connection.creation._get_test_db_name()
        database = {**connection.settings_dict, "NAME": name}
        with psycopg.connect(
            host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
        ) as db:
            db.execute("CREATE DATABASE thidua")
        source = ["pg_dump", "--no-owner", "--no-privileges", "-h", database.get("HOST") or "127.0.0.1"]
        source += [
            "-p",
            str(database.get("PORT") or 5432),
            "-U",
            database.get("USER") or "postgres",
            database["NAME"],
        ]
        dump = subprocess.Popen(  # noqa: S603 - fixed argv
            [str(cluster.bin / source[0]), *source[1:]],
            stdout=subprocess.PIPE,
            env={**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""},
        )
        restore = subprocess.run(  # noqa: S603 - fixed argv
            [
                str(cluster.bin / "psql"),
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(cluster.port),
                *("-U", "postgres", "-d", "thidua"),
            ],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            check=False,
        )
        assert dump.wait(timeout=60) == 0, "pg_dump of the test database failed"
        assert restore.returncode == 0, restore.stderr[-2000:]
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "THIDUA_", "AXES_"))
        }
        env.update(
            {
                "DATABASE_URL": cluster.url("thidua"),
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": "thidua-faults-only-" + "x" * 40,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_MANIFEST_STATIC": "false",
                "DJANGO_LOG_LEVEL": "WARNING",
                "THIDUA_VAR_DIR": str(folder / "var"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        made = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", "shell", "-c", SETUP % {"units": UNITS}],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert made.returncode == 0, made.stderr[-3000:]
        world = json.loads(made.stdout.strip().splitlines()[-1])
        server = Server(env, folder)
        try:
            yield cluster, server, world
        finally:
            server.stop()
    finally:
        cluster.destroy()


def request(server: Server, path: str, session: str, data: dict[str, str] | None = None) -> int:
    """One request as a signed-in officer; returns the status, 0 when the connection failed."""
    token = secrets.token_hex(16)  # a CSRF secret of 32 characters, sent as cookie and field
    body = (
        urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode() if data is not None else None
    )
    call = urllib.request.Request(  # noqa: S310 - loopback URL
        server.base + path, data=body, headers={"Cookie": f"sessionid={session}; csrftoken={token}"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(call, timeout=REQUEST_TIMEOUT) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except TimeoutError as error:
        raise AssertionError(f"{path} hung for more than {REQUEST_TIMEOUT} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise AssertionError(f"{path} hung for more than {REQUEST_TIMEOUT} s") from error
        return 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def submitted(cluster: PrivatePostgres, world: dict) -> dict[int, tuple]:
    """unit → (report status, submitted transitions, pending reminders) in the private database."""
    with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres", dbname="thidua") as db:
        rows = db.execute(
            """
            SELECT u.id, r.status,
                   (SELECT count(*) FROM reports_reporttransition t WHERE t.report_id = r.id AND t.action = 'submitted'),
                   (SELECT count(*) FROM reports_reminder m
                     WHERE m.deadline_id = %s AND m.unit_id = u.id AND m.status = 'pending')
            FROM clusters_unit u
            LEFT JOIN reports_report r ON r.unit_id = u.id AND r.deadline_id = %s
            WHERE u.id = ANY(%s)
            """,
            [world["deadline"], world["deadline"], world["units"]],
        ).fetchall()
    return {unit: (status, transitions, pending) for unit, status, transitions, pending in rows}


def test_the_app_recovers_from_a_postgres_restart_and_leaves_no_half_change(site):
    cluster, server, world = site
    deadline, units, sessions = world["deadline"], world["units"], world["sessions"]
    home = "/bao-cao/cua-don-vi/"
    assert request(server, home, sessions[0]) == 200

    statuses: dict[int, int] = {}
    problems: list[str] = []
    start = time.monotonic() + 0.5

    def submit(index: int) -> None:
        # Spread over the restart: some before, some while the server stops and starts, some after.
        time.sleep(max(0.0, start + SPACING * index - time.monotonic()))
        try:
            statuses[index] = request(
                server,
                f"/bao-cao/ky/{deadline}/don-vi/{units[index]}/",
                sessions[index],
                {"version": "0", "section_0": f"Kết quả đơn vị {index}", "submit": "1"},
            )
        except AssertionError as error:
            problems.append(str(error))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(units))]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start + SPACING * 4 - time.monotonic()))
    cluster.restart()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * 2)
    assert not problems, problems
    assert set(statuses.values()) <= {302, 500, 503}, statuses

    # The same gunicorn answers again once PostgreSQL is back (a few tries: each worker may
    # notice its dead connection on its next request).
    recovered = time.monotonic() + 20
    while request(server, home, sessions[0]) != 200:
        assert time.monotonic() < recovered, "the app did not recover from the restart"
        time.sleep(0.2)
    for session in sessions:
        assert request(server, home, session) == 200

    # One transaction per change: a report is wholly submitted (with its history entry and its
    # reminders cancelled), or absent.
    state = submitted(cluster, world)
    for index, unit in enumerate(units):
        status, transitions, pending = state[unit]
        if status is None:
            assert (transitions, pending) == (0, 7), (index, state[unit])
        else:
            assert (status, transitions, pending) == ("submitted", 1, 0), (index, state[unit])
        if statuses.get(index) == 302:
            assert status == "submitted", (index, state[unit])
    # The units whose submission failed submit again, and it is taken.
    for index, unit in enumerate(units):
        if state[unit][0] is None:
            answer = request(
                server,
                f"/bao-cao/ky/{deadline}/don-vi/{unit}/",
                sessions[index],
                {"version": "0", "section_0": f"Kết quả đơn vị {index}", "submit": "1"},
            )
            assert answer == 302
    assert {row[0] for row in submitted(cluster, world).values()} == {"submitted"}
