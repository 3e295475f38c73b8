"""Writes for report deadlines, reports, reminders and notifications. Each is one transaction.

Progress: the actual values of a report feed campaign progress when staff **accept** it
(`report_accept` writes one `campaigns.ProgressEntry` per value through
`campaigns.progress.progress_record`, dated the end of the reported period). A submitted
report can still be returned as wrong; only checked figures reach the progress screens, and
a report reopened and accepted again adds newer entries, so the latest checked figure counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from campaigns.models import Campaign, CampaignDeadline, CampaignStatus, Target
from clusters.models import ClusterTerm, Unit
from core.audit import audit_context
from core.uploads import validate_upload
from reports import reminders, scheduling
from reports.models import (
    DEFAULT_DUE_TIME,
    CalendarFeed,
    ChannelChoice,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReminderKind,
    ReminderPolicy,
    Report,
    ReportAction,
    ReportAttachment,
    ReportDeadline,
    ReportKind,
    ReportSchedule,
    ReportStatus,
    ReportTransition,
    ReportValue,
    UnitMode,
    new_feed_token,
)
from reports.selectors import lateness, unit_owes

ATTACHMENT_TYPES = {"pdf", "docx", "xlsx", "png", "jpg", "jpeg"}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MANUAL_REMINDER_GAP = dt.timedelta(hours=1)


def _user_id(by: Any) -> int | None:
    return getattr(by, "pk", None)


def _clean_lines(lines: Iterable[str]) -> list[str]:
    return [line.strip()[:255] for line in lines if line and line.strip()]


# --- Deadlines ------------------------------------------------------------------------------------


@dataclass
class DeadlineData:
    """What staff set on a deadline; `due_on` is the date as typed, before the working-day rule."""

    title: str
    kind: str
    due_on: dt.date
    due_time: dt.time = DEFAULT_DUE_TIME
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    non_working_day_rule: str = "previous"
    unit_mode: str = UnitMode.ALL
    units: Sequence[Unit] = ()
    sections: Sequence[str] = ()
    targets: Sequence[Target] = ()
    required_attachments: Sequence[str] = ()


def _check_owner(campaign: Campaign | None, cluster_term: ClusterTerm | None) -> None:
    if (campaign is None) == (cluster_term is None):
        raise ValidationError(_("A deadline belongs to a campaign or to a cluster's year."))
    if campaign is not None and campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("The campaign is closed."))


def _check_data(data: DeadlineData, campaign: Campaign | None) -> None:
    errors = []
    if not data.title.strip():
        errors.append(_("Give the deadline a title."))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        errors.append(_("The period must end after it starts."))
    if data.targets and campaign is None:
        errors.append(_("Only a campaign's deadlines can ask for its targets."))
    if any(target.campaign_id != getattr(campaign, "pk", None) for target in data.targets):
        errors.append(_("A target does not belong to this campaign."))
    if data.unit_mode == UnitMode.CHOSEN and not data.units:
        errors.append(_("Choose the units that must report."))
    if errors:
        raise ValidationError(errors)


def _apply(deadline: ReportDeadline, data: DeadlineData) -> None:
    deadline.title = data.title.strip()[:255]
    deadline.kind = data.kind
    deadline.period_start = data.period_start
    deadline.period_end = data.period_end
    deadline.non_working_day_rule = data.non_working_day_rule
    deadline.unit_mode = data.unit_mode
    deadline.sections = _clean_lines(data.sections)
    deadline.required_attachments = _clean_lines(data.required_attachments)
    deadline.nominal_due_on = data.due_on
    due_on = scheduling.working_due_date(data.due_on, data.non_working_day_rule)
    deadline.due_at = scheduling.due_datetime(due_on, data.due_time)


@transaction.atomic
def deadline_create(
    *,
    by: Any,
    data: DeadlineData,
    campaign: Campaign | None = None,
    cluster_term: ClusterTerm | None = None,
    source: CampaignDeadline | None = None,
    schedule: ReportSchedule | None = None,
) -> ReportDeadline:
    """A new report deadline with its pending reminders."""
    _check_owner(campaign, cluster_term)
    _check_data(data, campaign)
    if source is not None and (source.campaign_id != getattr(campaign, "pk", None)):
        raise ValidationError(_("That deadline belongs to another campaign."))
    deadline = ReportDeadline(
        campaign=campaign, cluster_term=cluster_term, source_deadline=source, schedule=schedule, created_by=by
    )
    _apply(deadline, data)
    with audit_context(user=_user_id(by), reason="report deadline created"):
        try:
            with transaction.atomic():
                deadline.save()
        except IntegrityError:
            raise ValidationError(
                _("A report deadline already exists for that date in the document.")
            ) from None
        if data.unit_mode == UnitMode.CHOSEN:
            deadline.units.set(data.units)
        deadline.targets.set(data.targets)
        reminders.reminders_plan(deadline)
    return deadline


@transaction.atomic
def deadline_update(*, deadline: ReportDeadline, by: Any, data: DeadlineData) -> ReportDeadline:
    """Change a deadline; the pending reminders and what reports miss follow."""
    _check_data(data, deadline.campaign)
    _apply(deadline, data)
    with audit_context(user=_user_id(by), reason="report deadline edited"):
        deadline.save()
        deadline.units.set(data.units if data.unit_mode == UnitMode.CHOSEN else [])
        deadline.targets.set(data.targets)
        deadline.__dict__.pop("_unit_ids", None)
        for report in deadline.reports.prefetch_related("values", "attachments"):
            _refresh_missing(report, deadline)
        reminders.reminders_plan(deadline)
    return deadline


@transaction.atomic
def deadline_lock(*, deadline: ReportDeadline, by: Any, locked: bool) -> ReportDeadline:
    """Lock (no more submissions; pending reminders are cancelled) or unlock a deadline."""
    deadline = ReportDeadline.objects.select_for_update().get(pk=deadline.pk)
    with audit_context(user=_user_id(by), reason="deadline locked" if locked else "deadline unlocked"):
        deadline.locked_at = timezone.now() if locked else None
        deadline.locked_by = by if locked else None
        deadline.save(update_fields=["locked_at", "locked_by", "updated_at"])
        if locked:
            reminders.reminders_cancel(deadline_id=deadline.pk, reason="deadline locked")
        else:
            reminders.reminders_plan(deadline)
    return deadline


def data_from_campaign_deadline(source: CampaignDeadline) -> DeadlineData:
    """A report deadline prefilled from a dated deadline read in the campaign's directive."""
    title = source.title.lower()
    kind = ReportKind.THEMATIC
    if "6 tháng" in title or "sơ kết" in title:
        kind = ReportKind.HALF_YEAR
    elif "năm" in title or "tổng kết" in title:
        kind = ReportKind.ANNUAL
    elif "quý" in title:
        kind = ReportKind.QUARTERLY
    elif "tháng" in title:
        kind = ReportKind.MONTHLY
    campaign = source.campaign
    return DeadlineData(
        title=source.title,
        kind=kind,
        due_on=source.due_on,
        period_start=campaign.start_date,
        period_end=min(source.due_on, campaign.end_date),
        sections=[_("Results achieved"), _("Shortcomings and causes"), _("Tasks and proposals")],
        targets=list(campaign.targets.all()),
        required_attachments=[_("The signed and stamped report (PDF)")],
    )


# --- Schedules ------------------------------------------------------------------------------------


@dataclass
class ScheduleData:
    kind: str
    recurrence: str
    due_day: int
    month_offset: int = 0
    due_time: dt.time = DEFAULT_DUE_TIME
    title: str = ""
    non_working_day_rule: str = "previous"
    unit_mode: str = UnitMode.ALL
    units: Sequence[Unit] = ()
    sections: Sequence[str] = ()
    targets: Sequence[Target] = ()
    required_attachments: Sequence[str] = ()


def _span(campaign: Campaign | None, cluster_term: ClusterTerm | None) -> tuple[dt.date, dt.date]:
    if campaign is not None:
        return campaign.start_date, campaign.end_date
    year = cluster_term.year  # type: ignore[union-attr]
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass
class ScheduleResult:
    schedule: ReportSchedule
    deadlines: list[ReportDeadline]
    skipped: int


@transaction.atomic
def schedule_create(
    *,
    by: Any,
    data: ScheduleData,
    campaign: Campaign | None = None,
    cluster_term: ClusterTerm | None = None,
    today: dt.date | None = None,
) -> ScheduleResult:
    """A recurring schedule and the deadlines it gives over the campaign's period (or the
    cluster's year). Periods already due before today are skipped."""
    _check_owner(campaign, cluster_term)
    if not 1 <= data.due_day <= 31:
        raise ValidationError(_("The due day must be between 1 and 31."))
    today = today or timezone.localdate()
    start, end = _span(campaign, cluster_term)
    schedule = ReportSchedule(
        campaign=campaign,
        cluster_term=cluster_term,
        title=data.title.strip()[:255],
        kind=data.kind,
        recurrence=data.recurrence,
        due_day=data.due_day,
        month_offset=data.month_offset,
        due_time=data.due_time,
        non_working_day_rule=data.non_working_day_rule,
        unit_mode=data.unit_mode,
        sections=_clean_lines(data.sections),
        required_attachments=_clean_lines(data.required_attachments),
        created_by=by,
    )
    planned = scheduling.plan_deadlines(
        recurrence=data.recurrence,
        start=start,
        end=end,
        due_day=data.due_day,
        month_offset=data.month_offset,
        rule=data.non_working_day_rule,
    )
    base = schedule.title or _("Report")
    created, skipped = [], 0
    with audit_context(user=_user_id(by), reason="report schedule created"):
        schedule.save()
        schedule.targets.set(data.targets)
        if data.unit_mode == UnitMode.CHOSEN:
            schedule.units.set(data.units)
        for item in planned:
            if item.due_on < today:
                skipped += 1
                continue
            deadline = deadline_create(
                by=by,
                campaign=campaign,
                cluster_term=cluster_term,
                schedule=schedule,
                data=DeadlineData(
                    title=f"{base} {item.period.label}",
                    kind=data.kind,
                    due_on=item.nominal_due_on,
                    due_time=data.due_time,
                    period_start=item.period.start,
                    period_end=item.period.end,
                    non_working_day_rule=data.non_working_day_rule,
                    unit_mode=data.unit_mode,
                    units=data.units,
                    sections=data.sections,
                    targets=data.targets,
                    required_attachments=data.required_attachments,
                ),
            )
            created.append(deadline)
    return ScheduleResult(schedule=schedule, deadlines=created, skipped=skipped)


# --- Reminder policy ------------------------------------------------------------------------------


@transaction.atomic
def policy_save(
    *,
    by: Any,
    days_before: Sequence[int],
    on_due_day: bool,
    days_after: Sequence[int],
    escalate_late: bool,
    send_at: dt.time,
    campaign: Campaign | None = None,
    cluster_term: ClusterTerm | None = None,
) -> ReminderPolicy:
    """Set the reminder policy of a campaign or cluster year and re-plan its open deadlines."""
    _check_owner(campaign, cluster_term)
    if any(day < 1 or day > 60 for day in [*days_before, *days_after]):
        raise ValidationError(_("Reminder days must be between 1 and 60 working days."))
    owner = {"campaign": campaign} if campaign is not None else {"cluster_term": cluster_term}
    with audit_context(user=_user_id(by), reason="reminder policy saved"):
        policy, _created = ReminderPolicy.objects.update_or_create(
            **owner,
            defaults={
                "days_before": sorted(set(days_before), reverse=True),
                "on_due_day": on_due_day,
                "days_after": sorted(set(days_after)),
                "escalate_late": escalate_late,
                "send_at": send_at,
                "updated_by": by,
            },
        )
        for deadline in ReportDeadline.objects.filter(**owner, locked_at__isnull=True):
            reminders.reminders_plan(deadline)
    return policy


# --- Reports --------------------------------------------------------------------------------------


class StaleReportError(ValidationError):
    """The report changed after the page was opened (optimistic locking)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "This report was saved from another window after you opened it, so your changes "
                "were not saved. Reload the page to see the saved report."
            ),
            code="stale",
        )
        self.current_version = current_version


@dataclass(frozen=True)
class ValueData:
    target_id: int
    value: Decimal | None = None
    done: bool | None = None
    note: str = ""


def required_targets(deadline: ReportDeadline, unit_id: int) -> list[Target]:
    """The deadline's targets the unit must report: all but those it registered as not taken on."""
    from campaigns.progress import submitted_commitments

    targets = list(deadline.targets.all())
    if not deadline.campaign_id or not targets:
        return targets
    commitments = submitted_commitments(deadline.campaign, unit=unit_id)
    return [t for t in targets if commitments.get((t.pk, unit_id), (None, True))[1]]


def _refresh_missing(
    report: Report, deadline: ReportDeadline, targets: Sequence[Target] | None = None
) -> None:
    """Recount what the report still lacks (the lists show it without opening the report)."""
    targets = required_targets(deadline, report.unit_id) if targets is None else targets
    values = {v.target_id: v for v in report.values.all()}
    filled = {
        str(i) for i, _title in enumerate(deadline.sections) if (report.narrative.get(str(i)) or "").strip()
    }
    uploaded = {a.requirement for a in report.attachments.all()}
    Report.objects.filter(pk=report.pk).update(
        missing_sections=len(deadline.sections) - len(filled),
        missing_values=sum(1 for t in targets if not (t.pk in values and values[t.pk].is_filled)),
        missing_attachments=sum(1 for i in range(len(deadline.required_attachments)) if i not in uploaded),
    )


def missing_items(report: Report | None, deadline: ReportDeadline, targets: Sequence[Target]) -> list[str]:
    """What stops the report from being submitted, in words the officer can act on."""
    narrative = report.narrative if report else {}
    values = {v.target_id: v for v in report.values.all()} if report else {}
    uploaded = {a.requirement for a in report.attachments.all()} if report else set()
    problems = [
        _("Write the section “%(section)s”.") % {"section": title}
        for i, title in enumerate(deadline.sections)
        if not (narrative.get(str(i)) or "").strip()
    ]
    problems += [
        _("Enter the actual value of “%(target)s”.") % {"target": target.name}
        for target in targets
        if not (target.pk in values and values[target.pk].is_filled)
    ]
    problems += [
        _("Attach “%(attachment)s”.") % {"attachment": label}
        for i, label in enumerate(deadline.required_attachments)
        if i not in uploaded
    ]
    return problems


def _check_unit_acts(deadline: ReportDeadline, unit: Unit, by: Any) -> None:
    if not by.has_perm("reports.write_report", unit):
        raise PermissionDenied
    if not unit_owes(deadline, unit.pk):
        raise ValidationError(_("%(unit)s does not owe this report.") % {"unit": unit.name}, code="not_owed")


def _report_for_write(deadline: ReportDeadline, unit: Unit, version: int) -> Report:
    """The unit's report, created on the first save; refuses a stale version."""
    existing = Report.objects.filter(deadline=deadline, unit=unit).first()
    if existing is None:
        if version != 0:
            raise StaleReportError(0)
        try:
            with transaction.atomic():
                return Report.objects.create(deadline=deadline, unit=unit, version=1)
        except IntegrityError:
            raise StaleReportError(Report.objects.get(deadline=deadline, unit=unit).version) from None
    # The conditional UPDATE is the lock: of two saves from one version, the second changes nothing.
    if not Report.objects.filter(pk=existing.pk, version=version).update(version=F("version") + 1):
        raise StaleReportError(Report.objects.get(pk=existing.pk).version)
    existing.version = version + 1
    return existing


def _write_content(
    report: Report,
    deadline: ReportDeadline,
    narrative: Mapping[str, str],
    values: Sequence[ValueData],
    targets: Sequence[Target],
) -> None:
    allowed = {t.pk: t for t in targets}
    report.narrative = {str(i): (narrative.get(str(i)) or "")[:50_000] for i in range(len(deadline.sections))}
    report.save(update_fields=["narrative", "updated_at"])
    for item in values:
        target = allowed.get(item.target_id)
        if target is None:
            raise ValidationError(_("A target does not belong to this report."))
        if item.value is not None and not item.value.is_finite():
            raise ValidationError(_("Enter a number for “%(target)s”.") % {"target": target.name})
        ReportValue.objects.update_or_create(
            report=report,
            target=target,
            defaults={
                "value": item.value if target.is_measurable else None,
                "done": item.done if not target.is_measurable else None,
                "note": item.note[:500],
            },
        )


@transaction.atomic
def report_save(
    *,
    deadline: ReportDeadline,
    unit: Unit,
    by: Any,
    version: int,
    narrative: Mapping[str, str],
    values: Sequence[ValueData] = (),
) -> Report:
    """Save the unit's draft (the page autosaves through this). `version` is the version the page
    was opened with, 0 before the first save; a stale one raises `StaleReportError`."""
    _check_unit_acts(deadline, unit, by)
    current = Report.objects.filter(deadline=deadline, unit=unit).values_list("status", flat=True).first()
    if current is not None and current not in {ReportStatus.DRAFT, ReportStatus.RETURNED}:
        raise ValidationError(
            _("This report has been submitted and can no longer be changed."), code="locked"
        )
    targets = required_targets(deadline, unit.pk)
    with audit_context(user=_user_id(by), reason="report saved"):
        report = _report_for_write(deadline, unit, version)
        _write_content(report, deadline, narrative, values, targets)
        _refresh_missing(report, deadline, targets)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_submit(
    *,
    deadline: ReportDeadline,
    unit: Unit,
    by: Any,
    version: int,
    narrative: Mapping[str, str],
    values: Sequence[ValueData] = (),
) -> Report:
    """Save and submit (nộp). After the due date it is still taken but marked late by the
    working days since; a locked deadline takes nothing. Pending reminders are cancelled."""
    _check_unit_acts(deadline, unit, by)
    deadline = ReportDeadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.is_locked:
        raise ValidationError(
            _("This deadline is locked: no more reports are taken."), code="deadline_locked"
        )
    report = report_save(
        deadline=deadline, unit=unit, by=by, version=version, narrative=narrative, values=values
    )
    report = Report.objects.select_for_update().prefetch_related("values", "attachments").get(pk=report.pk)
    targets = required_targets(deadline, unit.pk)
    problems = missing_items(report, deadline, targets)
    if problems:
        raise ValidationError(problems, code="incomplete")
    if not can_proceed(report.submit):
        raise ValidationError(_("This report cannot be submitted now."))
    now = timezone.now()
    late = lateness(deadline, now)
    with audit_context(user=_user_id(by), reason="report submitted"):
        report.submit()
        report.submitted_at = now
        report.submitted_by = by
        report.first_submitted_at = report.first_submitted_at or now
        report.submission_count += 1
        report.late_days = late.days if late.is_late else None
        report.save()
        ReportTransition.objects.create(
            report=report,
            action=ReportAction.SUBMITTED,
            by=by,
            at=now,
            late_days=report.late_days,
            snapshot={
                "narrative": report.narrative,
                "values": {
                    str(v.target_id): {"value": None if v.value is None else str(v.value), "done": v.done}
                    for v in report.values.all()
                },
                "attachments": [a.original_name for a in report.attachments.all()],
            },
        )
        reminders.reminders_cancel(deadline_id=deadline.pk, unit_id=unit.pk, reason="report submitted")
    return report


def _review(report: Report, by: Any) -> Report:
    if not by.has_perm("reports.review_reports"):
        raise PermissionDenied
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("deadline__campaign", "unit")
        .get(pk=report.pk)
    )


def _notify_unit(report: Report, *, kind: str, title: str, body: str = "") -> None:
    from core.models import User

    users = User.objects.filter(is_active=True, unit_id=report.unit_id).exclude(unit_role="")
    Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:255], body=body, url=report.get_absolute_url())
        for user in users
    )


def _record_review(
    report: Report, transition: Callable[[], None], action: str, *, by: Any, reason: str
) -> None:
    """Apply a staff review transition, stamp the reviewer and keep it in the report's log."""
    transition()
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.save()
    ReportTransition.objects.create(report=report, action=action, by=by, reason=reason)


@transaction.atomic
def report_return(*, report: Report, by: Any, reason: str) -> Report:
    """Return a submitted report to the unit with the reason; the unit is told by e-mail and in
    the app, and its remaining reminders are due again."""
    report = _review(report, by)
    if not reason.strip():
        raise ValidationError(_("Say why the report is returned."), code="reason")
    if not can_proceed(report.return_to_unit):
        raise ValidationError(_("Only a submitted report can be returned."))
    with audit_context(user=_user_id(by), reason=f"report returned: {reason}"):
        _record_review(report, report.return_to_unit, ReportAction.RETURNED, by=by, reason=reason.strip())
        _message_unit(report, reason.strip(), by)
    return report


def _message_unit(report: Report, reason: str, by: Any) -> None:
    reminders.reminders_restore(deadline=report.deadline, unit_id=report.unit_id)
    message = reminders.reminder_now(
        deadline=report.deadline, unit=report.unit, kind=ReminderKind.RETURNED, by=by, note=reason
    )
    reminders.enqueue_now(message.pk)


@transaction.atomic
def report_accept(*, report: Report, by: Any, note: str = "") -> Report:
    """Accept (tiếp nhận) a submitted report: it is locked, and its actual values are recorded
    as campaign progress."""
    from campaigns.progress import progress_record

    report = _review(report, by)
    if not can_proceed(report.accept):
        raise ValidationError(_("Only a submitted report can be accepted."))
    deadline = report.deadline
    with audit_context(user=_user_id(by), reason="report accepted"):
        _record_review(report, report.accept, ReportAction.ACCEPTED, by=by, reason=note.strip())
        campaign = deadline.campaign
        if campaign is not None and campaign.status != CampaignStatus.DRAFT:
            as_of = min(deadline.period_end or deadline.due_on, timezone.localdate(), campaign.end_date)
            as_of = max(as_of, campaign.start_date)
            for value in report.values.select_related("target__campaign"):
                if not value.is_filled or value.target.campaign_id != campaign.pk:
                    continue
                progress_record(
                    unit=report.unit,
                    target=value.target,
                    as_of=as_of,
                    value=value.value,
                    done=value.done,
                    note=(_("Report: %(title)s") % {"title": deadline.title})[:500],
                    by=by,
                )
        _notify_unit(
            report,
            kind=NotificationKind.ACCEPTED,
            title=_("Report accepted: %(title)s") % {"title": deadline.title},
        )
    return report


@transaction.atomic
def report_reopen(*, report: Report, by: Any, reason: str) -> Report:
    """Reopen an accepted report, only with a reason; the unit may then change and resubmit it."""
    report = _review(report, by)
    if not reason.strip():
        raise ValidationError(_("Say why the accepted report is reopened."), code="reason")
    if not can_proceed(report.reopen):
        raise ValidationError(_("Only an accepted report can be reopened."))
    with audit_context(user=_user_id(by), reason=f"report reopened: {reason}"):
        _record_review(report, report.reopen, ReportAction.REOPENED, by=by, reason=reason.strip())
        _message_unit(report, reason.strip(), by)
    return report


# --- Attachments ----------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, deadline: ReportDeadline, unit: Unit, by: Any, file: Any, requirement: int | None = None
) -> ReportAttachment:
    """Attach a file to the unit's report (created as a draft if needed). The type is sniffed
    from the content; the stored name cannot be guessed."""
    _check_unit_acts(deadline, unit, by)
    kind = validate_upload(file, allowed=ATTACHMENT_TYPES, max_bytes=MAX_ATTACHMENT_BYTES)
    if requirement is not None and not 0 <= requirement < len(deadline.required_attachments):
        raise ValidationError(_("Choose which required attachment this is."))
    report, _created = Report.objects.get_or_create(deadline=deadline, unit=unit)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError(
            _("This report has been submitted and can no longer be changed."), code="locked"
        )
    with audit_context(user=_user_id(by), reason="report attachment added"):
        attachment = ReportAttachment.objects.create(
            report=report,
            requirement=requirement,
            file=file,
            original_name=file.name[:255],
            kind=kind,
            size=file.size,
            uploaded_by=by,
        )
        Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
        _refresh_missing(report, deadline)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ReportAttachment, by: Any) -> None:
    report = (
        Report.objects.select_for_update().select_related("deadline", "unit").get(pk=attachment.report_id)
    )
    _check_unit_acts(report.deadline, report.unit, by)
    if not report.is_editable:
        raise ValidationError(
            _("This report has been submitted and can no longer be changed."), code="locked"
        )
    with audit_context(user=_user_id(by), reason="report attachment removed"):
        stored = attachment.file.name
        attachment.delete()
        Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
        _refresh_missing(report, report.deadline)
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


# --- Reminders by staff ---------------------------------------------------------------------------


@transaction.atomic
def remind_unit(*, deadline: ReportDeadline, unit: Unit, by: Any) -> Any:
    """Staff's "nhắc": remind a unit now, at most once an hour per unit and deadline."""
    if not by.has_perm("reports.manage_deadlines"):
        raise PermissionDenied
    # Lock the deadline so two clicks at once cannot both pass the hourly check.
    deadline = ReportDeadline.objects.select_for_update().get(pk=deadline.pk)
    if not unit_owes(deadline, unit.pk):
        raise ValidationError(_("%(unit)s does not owe this report.") % {"unit": unit.name})
    if deadline.is_locked:
        raise ValidationError(_("This deadline is locked: no more reports are taken."))
    if Report.objects.filter(
        deadline=deadline, unit=unit, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    ).exists():
        raise ValidationError(_("%(unit)s has already submitted this report.") % {"unit": unit.name})
    from reports.models import Reminder

    last = (
        Reminder.objects.filter(deadline=deadline, unit=unit, kind=ReminderKind.MANUAL)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    now = timezone.now()
    if last is not None and now - last < MANUAL_REMINDER_GAP:
        next_at = timezone.localtime(last + MANUAL_REMINDER_GAP)
        raise ValidationError(
            _("%(unit)s was reminded less than an hour ago; you can remind it again from %(time)s.")
            % {"unit": unit.name, "time": next_at.strftime("%H:%M")},
            code="too_soon",
        )
    reminder = reminders.reminder_now(deadline=deadline, unit=unit, kind=ReminderKind.MANUAL, by=by)
    reminders.enqueue_now(reminder.pk)
    return reminder


# --- Notifications and calendar -------------------------------------------------------------------


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one notification (or all of the user's) as read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def preference_set(*, user: Any, channels: str) -> NotificationPreference:
    if channels not in ChannelChoice.values:
        raise ValidationError(_("Choose how to receive reminders."))
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"channels": channels}
    )
    return preference


@transaction.atomic
def calendar_feed_renew(*, user: Any) -> CalendarFeed:
    """Create the user's calendar address, or replace it: the old address stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


def calendar_feed_revoke(*, user: Any) -> None:
    CalendarFeed.objects.filter(user=user).delete()
