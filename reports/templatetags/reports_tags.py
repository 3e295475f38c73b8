"""Template helpers for report screens: a unit's status in words, a deadline's owner."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def board_status(row: Any) -> str:
    """The status of an annotated board or "my deadlines" row in words."""
    from reports.labels import status_text

    return status_text(
        getattr(row, "board_status", ""),
        getattr(row, "report_late_days", None),
        getattr(row, "report_submissions", None),
    )


@register.filter
def owner_label(deadline: Any) -> str:
    from reports.labels import owner_label as label

    return label(deadline)


@register.filter
def missing_count(row: Any) -> int:
    """How many items a row's report still lacks (all of them before it is started)."""
    if getattr(row, "report_id", None) is None:
        return len(row.sections) + (getattr(row, "target_count", 0) or 0) + len(row.required_attachments)
    return (
        (row.report_missing_sections or 0)
        + (row.report_missing_values or 0)
        + (row.report_missing_attachments or 0)
    )


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
