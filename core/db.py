"""Database helpers that keep PostgreSQL-only features optional for the SQLite demo."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Collate

VIETNAMESE_COLLATION = "vi-x-icu"


class Vietnamese(Collate):
    """Vietnamese alphabetical order (a ă â b … d đ e ê …) through PostgreSQL's ICU collation.

    The default C collation puts "Đông Tảo" after "Xuân Quan"; SQLite has no ICU, so the demo
    keeps byte order there.
    """

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, VIETNAMESE_COLLATION)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return compiler.compile(self.get_source_expressions()[0])
