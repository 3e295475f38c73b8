"""The parts of `make bench` that run without the large province: the ceiling view, the load
generator's HTTP client and the report. The benchmark itself is not part of CI."""

from __future__ import annotations

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.bench import load, report

CEILING = "/healthz/ceiling"


@pytest.mark.django_db
def test_ceiling_answers_everyone_without_touching_the_database(client, django_assert_num_queries):
    """The trivial view is public, answers two bytes and runs no query."""
    with django_assert_num_queries(0):
        response = client.get(CEILING)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ceiling_refuses_post(client):
    assert client.post(CEILING).status_code == 405


class _Handler(BaseHTTPRequestHandler):
    """ "/ok" answers 200 with a length, "/chunked" 200 in chunks, anything else 404."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/ok":
            body = b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_client_reads_length_and_chunked_bodies(server):
    client = load.Client("127.0.0.1", server.server_address[1])
    assert asyncio.run(client.request("GET", "/ok")).body == b"ok"
    assert asyncio.run(client.request("GET", "/chunked")).body == b"abcde"


def test_load_generator_measures_each_page_at_each_level_within_its_budget(server):
    """Every level runs at most max_requests requests and reports rate, p50 and p95."""
    plan = {
        "base": f"http://127.0.0.1:{server.server_address[1]}",
        "logins": {},
        "levels": [1, 4],
        "duration": 5.0,
        "max_requests": 20,
        "warmup": 1,
        "pages": [{"name": "ok", "label": "OK", "user": None, "path": "/ok"}],
    }
    results = asyncio.run(load.run({**plan, "ceiling_path": "/chunked", "ceiling_duration": 5.0}))
    [page] = results["pages"]
    assert page["label"] == "OK"
    assert [run["level"] for run in page["levels"]] == [1, 4]
    for run in page["levels"]:
        assert run["requests"] == 20
        assert run["errors"] == {}
        assert run["rps"] > 0
        assert run["ceiling_rps"] > 0
        assert 0 < run["p50_ms"] <= run["p95_ms"]


def test_load_generator_stops_on_a_page_that_does_not_answer_200(server):
    plan = {
        "base": f"http://127.0.0.1:{server.server_address[1]}",
        "logins": {},
        "levels": [1],
        "duration": 1.0,
        "max_requests": 5,
        "pages": [{"name": "missing", "label": "Missing", "user": None, "path": "/missing"}],
    }
    with pytest.raises(RuntimeError, match="answered 404"):
        asyncio.run(load.run(plan))


def test_load_generator_talks_to_loopback_only():
    plan = {"base": "http://example.org:80", "logins": {}, "levels": [1], "pages": []}
    with pytest.raises(SystemExit):
        asyncio.run(load.run(plan))


def test_percentile_is_nearest_rank():
    ordered = [float(n) for n in range(1, 101)]
    assert load._percentile(ordered, 0.50) == 50.0
    assert load._percentile(ordered, 0.95) == 95.0
    assert load._percentile([], 0.95) == 0.0


def _run(name: str, label: str, rates: dict[int, float], p95: float = 10.0) -> dict:
    return {
        "name": name,
        "label": label,
        "user": None if name == "ceiling" else "chuyenvien",
        "path": "/",
        "levels": [
            {"level": level, "rps": rate, "p50_ms": 5.0, "p95_ms": p95, "requests": 100, "errors": {}}
            for level, rate in rates.items()
        ],
    }


@pytest.fixture
def results() -> report.Results:
    return report.Results(
        levels=[1, 20],
        ceiling_runs=[
            _run("ceiling", "Ceiling", {1: 90.0, 20: 180.0}),
            _run("ceiling", "Ceiling again", {1: 110.0, 20: 220.0}),
        ],
        pages=[
            _run("fast", "Fast page", {1: 50.0, 20: 100.0}),
            _run("slow", "Slow page", {1: 10.0, 20: 20.0}, p95=400.0),
        ],
        queries={"fast": {"small": 4, "large": 4}, "slow": {"small": 6, "large": 7}},
        export={
            "name": "people_export",
            "label": "People export",
            "user": "chuyenvien",
            "path": "/ca-nhan/?export=xlsx",
            "rows": 150_000,
            "bytes": 6_000_000,
            "seconds": 20.0,
            "rss_before_mb": 80.0,
            "peak_rss_mb": 120.0,
        },
    )


def test_throughput_is_compared_with_the_mean_ceiling_of_the_run(results):
    """The ceiling is the mean of its runs before and after the pages."""
    assert results.ceiling(20) == 200.0
    assert results.ratio(results.pages[0], 20) == 0.5
    assert results.ratio(results.pages[1], 1) == 0.1


def test_table_shows_every_page_with_its_ratio_and_flags_uneven_query_counts(results):
    lines = report.table(results)
    fast = next(line for line in lines if line.startswith("Fast page"))
    slow = next(line for line in lines if line.startswith("Slow page"))
    assert "0.50" in fast
    assert fast.rstrip().endswith("4     4")
    assert slow.rstrip().endswith("≠")
    assert any("150,000 rows" in line and "peak memory 120 MB" in line for line in lines)


def test_goals_name_the_pages_that_miss_them(results):
    text = "\n".join(report.goals(results))
    assert "p95 < 150 ms at 20 users: 1/2 pages (not: Slow page)" in text
    assert "of the ceiling at 20 users: 1/2 pages (not: Slow page)" in text
    assert "same query count at small and large scale: 1/2 pages (not: slow)" in text
    assert "under 200 MB: met" in text


def test_one_json_line_per_page_for_machines(results):
    records = [json.loads(line) for line in report.json_lines(results)]
    assert [r["page"] for r in records] == ["ceiling", "ceiling", "fast", "slow", "people_export"]
    fast = records[2]
    assert fast["levels"]["20"]["ceiling_ratio"] == 0.5
    assert (fast["queries_small"], fast["queries_large"], fast["queries_flat"]) == (4, 4, True)
    assert records[3]["queries_flat"] is False
    assert records[4]["peak_rss_mb"] == 120.0


def test_ratio_uses_the_ceiling_measured_just_before_the_page(results):
    """When the machine slows down during the run, the page is compared with its own ceiling."""
    page = results.pages[0]
    page["levels"][1]["ceiling_rps"] = 125.0
    assert results.ratio(page, 20) == 0.8
    [record] = [json.loads(line) for line in report.json_lines(results) if '"page":"fast"' in line]
    assert record["levels"]["20"]["ceiling_rps"] == 125.0


def test_bench_database_is_rebuilt_only_when_an_applied_migration_changed():
    """New migrations are applied as usual; an edited or removed one means a stale schema."""
    from core.management.commands.bench import rewritten_migrations

    stored = {"a/migrations/0001_initial.py": "x", "a/migrations/0002_more.py": "y"}
    assert rewritten_migrations(stored, {**stored, "a/migrations/0003_new.py": "z"}) == []
    assert rewritten_migrations(stored, {**stored, "a/migrations/0002_more.py": "edited"}) == [
        "a/migrations/0002_more.py"
    ]
    assert rewritten_migrations(stored, {"a/migrations/0001_initial.py": "x"}) == [
        "a/migrations/0002_more.py"
    ]


def test_bench_refuses_to_drop_a_database_that_is_not_a_bench_one():
    from django.core.management.base import CommandError

    from core.management.commands.bench import drop_database

    with pytest.raises(CommandError, match="only benchmark databases"):
        drop_database("postgres://postgres@127.0.0.1:5432/thidua")
