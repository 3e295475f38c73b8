"""Audit context for django-pghistory: who did a change and why.

pghistory records row changes with database triggers, which exist on PostgreSQL only. The
zero-setup SQLite demo keeps working without history; on PostgreSQL every change made inside
`audit_context` carries the user, the URL and the reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pghistory
from django.db import connection


def audit_enabled() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def audit_context(**metadata: Any) -> Iterator[None]:
    """Attach metadata (user id, reason, …) to every tracked change in the block."""
    if not audit_enabled():
        yield
        return
    with pghistory.context(**metadata):
        yield
