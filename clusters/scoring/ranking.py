"""Totals, caps, classification bands and tie-breaks — pure computation, no database.

Final score = content points + bonus (each bonus group capped at its maximum) − penalties
(each penalty group capped at its maximum). The percentage that decides the band is the final
score over the content total (the sum of the content groups' maximums). Units still equal
after every tie-break share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from clusters.models import CriterionMethod, GroupKind, TieBreak

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def quantitative_points(max_points: Decimal, actual: Decimal | None, target: Decimal | None) -> Decimal:
    """Points in proportion to the actual value against the registered target, capped at the
    maximum; nothing without a positive target or an actual value."""
    if actual is None or target is None or target <= 0 or actual <= 0:
        return ZERO
    return min(max_points, round2(max_points * actual / target))


@dataclass(frozen=True)
class GroupSpec:
    id: int
    kind: str
    max_points: Decimal
    order: int = 0


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion that is scored (a leaf of the tree)."""

    id: int
    group_id: int
    max_points: Decimal
    method: str = CriterionMethod.QUALITATIVE


@dataclass(frozen=True)
class BandSpec:
    name: str
    min_percent: Decimal
    min_criterion_percent: Decimal | None = None


@dataclass
class UnitTotals:
    unit_id: int
    content: Decimal
    bonus: Decimal
    penalty: Decimal
    first_group: Decimal
    final: Decimal
    percent: Decimal
    band: str
    # The lowest share any content criterion got of its maximum, in %.
    lowest_criterion_percent: Decimal | None
    votes: int = 0
    rank: int = 0
    name: str = ""
    eligible: bool = True
    ineligible_reasons: list[str] = field(default_factory=list)


def content_total(groups: Iterable[GroupSpec]) -> Decimal:
    return sum((g.max_points for g in groups if g.kind == GroupKind.CONTENT), ZERO)


def classify(percent: Decimal, lowest_criterion_percent: Decimal | None, bands: Sequence[BandSpec]) -> str:
    """The highest band whose thresholds are met; the lowest band when none is."""
    ordered = sorted(bands, key=lambda band: band.min_percent, reverse=True)
    for band in ordered:
        floor_met = (
            band.min_criterion_percent is None
            or lowest_criterion_percent is None
            or lowest_criterion_percent >= band.min_criterion_percent
        )
        if percent >= band.min_percent and floor_met:
            return band.name
    return ordered[-1].name if ordered else ""


def unit_totals(
    unit_id: int,
    *,
    groups: Sequence[GroupSpec],
    criteria: Sequence[CriterionSpec],
    points: Mapping[int, Decimal],
    bands: Sequence[BandSpec],
) -> UnitTotals:
    """Totals of one unit from its points per criterion (criteria without points count 0)."""
    by_group: dict[int, Decimal] = {group.id: ZERO for group in groups}
    lowest: Decimal | None = None
    kinds = {group.id: group.kind for group in groups}
    for criterion in criteria:
        value = points.get(criterion.id, ZERO)
        by_group[criterion.group_id] = by_group.get(criterion.group_id, ZERO) + value
        if kinds.get(criterion.group_id) == GroupKind.CONTENT and criterion.max_points > 0:
            share = round2(value / criterion.max_points * HUNDRED)
            lowest = share if lowest is None else min(lowest, share)
    content = bonus = penalty = ZERO
    for group in groups:
        earned = by_group.get(group.id, ZERO)
        if group.kind == GroupKind.CONTENT:
            content += min(earned, group.max_points)
        elif group.kind == GroupKind.BONUS:
            bonus += min(earned, group.max_points)
        else:
            penalty += min(earned, group.max_points)
    content_groups = sorted((g for g in groups if g.kind == GroupKind.CONTENT), key=lambda g: (g.order, g.id))
    first_group = by_group.get(content_groups[0].id, ZERO) if content_groups else ZERO
    final = content + bonus - penalty
    total = content_total(groups)
    percent = round2(final / total * HUNDRED) if total > 0 else ZERO
    return UnitTotals(
        unit_id=unit_id,
        content=content,
        bonus=bonus,
        penalty=penalty,
        first_group=first_group,
        final=final,
        percent=percent,
        band=classify(percent, lowest, bands),
        lowest_criterion_percent=lowest,
    )


def _sort_key(row: UnitTotals, tie_breaks: Sequence[str]) -> tuple:
    key: list = [-row.final]
    for rule in tie_breaks:
        if rule == TieBreak.FEWER_PENALTIES:
            key.append(row.penalty)
        elif rule == TieBreak.FIRST_GROUP:
            key.append(-row.first_group)
        elif rule == TieBreak.VOTE:
            key.append(-row.votes)
    return tuple(key)


def rank(rows: Iterable[UnitTotals], tie_breaks: Sequence[str]) -> list[UnitTotals]:
    """Order by final score then the tie-breaks in order; equals share a rank (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda row: (_sort_key(row, tie_breaks), row.name, row.unit_id))
    previous = None
    for position, row in enumerate(ordered, start=1):
        key = _sort_key(row, tie_breaks)
        row.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, row.rank)
    return ordered
