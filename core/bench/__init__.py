"""`make bench`: throughput, latency and query counts of the key pages on the large demo province.

`manage.py bench` (core/management/commands/bench.py) builds two PostgreSQL databases once
(`thidua_bench` with `seed_demo --scale large`, `thidua_bench_small` with the small province),
counts each key page's queries in both (probe.py), serves the large one with gunicorn as in
production, drives it from a separate process (load.py) at 1 and 20 concurrent users next to a
trivial view (the ceiling), measures the peak memory of a 150,000-row export, and prints a table
and one JSON line per page (report.py). The key pages are listed in pages.py.
"""
