"""Server-rendered SVG charts of progress: no JavaScript and no inline styles (strict CSP).

Colours come from classes styled in app.css (`/* Progress */`); the fill and stroke attributes
are fallbacks for a page without the stylesheet, since any CSS rule overrides a presentation
attribute. Every text goes through `format_html`, so a unit named `<script>` stays text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from campaigns.progress import ProgressStatus

SVG_NS = "http://www.w3.org/2000/svg"
FALLBACK_FILL = {
    ProgressStatus.ON_TRACK: "#1b6e35",
    ProgressStatus.AT_RISK: "#b35c00",
    ProgressStatus.BEHIND: "#a1260d",
    ProgressStatus.NOT_REPORTED: "#8a949f",
}
LABEL_CHARS = 34

# Geometry of the bar chart, in viewBox units.
WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 56
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 30
BOTTOM = 24


@dataclass(frozen=True)
class ChartRow:
    label: str
    ratio: Real | None
    status: str


def _percent(ratio: Real | None) -> float | None:
    return None if ratio is None else float(ratio) * 100


def _num(value: float) -> str:
    """Coordinates with a dot and at most one decimal, whatever the active language."""
    return f"{value:.1f}".removesuffix(".0")


def _percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _status_label(status: str) -> str:
    return str(ProgressStatus(status).label) if status in ProgressStatus.values else status


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def achievement_chart(
    rows: Sequence[ChartRow], *, elapsed: Real, title: str, description: str = ""
) -> SafeString:
    """Horizontal bars of achievement % per unit or cluster, with the elapsed-share marker.

    The scale runs to 100 %, or further (to 200 % at most) when a bar goes past it.
    """
    elapsed_pct = float(elapsed) * 100
    values = [_percent(row.ratio) for row in rows]
    highest = max([v for v in values if v is not None] + [100.0])
    scale_max = min(200, max(100, math.ceil(highest / 50) * 50))
    bar_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + ROW_HEIGHT * len(rows) + BOTTOM

    def x(pct: float) -> float:
        return LABEL_WIDTH + min(max(pct, 0), scale_max) / scale_max * bar_width

    grid = format_html_join(
        "",
        '<line class="chart__grid" x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#d6dbe1"/>'
        '<text class="chart__tick" x="{0}" y="{3}" text-anchor="middle">{4}%</text>',
        (
            (_num(x(p)), TOP - 4, _num(height - BOTTOM), _num(height - 8), p)
            for p in range(0, scale_max + 1, 25 if scale_max <= 100 else 50)
        ),
    )
    bars = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        middle = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        width = x(value) - LABEL_WIDTH if value is not None else 0
        bars.append(
            format_html(
                '<g class="chart__row"><title>{title}</title>'
                '<text class="chart__label" x="{label_x}" y="{middle}" text-anchor="end" '
                'dominant-baseline="middle">{label}</text>'
                '<rect class="chart__bar chart__bar--{status}" x="{bar_x}" y="{y}" width="{width}" '
                'height="{bar_height}" fill="{fill}"/>'
                # A white halo keeps the figure legible where it crosses the elapsed marker.
                '<text class="chart__value" x="{value_x}" y="{middle}" dominant-baseline="middle" '
                'stroke="#fff" stroke-width="3" paint-order="stroke">'
                "{value}</text></g>",
                title=_("%(name)s: %(value)s, %(status)s")
                % {"name": row.label, "value": _percent_text(value), "status": _status_label(row.status)},
                label_x=LABEL_WIDTH - 8,
                middle=_num(middle),
                label=_short(row.label),
                status=row.status,
                bar_x=LABEL_WIDTH,
                y=_num(y),
                width=_num(width),
                bar_height=BAR_HEIGHT,
                fill=FALLBACK_FILL.get(row.status, "#8a949f"),
                value_x=_num(x(value or 0) + 4),
                value=_percent_text(value),
            )
        )
    marker_x = _num(x(elapsed_pct))
    marker_label = _("Time elapsed: %(value)s") % {"value": _percent_text(elapsed_pct)}
    return format_html(
        '<svg xmlns="{ns}" viewBox="0 0 {width} {height}" width="100%" class="chart chart--bars" '
        'role="img" aria-label="{aria}"><title>{title}</title>{desc}{grid}{bars}'
        '<line class="chart__elapsed" x1="{mx}" y1="{my1}" x2="{mx}" y2="{my2}" stroke="#1d232b" '
        'stroke-width="2" stroke-dasharray="5 3"/>'
        '<text class="chart__elapsed-label" x="{mx}" y="14" text-anchor="middle">{marker}</text></svg>',
        ns=SVG_NS,
        width=WIDTH,
        height=_num(height),
        aria=f"{title}. {marker_label}",
        title=title,
        desc=format_html("<desc>{}</desc>", description) if description else "",
        grid=grid,
        bars=mark_safe("".join(bars)),  # noqa: S308 - each part was built by format_html
        mx=marker_x,
        my1=TOP - 8,
        my2=_num(height - BOTTOM),
        marker=marker_label,
    )


def target_bar(ratio: Real | None, *, elapsed: Real, status: str, label: str) -> SafeString:
    """A small bar for a table cell: achievement up to 100 %, with the elapsed-share tick."""
    value = _percent(ratio)
    elapsed_pct = float(elapsed) * 100
    width, height = 120, 14
    text = _("%(name)s: %(value)s, %(status)s; time elapsed %(elapsed)s") % {
        "name": label,
        "value": _percent_text(value),
        "status": _status_label(status),
        "elapsed": _percent_text(elapsed_pct),
    }
    return format_html(
        '<svg xmlns="{ns}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" class="chart chart--mini" '
        'role="img" aria-label="{text}"><title>{text}</title>'
        '<rect class="chart__track" x="0" y="2" width="{w}" height="10" fill="#eef1f4"/>'
        '<rect class="chart__bar chart__bar--{status}" x="0" y="2" width="{bar}" height="10" fill="{fill}"/>'
        '<line class="chart__elapsed" x1="{mx}" y1="0" x2="{mx}" y2="{h}" stroke="#1d232b" stroke-width="2"/>'
        "</svg>",
        ns=SVG_NS,
        w=width,
        h=height,
        text=text,
        status=status,
        bar=_num(min(max(value or 0, 0), 100) / 100 * width),
        fill=FALLBACK_FILL.get(status, "#8a949f"),
        mx=_num(min(max(elapsed_pct, 0), 100) / 100 * width),
    )
