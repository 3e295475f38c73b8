"""The load generator of `make bench`: a separate process that drives the server over loopback.

Standard library only and no Django import, so the client shares nothing with the server but
the socket. It reads a plan (JSON) on stdin and writes the results (JSON) on stdout:

    {"base": "http://127.0.0.1:8123", "logins": {"chuyenvien": "…"}, "levels": [1, 20],
     "duration": 5.0, "max_requests": 2000, "warmup": 3,
     "ceiling_path": "/healthz/ceiling", "ceiling_duration": 1.5,
     "pages": [{"name": "home", "path": "/", "user": "chuyenvien"}, …]}

Each page is measured at each concurrency level for at most `duration` seconds and at most
`max_requests` requests: `level` coroutines each send one request at a time on a fresh
connection (gunicorn's sync workers close every connection) and record the time from
connecting to the last byte. Every answer must be 200; anything else is counted as an error.
With a `ceiling_path`, that page is measured at the same level just before each page, and its
rate is kept next to the page's (`ceiling_rps`).
Only 127.0.0.1 is allowed as the target.

    python -m core.bench.load < plan.json > results.json
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

LOGIN_PATH = "/dang-nhap/"
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# A request that takes longer than this is an error, not a latency.
REQUEST_TIMEOUT = 60.0


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def cookies(self) -> dict[str, str]:
        jar: SimpleCookie = SimpleCookie()
        for name, value in self.headers:
            if name == "set-cookie":
                jar.load(value)
        return {key: morsel.value for key, morsel in jar.items()}


@dataclass
class Client:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            lines = [
                f"{method} {path} HTTP/1.1",
                f"Host: {self.host}:{self.port}",
                "Connection: close",
                "User-Agent: thidua-bench",
                "Accept-Encoding: identity",
            ]
            if self.cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            for name, value in (headers or {}).items():
                lines.append(f"{name}: {value}")
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            return await _read_answer(reader)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _read_answer(reader: asyncio.StreamReader) -> Answer:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    headers = []
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip().lower(), value.strip()))
    found = dict(headers)
    if found.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif "content-length" in found:
        body = await reader.readexactly(int(found["content-length"]))
    else:
        body = await reader.read()
    return Answer(status=status, headers=headers, body=body)


async def login(client: Client, username: str, password: str) -> None:
    """Sign in through the login form, as a browser does (CSRF cookie and token)."""
    page = await client.request("GET", LOGIN_PATH)
    client.cookies.update(page.cookies())
    token = _CSRF_INPUT.search(page.body)
    if page.status != 200 or token is None:
        raise RuntimeError(f"login page answered {page.status} without a CSRF token")
    form = urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": password}
    ).encode()
    answer = await client.request(
        "POST",
        LOGIN_PATH,
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{client.host}:{client.port}",
            "Referer": f"http://{client.host}:{client.port}{LOGIN_PATH}",
        },
    )
    client.cookies.update(answer.cookies())
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"signing in as {username} failed (HTTP {answer.status})")


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


async def measure(
    client_for: Any, path: str, *, level: int, duration: float, max_requests: int
) -> dict[str, Any]:
    """`level` concurrent users asking for `path` until the time or the request budget runs out."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    deadline = time.perf_counter() + duration

    async def user() -> None:
        nonlocal issued
        client = client_for()
        while issued < max_requests and time.perf_counter() < deadline:
            issued += 1
            started = time.perf_counter()
            try:
                answer = await asyncio.wait_for(client.request("GET", path), REQUEST_TIMEOUT)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
                continue
            if answer.status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors[str(answer.status)] = errors.get(str(answer.status), 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(user() for _ in range(level)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "level": level,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(_percentile(ordered, 0.50) * 1000, 1),
        "p95_ms": round(_percentile(ordered, 0.95) * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else 0.0,
    }


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    base = urlsplit(plan["base"])
    if base.hostname != "127.0.0.1" or base.port is None:
        raise SystemExit("The load generator only talks to 127.0.0.1:<port>.")
    host, port = base.hostname, base.port
    sessions: dict[str | None, dict[str, str]] = {None: {}}
    for username, password in plan["logins"].items():
        client = Client(host, port)
        await login(client, username, password)
        sessions[username] = dict(client.cookies)

    results = []
    for page in plan["pages"]:
        cookies = sessions[page.get("user")]

        def client_for(cookies: dict[str, str] = cookies) -> Client:
            return Client(host, port, dict(cookies))

        # Warm-up requests fill the caches and the workers' lazy imports; they are not counted.
        warm = client_for()
        for _ in range(plan.get("warmup", 3)):
            answer = await warm.request("GET", page["path"])
            if answer.status != 200:
                raise RuntimeError(
                    f"{page['name']}: {page['path']} answered {answer.status} as {page.get('user')}"
                )
        print(f"  {page['name']}: {page['path']}", file=sys.stderr, flush=True)
        levels = []
        for level in plan["levels"]:
            ceiling = None
            if plan.get("ceiling_path") and page["path"] != plan["ceiling_path"]:
                # The ceiling measured just before the page, at the same level: the ratio then
                # holds even when other work on the machine comes and goes during the run.
                ceiling = await measure(
                    lambda: Client(host, port),
                    plan["ceiling_path"],
                    level=level,
                    duration=plan.get("ceiling_duration", 1.0),
                    max_requests=plan["max_requests"],
                )
            run = await measure(
                client_for,
                page["path"],
                level=level,
                duration=plan["duration"],
                max_requests=plan["max_requests"],
            )
            if ceiling is not None:
                run["ceiling_rps"] = ceiling["rps"]
                run["ceiling_errors"] = ceiling["errors"]
            levels.append(run)
        results.append({**page, "levels": levels})
    return {"pages": results}


def main() -> None:
    plan = json.load(sys.stdin)
    json.dump(asyncio.run(run(plan)), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
