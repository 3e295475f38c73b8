"""Numbers as staff type them: "1.234,5" the Vietnamese way, "1234.5" from a spreadsheet.

Used by every form and Excel import that takes a decimal (targets, assigned values, scores).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

# The model's DecimalFields hold 16 digits, 2 of them after the point.
MAX_INTEGER_DIGITS = 14
TWO_PLACES = Decimal("0.01")
# Spreadsheet arithmetic leaves binary noise (0.1 + 0.2 = 0.30000000000000004); below this it is
# rounding, not a third decimal place someone typed.
FLOAT_NOISE = Decimal("1e-9")
_INVISIBLE_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER_BODY = re.compile(r"\d(?:[\d.,]*\d)?")


def _not_a_number(shown: object) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a number.") % {"value": str(shown)[:60]}, code="not_a_number"
    )


def _is_thousands_head(digits: str) -> bool:
    return 1 <= len(digits) <= 3 and not digits.startswith("0")


def _ungroup(text: str, mark: str, shown: object) -> str:
    """ "1.234.567" → "1234567"; anything that is not a clean 3-digit grouping is refused."""
    head, *groups = text.split(mark)
    if not _is_thousands_head(head) or any(len(group) != 3 for group in groups):
        raise _not_a_number(shown)
    return head + "".join(groups)


def _parse_text(text: str, shown: object) -> Decimal:
    compact = _INVISIBLE_SPACES.sub("", text).removesuffix("%")
    negative = compact[:1] in {"-", "−"}
    if compact[:1] in {"+", "-", "−"}:
        compact = compact[1:]
    if not _NUMBER_BODY.fullmatch(compact):
        raise _not_a_number(shown)
    # Staff type both "12,5" (Vietnamese) and "12.5" (spreadsheet habit). A mark is read as a
    # thousands separator only when it cannot be a decimal point, or when it is the language's
    # own thousands separator followed by exactly three digits ("1.000" in Vietnamese).
    decimal_mark = formats.get_format("DECIMAL_SEPARATOR")
    thousands_mark = "." if decimal_mark == "," else ","
    if "," in compact and "." in compact:
        point = max(",", ".", key=compact.rfind)
        integer, _sep, fraction = compact.rpartition(point)
        integer = _ungroup(integer, "." if point == "," else ",", shown)
    elif "," in compact or "." in compact:
        mark = "," if "," in compact else "."
        parts = compact.split(mark)
        if len(parts) > 2:
            integer, fraction = _ungroup(compact, mark, shown), ""
        elif mark == thousands_mark and len(parts[1]) == 3 and _is_thousands_head(parts[0]):
            integer, fraction = parts[0] + parts[1], ""
        else:
            integer, fraction = parts
    else:
        integer, fraction = compact, ""
    return Decimal(f"{'-' if negative else ''}{integer}.{fraction or '0'}")


def parse_number(raw: object) -> Decimal | None:
    """A typed or spreadsheet value as a Decimal with at most two places; None when empty.

    Raises a ValidationError whose message says, in the user's language, what is wrong.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _not_a_number(raw)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise _not_a_number(raw)
        value = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _not_a_number(raw)
        value = raw
    else:
        text = str(raw).strip()
        if not text:
            return None
        value = _parse_text(text, raw)
    if abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValidationError(_("“%(value)s” is too large.") % {"value": str(raw)[:60]}, code="too_large")
    rounded = value.quantize(TWO_PLACES)
    if rounded != value and not (isinstance(raw, float) and abs(rounded - value) < FLOAT_NOISE):
        raise ValidationError(
            _("“%(value)s” has more than two decimal places.") % {"value": str(raw)[:60]},
            code="decimal_places",
        )
    return rounded


def format_number(value: Decimal | None) -> str:
    """The value as the current language writes it, without thousands separators, so it reads
    back through parse_number unchanged ("12,5" in Vietnamese)."""
    if value is None:
        return ""
    return formats.number_format(Decimal(f"{value.normalize():f}"), use_l10n=True)


class NumberField(forms.DecimalField):
    """A form field that reads numbers with parse_number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        return parse_number(value)
