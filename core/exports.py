"""Spreadsheet exports with openpyxl in write-only mode, so memory stays flat with row count."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells that start with these would be run as formulas by Excel (CSV/formula injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, (int, float, dt.date)):
        return value
    return str(value)


def write_xlsx(target: Any, *, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet to a path or file object; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Data")[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_cell_value(value))
            if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
                # Stored as a text cell, so Excel shows it and never runs it as a formula.
                cell.data_type = "s"
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """A download of the rows; spooled to a temporary file, never held whole in memory."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, title=title, headers=headers, rows=rows)
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}-{stamp}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
