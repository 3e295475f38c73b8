"""Redis stops while units submit reports (issue 7).

Everything real: a private redis-server (cache, sessions' cache and Celery broker), a Celery
worker process, this test's PostgreSQL database and an SMTP server. Redis is stopped while
people work: every page still answers at once, every submission is saved, and once Redis is
back the beat sweep hands out what the outage held back, each reminder and notification going
out exactly once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reports import reminders
from reports.models import Notification, Reminder, ReminderKind, ReminderStatus, Report, ReportStatus
from reports.tasks import send_reminder
from tests.brokers import celery_broker
from tests.reports.test_reminders_integration import (
    STEP_TIMES,
    Workers,
    make_deadline,
    make_province,
    settled,
    wait_until,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A request that touches the broker or the cache while Redis is down must answer within this.
PROMPT = 2.5


@pytest.fixture
def outage(private_redis, smtp, settings, monkeypatch):
    """This process and a worker on the private Redis, as production runs with REDIS_URL."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "thidua",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    workers = Workers(private_redis.url, smtp)
    workers.serve(send_reminder, monkeypatch)
    with celery_broker(private_redis.url):
        yield workers
        workers.stop()


def timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_submissions_survive_a_redis_outage_and_reminders_go_out_once_after(outage, private_redis, smtp):
    """Seven working days before the due date, at 08:00 the reminders fall due and Redis is
    down. The beat sweep cannot hand them out; units 0 and 1 submit, staff return unit 1's
    report and remind unit 2, all through the web pages, each answered at once. Nothing is
    sent meanwhile. When Redis is back, one sweep hands out what is due: unit 2's reminder and
    staff's, and the returned-report message to unit 1; units 0 and 1 get no reminder (they
    submitted). Duplicate deliveries of every message send nothing more."""
    setup = make_province(unit_count=3)
    deadline = make_deadline(setup)
    moment = STEP_TIMES[(ReminderKind.BEFORE, 7)]
    officers = [signed_in(officer) for officer in setup.officers]
    staff = signed_in(setup.staff)
    outage.start()  # the worker lives through the outage and reconnects by itself

    with time_machine.travel(moment + dt.timedelta(minutes=1), tick=True):
        private_redis.stop()

        due, seconds = timed(reminders.sweep_due_reminders)
        assert len(due) == 3
        assert seconds < PROMPT, f"the sweep hung {seconds:.1f} s on the stopped broker"
        # Not handed out: the next sweep takes them again instead of waiting out the lease.
        assert not Reminder.objects.filter(pk__in=due, enqueued_at__isnull=False).exists()

        for index in (0, 1):
            url = reverse("reports:report_detail", args=[deadline.pk, setup.units[index].pk])
            response, seconds = timed(
                lambda url=url, index=index: officers[index].post(
                    url, {"version": "0", "section_0": f"Kết quả của đơn vị {index}", "submit": "1"}
                )
            )
            assert response.status_code == 302, response.content[:500]
            assert seconds < PROMPT, f"submitting took {seconds:.1f} s with Redis down"
        review = reverse("reports:report_review", args=[deadline.pk, setup.units[1].pk])
        response, seconds = timed(lambda: staff.post(review, {"action": "return", "reason": "Thiếu số liệu"}))
        assert response.status_code == 302
        assert seconds < PROMPT, f"returning took {seconds:.1f} s with Redis down"
        remind = reverse("reports:remind_unit", args=[deadline.pk, setup.units[2].pk])
        response, seconds = timed(lambda: staff.post(remind))
        assert response.status_code in {200, 204, 302}
        assert seconds < PROMPT, f"reminding took {seconds:.1f} s with Redis down"
        assert staff.get(reverse("reports:deadline_board", args=[deadline.pk])).status_code == 200

    statuses = dict(Report.objects.values_list("unit_id", "status"))
    assert statuses == {setup.units[0].pk: ReportStatus.SUBMITTED, setup.units[1].pk: ReportStatus.RETURNED}
    assert smtp.total() == 0
    assert not Notification.objects.exists()

    held_back = set(
        Reminder.objects.filter(
            deadline=deadline, status=ReminderStatus.PENDING, due_at__lte=moment + dt.timedelta(minutes=2)
        ).values_list("pk", flat=True)
    )
    # Unit 2's step, staff's reminder to unit 2, the returned-report message to unit 1.
    assert len(held_back) == 3

    private_redis.start()  # the same port, empty: every message queued before is gone
    with time_machine.travel(moment + dt.timedelta(minutes=2), tick=True):
        handed = reminders.sweep_due_reminders()
        assert reminders.sweep_due_reminders() == []
    assert set(handed) == held_back
    wait_until(lambda: settled(handed), "the held-back reminders to be sent", timeout=45)
    for pk in handed:
        send_reminder.delay(pk)  # as if Redis delivered every message again
    last = Reminder.objects.create(
        deadline=deadline, unit=setup.units[2], kind=ReminderKind.MANUAL, due_at=moment
    )
    send_reminder.delay(last.pk)  # queued after the duplicates: once it is sent, they were handled
    wait_until(lambda: settled([last.pk]), "the last reminder, queued after the duplicates")

    _officer_0, officer_1, officer_2 = (officer.email for officer in setup.officers)
    assert smtp.count_by_recipient() == {officer_1: 1, officer_2: 2 + 1}
    assert len({message.message_id for message in smtp.messages}) == smtp.total()
    assert Counter(Notification.objects.values_list("user__username", flat=True)) == {
        "canbo_1": 1,
        "canbo_2": 3,
    }
    assert Counter(
        Reminder.objects.filter(deadline=deadline, status=ReminderStatus.CANCELLED).values_list(
            "unit_id", flat=True
        )
    ) == {
        setup.units[0].pk: 7,  # every step of the unit that submitted
        setup.units[1].pk: 1,  # the past step; the returned report's future steps are due again
    }
