"""Reminders through a real Celery worker, real Redis and a real SMTP server (aiosmtpd).

The worker is a separate process on its own queue, using this test's PostgreSQL database
(committed rows: `transaction=True`) and sending mail to an SMTP server started here. The beat
sweep runs in this process, at the simulated moments of each step. The SMTP server records a
message only when it answers 250, as a real server accepts it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
import time_machine
from django.db import connections

from campaigns.models import ParticipantMode
from clusters.models import MemberRole
from reports import reminders, services
from reports.models import (
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderStatus,
)
from reports.tasks import send_reminder
from tests import factories
from tests.brokers import CeleryWorkers, celery_broker, wait_until
from tests.reports.factories import local

# serialized_rollback: the flush after each test would otherwise also empty the catalogue that
# migrations seed (award categories), which later tests in the same process rely on.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

D = dt.date
DUE = D(2026, 6, 19)
STEP_TIMES = {
    (ReminderKind.BEFORE, 7): local(D(2026, 6, 10), 8),
    (ReminderKind.BEFORE, 3): local(D(2026, 6, 16), 8),
    (ReminderKind.BEFORE, 1): local(D(2026, 6, 18), 8),
    (ReminderKind.DUE, 0): local(D(2026, 6, 19), 8),
    (ReminderKind.AFTER, 1): local(D(2026, 6, 22), 8),
    (ReminderKind.AFTER, 3): local(D(2026, 6, 24), 8),
    (ReminderKind.AFTER, 7): local(D(2026, 6, 30), 8),
}
WAIT = 20  # seconds any one wait for the worker may take


# --- A real SMTP server ----------------------------------------------------------------------------


@dataclass
class Received:
    to: list[str]
    message_id: str
    subject: str
    has_html: bool


@dataclass
class SmtpRecorder:
    """aiosmtpd handler: records accepted messages; can stall the next DATA to let a test kill
    the sender mid-send."""

    messages: list[Received] = field(default_factory=list)
    hold_next: bool = False
    stalled: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.hold_next:
            self.hold_next = False
            self.stalled.set()
            # Never answer this one: the sender is killed while it waits. (If it is not, it
            # gets a temporary failure and retries.)
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 30)
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(
                Received(
                    to=list(envelope.rcpt_tos),
                    message_id=parsed["Message-ID"],
                    subject=str(email.header.make_header(email.header.decode_header(parsed["Subject"]))),
                    has_html=any(part.get_content_type() == "text/html" for part in parsed.walk()),
                )
            )
        return "250 OK"

    def count_by_recipient(self) -> Counter:
        with self.lock:
            return Counter(address for message in self.messages for address in message.to)

    def total(self) -> int:
        with self.lock:
            return len(self.messages)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    recorder = SmtpRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    recorder.released.set()
    controller.stop()


# --- Real workers ------------------------------------------------------------------------------------


class Workers(CeleryWorkers):
    """Reminder workers: they send to this test's SMTP server."""

    def __init__(self, redis_url: str, smtp: SmtpRecorder) -> None:
        # A short lease, so a killed worker's claim expires within the test.
        super().__init__(
            redis_url,
            name="reports",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            THIDUA_REMINDER_LEASE_SECONDS="2",
        )


@pytest.fixture
def workers(transactional_db, redis_url, smtp, monkeypatch):
    """Workers on a queue of their own; this process sends the reminder tasks there."""
    pool = Workers(redis_url, smtp)
    pool.serve(send_reminder, monkeypatch)
    with celery_broker(redis_url):
        yield pool
        pool.stop()


def settled(ids) -> bool:
    return not Reminder.objects.filter(pk__in=ids, status=ReminderStatus.PENDING).exists()


def drain(setup, deadline, unit) -> None:
    """Staff remind `unit` now ("nhắc") and wait until it is sent. The one worker takes messages
    in order, so every message queued before it has been handled by then."""
    reminder = services.remind_unit(deadline=deadline, unit=unit, by=setup.staff)
    wait_until(lambda: settled([reminder.pk]), "staff's reminder, queued last")


# --- The province ----------------------------------------------------------------------------------------


@dataclass
class Setup:
    staff: object
    units: list
    officers: list
    head_b: object
    cluster_head: object
    campaign: object


def make_province(unit_count: int = 2) -> Setup:
    staff = factories.make_staff(username="chuyenvien")
    term = factories.ClusterTermFactory(cluster=factories.ClusterFactory(name="Cụm thi đua số 1"), year=2026)
    head_unit = factories.UnitFactory(name="Xã Mễ Sở")
    factories.ClusterMembershipFactory(term=term, unit=head_unit, role=MemberRole.HEAD)
    units = [factories.UnitFactory(name=f"Xã Thành viên {i}") for i in range(unit_count)]
    for unit in units:
        factories.ClusterMembershipFactory(term=term, unit=unit)
    officers = [factories.make_officer(unit, username=f"canbo_{i}") for i, unit in enumerate(units)]
    head_b = factories.make_unit_head(units[1], username="thutruong_1")
    cluster_head = factories.make_officer(head_unit, username="truongcum")
    campaign = factories.CampaignFactory(
        start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), participant_mode=ParticipantMode.UNITS
    )
    campaign.participant_units.set(units)
    return Setup(staff, units, officers, head_b, cluster_head, campaign)


def make_deadline(setup: Setup):
    with time_machine.travel(local(D(2026, 6, 1), 9), tick=False):
        return services.deadline_create(
            by=setup.staff,
            campaign=setup.campaign,
            data=services.DeadlineData(
                title="Báo cáo sơ kết 6 tháng", kind="half_year", due_on=DUE, sections=["Kết quả"]
            ),
        )


def sweep_at(moment: dt.datetime, **kwargs) -> list[int]:
    with time_machine.travel(moment + dt.timedelta(minutes=1), tick=False):
        return reminders.sweep_due_reminders(**kwargs)


# --- The tests -----------------------------------------------------------------------------------------


def test_each_step_goes_out_once_through_a_real_worker(workers, smtp):
    """Unit 0 submits on the due day; unit 1 never does. At each step's time one sweep hands the
    due rows to the worker and a second sweep hands out nothing; a redelivered task for a sent
    reminder sends nothing. Every person gets exactly the policy's reminders, by e-mail (text
    and HTML) and in the app."""
    setup = make_province()
    deadline = make_deadline(setup)
    workers.start()
    for (kind, _offset), moment in STEP_TIMES.items():
        ids = sweep_at(moment)
        assert ids, f"nothing due at {moment}"
        assert sweep_at(moment) == []
        wait_until(lambda ids=ids: settled(ids), f"the {kind} step to be sent")
        if kind == ReminderKind.DUE:
            with time_machine.travel(local(DUE, 10), tick=False):
                services.report_submit(
                    deadline=deadline,
                    unit=setup.units[0],
                    by=setup.officers[0],
                    version=0,
                    narrative={"0": "Xong."},
                )
    sent = list(Reminder.objects.filter(status=ReminderStatus.SENT).values_list("pk", flat=True))
    for pk in sent:
        send_reminder.delay(pk)  # as if Redis delivered every message again
    drain(setup, deadline, setup.units[1])
    # 17 policy reminders and staff's one.
    assert smtp.total() == 18
    assert smtp.count_by_recipient() == {
        setup.officers[0].email: 4,
        setup.officers[1].email: 7 + 1,
        setup.head_b.email: 3,
        setup.cluster_head.email: 3,
    }
    assert all(message.has_html for message in smtp.messages)
    assert len({message.message_id for message in smtp.messages}) == 18
    in_app = Counter(Notification.objects.values_list("user__username", flat=True))
    assert in_app == {"canbo_0": 4, "canbo_1": 7 + 1, "thutruong_1": 3, "truongcum": 3}
    assert Reminder.objects.filter(deadline=deadline, status=ReminderStatus.CANCELLED).count() == 3


def test_a_worker_killed_mid_send_does_not_lose_or_repeat_a_reminder(workers, smtp):
    """The first worker is killed (SIGKILL) while the SMTP server holds its first message. After
    the claim's lease the next sweep hands that reminder out again; a second worker sends it.
    Every recipient gets exactly one e-mail and one notification."""
    setup = make_province(unit_count=3)
    make_deadline(setup)
    moment = STEP_TIMES[(ReminderKind.BEFORE, 7)]
    smtp.hold_next = True
    first = workers.start()
    ids = sweep_at(moment)
    assert len(ids) == 3
    assert smtp.stalled.wait(WAIT), "the first worker never reached the SMTP server"
    first.kill()  # SIGKILL: no clean-up, no acknowledgement
    first.wait(timeout=10)
    smtp.released.set()
    interrupted = Reminder.objects.get(pk__in=ids, claimed_at__isnull=False, status=ReminderStatus.PENDING)
    workers.start()
    step = 0

    def resweep() -> bool:
        nonlocal step
        step += 1
        # The sweep runs every minute in production; here each poll is a later minute.
        reminders.sweep_due_reminders(
            now=moment + dt.timedelta(minutes=step), lease_time=dt.timedelta(seconds=2)
        )
        return settled(ids)

    wait_until(resweep, "the interrupted reminder to be sent by the second worker")
    wait_until(lambda: smtp.total() == 3, "three e-mails")
    assert smtp.count_by_recipient() == {officer.email: 1 for officer in setup.officers}
    assert Counter(Notification.objects.values_list("user__username", flat=True)) == {
        "canbo_0": 1,
        "canbo_1": 1,
        "canbo_2": 1,
    }
    interrupted.refresh_from_db()
    assert interrupted.status == ReminderStatus.SENT
    assert interrupted.attempts == 2
    delivery = ReminderDelivery.objects.get(reminder=interrupted, channel="email")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)


def test_two_sweeps_at_once_hand_out_each_reminder_once(workers, smtp):
    """Two beat processes sweep at the same moment: together they hand out every due reminder,
    none twice; duplicate task messages on top still send nothing twice."""
    setup = make_province(unit_count=6)
    deadline = make_deadline(setup)
    moment = STEP_TIMES[(ReminderKind.BEFORE, 7)] + dt.timedelta(minutes=1)
    barrier = threading.Barrier(2)
    results: list[list[int]] = [[], []]

    def beat(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = reminders.sweep_due_reminders(now=moment)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    first, second = set(results[0]), set(results[1])
    assert not first & second
    assert len(first | second) == 6
    for pk in first | second:
        send_reminder.delay(pk)  # duplicates of every message, as a redelivery would make
    workers.start()
    wait_until(lambda: settled(first | second), "every reminder to be sent")
    drain(setup, deadline, setup.units[0])
    # One e-mail per reminder (and staff's last one to the first unit).
    assert smtp.count_by_recipient() == {
        officer.email: 1 + (officer == setup.officers[0]) for officer in setup.officers
    }
    assert Notification.objects.count() == 6 + 1
