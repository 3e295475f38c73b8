"""`make bench`: the key pages on the large demo province, served as in production.

1. Two PostgreSQL databases are built once and reused: `thidua_bench` (`seed_demo --scale
   large`) and `thidua_bench_small` (`--scale small`). Each run migrates them and lets
   `seed_demo` add only what is missing (the demo data of capabilities that landed since).
   A database is built again when a migration applied to it has been edited since (the
   hashes are kept in var/bench/<scale>/migrations.json), or with --rebuild.
2. Each key page's query count is taken in both (core/bench/probe.py, in a subprocess).
3. gunicorn serves the large one with the production settings (DEBUG off, WhiteNoise with
   collected static files, Redis cache and sessions); only HTTPS is off, on loopback.
4. A separate process (core/bench/load.py) signs in as each demo role and measures every page at
   1 and 20 concurrent users, with a trivial view before and after as the ceiling.
5. A subprocess exports the whole people list to xlsx and reports its peak memory.
6. A table, the goals and one JSON line per page are printed; the JSON lines are also kept in
   var/bench/last-run.jsonl.

`--probe queries|export` runs one in-process measurement against DATABASE_URL and prints JSON;
the benchmark uses it internally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import environ
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from core.bench import report
from core.bench.pages import CEILING

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/thidua_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
# Not a secret: the benchmark's server listens on 127.0.0.1 only and serves demo data.
BENCH_SECRET_KEY = "thidua-bench-only-" + "x" * 40
SCALES = ("small", "large")


def _small_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_small"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _connect(url: str, *, maintenance: bool = False) -> psycopg.Connection:
    config = environ.Env.db_url_config(url)
    params: dict[str, Any] = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": int(config.get("PORT") or 5432),
        "user": config.get("USER") or "postgres",
        "dbname": "postgres" if maintenance else config["NAME"],
        "autocommit": True,
    }
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    return psycopg.connect(**params)


def migrations_fingerprint() -> dict[str, str]:
    """Each migration file of the project with a hash of its content."""
    base = Path(settings.BASE_DIR)
    return {
        str(path.relative_to(base)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(base.glob("*/migrations/*.py"))
    }


def rewritten_migrations(stored: dict[str, str], current: dict[str, str]) -> list[str]:
    """Migrations applied to a database that have since changed or gone; new ones are fine."""
    return [path for path, digest in stored.items() if current.get(path) != digest]


def drop_database(url: str) -> None:
    """Drop a bench database, to build it again (after a migration was rewritten, say)."""
    name = environ.Env.db_url_config(url)["NAME"]
    if "bench" not in name:
        raise CommandError(f"--rebuild drops only benchmark databases, not {name!r}.")
    with _connect(url, maintenance=True) as connection:
        connection.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name))
        )


def ensure_database(url: str) -> bool:
    """Create the database of `url` when missing; True when it already existed."""
    name = environ.Env.db_url_config(url)["NAME"]
    with _connect(url, maintenance=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return True
        connection.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    return False


class Command(BaseCommand):
    help = "Benchmark the key pages on the large demo province (gunicorn, 1 and 20 users)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database-url",
            default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
            help="The large province's database; the small one gets the same name + _small.",
        )
        parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
        parser.add_argument("--levels", default="1,20", help="Concurrent users, comma-separated.")
        parser.add_argument("--duration", type=float, default=5.0, help="Seconds per page and level.")
        parser.add_argument("--max-requests", type=int, default=3000, help="Requests per page and level.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (production: 3).")
        parser.add_argument("--no-export", action="store_true", help="Skip the large export.")
        parser.add_argument(
            "--rebuild", action="store_true", help="Drop the two bench databases and build them again."
        )
        parser.add_argument(
            "--probe", choices=["queries", "export"], help="Internal: one in-process measurement as JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["probe"]:
            self._probe(options["probe"])
            return
        levels = sorted({int(level) for level in options["levels"].split(",") if level.strip()})
        if not levels or min(levels) < 1 or max(levels) > 100:
            raise CommandError("--levels takes between 1 and 100 users per level.")
        urls = {"large": options["database_url"], "small": _small_url(options["database_url"])}
        bench_dir = Path(settings.BASE_DIR) / "var" / "bench"
        started = dt.datetime.now(dt.UTC)
        load_before = os.getloadavg()[0]

        with tempfile.TemporaryDirectory(prefix="thidua-bench-") as temporary:
            workdir = Path(temporary)
            envs = {
                scale: self._env(
                    urls[scale], options["redis_url"], bench_dir / scale, workdir / "static", workdir
                )
                for scale in SCALES
            }
            for scale in SCALES:
                if options["rebuild"]:
                    drop_database(urls[scale])
                self._prepare(scale, urls[scale], envs[scale], bench_dir / scale)
            self.stdout.write("Collecting static files…")
            self._manage(["collectstatic", "--noinput", "-v0"], envs["large"])

            self.stdout.write("Counting each page's queries at small and large scale…")
            counted = {scale: self._probe_in(envs[scale], "queries") for scale in SCALES}
            pages = counted["large"]
            queries: dict[str, dict[str, int | None]] = {
                page["name"]: {"small": None, "large": page["queries"]} for page in pages
            }
            for page in counted["small"]:
                queries.setdefault(page["name"], {"large": None})["small"] = page["queries"]

            with override_settings(VAR_DIR=bench_dir / "large"):
                from core.demo import load_credentials

                credentials = load_credentials()
            if credentials is None:
                raise CommandError("The large province's demo credentials are missing.")
            users = {page["user"] for page in pages if page["user"]}
            plan = {
                "logins": dict.fromkeys(sorted(users), credentials.password),
                "levels": levels,
                "duration": options["duration"],
                "max_requests": options["max_requests"],
                "warmup": 3,
                "ceiling_path": CEILING.path,
                "ceiling_duration": max(1.0, options["duration"] / 3),
                "pages": [
                    {**CEILING.as_dict(), "name": "ceiling"},
                    *pages,
                    {**CEILING.as_dict(), "name": "ceiling", "label": "Ceiling again (after the pages)"},
                ],
            }
            load = self._serve_and_load(envs["large"], workdir, plan, options["workers"])

            export = None
            if not options["no_export"]:
                self.stdout.write("Exporting every person to xlsx (peak memory)…")
                export = self._probe_in(envs["large"], "export")

        load_after = os.getloadavg()[0]
        measured = load["pages"]
        results = report.Results(
            levels=levels,
            pages=measured[1:-1],
            ceiling_runs=[measured[0], measured[-1]],
            queries=queries,
            export=export,
            meta={
                "started": started.isoformat(timespec="seconds"),
                "cpus": os.cpu_count(),
                "workers": options["workers"],
                "load_average": [round(load_before, 2), round(load_after, 2)],
            },
        )
        self.stdout.write("")
        self.stdout.write(
            f"Thi đua benchmark — large demo province, gunicorn with {options['workers']} workers, "
            f"{os.cpu_count()} CPUs, {options['duration']:g} s per page and level; "
            f"load average {load_before:.1f} before, {load_after:.1f} after (other work on the machine "
            "lowers the absolute figures far more than the ratios; query counts do not move)"
        )
        for line in report.table(results):
            self.stdout.write(line)
        self.stdout.write("")
        for line in report.goals(results):
            self.stdout.write(line)
        self.stdout.write("")
        lines = report.json_lines(results)
        for line in lines:
            self.stdout.write(line)
        bench_dir.mkdir(parents=True, exist_ok=True)
        (bench_dir / "last-run.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        errors = results.errors()
        if errors:
            raise CommandError("Some requests failed, so the figures are not valid:\n" + "\n".join(errors))

    # --- Steps ----------------------------------------------------------------------------

    def _env(
        self, database_url: str, redis_url: str, var_dir: Path, static_root: Path, workdir: Path
    ) -> dict[str, str]:
        """Production settings on loopback: DEBUG off, no HTTPS redirect, a fixed key."""
        var_dir.mkdir(parents=True, exist_ok=True)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "THIDUA_", "AXES_"))
        }
        env.update(
            {
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "DJANGO_DEBUG": "false",
                "DJANGO_SECURE": "false",
                "DJANGO_SECRET_KEY": BENCH_SECRET_KEY,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_STATIC_ROOT": str(static_root),
                "DJANGO_MEDIA_ROOT": str(workdir / "media"),
                "DJANGO_LOG_LEVEL": "WARNING",
                "THIDUA_VAR_DIR": str(var_dir),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def _manage(self, arguments: list[str], env: dict[str, str], *, capture: bool = False) -> str:
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments]
        self.stdout.flush()  # keep this process's lines before the child's
        completed = subprocess.run(  # noqa: S603 - fixed argv
            command, cwd=settings.BASE_DIR, env=env, capture_output=capture, text=True, check=False
        )
        if completed.returncode != 0:
            detail = (completed.stderr or "")[-4000:] if capture else ""
            raise CommandError(f"manage.py {' '.join(arguments)} failed.\n{detail}")
        return completed.stdout or ""

    def _prepare(self, scale: str, url: str, env: dict[str, str], var_dir: Path) -> None:
        name = environ.Env.db_url_config(url)["NAME"]
        # A migration edited after it was applied leaves the old schema behind: build afresh.
        record = var_dir / "migrations.json"
        current = migrations_fingerprint()
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        changed = rewritten_migrations(stored, current)
        if changed:
            self.stdout.write(
                f"Database {name}: {', '.join(changed)} changed since it was built; dropping it."
            )
            drop_database(url)
        existed = ensure_database(url)
        self.stdout.write(
            f"Database {name} ({scale} province): "
            + ("reused; migrating and adding what is missing." if existed else "new; building it.")
        )
        if not existed and scale == "large":
            self.stdout.write("  The large province takes a few minutes to build, once.")
        self._manage(["migrate", "--noinput", "-v0"], env)
        # The first build shows seed_demo's progress; a reused database is checked quietly.
        self._manage(["seed_demo", "--scale", scale], env, capture=existed)
        # Statistics and visibility maps as autovacuum keeps them in production; a freshly
        # seeded table would otherwise be read row by row even for index-only counts.
        with _connect(url) as connection:
            connection.execute("VACUUM ANALYZE")
        record.write_text(json.dumps(current, indent=1), encoding="utf-8")

    def _probe_in(self, env: dict[str, str], kind: str) -> Any:
        output = self._manage(["bench", "--probe", kind], env, capture=True)
        return json.loads(output.strip().splitlines()[-1])

    def _probe(self, kind: str) -> None:
        from core.bench import probe

        result = probe.query_counts() if kind == "queries" else probe.export_memory()
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _serve_and_load(
        self, env: dict[str, str], workdir: Path, plan: dict[str, Any], workers: int
    ) -> dict[str, Any]:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        error_log = workdir / "gunicorn-error.log"
        server_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--access-logfile",
            str(workdir / "gunicorn-access.log"),
            "--error-logfile",
            str(error_log),
        ]
        self.stdout.write(f"Starting gunicorn on {base} ({workers} workers)…")
        server = subprocess.Popen(server_command, cwd=settings.BASE_DIR, env=env, start_new_session=True)  # noqa: S603
        try:
            self._wait_until_ready(server, base + CEILING.path, error_log)
            self.stdout.write(
                f"Measuring {len(plan['pages'])} pages at {', '.join(map(str, plan['levels']))} users "
                f"(about {len(plan['pages']) * len(plan['levels']) * (plan['duration'] + plan['ceiling_duration']) / 60:.0f} min)…"
            )
            loader = self._run_loader(plan, base)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        return loader

    def _run_loader(self, plan: dict[str, Any], base: str) -> dict[str, Any]:
        # stderr passes through: the load generator names each page as it goes.
        self.stdout.flush()
        completed = subprocess.run(
            [sys.executable, "-m", "core.bench.load"],
            cwd=settings.BASE_DIR,
            input=json.dumps({**plan, "base": base}),
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise CommandError("The load generator failed (see above).")
        return json.loads(completed.stdout)

    def _wait_until_ready(self, server: subprocess.Popen, url: str, error_log: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                tail = error_log.read_text(errors="replace")[-4000:] if error_log.exists() else ""
                raise CommandError(f"gunicorn stopped at start.\n{tail}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback URL
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise CommandError("gunicorn did not answer within 60 seconds.")
