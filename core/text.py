"""Vietnamese text helpers: accent-insensitive search keys and masking."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str | None) -> str:
    """Lower-case, diacritic-free form used as a search key ("Nguyễn Văn Ân" → "nguyen van an").

    Vietnamese "đ" is a letter of its own, not a decomposable accent, so it is mapped by hand.
    """
    if not value:
        return ""
    text = value.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def search_key(*parts: str | None) -> str:
    """The folded text of several fields, joined, for one indexed search column."""
    return " | ".join(fold(part) for part in parts if part)


def mask_identifier(value: str | None, *, visible_start: int = 3, visible_end: int = 2) -> str:
    """Show an identity number as "001******45" so it never appears whole on a page."""
    if not value:
        return ""
    if len(value) <= visible_start + visible_end:
        return "*" * len(value)
    hidden = len(value) - visible_start - visible_end
    return f"{value[:visible_start]}{'*' * hidden}{value[len(value) - visible_end :]}"
