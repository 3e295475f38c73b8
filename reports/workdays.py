"""Ngày làm việc — working-day arithmetic for Vietnam.

A working day is Monday to Friday that is not a public holiday, plus the Saturdays the
government moves work to when it joins a holiday to a weekend (ngày làm bù). Holidays, Tết
included, and those swapped Saturdays come from the `holidays` package (country "VN"), which
follows Bộ luật Lao động 2019, Điều 112 and the yearly swap notices of Bộ Nội vụ.

Every function takes plain dates; time of day is the caller's business.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# A deadline a year away is already far; the loops below never need more than this.
_MAX_STEPS = 3660


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date], frozenset[int]]:
    """(holidays, swapped working weekend days, weekend weekdays) of one year."""
    calendar = holidays.country_holidays("VN", years=year)
    swapped = frozenset(day for day in getattr(calendar, "weekend_workdays", ()) if day.year == year)
    return frozenset(calendar.keys()), swapped, frozenset(calendar.weekend)


def holiday_name(day: dt.date) -> str:
    """The holiday's Vietnamese name, or "" for an ordinary day."""
    return holidays.country_holidays("VN", years=day.year).get(day, "")


def is_working_day(day: dt.date) -> bool:
    days_off, swapped, weekend = _calendar(day.year)
    if day in swapped:
        return True
    return day.weekday() not in weekend and day not in days_off


def previous_working_day(day: dt.date) -> dt.date:
    """The working day on or before `day`."""
    for _ in range(_MAX_STEPS):
        if is_working_day(day):
            return day
        day -= dt.timedelta(days=1)
    raise ValueError(day)


def next_working_day(day: dt.date) -> dt.date:
    """The working day on or after `day`."""
    for _ in range(_MAX_STEPS):
        if is_working_day(day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (before it when negative).

    `day` itself never counts: one working day after Friday is Monday, one before Monday is
    Friday, whatever `day` is.
    """
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    for _ in range(_MAX_STEPS):
        if remaining == 0:
            return day
        day += step
        if is_working_day(day):
            remaining -= 1
    raise ValueError(count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start + dt.timedelta(days=1)
    while day <= end:
        if is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def late_working_days(due_on: dt.date, done_on: dt.date) -> int:
    """How late something done on `done_on` is for `due_on`, in working days, at least 1.

    Submitted on the next working day after a Friday deadline is one day late; a submission on
    the Saturday in between, or on the due day after the due hour, also counts as one.
    """
    return max(1, working_days_between(due_on, done_on))
