"""Placeholder: section data for the campaign page (filled in by the targets work)."""

from __future__ import annotations

from typing import Any


def section_context(campaign: Any, section: str, *, user: Any) -> dict[str, Any]:
    return {}
