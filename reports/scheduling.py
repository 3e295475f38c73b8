"""Due dates of report deadlines: recurring periods, month ends and non-working days.

Rules:
- A recurring schedule covers the calendar months, quarters, halves or years that overlap the
  campaign's period (or the cluster's year); the first and last periods are clipped to it.
- A period falls due on `due_day` of its last month (`month_offset` 0) or of the month after
  it (1). A day the month does not have means its last day: 31 → 30/04, 28/02 or 29/02.
- A due date on a weekend or public holiday moves to the previous working day unless staff
  choose the next working day or to keep it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from reports import workdays
from reports.models import NonWorkingDayRule, Recurrence

_MONTHS_PER_PERIOD = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.HALF_YEARLY: 6,
    Recurrence.YEARLY: 12,
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """One reporting period, clipped to the schedule's span."""

    start: dt.date
    end: dt.date
    label: str


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _label(recurrence: str, year: int, first_month: int) -> str:
    if recurrence == Recurrence.MONTHLY:
        return _("month %(month)02d/%(year)d") % {"month": first_month, "year": year}
    if recurrence == Recurrence.QUARTERLY:
        return _("quarter %(quarter)s/%(year)d") % {
            "quarter": _ROMAN[(first_month - 1) // 3 + 1],
            "year": year,
        }
    if recurrence == Recurrence.HALF_YEARLY:
        if first_month == 1:
            return _("first half of %(year)d") % {"year": year}
        return _("second half of %(year)d") % {"year": year}
    return _("year %(year)d") % {"year": year}


def periods(recurrence: str, start: dt.date, end: dt.date) -> list[Period]:
    """The calendar periods of `recurrence` that overlap [start, end], clipped to it."""
    size = _MONTHS_PER_PERIOD[Recurrence(recurrence)]
    # Periods are aligned on the calendar: quarters start in January, April, July, October.
    year, month = start.year, ((start.month - 1) // size) * size + 1
    found = []
    while dt.date(year, month, 1) <= end:
        last_year, last_month = _shift_month(year, month, size - 1)
        period_start = max(dt.date(year, month, 1), start)
        period_end = min(_month_end(last_year, last_month), end)
        found.append(Period(period_start, period_end, _label(recurrence, year, month)))
        year, month = _shift_month(year, month, size)
    return found


def clamp_day(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month, or the month's last day when it has fewer days."""
    return dt.date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def nominal_due_date(period: Period, *, due_day: int, month_offset: int) -> dt.date:
    year, month = _shift_month(period.end.year, period.end.month, month_offset)
    return clamp_day(year, month, due_day)


def working_due_date(day: dt.date, rule: str) -> dt.date:
    """The due date after applying the non-working-day rule."""
    if rule == NonWorkingDayRule.NEXT:
        return workdays.next_working_day(day)
    if rule == NonWorkingDayRule.KEEP:
        return day
    return workdays.previous_working_day(day)


def due_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A local date and time as an aware datetime in the province's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, time))


@dataclass(frozen=True)
class PlannedDeadline:
    period: Period
    nominal_due_on: dt.date
    due_on: dt.date


def plan_deadlines(
    *,
    recurrence: str,
    start: dt.date,
    end: dt.date,
    due_day: int,
    month_offset: int,
    rule: str,
) -> list[PlannedDeadline]:
    """The deadlines a recurring schedule gives over [start, end]."""
    planned = []
    for period in periods(recurrence, start, end):
        nominal = nominal_due_date(period, due_day=due_day, month_offset=month_offset)
        planned.append(PlannedDeadline(period, nominal, working_due_date(nominal, rule)))
    return planned
