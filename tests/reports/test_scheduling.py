"""Recurring schedules: periods, month ends, non-working days, and the deadlines they create."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from campaigns.models import ParticipantMode
from reports import scheduling, services
from reports.models import NonWorkingDayRule, Recurrence, Reminder, ReportDeadline
from tests import factories

D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_monthly_periods_are_calendar_months_clipped_to_the_span():
    periods = scheduling.periods(Recurrence.MONTHLY, D(2026, 1, 15), D(2026, 4, 10))
    assert [(p.start, p.end) for p in periods] == [
        (D(2026, 1, 15), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 4, 10)),
    ]
    assert periods[1].label == "month 02/2026"


def test_quarters_halves_and_years_follow_the_calendar():
    quarters = scheduling.periods(Recurrence.QUARTERLY, D(2026, 2, 1), D(2026, 12, 31))
    assert [(p.start, p.end, p.label) for p in quarters] == [
        (D(2026, 2, 1), D(2026, 3, 31), "quarter I/2026"),
        (D(2026, 4, 1), D(2026, 6, 30), "quarter II/2026"),
        (D(2026, 7, 1), D(2026, 9, 30), "quarter III/2026"),
        (D(2026, 10, 1), D(2026, 12, 31), "quarter IV/2026"),
    ]
    halves = scheduling.periods(Recurrence.HALF_YEARLY, D(2026, 1, 1), D(2027, 3, 31))
    assert [p.label for p in halves] == ["first half of 2026", "second half of 2026", "first half of 2027"]
    years = scheduling.periods(Recurrence.YEARLY, D(2025, 7, 1), D(2027, 6, 30))
    assert [(p.start, p.end) for p in years] == [
        (D(2025, 7, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 6, 30)),
    ]


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2026, 2, 31, D(2026, 2, 28)),
        (2028, 2, 31, D(2028, 2, 29)),
        (2026, 4, 31, D(2026, 4, 30)),
        (2026, 1, 31, D(2026, 1, 31)),
        (2026, 6, 15, D(2026, 6, 15)),
    ],
)
def test_a_day_the_month_does_not_have_means_its_last_day(year, month, day, expected):
    assert scheduling.clamp_day(year, month, day) == expected


def test_due_in_the_month_after_the_period_crosses_the_year_end():
    period = scheduling.Period(D(2026, 12, 1), D(2026, 12, 31), "")
    assert scheduling.nominal_due_date(period, due_day=5, month_offset=1) == D(2027, 1, 5)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (NonWorkingDayRule.PREVIOUS, D(2026, 2, 13)),
        (NonWorkingDayRule.NEXT, D(2026, 2, 23)),
        (NonWorkingDayRule.KEEP, D(2026, 2, 18)),
    ],
)
def test_a_due_date_in_tet_moves_as_staff_chose(rule, expected):
    """18/02/2026 is the second day of Tết: the previous working day is Friday 13/02."""
    assert scheduling.working_due_date(D(2026, 2, 18), rule) == expected


def test_monthly_plan_with_the_last_day_rule_over_a_year_end():
    """Due on "the 31st" of the month after: 31/01/2027 is a Sunday, so it moves to Friday 29/01."""
    planned = scheduling.plan_deadlines(
        recurrence=Recurrence.MONTHLY,
        start=D(2026, 11, 1),
        end=D(2026, 12, 31),
        due_day=31,
        month_offset=1,
        rule=NonWorkingDayRule.PREVIOUS,
    )
    assert [(p.nominal_due_on, p.due_on) for p in planned] == [
        (D(2026, 12, 31), D(2026, 12, 31)),
        (D(2027, 1, 31), D(2027, 1, 29)),
    ]


def test_due_datetime_is_local_time():
    at = scheduling.due_datetime(D(2026, 6, 19), dt.time(17, 0))
    assert timezone.localtime(at).hour == 17
    assert at.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.django_db
def test_a_schedule_creates_the_deadlines_of_the_campaign_period_from_today(
    staff_user, unit_a, unit_b, time_machine
):
    """Created on 10/03/2026 for a 2026 campaign, a monthly schedule due on the 20th gives the
    deadlines from March on; earlier months are left out; each deadline gets its reminders."""
    campaign = factories.CampaignFactory(
        start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), participant_mode=ParticipantMode.UNITS
    )
    campaign.participant_units.set([unit_a, unit_b])
    target = factories.TargetFactory(campaign=campaign)
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False)
    result = services.schedule_create(
        by=staff_user,
        campaign=campaign,
        data=services.ScheduleData(
            title="Báo cáo kết quả",
            kind="monthly",
            recurrence=Recurrence.MONTHLY,
            due_day=20,
            sections=["Kết quả", "Kiến nghị"],
            targets=[target],
        ),
    )
    assert result.skipped == 2
    deadlines = list(ReportDeadline.objects.order_by("due_at"))
    assert len(deadlines) == 10
    first = deadlines[0]
    assert first.title == "Báo cáo kết quả month 03/2026"
    assert (first.period_start, first.period_end, first.due_on) == (
        D(2026, 3, 1),
        D(2026, 3, 31),
        D(2026, 3, 20),
    )
    # 20/06/2026 is a Saturday: due on Friday 19/06.
    june = next(d for d in deadlines if d.period_start == D(2026, 6, 1))
    assert (june.nominal_due_on, june.due_on) == (D(2026, 6, 20), D(2026, 6, 19))
    assert list(june.targets.all()) == [target]
    assert june.sections == ["Kết quả", "Kiến nghị"]
    assert all(d.schedule_id == result.schedule.pk for d in deadlines)
    assert Reminder.objects.filter(deadline=june).count() == 2 * 7


@pytest.mark.django_db
def test_a_cluster_year_schedule_covers_that_year(staff_user, cluster_with_head):
    result = services.schedule_create(
        by=staff_user,
        cluster_term=cluster_with_head.term,
        today=D(cluster_with_head.term.year, 1, 1),
        data=services.ScheduleData(kind="half_year", recurrence=Recurrence.HALF_YEARLY, due_day=15),
    )
    assert [d.period_end.month for d in result.deadlines] == [6, 12]
    assert all(d.cluster_term_id == cluster_with_head.term.pk for d in result.deadlines)


@pytest.mark.django_db
def test_a_schedule_needs_one_owner_and_a_real_day(staff_user):
    with pytest.raises(ValidationError):
        services.schedule_create(
            by=staff_user, data=services.ScheduleData(kind="monthly", recurrence="monthly", due_day=20)
        )
    campaign = factories.CampaignFactory()
    with pytest.raises(ValidationError):
        services.schedule_create(
            by=staff_user,
            campaign=campaign,
            data=services.ScheduleData(kind="monthly", recurrence="monthly", due_day=32),
        )
