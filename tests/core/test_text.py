from __future__ import annotations

import unicodedata

import pytest

from core.text import fold, mask_identifier, search_key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nguyễn Văn Ân", "nguyen van an"),
        ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
        ("đường Đông", "duong dong"),
        ("  Xã   Phụng\tCông \n", "xa phung cong"),
        ("Thủy Nguyệt Yến", "thuy nguyet yen"),
        ("Ủy ban nhân dân tỉnh", "uy ban nhan dan tinh"),
        ("123/QĐ-UBND", "123/qd-ubnd"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_removes_accents_and_case(value, expected):
    """fold() lower-cases, strips Vietnamese diacritics, maps Đ/đ to d and collapses spaces."""
    assert fold(value) == expected


def test_fold_handles_decomposed_input():
    """Text typed in decomposed Unicode (NFD) folds to the same key as composed text."""
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Ân")
    assert decomposed != "Nguyễn Văn Ân"
    assert fold(decomposed) == "nguyen van an"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_fold_of_nothing_is_empty(value):
    """Empty or missing input folds to an empty string."""
    assert fold(value) == ""


def test_search_key_joins_folded_parts_and_skips_empty_ones():
    """search_key() folds each part and joins the non-empty ones with a separator."""
    assert search_key("Xã Phụng Công", "", None, "XA-PC") == "xa phung cong | xa-pc"


def test_search_key_of_nothing_is_empty():
    """With no usable part the key is empty."""
    assert search_key(None, "") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("001203004567", "001*******67"),
        ("033123456", "033****56"),
        ("123456", "123*56"),
        ("12345", "*****"),
        ("12", "**"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_identifier(value, expected):
    """An identity number shows its first three and last two digits only; short ones are hidden."""
    assert mask_identifier(value) == expected


def test_mask_identifier_never_reveals_the_middle():
    """The masked form keeps the length but not the digits in the middle."""
    masked = mask_identifier("001203004567")
    assert len(masked) == 12
    assert "2030045" not in masked


def test_mask_identifier_custom_visible_parts():
    """How many characters stay visible at each end can be chosen."""
    assert mask_identifier("001203004567", visible_start=0, visible_end=4) == "********4567"


def test_mask_identifier_with_no_visible_end_hides_the_tail():
    """Asking for no visible digits at the end hides the end, not appends the whole number."""
    assert mask_identifier("001203004567", visible_end=0) == "001*********"
