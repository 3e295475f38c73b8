"""Reminders: planned as rows, handed to workers by a beat sweep, sent exactly once.

How a reminder goes out:

1. **Plan.** When a deadline is created or changed, or its campaign's policy changes,
   `reminders_plan` writes one `Reminder` row per unit and policy step with its due time
   (7, 3 and 1 working days before, the due day, 1, 3 and 7 working days late by default).
   No far-future Celery ETA is ever used.
2. **Sweep.** Every minute beat runs `sweep_due_reminders`: in one transaction it locks the
   due, pending rows nobody handed out recently (`select_for_update(skip_locked=True)`, so two
   sweeps never take the same rows) and stamps `enqueued_at`; after the commit it enqueues one
   `send_reminder` per row. Rows the broker refused (Redis down) are un-stamped, so the next
   sweep after Redis is back hands them out.
3. **Send.** `reminder_send` first *claims* the row with a conditional UPDATE (pending, and no
   live claim): of two deliveries of the same message, a retry, or two sweeps' messages for the
   same row, only one claims it. The claim is a lease: a worker that dies mid-send leaves it to
   expire (`lease()`), and the next sweep hands the row out again. Each recipient and channel
   is a `ReminderDelivery` row marked sent as soon as its message is accepted, so a second
   attempt sends only what the first did not. E-mails carry a Message-ID derived from the
   reminder and the recipient.
4. **Cancel.** A submitted report cancels its unit's pending reminders; a send re-checks and
   cancels instead of sending when the report came in meanwhile.

The one window left is a worker killed after the SMTP server accepted a message and before the
delivery row was marked (milliseconds): that message can go out twice, with the same
Message-ID. A worker killed while talking to the server sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clusters.models import Unit
from core.models import UnitRole, User
from reports import workdays
from reports.models import (
    POLICY_KINDS,
    Channel,
    ChannelChoice,
    DeliveryStatus,
    LogOutcome,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderLog,
    ReminderPolicy,
    ReminderStatus,
    Report,
    ReportDeadline,
    ReportStatus,
)

logger = logging.getLogger(__name__)

DEFAULT_DAYS_BEFORE = (7, 3, 1)
DEFAULT_DAYS_AFTER = (1, 3, 7)
DEFAULT_SEND_AT = dt.time(8, 0)
# A send gives up after this many attempts; transient failures wait 1, 2, 4, 8 minutes between.
MAX_ATTEMPTS = 5
SWEEP_BATCH = 500
# The claim must outlive the task's hard time limit (see reports.tasks), so a live send never
# loses it; the environment variable shortens it for the crash tests.
DEFAULT_LEASE_SECONDS = 300


def lease() -> dt.timedelta:
    seconds = os.environ.get("THIDUA_REMINDER_LEASE_SECONDS") or getattr(
        settings, "REMINDER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS
    )
    return dt.timedelta(seconds=float(seconds))


# --- Policy ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    days_before: tuple[int, ...] = DEFAULT_DAYS_BEFORE
    on_due_day: bool = True
    days_after: tuple[int, ...] = DEFAULT_DAYS_AFTER
    escalate_late: bool = True
    send_at: dt.time = DEFAULT_SEND_AT

    @classmethod
    def of(cls, row: ReminderPolicy | None) -> Policy:
        if row is None:
            return cls()
        return cls(
            days_before=tuple(sorted({int(d) for d in row.days_before}, reverse=True)),
            on_due_day=row.on_due_day,
            days_after=tuple(sorted({int(d) for d in row.days_after})),
            escalate_late=row.escalate_late,
            send_at=row.send_at,
        )

    def steps(self) -> list[tuple[str, int]]:
        return (
            [(ReminderKind.BEFORE, days) for days in self.days_before]
            + ([(ReminderKind.DUE, 0)] if self.on_due_day else [])
            + [(ReminderKind.AFTER, days) for days in self.days_after]
        )


def policy_for(deadline: ReportDeadline) -> Policy:
    """The reminder policy of the deadline's campaign or cluster year; the defaults without one."""
    owner = (
        {"campaign_id": deadline.campaign_id}
        if deadline.campaign_id
        else {"cluster_term_id": deadline.cluster_term_id}
    )
    return Policy.of(ReminderPolicy.objects.filter(**owner).first())


def step_due_at(deadline: ReportDeadline, kind: str, offset: int, send_at: dt.time) -> dt.datetime:
    """When a step falls due: its working day at the policy's hour, never after the deadline
    for the steps that come before it."""
    due_on = deadline.due_on
    if kind == ReminderKind.BEFORE:
        day = workdays.add_working_days(due_on, -offset)
    elif kind == ReminderKind.AFTER:
        day = workdays.add_working_days(due_on, offset)
    else:
        day = due_on
    at = timezone.make_aware(dt.datetime.combine(day, send_at))
    if kind != ReminderKind.AFTER:
        at = min(at, deadline.due_at - dt.timedelta(minutes=30))
    return at


# --- Planning -------------------------------------------------------------------------------------


def reminders_plan(deadline: ReportDeadline, *, now: dt.datetime | None = None) -> int:
    """Bring the deadline's pending policy reminders in line with its units and policy.

    Future steps get a row (or a new due time); pending rows of steps or units that no longer
    apply are deleted; units that have submitted get none. Sent and cancelled rows stay as the
    record. Returns the number of rows created.
    """
    from reports.selectors import deadline_unit_ids

    now = now or timezone.now()
    policy = policy_for(deadline)
    unit_ids = set(deadline_unit_ids(deadline))
    if deadline.is_locked:
        unit_ids = set()
    done = set(
        Report.objects.filter(
            deadline=deadline, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        ).values_list("unit_id", flat=True)
    )
    wanted = {
        (kind, offset): step_due_at(deadline, kind, offset, policy.send_at) for kind, offset in policy.steps()
    }
    existing = Reminder.objects.filter(deadline=deadline, kind__in=POLICY_KINDS)
    have: set[tuple[int, str, int]] = set()
    stale: list[int] = []
    moved: list[Reminder] = []
    for reminder in existing.only("pk", "unit_id", "kind", "offset", "status", "due_at", "escalate"):
        key = (reminder.unit_id, reminder.kind, reminder.offset)
        have.add(key)
        if reminder.status != ReminderStatus.PENDING:
            continue
        due_at = wanted.get((reminder.kind, reminder.offset))
        if due_at is None or reminder.unit_id not in unit_ids or reminder.unit_id in done:
            stale.append(reminder.pk)
        elif due_at != reminder.due_at or reminder.escalate != _escalates(reminder.kind, policy):
            reminder.due_at = due_at
            reminder.escalate = _escalates(reminder.kind, policy)
            moved.append(reminder)
    Reminder.objects.filter(pk__in=stale, status=ReminderStatus.PENDING).delete()
    Reminder.objects.bulk_update(moved, ["due_at", "escalate"], batch_size=1000)
    new = [
        Reminder(
            deadline=deadline,
            unit_id=unit_id,
            kind=kind,
            offset=offset,
            due_at=due_at,
            escalate=_escalates(kind, policy),
        )
        for unit_id in sorted(unit_ids - done)
        for (kind, offset), due_at in wanted.items()
        if due_at > now and (unit_id, kind, offset) not in have
    ]
    Reminder.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def reminders_replan_open(*, now: dt.datetime | None = None) -> int:
    """Re-plan every unlocked deadline that still has steps ahead (late steps run 7 working
    days past the due date by default, so deadlines due within the last month count)."""
    now = now or timezone.now()
    created = 0
    for deadline in ReportDeadline.objects.filter(
        locked_at__isnull=True, due_at__gte=now - dt.timedelta(days=31)
    ).select_related("campaign", "cluster_term"):
        with transaction.atomic():
            created += reminders_plan(deadline, now=now)
    return created


def _escalates(kind: str, policy: Policy) -> bool:
    return kind == ReminderKind.AFTER and policy.escalate_late


def reminders_cancel(*, deadline_id: int, unit_id: int | None = None, reason: str) -> int:
    """Cancel pending policy and manual reminders (of one unit, or of every unit)."""
    pending = Reminder.objects.filter(
        deadline_id=deadline_id,
        status=ReminderStatus.PENDING,
        kind__in=[*POLICY_KINDS, ReminderKind.MANUAL],
    )
    if unit_id is not None:
        pending = pending.filter(unit_id=unit_id)
    now = timezone.now()
    ids = list(pending.values_list("pk", flat=True))
    cancelled = Reminder.objects.filter(pk__in=ids, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED, cancelled_at=now
    )
    ReminderLog.objects.bulk_create(
        ReminderLog(reminder_id=pk, outcome=LogOutcome.CANCELLED, detail=reason, at=now) for pk in ids
    )
    return cancelled


def reminders_restore(*, deadline: ReportDeadline, unit_id: int, now: dt.datetime | None = None) -> int:
    """A returned report is due again: its cancelled future steps become pending again."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        deadline=deadline,
        unit_id=unit_id,
        kind__in=POLICY_KINDS,
        status=ReminderStatus.CANCELLED,
        sent_at__isnull=True,
        due_at__gt=now,
    ).update(status=ReminderStatus.PENDING, cancelled_at=None, enqueued_at=None, claimed_at=None)


# --- Sweep ----------------------------------------------------------------------------------------


def due_reminders(now: dt.datetime, lease_time: dt.timedelta) -> Any:
    """Pending rows due by `now` that no sweep handed out within the lease."""
    return Reminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lease_time)
    )


def sweep_due_reminders(
    *, now: dt.datetime | None = None, lease_time: dt.timedelta | None = None, limit: int = SWEEP_BATCH
) -> list[int]:
    """Hand every due reminder to a worker, once; returns the ids stamped for sending.

    Each row is published after the commit. When the broker refuses a message (Redis down)
    the rest of the batch is not tried, and every row not handed out is un-stamped, so the
    next sweep after Redis is back (a minute later) takes it instead of waiting out the lease.
    """
    now = now or timezone.now()
    lease_time = lease() if lease_time is None else lease_time
    with transaction.atomic():
        ids = list(
            due_reminders(now, lease_time)
            .select_for_update(skip_locked=True)
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
        publisher = _Publisher(stamped_at=now)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: publisher.publish(pk))
    return ids


@dataclass
class _Publisher:
    """Publishes one sweep's sends; after the first refusal it only un-stamps the rest (each
    refused publish waits out the broker retry policy, about a second)."""

    stamped_at: dt.datetime
    broker_down: bool = False

    def publish(self, reminder_id: int) -> None:
        from reports.tasks import send_reminder

        if not self.broker_down:
            try:
                send_reminder.delay(reminder_id)
                return
            except Exception:
                self.broker_down = True
                logger.warning("Broker unavailable; due reminders wait for the next sweep", exc_info=True)
        Reminder.objects.filter(
            pk=reminder_id, enqueued_at=self.stamped_at, status=ReminderStatus.PENDING
        ).update(enqueued_at=None)


# --- Recipients -----------------------------------------------------------------------------------


def recipients(reminder: Reminder) -> list[User]:
    """Who gets the reminder: the unit's officers (its heads when it has none); late steps
    that escalate also go to the unit's heads and to the officers of its cluster's head unit."""
    from reports.selectors import cluster_head_officer_ids

    people = list(
        User.objects.filter(is_active=True, unit_id=reminder.unit_id)
        .exclude(unit_role="")
        .select_related("notification_preference")
        .order_by("pk")
    )
    officers = [u for u in people if u.unit_role == UnitRole.OFFICER]
    heads = [u for u in people if u.unit_role == UnitRole.HEAD]
    chosen = officers or heads
    if reminder.escalate:
        chosen = officers + heads
        leader_ids = cluster_head_officer_ids(reminder.unit_id, reminder.deadline.year)
        chosen += list(
            User.objects.filter(pk__in=leader_ids).select_related("notification_preference").order_by("pk")
        )
    seen: set[int] = set()
    return [u for u in chosen if not (u.pk in seen or seen.add(u.pk))]


def channels_for(user: User, reminder: Reminder) -> list[str]:
    """The person's choice of channels; late reminders always go both ways."""
    if reminder.kind == ReminderKind.AFTER:
        return [Channel.EMAIL, Channel.APP]
    try:
        choice = user.notification_preference.channels
    except NotificationPreference.DoesNotExist:
        choice = ChannelChoice.BOTH
    return {
        ChannelChoice.EMAIL: [Channel.EMAIL],
        ChannelChoice.APP: [Channel.APP],
    }.get(choice, [Channel.EMAIL, Channel.APP])


# --- Messages -------------------------------------------------------------------------------------


def _report_url(reminder: Reminder) -> str:
    from django.urls import reverse

    path = reverse("reports:report_detail", args=[reminder.deadline_id, reminder.unit_id])
    return settings.SITE_URL.rstrip("/") + path


def message_context(reminder: Reminder, user: User) -> dict[str, Any]:
    deadline = reminder.deadline
    return {
        "reminder": reminder,
        "deadline": deadline,
        "unit": reminder.unit,
        "user": user,
        "due_at": timezone.localtime(deadline.due_at),
        "owner": deadline.campaign or deadline.cluster_term,
        "url": _report_url(reminder),
        "is_for_unit": user.unit_id == reminder.unit_id,
    }


def render_message(reminder: Reminder, user: User) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the reminder for one person, in the site's language."""
    context = message_context(reminder, user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("reports/email/reminder_subject.txt", context).split())
        text = render_to_string("reports/email/reminder.txt", context)
        html = render_to_string("reports/email/reminder.html", context)
    return subject, text, html


def message_id(reminder: Reminder, user: User) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "thidua.local"
    return f"<reminder-{reminder.pk}-{user.pk}@{domain}>"


# --- Send -----------------------------------------------------------------------------------------


@dataclass
class SendOutcome:
    claimed: bool
    status: str = ""
    sent: int = 0
    failed: int = 0
    retry_in: int | None = None
    notes: list[str] = field(default_factory=list)


def _claim(reminder_id: int, token: uuid.UUID, now: dt.datetime) -> bool:
    """The conditional UPDATE that makes one worker, and one only, the sender."""
    return bool(
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
        .update(claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )


def _still_ours(reminder_id: int, token: uuid.UUID) -> bool:
    """Renew the lease before each message; False when another worker took the row over."""
    return bool(
        Reminder.objects.filter(pk=reminder_id, claim_token=token, status=ReminderStatus.PENDING).update(
            claimed_at=timezone.now()
        )
    )


def _finish(reminder_id: int, token: uuid.UUID, **fields: Any) -> bool:
    return bool(Reminder.objects.filter(pk=reminder_id, claim_token=token).update(**fields))


def _log(
    reminder: Reminder, outcome: str, detail: str = "", delivery: ReminderDelivery | None = None
) -> None:
    ReminderLog.objects.create(reminder=reminder, delivery=delivery, outcome=outcome, detail=detail[:2000])


def _should_cancel(reminder: Reminder) -> str:
    """Why the reminder must not go out any more ("" when it must)."""
    from reports.selectors import unit_owes

    deadline = reminder.deadline
    if reminder.kind == ReminderKind.RETURNED:
        return ""
    if deadline.is_locked:
        return "deadline locked"
    if not unit_owes(deadline, reminder.unit_id):
        return "unit no longer owes this report"
    status = Report.objects.filter(deadline=deadline, unit_id=reminder.unit_id).values_list(
        "status", flat=True
    )
    if any(s in {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED} for s in status):
        return "report submitted"
    return ""


def _deliveries(reminder: Reminder, people: Sequence[User]) -> list[ReminderDelivery]:
    """The delivery rows of this reminder, created once; a retry finds the same rows."""
    wanted = [
        ReminderDelivery(
            reminder=reminder,
            user=person,
            channel=channel,
            address=person.email if channel == Channel.EMAIL else "",
        )
        for person in people
        for channel in channels_for(person, reminder)
    ]
    ReminderDelivery.objects.bulk_create(wanted, ignore_conflicts=True)
    by_user = {person.pk: person for person in people}
    rows = list(ReminderDelivery.objects.filter(reminder=reminder).order_by("pk"))
    for row in rows:
        if row.user_id in by_user:
            row.user = by_user[row.user_id]
    return rows


def _deliver_in_app(reminder: Reminder, rows: Iterable[ReminderDelivery]) -> int:
    """In-app notifications are rows: written once (unique per reminder and person) with their
    delivery marks, in one transaction."""
    pending = [row for row in rows if row.channel == Channel.APP and row.status != DeliveryStatus.SENT]
    if not pending:
        return 0
    now = timezone.now()
    with transaction.atomic():
        notifications = []
        for row in pending:
            subject, text, _html = render_message(reminder, row.user)
            notifications.append(
                Notification(
                    user_id=row.user_id,
                    kind=NotificationKind.RETURNED
                    if reminder.kind == ReminderKind.RETURNED
                    else NotificationKind.REMINDER,
                    title=subject[:255],
                    body=text.strip(),
                    url=_report_url(reminder).removeprefix(settings.SITE_URL.rstrip("/")),
                    reminder=reminder,
                    created_at=now,
                )
            )
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        ReminderDelivery.objects.filter(pk__in=[row.pk for row in pending]).update(
            status=DeliveryStatus.SENT, sent_at=now, attempts=F("attempts") + 1, error=""
        )
        ReminderLog.objects.bulk_create(
            ReminderLog(reminder=reminder, delivery=row, outcome=LogOutcome.SENT, detail="app", at=now)
            for row in pending
        )
    for row in pending:
        row.status = DeliveryStatus.SENT
    return len(pending)


_PERMANENT_SMTP = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused)


def _deliver_email(
    reminder: Reminder, rows: Iterable[ReminderDelivery], token: uuid.UUID
) -> tuple[int, int, bool, bool]:
    """Send the e-mails not yet sent, marking each as soon as the server took it.

    Returns (sent, failed, transient failure, lost the claim).
    """
    pending = [row for row in rows if row.channel == Channel.EMAIL and row.status == DeliveryStatus.PENDING]
    sent = failed = 0
    transient = False
    if not pending:
        return 0, 0, False, False
    for row in pending:
        if not row.address:
            ReminderDelivery.objects.filter(pk=row.pk).update(
                status=DeliveryStatus.FAILED, error="no e-mail address", attempts=F("attempts") + 1
            )
            _log(reminder, LogOutcome.FAILED, "no e-mail address", row)
            row.status = DeliveryStatus.FAILED
            failed += 1
    pending = [row for row in pending if row.status == DeliveryStatus.PENDING]
    if not pending:
        return sent, failed, False, False
    try:
        connection = mailers.default
        connection.open()
    except Exception as error:
        for row in pending:
            ReminderDelivery.objects.filter(pk=row.pk).update(
                error=str(error)[:500], attempts=F("attempts") + 1
            )
            _log(reminder, LogOutcome.FAILED, f"connection: {error}", row)
        return sent, failed, True, False
    try:
        for row in pending:
            if not _still_ours(reminder.pk, token):
                return sent, failed, transient, True
            subject, text, html = render_message(reminder, row.user)
            message = EmailMultiAlternatives(
                subject,
                text,
                to=[row.address],
                headers={"Message-ID": message_id(reminder, row.user)},
            )
            message.attach_alternative(html, "text/html")
            try:
                connection.send_messages([message])
            except _PERMANENT_SMTP as error:
                ReminderDelivery.objects.filter(pk=row.pk).update(
                    status=DeliveryStatus.FAILED, error=str(error)[:500], attempts=F("attempts") + 1
                )
                _log(reminder, LogOutcome.FAILED, f"refused: {error}", row)
                failed += 1
                continue
            except Exception as error:
                ReminderDelivery.objects.filter(pk=row.pk).update(
                    error=str(error)[:500], attempts=F("attempts") + 1
                )
                _log(reminder, LogOutcome.FAILED, str(error), row)
                transient = True
                break
            ReminderDelivery.objects.filter(pk=row.pk).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, error=""
            )
            _log(reminder, LogOutcome.SENT, f"email {row.address}", row)
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)
    return sent, failed, transient, False


def reminder_send(*, reminder_id: int) -> SendOutcome:
    """Send one reminder if this call wins its claim. Safe to call any number of times."""
    token = uuid.uuid4()
    now = timezone.now()
    if not _claim(reminder_id, token, now):
        return SendOutcome(claimed=False)
    reminder = Reminder.objects.select_related(
        "deadline__campaign", "deadline__cluster_term__cluster", "unit"
    ).get(pk=reminder_id)
    reason = _should_cancel(reminder)
    if reason:
        _finish(
            reminder_id, token, status=ReminderStatus.CANCELLED, cancelled_at=timezone.now(), claimed_at=None
        )
        _log(reminder, LogOutcome.CANCELLED, reason)
        return SendOutcome(claimed=True, status=ReminderStatus.CANCELLED, notes=[reason])
    people = recipients(reminder)
    rows = _deliveries(reminder, people)
    in_app = _deliver_in_app(reminder, rows)
    sent, failed, transient, lost = _deliver_email(reminder, rows, token)
    outcome = SendOutcome(claimed=True, sent=sent + in_app, failed=failed)
    if lost:
        outcome.status = ReminderStatus.PENDING
        outcome.notes.append("claim lost")
        return outcome
    if transient:
        attempts = Reminder.objects.values_list("attempts", flat=True).get(pk=reminder_id)
        if attempts >= MAX_ATTEMPTS:
            _finish(
                reminder_id,
                token,
                status=ReminderStatus.FAILED,
                failure=f"gave up after {attempts} attempts",
                claimed_at=None,
            )
            _log(reminder, LogOutcome.GAVE_UP, f"{attempts} attempts")
            outcome.status = ReminderStatus.FAILED
            return outcome
        delay = 60 * 2 ** (attempts - 1)
        # Release the claim so the retry (or, if its message is lost, a later sweep) can take it.
        _finish(reminder_id, token, claimed_at=None, claim_token=None, enqueued_at=timezone.now())
        _log(reminder, LogOutcome.RETRY, f"attempt {attempts + 1} in {delay} s")
        outcome.status = ReminderStatus.PENDING
        outcome.retry_in = delay
        return outcome
    if not people:
        _log(reminder, LogOutcome.FAILED, "nobody to notify at this unit")
    _finish(reminder_id, token, status=ReminderStatus.SENT, sent_at=timezone.now())
    outcome.status = ReminderStatus.SENT
    return outcome


# --- Manual reminders and messages about a report ---------------------------------------------------


def reminder_now(
    *, deadline: ReportDeadline, unit: Unit, kind: str, by: Any | None = None, note: str = ""
) -> Reminder:
    """A reminder due now (staff's "nhắc", a returned report); the next sweep sends it, and the
    caller may hand it to a worker at once."""
    return Reminder.objects.create(
        deadline=deadline,
        unit=unit,
        kind=kind,
        due_at=timezone.now(),
        requested_by=by,
        note=note,
    )


def enqueue_now(reminder_id: int) -> None:
    """Hand a reminder to a worker after the commit; when the broker is down the sweep will."""
    from reports.tasks import send_reminder

    def send() -> None:
        try:
            send_reminder.delay(reminder_id)
        except Exception:
            logger.warning("Broker unavailable; reminder %s waits for the sweep", reminder_id, exc_info=True)

    transaction.on_commit(send)
