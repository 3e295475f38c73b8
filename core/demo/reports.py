"""Demo report deadlines of the year's campaign (Chỉ thị 02/CT-UBND) and of one cluster, with
the units' reports and the reminders already sent, relative to the day the demo is seeded.

- Monthly quick reports (báo cáo nhanh) for the three months before this one, this month and
  the next: past ones mostly submitted (some late, some returned, a few never), accepted by
  staff; this month's just due; next month's with a few drafts.
- The six-month review and the year-end review read from the directive's dated deadlines.
- A cluster-year report for the demo cluster, so its head sees a board of its members.
- The campaign's reminder policy with the defaults; the steps already past were sent (or
  cancelled by the submission), the future ones wait for the beat sweep. The demo logins have
  their e-mails, in-app notifications and delivery log.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from campaigns.progress import submitted_commitments
from campaigns.selectors import participant_units
from clusters.models import ClusterMembership, ClusterTerm, MemberRole
from core.models import User
from reports import reminders, scheduling, workdays
from reports.models import (
    Channel,
    DeliveryStatus,
    LogOutcome,
    Notification,
    NotificationKind,
    Recurrence,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderLog,
    ReminderPolicy,
    ReminderStatus,
    Report,
    ReportAction,
    ReportDeadline,
    ReportKind,
    ReportSchedule,
    ReportStatus,
    ReportTransition,
    ReportValue,
)

MONTHLY_TITLE = "Báo cáo nhanh kết quả thực hiện phong trào thi đua"
MONTHLY_SECTIONS = ["Kết quả nổi bật trong tháng", "Khó khăn, vướng mắc", "Nhiệm vụ trọng tâm tháng tới"]
REVIEW_SECTIONS = [
    "Công tác lãnh đạo, chỉ đạo, tổ chức phát động phong trào thi đua",
    "Kết quả thực hiện các chỉ tiêu, nhiệm vụ",
    "Tồn tại, hạn chế và nguyên nhân",
    "Phương hướng, nhiệm vụ thời gian tới; đề xuất, kiến nghị",
]
CLUSTER_SECTIONS = ["Kết quả thực hiện giao ước thi đua", "Đề xuất của đơn vị"]
SIGNED = "Báo cáo có chữ ký của thủ trưởng, đóng dấu (bản PDF)"
HIGHLIGHTS = [
    "Tổ chức thành công hội nghị ký kết giao ước thi đua; {n} tập thể, cá nhân đăng ký danh hiệu thi đua.",
    "Hoàn thành {p}% kế hoạch thu ngân sách; giải ngân vốn đầu tư công đạt {q}% kế hoạch giao.",
    "Ra mắt {n} mô hình “Dân vận khéo”; vận động nhân dân hiến {n}00 m² đất mở rộng đường giao thông nông thôn.",
    "Giải quyết {p}% hồ sơ thủ tục hành chính đúng và trước hạn; {q}% hồ sơ nộp trực tuyến toàn trình.",
    "Tổ chức tuyên dương {n} điển hình tiên tiến trong phong trào “Cả nước chung sức xây dựng nông thôn mới”.",
]
DIFFICULTIES = [
    "Tiến độ giải ngân một số dự án còn chậm do vướng mắc giải phóng mặt bằng.",
    "Thời tiết mưa kéo dài ảnh hưởng đến sản xuất vụ mùa.",
    "Một số thôn chưa quan tâm đúng mức đến công tác tuyên truyền, nhân rộng điển hình tiên tiến.",
    "Nguồn lực thực hiện các tiêu chí nông thôn mới nâng cao còn hạn chế.",
]
NEXT_TASKS = [
    "Tập trung hoàn thành các chỉ tiêu thu ngân sách, đẩy nhanh giải ngân vốn đầu tư công.",
    "Chuẩn bị tốt các điều kiện tổ chức sơ kết, tổng kết phong trào thi đua.",
    "Tiếp tục phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến ở cơ sở.",
]
RETURN_REASONS = [
    "Đề nghị bổ sung số liệu thu ngân sách lũy kế đến hết kỳ báo cáo.",
    "Báo cáo chưa nêu rõ tồn tại, hạn chế và nguyên nhân; đề nghị bổ sung.",
    "Số liệu giải ngân không khớp với báo cáo của Sở Tài chính, đề nghị rà soát lại.",
]


def reports_exist() -> bool:
    return ReportDeadline.objects.exists()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _text(rng: random.Random, templates: list[str]) -> str:
    return rng.choice(templates).format(n=rng.randint(3, 12), p=rng.randint(55, 98), q=rng.randint(40, 90))


def _narrative(rng: random.Random, sections: list[str], *, filled: int | None = None) -> dict[str, str]:
    pools = [HIGHLIGHTS, DIFFICULTIES, NEXT_TASKS, NEXT_TASKS]
    count = len(sections) if filled is None else filled
    return {
        str(i): " ".join(_text(rng, pools[min(i, len(pools) - 1)]) for _ in range(rng.randint(1, 3)))
        for i in range(count)
    }


def _deadline(**fields) -> ReportDeadline:
    deadline = ReportDeadline(**fields)
    deadline.save()
    return deadline


def _deadlines(annual: Campaign, staff: User, year: int, today: dt.date) -> list[ReportDeadline]:
    schedule = ReportSchedule.objects.create(
        campaign=annual,
        title=MONTHLY_TITLE,
        kind=ReportKind.MONTHLY,
        recurrence=Recurrence.MONTHLY,
        due_day=20,
        sections=MONTHLY_SECTIONS,
        created_by=staff,
    )
    created = []
    for month in range(max(1, today.month - 3), min(12, today.month + 1) + 1):
        period = scheduling.periods(Recurrence.MONTHLY, dt.date(year, month, 1), annual.end_date)[0]
        nominal = scheduling.clamp_day(year, month, 20)
        created.append(
            _deadline(
                campaign=annual,
                schedule=schedule,
                title=f"{MONTHLY_TITLE} tháng {month:02d}/{year}",
                kind=ReportKind.MONTHLY,
                period_start=period.start,
                period_end=period.end,
                nominal_due_on=nominal,
                due_at=_at(scheduling.working_due_date(nominal, "previous"), 17),
                sections=MONTHLY_SECTIONS,
                created_by=staff,
            )
        )
    targets = list(annual.targets.all())
    for source in annual.deadlines.filter(is_report=True).order_by("due_on"):
        half = source.due_on.month <= 7
        deadline = _deadline(
            campaign=annual,
            source_deadline=source,
            title=f"{source.title.replace('6 tháng', '6 tháng đầu năm') if half else source.title} {year}",
            kind=ReportKind.HALF_YEAR if half else ReportKind.ANNUAL,
            period_start=annual.start_date,
            period_end=dt.date(year, 6, 30) if half else annual.end_date,
            nominal_due_on=source.due_on,
            due_at=_at(scheduling.working_due_date(source.due_on, "previous"), 17),
            sections=REVIEW_SECTIONS,
            required_attachments=[SIGNED],
            created_by=staff,
        )
        deadline.targets.set(targets)
        created.append(deadline)
    return created


def _cluster_deadline(staff: User, year: int) -> ReportDeadline | None:
    """The demo cluster's year: the cluster whose head is the "truongcum" login's unit."""
    head = User.objects.filter(username="truongcum").values_list("unit_id", flat=True).first()
    term = (
        ClusterTerm.objects.filter(year=year, memberships__unit_id=head, memberships__role=MemberRole.HEAD)
        .select_related("cluster")
        .first()
    )
    if term is None:
        return None
    nominal = dt.date(year, 11, 30)
    return _deadline(
        cluster_term=term,
        title=f"Báo cáo kết quả thực hiện giao ước thi đua năm {year} ({term.cluster.name})",
        kind=ReportKind.THEMATIC,
        period_start=dt.date(year, 1, 1),
        period_end=nominal,
        nominal_due_on=nominal,
        due_at=_at(scheduling.working_due_date(nominal, "previous"), 17),
        sections=CLUSTER_SECTIONS,
        created_by=staff,
    )


def _after(day: dt.datetime, rng: random.Random, *, days: int, now: dt.datetime) -> dt.datetime:
    """A working-hours moment `days` working days after `day` (never after now)."""
    date = workdays.add_working_days(timezone.localdate(day), days)
    return min(_at(date, rng.randint(8, 16), rng.randint(0, 59)), now - dt.timedelta(minutes=5))


class _Writer:
    """Builds the rows of every deadline, then writes them in bulk."""

    def __init__(self, rng: random.Random, staff: User, now: dt.datetime, officers: dict[int, User]) -> None:
        self.rng, self.staff, self.now = rng, staff, now
        # Most demo units have no login: their submissions are recorded without a person.
        self.officers = officers
        self.reports: list[Report] = []
        self.values: list[ReportValue] = []
        self.transitions: list[ReportTransition] = []
        self.returned: list[tuple[Report, str, dt.datetime]] = []

    def report(
        self, deadline: ReportDeadline, unit_id: int, state: str, targets: list, commitments: dict
    ) -> None:
        rng, now = self.rng, self.now
        if state == "none":
            return
        sections = deadline.sections
        report = Report(
            deadline=deadline, unit_id=unit_id, created_at=deadline.due_at - dt.timedelta(days=12)
        )
        report.missing_attachments = len(deadline.required_attachments)
        applicable = [t for t in targets if commitments.get((t.pk, unit_id), (None, True))[1]]
        if state == "draft":
            filled = rng.randint(0, len(sections) - 1) if sections else 0
            report.narrative = _narrative(rng, sections, filled=filled)
            report.missing_sections = len(sections) - filled
            report.missing_values = len(applicable)
            self.reports.append(report)
            return
        report.narrative = _narrative(rng, sections)
        report.missing_attachments = 0
        for target in applicable:
            goal = target.target_value or Decimal(100)
            self.values.append(
                ReportValue(
                    report=report,
                    target=target,
                    value=(goal * Decimal(str(rng.uniform(0.45, 0.7)))).quantize(Decimal("0.01"))
                    if target.is_measurable
                    else None,
                    done=None if target.is_measurable else rng.random() < 0.8,
                )
            )
        late = state.endswith("late")
        if late:
            submitted = _after(deadline.due_at, rng, days=rng.randint(1, 5), now=now)
        else:
            earliest = max(deadline.due_at - dt.timedelta(days=10), report.created_at + dt.timedelta(hours=1))
            span = max((min(deadline.due_at, now) - earliest).total_seconds(), 60)
            submitted = earliest + dt.timedelta(seconds=rng.uniform(0, span))
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = report.first_submitted_at = submitted
        report.submission_count = 1
        report.submitted_by = self.officers.get(unit_id)
        report.late_days = (
            workdays.late_working_days(deadline.due_on, timezone.localdate(submitted))
            if submitted > deadline.due_at
            else None
        )
        self.transitions.append(
            ReportTransition(
                report=report,
                action=ReportAction.SUBMITTED,
                by=report.submitted_by,
                at=submitted,
                late_days=report.late_days,
            )
        )
        reviewed = min(_after(submitted, rng, days=rng.randint(1, 4), now=now), now)
        if state.startswith("accepted"):
            report.status = ReportStatus.ACCEPTED
            report.reviewed_at, report.reviewed_by = reviewed, self.staff
            self.transitions.append(
                ReportTransition(report=report, action=ReportAction.ACCEPTED, by=self.staff, at=reviewed)
            )
        elif state.startswith("returned"):
            reason = rng.choice(RETURN_REASONS)
            report.status = ReportStatus.RETURNED
            report.reviewed_at, report.reviewed_by = reviewed, self.staff
            self.transitions.append(
                ReportTransition(
                    report=report, action=ReportAction.RETURNED, by=self.staff, at=reviewed, reason=reason
                )
            )
            self.returned.append((report, reason, reviewed))
        self.reports.append(report)

    def save(self) -> None:
        Report.objects.bulk_create(self.reports, batch_size=1000)
        for value in self.values:
            value.report_id = value.report.pk
        for transition in self.transitions:
            transition.report_id = transition.report.pk
        ReportValue.objects.bulk_create(self.values, batch_size=2000)
        ReportTransition.objects.bulk_create(self.transitions, batch_size=2000)


def _state(rng: random.Random, deadline: ReportDeadline, now: dt.datetime) -> str:
    """What a unit has done for a deadline, given how far it lies from now."""
    roll = rng.random()
    if deadline.due_at > now:
        return "draft" if roll < 0.25 else "submitted" if roll < 0.33 else "none"
    if deadline.due_at > now - dt.timedelta(days=3):
        return (
            "none"
            if roll < 0.3
            else "draft"
            if roll < 0.45
            else "submitted"
            if roll < 0.9
            else "submitted_late"
        )
    if roll < 0.07:
        return "none"
    if roll < 0.1:
        return "draft"
    late = "_late" if rng.random() < 0.2 else ""
    if deadline.due_at < now - dt.timedelta(days=10):
        review = rng.random()
        kind = "accepted" if review < 0.85 else "returned" if review < 0.9 else "submitted"
    else:
        kind = "accepted" if rng.random() < 0.4 else "submitted"
    return kind + late


def _past_reminders(
    deadline: ReportDeadline, unit_ids: list[int], done_at: dict[int, dt.datetime], now: dt.datetime
) -> list[Reminder]:
    """The policy's steps already past: sent, or cancelled by an earlier submission."""
    policy = reminders.policy_for(deadline)
    rows = []
    for kind, offset in policy.steps():
        at = reminders.step_due_at(deadline, kind, offset, policy.send_at)
        if at > now:
            continue
        for unit_id in unit_ids:
            submitted = done_at.get(unit_id)
            cancelled = submitted is not None and submitted <= at
            rows.append(
                Reminder(
                    deadline=deadline,
                    unit_id=unit_id,
                    kind=kind,
                    offset=offset,
                    escalate=kind == ReminderKind.AFTER and policy.escalate_late,
                    due_at=at,
                    status=ReminderStatus.CANCELLED if cancelled else ReminderStatus.SENT,
                    cancelled_at=submitted if cancelled else None,
                    enqueued_at=None if cancelled else at,
                    sent_at=None if cancelled else at + dt.timedelta(seconds=40),
                    attempts=0 if cancelled else 1,
                    created_at=deadline.created_at,
                )
            )
    return rows


def _deliver_to_demo_logins(
    reminder_rows: list[Reminder], demo_units: set[int], led_units: set[int], now: dt.datetime
) -> int:
    """Deliveries, log and notifications of the sent reminders that reach a demo login: those to
    its own unit, and the late ones of the units in the cluster it heads."""
    deliveries, notifications = [], []
    for reminder in reminder_rows:
        if reminder.status != ReminderStatus.SENT:
            continue
        if reminder.unit_id not in demo_units and not (reminder.escalate and reminder.unit_id in led_units):
            continue
        for person in reminders.recipients(reminder):
            if person.unit_id not in demo_units:
                continue
            subject, text, _html = reminders.render_message(reminder, person)
            deliveries += [
                ReminderDelivery(
                    reminder=reminder,
                    user=person,
                    channel=channel,
                    address=person.email if channel == Channel.EMAIL else "",
                    status=DeliveryStatus.SENT,
                    attempts=1,
                    sent_at=reminder.sent_at,
                )
                for channel in (Channel.EMAIL, Channel.APP)
            ]
            notifications.append(
                Notification(
                    user=person,
                    kind=NotificationKind.RETURNED
                    if reminder.kind == ReminderKind.RETURNED
                    else NotificationKind.REMINDER,
                    title=subject[:255],
                    body=text.strip(),
                    url=f"/bao-cao/ky/{reminder.deadline_id}/don-vi/{reminder.unit_id}/",
                    reminder=reminder,
                    created_at=reminder.sent_at,
                    read_at=reminder.sent_at + dt.timedelta(hours=3)
                    if reminder.sent_at < now - dt.timedelta(days=7)
                    else None,
                )
            )
    ReminderDelivery.objects.bulk_create(deliveries)
    log = [
        ReminderLog(reminder=d.reminder, delivery=d, outcome=LogOutcome.SENT, detail=d.channel, at=d.sent_at)
        for d in deliveries
    ]
    ReminderLog.objects.bulk_create(log)
    Notification.objects.bulk_create(notifications)
    return len(notifications)


def create_reports(rng: random.Random, year: int, now: dt.datetime, say: Callable[[str], None]) -> None:
    annual = Campaign.objects.filter(document_number="02/CT-UBND").first()
    staff = User.objects.get(username="chuyenvien")
    if annual is None:
        return
    today = timezone.localdate(now)
    ReminderPolicy.objects.create(
        campaign=annual,
        days_before=list(reminders.DEFAULT_DAYS_BEFORE),
        on_due_day=True,
        days_after=list(reminders.DEFAULT_DAYS_AFTER),
        escalate_late=True,
        send_at=reminders.DEFAULT_SEND_AT,
        updated_by=staff,
    )
    deadlines = _deadlines(annual, staff, year, today)
    cluster_deadline = _cluster_deadline(staff, year)
    campaign_units = list(participant_units(annual).order_by("code").values_list("pk", flat=True))
    commitments = submitted_commitments(annual)
    targets = list(annual.targets.all())
    demo_users = {
        u.username: u for u in User.objects.filter(username__in=["canbo", "thutruong", "truongcum", "phocum"])
    }
    demo_units = {u.unit_id for u in demo_users.values() if u.unit_id}
    canbo_unit = demo_users["canbo"].unit_id if "canbo" in demo_users else None
    past_monthly = [d for d in deadlines if d.kind == ReportKind.MONTHLY and d.due_at < now]

    officers = {u.unit_id: u for u in demo_users.values() if u.unit_id and u.unit_role == "officer"}
    writer = _Writer(rng, staff, now, officers)
    owed: dict[int, list[int]] = {}
    for deadline in [*deadlines, *([cluster_deadline] if cluster_deadline else [])]:
        if deadline.cluster_term_id:
            unit_ids = list(
                ClusterMembership.objects.filter(term_id=deadline.cluster_term_id)
                .order_by("unit__code")
                .values_list("unit_id", flat=True)
            )
        else:
            unit_ids = campaign_units
        owed[deadline.pk] = unit_ids
        deadline_targets = targets if deadline.kind in {ReportKind.HALF_YEAR, ReportKind.ANNUAL} else []
        for unit_id in unit_ids:
            state = _state(rng, deadline, now)
            if unit_id == canbo_unit:
                # The commune officer's own story: last month overdue, the month before returned.
                if past_monthly and deadline == past_monthly[-1]:
                    state = "none"
                elif len(past_monthly) > 1 and deadline == past_monthly[-2]:
                    state = "returned"
                elif deadline.due_at > now:
                    state = "draft"
                elif state in {"none", "draft"}:
                    state = "accepted"
            writer.report(deadline, unit_id, state, deadline_targets, commitments)
    writer.save()

    done_at = {
        (r.deadline_id, r.unit_id): r.first_submitted_at for r in writer.reports if r.first_submitted_at
    }
    rows: list[Reminder] = []
    for deadline in [*deadlines, *([cluster_deadline] if cluster_deadline else [])]:
        unit_done = {unit: at for (deadline_id, unit), at in done_at.items() if deadline_id == deadline.pk}
        rows += _past_reminders(deadline, owed[deadline.pk], unit_done, now)
    returned_messages = [
        Reminder(
            deadline_id=report.deadline_id,
            unit_id=report.unit_id,
            kind=ReminderKind.RETURNED,
            note=reason,
            due_at=at,
            status=ReminderStatus.SENT,
            enqueued_at=at,
            sent_at=at + dt.timedelta(seconds=30),
            attempts=1,
            requested_by=staff,
            created_at=at,
        )
        for report, reason, at in writer.returned
    ]
    Reminder.objects.bulk_create(rows + returned_messages, batch_size=2000)
    for reminder in rows + returned_messages:
        reminder.deadline = next(
            d for d in [*deadlines, cluster_deadline] if d is not None and d.pk == reminder.deadline_id
        )
    led_units = set(
        ClusterMembership.objects.filter(
            year=year,
            term__memberships__unit_id__in=demo_units,
            term__memberships__role=MemberRole.HEAD,
        ).values_list("unit_id", flat=True)
    )
    notified = _deliver_to_demo_logins(rows + returned_messages, demo_units, led_units, now)
    planned = 0
    for deadline in [*deadlines, *([cluster_deadline] if cluster_deadline else [])]:
        planned += reminders.reminders_plan(deadline, now=now)
    say(
        f"Đã tạo {len(deadlines) + bool(cluster_deadline)} kỳ báo cáo, {len(writer.reports)} báo cáo, "
        f"{len(rows)} lời nhắc đã gửi hoặc đã hủy, {planned} lời nhắc chờ gửi, {notified} thông báo cho tài khoản demo."
    )


__all__ = ["create_reports", "reports_exist"]
