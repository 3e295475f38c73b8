"""Reminders: planned per policy step, swept by beat, sent exactly once, cancelled by a submission.

Tasks run eagerly here (the integration tests use a real worker): the sweep's `delay_on_commit`
callbacks are run with `django_capture_on_commit_callbacks(execute=True)`.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone, translation

from campaigns.models import ParticipantMode
from clusters.models import MemberRole
from reports import reminders, services
from reports.models import (
    DeliveryStatus,
    LogOutcome,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderLog,
    ReminderStatus,
    ReportDeadline,
)
from tests import factories
from tests.reports.factories import local

pytestmark = pytest.mark.django_db

D = dt.date
DUE = D(2026, 6, 19)  # a Friday
# When each default step falls due for a report due Friday 19/06/2026 at 17:00.
STEPS = [
    (ReminderKind.BEFORE, 7, local(D(2026, 6, 10), 8)),
    (ReminderKind.BEFORE, 3, local(D(2026, 6, 16), 8)),
    (ReminderKind.BEFORE, 1, local(D(2026, 6, 18), 8)),
    (ReminderKind.DUE, 0, local(D(2026, 6, 19), 8)),
    (ReminderKind.AFTER, 1, local(D(2026, 6, 22), 8)),
    (ReminderKind.AFTER, 3, local(D(2026, 6, 24), 8)),
    (ReminderKind.AFTER, 7, local(D(2026, 6, 30), 8)),
]


@pytest.fixture(autouse=True)
def _setup(settings, time_machine):
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://thidua.example.vn"
    time_machine.move_to(local(D(2026, 6, 1), 9), tick=False)
    with translation.override("en"):
        yield


class Province:
    """A 2026 campaign for units A and B, both in a cluster headed by unit H."""

    def __init__(self) -> None:
        self.staff = factories.make_staff(username="chuyenvien", email="chuyenvien@thidua.example.vn")
        self.cluster = factories.ClusterFactory(name="Cụm thi đua số 1")
        term = factories.ClusterTermFactory(cluster=self.cluster, year=2026)
        self.head_unit = factories.UnitFactory(name="Xã Mễ Sở")
        self.unit_a = factories.UnitFactory(name="Xã Phụng Công")
        self.unit_b = factories.UnitFactory(name="Xã Văn Giang")
        factories.ClusterMembershipFactory(term=term, unit=self.head_unit, role=MemberRole.HEAD)
        factories.ClusterMembershipFactory(term=term, unit=self.unit_a)
        factories.ClusterMembershipFactory(term=term, unit=self.unit_b)
        self.officer_a = factories.make_officer(self.unit_a, username="canbo_a")
        self.officer_b = factories.make_officer(self.unit_b, username="canbo_b")
        self.head_b = factories.make_unit_head(self.unit_b, username="thutruong_b")
        self.cluster_head = factories.make_officer(self.head_unit, username="truongcum")
        self.campaign = factories.CampaignFactory(
            start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), participant_mode=ParticipantMode.UNITS
        )
        self.campaign.participant_units.set([self.unit_a, self.unit_b])

    def deadline(self, due_on: dt.date = DUE, **changes) -> ReportDeadline:
        data = services.DeadlineData(
            title="Báo cáo sơ kết 6 tháng", kind="half_year", due_on=due_on, sections=["Kết quả"], **changes
        )
        return services.deadline_create(by=self.staff, campaign=self.campaign, data=data)

    def submit(self, deadline: ReportDeadline, unit, by) -> None:
        services.report_submit(
            deadline=deadline, unit=unit, by=by, version=0, narrative={"0": "Đã hoàn thành các chỉ tiêu."}
        )


@pytest.fixture
def province(db) -> Province:
    return Province()


def sweep(django_capture_on_commit_callbacks) -> list[int]:
    with django_capture_on_commit_callbacks(execute=True):
        return reminders.sweep_due_reminders()


def sent_to() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


# --- Planning ----------------------------------------------------------------------------------------


def test_the_default_policy_plans_seven_steps_per_unit_on_working_days(province):
    deadline = province.deadline()
    rows = Reminder.objects.filter(deadline=deadline, unit=province.unit_a).order_by("due_at")
    assert [(r.kind, r.offset, r.due_at) for r in rows] == STEPS
    assert [r.escalate for r in rows] == [False, False, False, False, True, True, True]
    assert Reminder.objects.filter(deadline=deadline).count() == 14


def test_steps_skip_tet(province, time_machine):
    """A report due Tuesday 24/02/2026: one working day before is Monday 23/02, three before is
    Thursday 12/02 (Tết in between), and one working day late is Wednesday 25/02."""
    time_machine.move_to(local(D(2026, 1, 20), 9), tick=False)
    deadline = province.deadline(due_on=D(2026, 2, 24))
    due = {
        (r.kind, r.offset): timezone.localdate(r.due_at)
        for r in Reminder.objects.filter(deadline=deadline, unit=province.unit_a)
    }
    assert due[(ReminderKind.BEFORE, 1)] == D(2026, 2, 23)
    assert due[(ReminderKind.BEFORE, 3)] == D(2026, 2, 12)
    assert due[(ReminderKind.BEFORE, 7)] == D(2026, 2, 6)
    assert due[(ReminderKind.AFTER, 1)] == D(2026, 2, 25)


def test_a_due_date_in_tet_moves_before_it_and_the_steps_follow(province, time_machine):
    time_machine.move_to(local(D(2026, 1, 20), 9), tick=False)
    deadline = province.deadline(due_on=D(2026, 2, 18))
    assert deadline.due_on == D(2026, 2, 13)
    late = Reminder.objects.get(deadline=deadline, unit=province.unit_a, kind=ReminderKind.AFTER, offset=1)
    assert timezone.localdate(late.due_at) == D(2026, 2, 23)


def test_steps_already_past_are_not_planned(province, time_machine):
    """A deadline created on 17/06 gets no reminder for 7 and 3 working days before."""
    time_machine.move_to(local(D(2026, 6, 17), 9), tick=False)
    deadline = province.deadline()
    kinds = set(
        Reminder.objects.filter(deadline=deadline, unit=province.unit_a).values_list("kind", "offset")
    )
    assert (ReminderKind.BEFORE, 7) not in kinds
    assert (ReminderKind.BEFORE, 3) not in kinds
    assert (ReminderKind.BEFORE, 1) in kinds


def test_changing_the_policy_replans_pending_reminders_only(province, django_capture_on_commit_callbacks):
    deadline = province.deadline()
    services.policy_save(
        by=province.staff,
        campaign=province.campaign,
        days_before=[5],
        on_due_day=False,
        days_after=[2],
        escalate_late=False,
        send_at=dt.time(7, 30),
    )
    rows = Reminder.objects.filter(deadline=deadline, unit=province.unit_a).order_by("due_at")
    assert [(r.kind, r.offset, r.due_at, r.escalate) for r in rows] == [
        (ReminderKind.BEFORE, 5, local(D(2026, 6, 12), 7, 30), False),
        (ReminderKind.AFTER, 2, local(D(2026, 6, 23), 7, 30), False),
    ]


def test_a_new_deadline_follows_the_campaigns_policy(province):
    services.policy_save(
        by=province.staff,
        campaign=province.campaign,
        days_before=[2],
        on_due_day=True,
        days_after=[],
        escalate_late=True,
        send_at=dt.time(8, 0),
    )
    deadline = province.deadline()
    assert set(Reminder.objects.filter(deadline=deadline).values_list("kind", "offset")) == {
        (ReminderKind.BEFORE, 2),
        (ReminderKind.DUE, 0),
    }


# --- The timeline ----------------------------------------------------------------------------------------


def test_each_unit_gets_exactly_the_reminders_the_policy_says(
    province, time_machine, django_capture_on_commit_callbacks
):
    """As time passes, A (which submits on the due day) gets the four steps before it, by e-mail
    and in the app; B (which never submits) gets all seven, and the three late ones also go to
    B's head and to the officer of the cluster's head unit. A second sweep at any moment sends
    nothing more."""
    deadline = province.deadline()
    for kind, _offset, at in STEPS:
        time_machine.move_to(at + dt.timedelta(minutes=1), tick=False)
        sweep(django_capture_on_commit_callbacks)
        assert sweep(django_capture_on_commit_callbacks) == []
        if kind == ReminderKind.DUE:
            time_machine.move_to(local(DUE, 10), tick=False)
            province.submit(deadline, province.unit_a, province.officer_a)
    assert sent_to() == {
        province.officer_a.email: 4,
        province.officer_b.email: 7,
        province.head_b.email: 3,
        province.cluster_head.email: 3,
    }
    in_app = Counter(Notification.objects.values_list("user__username", flat=True))
    assert in_app == {"canbo_a": 4, "canbo_b": 7, "thutruong_b": 3, "truongcum": 3}
    statuses = Counter(Reminder.objects.filter(deadline=deadline).values_list("unit__name", "status"))
    assert statuses[("Xã Phụng Công", ReminderStatus.SENT)] == 4
    assert statuses[("Xã Phụng Công", ReminderStatus.CANCELLED)] == 3
    assert statuses[("Xã Văn Giang", ReminderStatus.SENT)] == 7


def test_a_reminder_e_mail_has_text_html_a_link_and_a_stable_message_id(
    province, time_machine, django_capture_on_commit_callbacks
):
    deadline = province.deadline()
    time_machine.move_to(STEPS[4][2], tick=False)
    sweep(django_capture_on_commit_callbacks)
    message = next(
        m for m in mail.outbox if m.to == [province.officer_b.email] and m.subject.startswith("Late report")
    )
    url = f"https://thidua.example.vn/bao-cao/ky/{deadline.pk}/don-vi/{province.unit_b.pk}/"
    assert "1 working day late" in message.body
    assert url in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{url}"' in html
    reminder = Reminder.objects.get(
        deadline=deadline, unit=province.unit_b, kind=ReminderKind.AFTER, offset=1
    )
    assert (
        message.extra_headers["Message-ID"] == f"<reminder-{reminder.pk}-{province.officer_b.pk}@localhost>"
    )


# --- Exactly once -------------------------------------------------------------------------------------


def _due_reminder(province) -> Reminder:
    deadline = province.deadline()
    return Reminder.objects.get(deadline=deadline, unit=province.unit_b, kind=ReminderKind.BEFORE, offset=7)


def test_a_redelivered_send_sends_nothing(province, time_machine):
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    first = reminders.reminder_send(reminder_id=reminder.pk)
    second = reminders.reminder_send(reminder_id=reminder.pk)
    assert (first.claimed, first.status) == (True, ReminderStatus.SENT)
    assert second.claimed is False
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_a_live_claim_keeps_other_senders_out_until_its_lease_expires(province, time_machine):
    """A worker that died mid-send leaves its claim; after the lease another takes over and sends
    only what was not sent yet."""
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    Reminder.objects.filter(pk=reminder.pk).update(
        claimed_at=timezone.now(), claim_token=uuid.uuid4(), attempts=1
    )
    assert reminders.reminder_send(reminder_id=reminder.pk).claimed is False
    time_machine.shift(reminders.lease() + dt.timedelta(seconds=1))
    outcome = reminders.reminder_send(reminder_id=reminder.pk)
    assert (outcome.claimed, outcome.status) == (True, ReminderStatus.SENT)
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(pk=reminder.pk).attempts == 2


def test_a_retry_sends_only_the_deliveries_still_pending(province, time_machine):
    """The e-mail to the officer went out before the crash; the retry sends the in-app one only."""
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    ReminderDelivery.objects.create(
        reminder=reminder, user=province.officer_b, channel="email", status=DeliveryStatus.SENT
    )
    reminders.reminder_send(reminder_id=reminder.pk)
    assert mail.outbox == []
    assert Notification.objects.filter(user=province.officer_b).count() == 1


def test_the_sweep_hands_a_row_out_once_within_the_lease(
    province, time_machine, django_capture_on_commit_callbacks
):
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    Reminder.objects.filter(pk=reminder.pk).update(enqueued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False):
        assert reminder.pk not in reminders.sweep_due_reminders()
    time_machine.shift(reminders.lease() + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = reminders.sweep_due_reminders()
    assert reminder.pk in ids
    assert len(callbacks) == len(ids)


def test_the_sweep_enqueues_after_commit(province, time_machine, django_capture_on_commit_callbacks):
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = reminders.sweep_due_reminders()
    assert reminder.pk in ids
    assert mail.outbox == []
    assert len(callbacks) == len(ids)
    assert Reminder.objects.get(pk=reminder.pk).enqueued_at == timezone.now()


# --- Cancelling -------------------------------------------------------------------------------------


def test_submitting_cancels_the_units_pending_reminders(province):
    deadline = province.deadline()
    province.submit(deadline, province.unit_a, province.officer_a)
    a = Counter(
        Reminder.objects.filter(deadline=deadline, unit=province.unit_a).values_list("status", flat=True)
    )
    b = Counter(
        Reminder.objects.filter(deadline=deadline, unit=province.unit_b).values_list("status", flat=True)
    )
    assert a == {ReminderStatus.CANCELLED: 7}
    assert b == {ReminderStatus.PENDING: 7}
    assert ReminderLog.objects.filter(outcome=LogOutcome.CANCELLED).count() == 7


def test_a_send_after_the_report_came_in_cancels_instead(province, time_machine):
    """The row was already handed to a worker when the unit submitted: nothing goes out."""
    reminder = _due_reminder(province)
    Reminder.objects.filter(deadline=reminder.deadline, unit=province.unit_b).update(
        enqueued_at=timezone.now()
    )
    province.submit(reminder.deadline, province.unit_b, province.officer_b)
    Reminder.objects.filter(pk=reminder.pk).update(status=ReminderStatus.PENDING, cancelled_at=None)
    time_machine.move_to(reminder.due_at, tick=False)
    outcome = reminders.reminder_send(reminder_id=reminder.pk)
    assert outcome.status == ReminderStatus.CANCELLED
    assert mail.outbox == []


def test_locking_the_deadline_cancels_every_pending_reminder(province):
    deadline = province.deadline()
    services.deadline_lock(deadline=deadline, by=province.staff, locked=True)
    assert set(Reminder.objects.filter(deadline=deadline).values_list("status", flat=True)) == {
        ReminderStatus.CANCELLED
    }
    services.deadline_lock(deadline=deadline, by=province.staff, locked=False)
    assert Reminder.objects.filter(deadline=deadline, status=ReminderStatus.PENDING).count() == 0
    # Cancelled steps stay cancelled; the record is kept.
    assert Reminder.objects.filter(deadline=deadline).count() == 14


def test_a_returned_report_is_due_again_and_the_unit_is_told_why(
    province, time_machine, django_capture_on_commit_callbacks
):
    deadline = province.deadline()
    time_machine.move_to(local(D(2026, 6, 17), 9), tick=False)
    province.submit(deadline, province.unit_a, province.officer_a)
    report = deadline.reports.get(unit=province.unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, by=province.staff, reason="Thiếu số liệu tháng 5.")
    message = mail.outbox[-1]
    assert message.to == [province.officer_a.email]
    assert "Thiếu số liệu tháng 5." in message.body
    pending = set(
        Reminder.objects.filter(
            deadline=deadline, unit=province.unit_a, status=ReminderStatus.PENDING
        ).values_list("kind", "offset")
    )
    assert pending == {
        (ReminderKind.BEFORE, 1),
        (ReminderKind.DUE, 0),
        *((ReminderKind.AFTER, d) for d in (1, 3, 7)),
    }


# --- Recipients and channels -------------------------------------------------------------------------


def test_a_person_who_chose_the_app_gets_no_e_mail_before_the_due_date(province, time_machine):
    NotificationPreference.objects.create(user=province.officer_b, channels="app")
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    reminders.reminder_send(reminder_id=reminder.pk)
    assert mail.outbox == []
    assert Notification.objects.filter(user=province.officer_b).count() == 1


def test_late_reminders_cannot_be_silenced(province, time_machine):
    """Chosen "in the app only", the officer still gets late reminders by e-mail too."""
    NotificationPreference.objects.create(user=province.officer_b, channels="app")
    deadline = province.deadline()
    late = Reminder.objects.get(deadline=deadline, unit=province.unit_b, kind=ReminderKind.AFTER, offset=1)
    time_machine.move_to(late.due_at, tick=False)
    reminders.reminder_send(reminder_id=late.pk)
    assert province.officer_b.email in sent_to()
    assert Notification.objects.filter(user=province.officer_b).count() == 1


def test_e_mail_only_means_no_in_app_notification(province, time_machine):
    NotificationPreference.objects.create(user=province.officer_b, channels="email")
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    reminders.reminder_send(reminder_id=reminder.pk)
    assert sent_to() == {province.officer_b.email: 1}
    assert not Notification.objects.filter(user=province.officer_b).exists()


def test_a_unit_without_an_officer_is_reminded_through_its_head(province, time_machine):
    head_a = factories.make_unit_head(province.unit_a, username="thutruong_a")
    province.officer_a.delete()
    deadline = province.deadline()
    reminder = Reminder.objects.get(
        deadline=deadline, unit=province.unit_a, kind=ReminderKind.BEFORE, offset=7
    )
    time_machine.move_to(reminder.due_at, tick=False)
    reminders.reminder_send(reminder_id=reminder.pk)
    assert sent_to() == {head_a.email: 1}


def test_a_missing_address_is_logged_and_the_app_still_notifies(province, time_machine):
    type(province.officer_b).objects.filter(pk=province.officer_b.pk).update(email="")
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    outcome = reminders.reminder_send(reminder_id=reminder.pk)
    assert outcome.status == ReminderStatus.SENT
    delivery = ReminderDelivery.objects.get(reminder=reminder, channel="email")
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "no e-mail address")
    assert Notification.objects.filter(user=province.officer_b).count() == 1


# --- Failures ---------------------------------------------------------------------------------------


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def open(self):
        raise smtplib.SMTPConnectError(421, "Service not available")

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("down")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({email_messages[0].to[0]: (550, b"No such user")})


def test_a_mail_server_outage_is_retried_with_a_growing_wait_then_given_up(province, time_machine, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.reports.test_reminders.DownBackend"}}
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    waits = []
    for _attempt in range(reminders.MAX_ATTEMPTS):
        outcome = reminders.reminder_send(reminder_id=reminder.pk)
        waits.append(outcome.retry_in)
    assert waits == [60, 120, 240, 480, None]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert "5 attempts" in reminder.failure
    log = Counter(ReminderLog.objects.filter(reminder=reminder).values_list("outcome", flat=True))
    assert log[LogOutcome.RETRY] == 4
    assert log[LogOutcome.GAVE_UP] == 1
    assert log[LogOutcome.FAILED] == 5
    # The in-app notification went out once, at the first attempt.
    assert Notification.objects.filter(user=province.officer_b).count() == 1


def test_the_task_asks_celery_to_retry_after_a_transient_failure(province, time_machine, settings):
    """The Celery task turns a transient failure into a retry in a minute; the retry sends."""
    from celery.exceptions import Retry

    from reports.tasks import send_reminder

    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    settings.MAILERS = {"default": {"BACKEND": "tests.reports.test_reminders.DownBackend"}}
    with pytest.raises(Retry) as retry:
        send_reminder.delay(reminder.pk)
    assert retry.value.when == 60
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    send_reminder.delay(reminder.pk)
    assert sent_to() == {province.officer_b.email: 1}
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.SENT


def test_a_refused_address_fails_for_good_without_retrying(province, time_machine, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.reports.test_reminders.RefusingBackend"}}
    reminder = _due_reminder(province)
    time_machine.move_to(reminder.due_at, tick=False)
    outcome = reminders.reminder_send(reminder_id=reminder.pk)
    assert (outcome.status, outcome.retry_in) == (ReminderStatus.SENT, None)
    delivery = ReminderDelivery.objects.get(reminder=reminder, channel="email")
    assert delivery.status == DeliveryStatus.FAILED
    assert "No such user" in delivery.error


# --- The command ---------------------------------------------------------------------------------------


def test_send_reminders_dry_run_lists_what_is_due_and_sends_nothing(province, time_machine, capsys):
    deadline = province.deadline()
    time_machine.move_to(STEPS[4][2] + dt.timedelta(minutes=5), tick=False)
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert out.startswith("10 ")  # five steps are due for each unit, none sent yet
    assert "Xã Văn Giang" in out
    assert province.head_b.email in out
    assert province.cluster_head.email in out
    assert mail.outbox == []
    assert not Reminder.objects.filter(deadline=deadline, status=ReminderStatus.SENT).exists()


def test_send_reminders_sync_sends_in_process(province, time_machine, capsys):
    province.deadline()
    time_machine.move_to(STEPS[0][2] + dt.timedelta(minutes=5), tick=False)
    call_command("send_reminders", "--sync")
    assert "2/2" in capsys.readouterr().out
    assert sent_to() == {province.officer_a.email: 1, province.officer_b.email: 1}


# --- Beat ---------------------------------------------------------------------------------------------


def test_beat_sweeps_every_minute_and_replans_hourly(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["reports.tasks.sweep_reminders"] == 60.0
    assert schedule["reports.tasks.replan_reminders"] == 3600.0


def test_a_unit_that_joins_the_campaign_later_is_reminded_after_the_hourly_replan(province):
    deadline = province.deadline()
    newcomer = factories.UnitFactory(name="Xã Mới Nhập")
    province.campaign.participant_units.add(newcomer)
    assert not Reminder.objects.filter(unit=newcomer).exists()
    from reports.tasks import replan_reminders

    assert replan_reminders.delay().get() == 7
    assert (
        Reminder.objects.filter(deadline=deadline, unit=newcomer, status=ReminderStatus.PENDING).count() == 7
    )
