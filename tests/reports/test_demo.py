"""The demo province's reports, and the issue's acceptance run on it: staff set a deadline with
the default policy and, as simulated time passes, each unit gets exactly the policy's reminders,
by e-mail and in the app, and the late units show on the board."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clusters.models import ClusterMembership, ClusterTerm, MemberRole
from core.demo import seed_demo
from core.models import User
from reports import reminders, services, workdays
from reports.models import (
    Notification,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
    Report,
    ReportDeadline,
    ReportStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """The small demo province, seeded once for the module and rolled back at its end."""
    var_dir = tmp_path_factory.mktemp("var")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir, PASSWORD_HASHERS=hashers):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = io.StringIO()
            seed_demo(scale="small", stdout=output)
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_the_demo_has_deadlines_reports_and_reminders(demo):
    """Monthly quick reports around today, the six-month and year-end reviews from the
    directive, a cluster-year report; reports on time, late, returned, accepted and missing;
    reminders sent, cancelled by submissions, and waiting."""
    assert "kỳ báo cáo" in demo
    deadlines = ReportDeadline.objects.all()
    assert deadlines.filter(kind="monthly").count() >= 2
    assert deadlines.filter(source_deadline__isnull=False).count() == 2
    assert deadlines.filter(cluster_term__isnull=False).count() == 1
    assert ReminderPolicy.objects.get().days_before == [7, 3, 1]
    statuses = Counter(Report.objects.values_list("status", flat=True))
    assert statuses[ReportStatus.ACCEPTED] > 100
    assert statuses[ReportStatus.RETURNED] > 0
    assert statuses[ReportStatus.DRAFT] > 0
    assert Report.objects.filter(late_days__isnull=False).count() > 10
    reminder_statuses = Counter(Reminder.objects.values_list("status", flat=True))
    assert reminder_statuses[ReminderStatus.SENT] > 1000
    assert reminder_statuses[ReminderStatus.CANCELLED] > 100
    assert reminder_statuses[ReminderStatus.PENDING] > 100
    assert not Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=timezone.now()).exists()


def test_the_commune_officer_has_an_overdue_report_a_returned_one_and_notifications(demo, login_as):
    canbo = User.objects.get(username="canbo")
    mine = Report.objects.filter(unit=canbo.unit)
    assert mine.filter(status=ReportStatus.RETURNED).exists()
    assert Notification.objects.filter(user=canbo, read_at__isnull=True).exists()
    page = login_as(canbo).get(reverse("reports:my_deadlines"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count >= 5


def test_the_cluster_head_sees_the_cluster_board(demo, login_as):
    deadline = ReportDeadline.objects.get(cluster_term__isnull=False)
    response = login_as(User.objects.get(username="truongcum")).get(deadline.get_absolute_url())
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == deadline.cluster_term.memberships.count()


def _next_working_day_after(day: dt.date, days: int) -> dt.date:
    return workdays.add_working_days(day, days)


def test_staff_set_a_deadline_and_each_unit_gets_exactly_the_policy_reminders(
    demo, login_as, time_machine, django_capture_on_commit_callbacks, settings
):
    """Staff add a thematic report to the demo cluster's year with the default policy. Time
    passes step by step: the canbo's unit submits on the due day; every other member never
    does. Each unit gets exactly the policy's reminders; the late ones also reach the unit's
    head and the cluster head; the late units show on the board."""
    settings.LANGUAGE_CODE = "en"
    staff = User.objects.get(username="chuyenvien")
    canbo = User.objects.get(username="canbo")
    truongcum = User.objects.get(username="truongcum")
    term = ClusterTerm.objects.get(
        memberships__unit=truongcum.unit, memberships__role=MemberRole.HEAD, year=timezone.localdate().year
    )
    if not term.memberships.filter(unit=canbo.unit).exists():
        ClusterMembership.objects.filter(unit=canbo.unit, year=term.year).update(term=term)
    today = timezone.localdate()
    due_on = _next_working_day_after(today, 12)
    response = login_as(staff).post(
        reverse("reports:deadline_create"),
        {
            "term": term.pk,
            "title": "Báo cáo chuyên đề về chuyển đổi số",
            "kind": "thematic",
            "due_on": due_on.strftime("%d/%m/%Y"),
            "due_time": "17:00",
            "non_working_day_rule": "previous",
            "unit_mode": "all",
            "sections": "Kết quả triển khai",
        },
    )
    assert response.status_code == 302
    deadline = ReportDeadline.objects.get(title="Báo cáo chuyên đề về chuyển đổi số")
    members = set(term.memberships.values_list("unit_id", flat=True))
    policy = reminders.policy_for(deadline)
    steps = sorted(
        (reminders.step_due_at(deadline, kind, offset, policy.send_at), kind, offset)
        for kind, offset in policy.steps()
    )
    assert len(steps) == 7
    # Only this deadline's reminders are followed: the demo's other pending ones are set aside.
    Reminder.objects.exclude(deadline=deadline).filter(status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED
    )
    for at, kind, _offset in steps:
        time_machine.move_to(at + dt.timedelta(minutes=1), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            reminders.sweep_due_reminders()
            assert reminders.sweep_due_reminders() == []
        if kind == ReminderKind.DUE:
            services.report_submit(
                deadline=deadline, unit=canbo.unit, by=canbo, version=0, narrative={"0": "Đã triển khai."}
            )
    sent = Counter(
        Reminder.objects.filter(deadline=deadline, status=ReminderStatus.SENT).values_list(
            "unit_id", flat=True
        )
    )
    assert sent == {unit: (4 if unit == canbo.unit_id else 7) for unit in members}
    by_email = Counter(address for message in mail.outbox for address in message.to)
    assert by_email[canbo.email] == 4
    assert by_email[User.objects.get(username="thutruong").email] == 0
    # The cluster head's own unit gets the seven; it also hears of each other late member.
    late_members = len(members) - 2
    assert by_email[truongcum.email] == 7 + 3 * late_members
    assert Notification.objects.filter(user=canbo, reminder__deadline=deadline).count() == 4
    board = login_as(staff).get(deadline.get_absolute_url(), {"status": "late_any"})
    assert board.context["page_obj"].paginator.count == len(members) - 1
    assert "overdue by" in board.content.decode()
