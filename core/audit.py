"""Audit context for django-pghistory: who did a change and why.

pghistory records row changes with database triggers, which exist on PostgreSQL only. The
zero-setup SQLite demo keeps working without history; on PostgreSQL every change made inside
`audit_context` carries the user, the URL and the reason.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import pghistory
from django.db import connection
from pghistory import runtime


def audit_enabled() -> bool:
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def audit_context(**metadata: Any) -> Iterator[None]:
    """Attach metadata (user id, reason, …) to every tracked change in the block.

    pghistory groups nested contexts into one context row whose metadata is the last one set,
    so a service calling another (a schedule creating its deadlines) or a request running two
    services would show every change with the last reason. A nested block gets its own row
    instead, with the outer metadata (user, URL) plus its own, and the outer one is restored.
    """
    if not audit_enabled():
        yield
        return
    outer = getattr(runtime._tracker, "value", None)
    if outer is None:
        with pghistory.context(**metadata):
            yield
        return
    runtime._tracker.value = runtime.Context(id=uuid.uuid4(), metadata={**outer.metadata, **metadata})
    try:
        yield
    finally:
        runtime._tracker.value = outer


def track_many_to_many(descriptor: Any, name: str, verbose_name: Any, verbose_name_plural: Any) -> Any:
    """Record every addition and removal on an automatic many-to-many table.

    pghistory tracks models; the automatic table gets one as a proxy model named `name`, which
    also carries the triggers into its app's migrations.
    """
    meta = type(
        "Meta",
        (),
        {"proxy": True, "verbose_name": verbose_name, "verbose_name_plural": verbose_name_plural},
    )
    proxy = type(name, (descriptor.through,), {"Meta": meta, "__module__": descriptor.field.model.__module__})
    return pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())(proxy)
