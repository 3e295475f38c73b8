"""Totals, caps, bands and tie-breaks, on examples computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from clusters.models import GroupKind, TieBreak
from clusters.scoring.ranking import (
    BandSpec,
    CriterionSpec,
    GroupSpec,
    UnitTotals,
    classify,
    quantitative_points,
    rank,
    unit_totals,
)

# I (60) + II (40) = content 100; IV bonus capped at 5; V penalty capped at 10.
GROUPS = [
    GroupSpec(1, GroupKind.CONTENT, D(60), 0),
    GroupSpec(2, GroupKind.CONTENT, D(40), 1),
    GroupSpec(4, GroupKind.BONUS, D(5), 3),
    GroupSpec(5, GroupKind.PENALTY, D(10), 4),
]
CRITERIA = [
    CriterionSpec(11, 1, D(30)),
    CriterionSpec(12, 1, D(30)),
    CriterionSpec(21, 2, D(40)),
    CriterionSpec(41, 4, D(5)),
    CriterionSpec(42, 4, D(3)),
    CriterionSpec(51, 5, D(8)),
    CriterionSpec(52, 5, D(10)),
]
BANDS = [
    BandSpec("Xuất sắc", D(90), D(85)),
    BandSpec("Tốt", D(80), D(80)),
    BandSpec("Hoàn thành", D(70), D(70)),
    BandSpec("Không hoàn thành", D(0)),
]


def totals(points: dict[int, str]) -> UnitTotals:
    return unit_totals(
        1, groups=GROUPS, criteria=CRITERIA, points={k: D(v) for k, v in points.items()}, bands=BANDS
    )


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("120", "100", "30"),
        ("90", "100", "27"),
        ("1", "3", "10"),
        (None, "100", "0"),
        ("50", "0", "0"),
        ("-5", "100", "0"),
    ],
)
def test_quantitative_points_are_proportional_and_capped(actual, target, expected):
    """30 points × actual / target, never above 30, nothing without a positive target."""
    value = quantitative_points(D(30), D(actual) if actual else None, D(target))
    assert value == D(expected)


def test_final_score_is_content_plus_capped_bonus_minus_capped_penalty():
    """28 + 30 + 36 = 94 content; bonus 5 + 3 = 8 capped to 5; penalty 8 + 10 = 18 capped to 10 → 89."""
    result = totals({11: "28", 12: "30", 21: "36", 41: "5", 42: "3", 51: "8", 52: "10"})
    assert (result.content, result.bonus, result.penalty) == (D(94), D(5), D(10))
    assert result.final == D(89)
    assert result.first_group == D(58)
    assert result.percent == D("89.00")


def test_missing_criteria_count_zero():
    """A unit with no scores at all has 0 and the lowest band."""
    result = totals({})
    assert result.final == 0
    assert result.band == "Không hoàn thành"


def test_band_needs_the_percentage_and_every_criterion_above_its_floor():
    """95 % overall but criterion 11 at 26/30 = 86.67 % ≥ 85 → Xuất sắc; at 25/30 = 83.33 % → Tốt."""
    assert totals({11: "26", 12: "30", 21: "40"}).band == "Xuất sắc"  # 96
    below_floor = totals({11: "25", 12: "30", 21: "40", 41: "5"})  # 95 + 5 = 100, but 83.33 % on 11
    assert below_floor.percent == D("100.00")
    assert below_floor.lowest_criterion_percent == D("83.33")
    assert below_floor.band == "Tốt"


def test_band_edges():
    """Exactly 90 with every criterion at 90 % is Xuất sắc; 69.99 is below Hoàn thành."""
    assert totals({11: "27", 12: "27", 21: "36"}).band == "Xuất sắc"
    assert classify(D("69.99"), D(100), BANDS) == "Không hoàn thành"
    assert classify(D(70), D(70), BANDS) == "Hoàn thành"
    assert classify(D(85), D(79), BANDS) == "Hoàn thành"


def _row(
    unit_id: int, final: str, penalty: str = "0", first: str = "0", votes: int = 0, name: str = ""
) -> UnitTotals:
    return UnitTotals(
        unit_id=unit_id,
        content=D(final),
        bonus=D(0),
        penalty=D(penalty),
        first_group=D(first),
        final=D(final),
        percent=D(final),
        band="",
        lowest_criterion_percent=None,
        votes=votes,
        name=name or f"Xã {unit_id}",
    )


def test_rank_by_final_score_then_default_tie_breaks():
    """Ties on 90 go to fewer penalties (3), then the higher group I (1 over 2), then votes (4 over 5)."""
    rows = [
        _row(1, "90", penalty="0", first="55"),
        _row(2, "90", penalty="0", first="50"),
        _row(3, "92"),
        _row(4, "88", penalty="2", first="50", votes=3),
        _row(5, "88", penalty="2", first="50", votes=1),
        _row(6, "88", penalty="0", first="10"),
    ]
    ordered = rank(rows, [TieBreak.FEWER_PENALTIES, TieBreak.FIRST_GROUP, TieBreak.VOTE])
    assert [(r.unit_id, r.rank) for r in ordered] == [(3, 1), (1, 2), (2, 3), (6, 4), (4, 5), (5, 6)]


def test_units_still_equal_share_a_rank():
    """With no tie-break left to tell them apart, two units share rank 2 and the next is 4."""
    rows = [_row(1, "95"), _row(2, "90", name="Xã B"), _row(3, "90", name="Xã A"), _row(4, "80")]
    ordered = rank(rows, [TieBreak.FEWER_PENALTIES])
    assert [(r.unit_id, r.rank) for r in ordered] == [(1, 1), (3, 2), (2, 2), (4, 4)]


def test_tie_break_order_is_configurable():
    """Putting the vote first makes votes decide before penalties."""
    rows = [_row(1, "90", penalty="5", votes=4), _row(2, "90", penalty="0", votes=1)]
    assert [r.unit_id for r in rank(rows, [TieBreak.VOTE, TieBreak.FEWER_PENALTIES])] == [1, 2]
    assert [r.unit_id for r in rank(rows, [TieBreak.FEWER_PENALTIES, TieBreak.VOTE])] == [2, 1]
