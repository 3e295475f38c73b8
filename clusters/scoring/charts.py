"""The ranking as a server-rendered SVG bar chart: no JavaScript, no inline styles (strict CSP).

Bars show each unit's final score as a share of the content total, coloured by the position of
its band (best band darkest). Texts go through `format_html`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 12
BOTTOM = 24
LABEL_CHARS = 34
FILLS = ["#1b6e35", "#2f7fbf", "#b35c00", "#a1260d"]


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _field(row: Any, published: str, computed: str) -> Any:
    return getattr(row, published) if hasattr(row, published) else getattr(row, computed)


def ranking_chart(rows: Sequence[Any], *, content_max: Decimal, title: str) -> SafeString:
    """One bar per unit, in ranking order; the scale runs to the highest score or the total."""
    finals = [float(_field(row, "final_points", "final")) for row in rows]
    total = float(content_max or 0)
    scale = max([total, *finals, 1.0])
    bands: list[str] = []
    for row in rows:
        if row.band not in bands:
            bands.append(row.band)
    bar_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + ROW_HEIGHT * len(rows) + BOTTOM

    def x(value: float) -> float:
        return LABEL_WIDTH + max(value, 0) / scale * bar_width

    ticks = format_html_join(
        "",
        '<line class="chart__grid" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#d6dbe1"/>'
        '<text class="chart__tick" x="{0}" y="{3}" text-anchor="middle">{4}</text>',
        (
            (_num(x(scale * p / 4)), TOP - 4, _num(height - BOTTOM), _num(height - 8), _num(scale * p / 4))
            for p in range(5)
        ),
    )
    bars = []
    for index, (row, final) in enumerate(zip(rows, finals, strict=True)):
        name = row.unit.name if getattr(row, "unit", None) else row.name
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        middle = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        level = min(bands.index(row.band), len(FILLS) - 1)
        bars.append(
            format_html(
                '<g class="chart__row"><title>{title}</title>'
                '<text class="chart__label" x="{lx}" y="{middle}" text-anchor="end" dominant-baseline="middle">'
                "{rank}. {label}</text>"
                '<rect class="chart__bar chart__bar--band{level}" x="{bx}" y="{y}" width="{w}" height="{bh}" fill="{fill}"/>'
                '<text class="chart__value" x="{vx}" y="{middle}" dominant-baseline="middle">{value}</text></g>',
                title=_("%(name)s: %(score)s points, %(band)s")
                % {"name": name, "score": _num(final), "band": row.band},
                lx=LABEL_WIDTH - 8,
                middle=_num(middle),
                rank=row.rank,
                label=_short(name),
                level=level,
                bx=LABEL_WIDTH,
                y=_num(y),
                w=_num(x(final) - LABEL_WIDTH),
                bh=BAR_HEIGHT,
                fill=FILLS[level],
                vx=_num(x(final) + 4),
                value=_num(final),
            )
        )
    return format_html(
        '<svg xmlns="{ns}" viewBox="0 0 {width} {height}" width="100%" class="chart chart--bars" role="img" '
        'aria-label="{title}"><title>{title}</title>{ticks}{bars}</svg>',
        ns=SVG_NS,
        width=WIDTH,
        height=_num(height),
        title=title,
        ticks=ticks,
        bars=mark_safe("".join(bars)),  # noqa: S308 - each part was built by format_html
    )
