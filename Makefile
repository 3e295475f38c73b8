# Thi đua — the two commands a new machine needs:
#   make run    start the app with a demo province (no server needed)
#   make test   install everything the tests need and run the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/thidua
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_WORKERS ?= 2

.PHONY: help run test lint check-deploy bench clean

help:
	@echo "make run    — start web + Celery worker + beat with a demo province (SQLite, no servers)"
	@echo "make test   — install everything and run the whole test suite on PostgreSQL and Redis"
	@echo "make lint   — ruff check and format check"

# Finds a Python >= 3.12: python3.13/python3.12 on PATH, then pyenv's versions.
$(PY):
	@py=""; \
	for cand in python3.13 python3.12 python3 \
	    $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  path=$$(command -v "$$cand" 2>/dev/null) || continue; \
	  if "$$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then py=$$path; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Thi đua needs Python 3.12 or newer (Django 6.1)." >&2; \
	  echo "None was found on PATH or under pyenv's versions. Install one, e.g. 'pyenv install 3.13'." >&2; \
	  exit 1; \
	fi; \
	echo "Using $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) manage.py rundemo

# System packages and services the tests use; installed only when missing.
test-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v pg_ctlcluster >/dev/null || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/truetype/noto ] || missing="$$missing fonts-noto-core"; \
	[ -d /usr/share/fonts/truetype/liberation2 ] || missing="$$missing fonts-liberation2"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# axe-core checks every page of the browser journeys (WCAG 2.1 A/AA).
	@[ -f tests/e2e/.node/node_modules/axe-core/axe.min.js ] || \
	  npm install --prefix tests/e2e/.node --no-audit --no-fund --loglevel=error axe-core@4 >/dev/null
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  echo "Starting Redis"; \
	  mkdir -p /var/lib/redis /var/log/redis; \
	  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
	    --dir /var/lib/redis --logfile /var/log/redis/ci.log; \
	  for i in $$(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; }

test: $(STAMP) test-deps
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles

# Benchmark of the key pages on the large demo province (not part of CI): builds its own
# PostgreSQL databases once (thidua_bench, thidua_bench_small), serves them with gunicorn as in
# production and prints a table and one JSON line per page. BENCH_ARGS="--duration 10" etc.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/thidua_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/7

bench: $(STAMP) test-deps
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) \
	  $(PY) manage.py bench $(BENCH_ARGS)
