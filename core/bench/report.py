"""The benchmark's output: a table for people, then one JSON line per page for machines.

Throughput is also given as a ratio of the ceiling's: a trivial view on the same server, measured
at the same level just before each page (and on its own before and after all pages, for the
table). The ratios and the query counts hold on any machine; only the absolute figures depend on
the machine and on how quiet it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The goals of the issue, reported against (not enforced: the budgets test enforces query counts).
GOAL_CEILING_RATIO = 0.40
GOAL_P95_MS = 150.0
GOAL_P95_LEVEL = 20
GOAL_EXPORT_MB = 200.0
GOAL_EXPORT_ROWS = 100_000


@dataclass
class Results:
    """Everything one run measured."""

    levels: list[int]
    pages: list[dict[str, Any]]  # load results of the key pages, in order
    ceiling_runs: list[dict[str, Any]]  # load results of the ceiling (start and end)
    queries: dict[str, dict[str, int | None]]  # page name -> {"small": n, "large": n}
    export: dict[str, Any] | None
    meta: dict[str, Any] = field(default_factory=dict)

    def ceiling(self, level: int) -> float:
        """The ceiling's throughput at a level: the mean of its runs before and after the pages."""
        rates = [_level(run, level)["rps"] for run in self.ceiling_runs]
        return sum(rates) / len(rates) if rates else 0.0

    def ratio(self, page: dict[str, Any], level: int) -> float:
        """The page's rate over the ceiling's: the one measured just before it when there is one."""
        run = _level(page, level)
        ceiling = run.get("ceiling_rps") or self.ceiling(level)
        return run["rps"] / ceiling if ceiling else 0.0

    def errors(self) -> list[str]:
        found = []
        for page in [*self.ceiling_runs, *self.pages]:
            for run in page["levels"]:
                for errors in (run["errors"], run.get("ceiling_errors")):
                    if errors:
                        found.append(f"{page['name']} at {run['level']} users: {errors}")
        return found


def _level(page: dict[str, Any], level: int) -> dict[str, Any]:
    return next(run for run in page["levels"] if run["level"] == level)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def table(results: Results) -> list[str]:
    levels = results.levels
    label_width = max(len(p["label"]) for p in [*results.pages, *results.ceiling_runs]) + 2
    user_width = 12
    block = "{:>8} {:>7} {:>7} {:>6}"
    head_top = " " * (label_width + user_width)
    head = f"{'page':<{label_width}}{'login':<{user_width}}"
    for level in levels:
        title = f"{level} user" + ("s" if level != 1 else "")
        head_top += f"{title:^31}|"
        head += block.format("req/s", "p50 ms", "p95 ms", "×ceil") + " |"
    head_top += " queries"
    head += " small large"
    lines = [head_top, head, "-" * len(head)]

    def row(page: dict[str, Any], ratio: Callable[[int], str], queries: str) -> str:
        text = f"{page['label']:<{label_width}}{page.get('user') or '—':<{user_width}}"
        for level in levels:
            run = _level(page, level)
            text += block.format(
                f"{run['rps']:.1f}", f"{run['p50_ms']:.0f}", f"{run['p95_ms']:.0f}", ratio(level)
            )
            text += " |"
        return text + queries

    for run in results.ceiling_runs:
        lines.append(row(run, lambda level: "1.00", ""))
    for page in results.pages:
        counts = results.queries.get(page["name"], {})
        flat = counts.get("small") == counts.get("large")
        queries = f" {_count(counts.get('small')):>5} {_count(counts.get('large')):>5}" + (
            "" if flat else "  ≠"
        )
        lines.append(row(page, lambda level, page=page: f"{results.ratio(page, level):.2f}", queries))
    if results.export:
        export = results.export
        lines.append("")
        lines.append(
            f"{export['label']}: {export['rows']:,} rows, {export['bytes'] / 1_048_576:.1f} MB file in "
            f"{export['seconds']:.1f} s; peak memory {export['peak_rss_mb']:.0f} MB "
            f"(process before the request: {export['rss_before_mb']:.0f} MB)"
        )
    return lines


def goals(results: Results) -> list[str]:
    top = max(results.levels)
    lines = ["Goals:"]
    if GOAL_P95_LEVEL in results.levels:
        slow = [p["label"] for p in results.pages if _level(p, GOAL_P95_LEVEL)["p95_ms"] >= GOAL_P95_MS]
        lines.append(
            f"  p95 < {GOAL_P95_MS:.0f} ms at {GOAL_P95_LEVEL} users: "
            f"{len(results.pages) - len(slow)}/{len(results.pages)} pages"
            + (f" (not: {', '.join(slow)})" if slow else "")
        )
    low = [p["label"] for p in results.pages if results.ratio(p, top) < GOAL_CEILING_RATIO]
    lines.append(
        f"  throughput ≥ {GOAL_CEILING_RATIO:.0%} of the ceiling at {top} users: "
        f"{len(results.pages) - len(low)}/{len(results.pages)} pages"
        + (f" (not: {', '.join(low)})" if low else "")
    )
    uneven = [name for name, counts in results.queries.items() if counts.get("small") != counts.get("large")]
    lines.append(
        f"  same query count at small and large scale: {len(results.queries) - len(uneven)}/{len(results.queries)} pages"
        + (f" (not: {', '.join(uneven)})" if uneven else "")
    )
    if results.export:
        export = results.export
        met = export["peak_rss_mb"] < GOAL_EXPORT_MB and export["rows"] >= GOAL_EXPORT_ROWS
        lines.append(
            f"  export of ≥ {GOAL_EXPORT_ROWS:,} rows under {GOAL_EXPORT_MB:.0f} MB: "
            + ("met" if met else "not met")
            + f" ({export['rows']:,} rows, {export['peak_rss_mb']:.0f} MB)"
        )
    return lines


def json_lines(results: Results) -> list[str]:
    """One line per page (the ceiling and the export included), sorted keys, no spaces."""

    def levels(page: dict[str, Any], ceiling: bool) -> dict[str, Any]:
        return {
            str(run["level"]): {
                "rps": run["rps"],
                "p50_ms": run["p50_ms"],
                "p95_ms": run["p95_ms"],
                "requests": run["requests"],
                "errors": sum(run["errors"].values()),
                "ceiling_ratio": 1.0 if ceiling else round(results.ratio(page, run["level"]), 3),
                "ceiling_rps": run["rps"] if ceiling else run.get("ceiling_rps"),
            }
            for run in page["levels"]
        }

    records: list[dict[str, Any]] = []
    for index, run in enumerate(results.ceiling_runs):
        records.append(
            {
                "page": run["name"],
                "run": "start" if index == 0 else "end",
                "path": run["path"],
                "levels": levels(run, True),
            }
        )
    for page in results.pages:
        counts = results.queries.get(page["name"], {})
        records.append(
            {
                "page": page["name"],
                "path": page["path"],
                "user": page["user"],
                "levels": levels(page, False),
                "queries_small": counts.get("small"),
                "queries_large": counts.get("large"),
                "queries_flat": counts.get("small") == counts.get("large"),
            }
        )
    if results.export:
        export = results.export
        records.append(
            {
                "page": export["name"],
                "path": export["path"],
                "user": export["user"],
                "rows": export["rows"],
                "bytes": export["bytes"],
                "seconds": export["seconds"],
                "peak_rss_mb": export["peak_rss_mb"],
                "rss_before_mb": export["rss_before_mb"],
            }
        )
    meta = {f"meta_{key}": value for key, value in results.meta.items()}
    return [
        json.dumps(
            {"bench": "thidua", **meta, **record}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        for record in records
    ]
