"""Working days in Vietnam: weekends, public holidays (Tết included) and swapped Saturdays."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import workdays

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 13), True),  # Friday before Tết Bính Ngọ
        (D(2026, 2, 16), False),  # Giao thừa (Monday)
        (D(2026, 2, 17), False),  # Mùng một
        (D(2026, 2, 20), False),  # Mùng bốn (Friday)
        (D(2026, 2, 23), True),  # first working day after Tết
        (D(2026, 1, 1), False),  # Tết Dương lịch
        (D(2026, 9, 2), False),  # Quốc khánh
        (D(2026, 8, 22), True),  # a Saturday worked in exchange for 31/08
        (D(2026, 8, 31), False),  # the day off given for it
        (D(2026, 6, 20), False),  # an ordinary Saturday
        (D(2026, 6, 19), True),  # an ordinary Friday
    ],
)
def test_working_days_follow_holidays_tet_and_swapped_saturdays(day, working):
    assert workdays.is_working_day(day) is working


def test_adding_working_days_skips_the_whole_of_tet():
    """Three working days after Thursday 12/02/2026 is Tuesday 24/02: the weekend and five days of Tết are skipped."""
    assert workdays.add_working_days(D(2026, 2, 12), 1) == D(2026, 2, 13)
    assert workdays.add_working_days(D(2026, 2, 12), 2) == D(2026, 2, 23)
    assert workdays.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_counting_back_over_tet():
    """One working day before Monday 23/02/2026 is Friday 13/02, before the holiday."""
    assert workdays.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)
    assert workdays.add_working_days(D(2026, 2, 23), -7) == D(2026, 2, 5)


def test_counting_across_the_year_end():
    """From Wednesday 31/12/2025, New Year's Day is skipped; back from 02/01/2026 too."""
    assert workdays.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)
    assert workdays.add_working_days(D(2026, 1, 2), -1) == D(2025, 12, 31)
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_counting_from_a_day_off_does_not_count_that_day():
    """One working day after a Saturday is the Monday; zero working days is the day itself."""
    assert workdays.add_working_days(D(2026, 6, 20), 1) == D(2026, 6, 22)
    assert workdays.add_working_days(D(2026, 6, 20), 0) == D(2026, 6, 20)
    assert workdays.add_working_days(D(2026, 6, 20), -1) == D(2026, 6, 19)


def test_previous_and_next_working_day():
    assert workdays.previous_working_day(D(2026, 2, 17)) == D(2026, 2, 13)
    assert workdays.next_working_day(D(2026, 2, 17)) == D(2026, 2, 23)
    assert workdays.previous_working_day(D(2027, 1, 1)) == D(2026, 12, 31)
    assert workdays.previous_working_day(D(2026, 6, 19)) == D(2026, 6, 19)


def test_working_days_between_counts_the_days_after_start_up_to_end():
    assert workdays.working_days_between(D(2026, 6, 19), D(2026, 6, 19)) == 0
    assert workdays.working_days_between(D(2026, 6, 19), D(2026, 6, 22)) == 1
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert workdays.working_days_between(D(2026, 6, 22), D(2026, 6, 19)) == 0


@pytest.mark.parametrize(
    ("done_on", "late"),
    [
        (D(2026, 6, 19), 1),  # the due day itself, after the due hour
        (D(2026, 6, 20), 1),  # the Saturday after
        (D(2026, 6, 22), 1),  # the next working day
        (D(2026, 6, 23), 2),
        (D(2026, 6, 29), 6),
    ],
)
def test_lateness_counts_working_days_and_is_at_least_one(done_on, late):
    assert workdays.late_working_days(D(2026, 6, 19), done_on) == late


def test_lateness_over_tet():
    """A report due Friday 13/02/2026 and sent on Tuesday 24/02 is two working days late."""
    assert workdays.late_working_days(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_holiday_names_are_vietnamese():
    assert "Tết" in workdays.holiday_name(D(2026, 2, 17))
    assert workdays.holiday_name(D(2026, 6, 19)) == ""
