"""Factories for report deadlines and reports (kept beside the report tests)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from tests.factories import CampaignFactory, UserFactory, this_year


def local(day: dt.date, hour: int = 17, minute: int = 0) -> dt.datetime:
    """An aware datetime at a local (Asia/Ho_Chi_Minh) time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ReportDeadlineFactory(factory.django.DjangoModelFactory):
    """A campaign's monthly report due at 17:00 on 19/06 of this year (a Friday in 2026).

    Built directly: no reminders are planned (use the services for that)."""

    class Meta:
        model = "reports.ReportDeadline"

    campaign = factory.SubFactory(CampaignFactory)
    cluster_term = None
    title = factory.Sequence(lambda n: f"Báo cáo kết quả thực hiện phong trào số {n}")
    kind = "monthly"
    nominal_due_on = factory.LazyFunction(lambda: dt.date(this_year(), 6, 19))
    due_at = factory.LazyAttribute(lambda o: local(o.nominal_due_on))
    sections = factory.LazyFunction(lambda: ["Kết quả đạt được", "Tồn tại, hạn chế"])
    required_attachments = factory.LazyFunction(list)
    created_by = factory.SubFactory(UserFactory, province_staff=True)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.Report"

    deadline = factory.SubFactory(ReportDeadlineFactory)
    unit = factory.SubFactory("tests.factories.UnitFactory")
