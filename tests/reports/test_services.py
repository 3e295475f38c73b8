"""Reports through their life: drafts, submission (on time or late), return, acceptance with
progress, reopening; deadlines from the directive; attachments; staff's "nhắc"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from campaigns.models import CampaignDeadline, ParticipantMode, ProgressEntry
from reports import services
from reports.models import (
    CalendarFeed,
    Notification,
    NotificationKind,
    Reminder,
    ReminderKind,
    ReportAction,
    ReportAttachment,
    ReportStatus,
)
from tests import factories
from tests.reports.factories import local

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _setup(settings, time_machine):
    settings.LANGUAGE_CODE = "en"
    time_machine.move_to(local(D(2026, 6, 1), 9), tick=False)
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(unit_a, unit_b):
    campaign = factories.CampaignFactory(
        start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), participant_mode=ParticipantMode.UNITS
    )
    campaign.participant_units.set([unit_a, unit_b])
    return campaign


@pytest.fixture
def targets(campaign):
    return [
        factories.TargetFactory(
            campaign=campaign, name="Thu ngân sách", unit_of_measure="tỷ đồng", target_value=100
        ),
        factories.TargetFactory(
            campaign=campaign, name="Ký giao ước thi đua", kind="qualitative", target_value=None
        ),
    ]


@pytest.fixture
def deadline(campaign, targets, staff_user):
    return services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=services.DeadlineData(
            title="Báo cáo sơ kết 6 tháng đầu năm 2026",
            kind="half_year",
            due_on=D(2026, 6, 19),
            period_start=D(2026, 1, 1),
            period_end=D(2026, 6, 30),
            sections=["Kết quả đạt được", "Tồn tại, hạn chế"],
            targets=targets,
            required_attachments=["Báo cáo có chữ ký, đóng dấu (PDF)"],
        ),
    )


def complete(deadline, unit, by, targets, *, version=0, submit=True):
    """Write every section and value, attach the signed PDF, then submit (or only save)."""
    services.attachment_add(
        deadline=deadline,
        unit=unit,
        by=by,
        file=SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf"),
        requirement=0,
    )
    version = deadline.reports.get(unit=unit).version
    action = services.report_submit if submit else services.report_save
    return action(
        deadline=deadline,
        unit=unit,
        by=by,
        version=version,
        narrative={"0": "Hoàn thành 55% kế hoạch thu.", "1": "Giải ngân chậm."},
        values=[
            services.ValueData(target_id=targets[0].pk, value=Decimal("55.5")),
            services.ValueData(target_id=targets[1].pk, done=True),
        ],
    )


# --- Deadlines ------------------------------------------------------------------------------------------


def test_a_deadline_on_a_non_working_day_moves_to_the_previous_working_day(deadline, campaign, staff_user):
    saturday = services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=services.DeadlineData(title="Báo cáo quý II", kind="quarterly", due_on=D(2026, 6, 20)),
    )
    assert saturday.nominal_due_on == D(2026, 6, 20)
    assert saturday.due_on == D(2026, 6, 19)
    assert saturday.due_at == local(D(2026, 6, 19), 17)


def test_staff_can_keep_a_date_on_a_non_working_day(campaign, staff_user):
    kept = services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=services.DeadlineData(
            title="Báo cáo đột xuất", kind="ad_hoc", due_on=D(2026, 6, 20), non_working_day_rule="keep"
        ),
    )
    assert kept.due_on == D(2026, 6, 20)


def test_a_report_deadline_is_made_from_a_deadline_read_in_the_directive(campaign, targets, staff_user):
    source = CampaignDeadline.objects.create(
        campaign=campaign, title="Báo cáo sơ kết 6 tháng", due_on=D(2026, 6, 20), is_report=True
    )
    data = services.data_from_campaign_deadline(source)
    assert data.kind == "half_year"
    assert data.targets == targets
    deadline = services.deadline_create(by=staff_user, campaign=campaign, source=source, data=data)
    assert source.report_deadline == deadline
    with pytest.raises(ValidationError):
        services.deadline_create(by=staff_user, campaign=campaign, source=source, data=data)


def test_a_deadline_belongs_to_exactly_one_owner(campaign, staff_user, cluster_with_head):
    data = services.DeadlineData(title="Báo cáo", kind="thematic", due_on=D(2026, 6, 19))
    with pytest.raises(ValidationError):
        services.deadline_create(by=staff_user, data=data)
    with pytest.raises(ValidationError):
        services.deadline_create(
            by=staff_user, campaign=campaign, cluster_term=cluster_with_head.term, data=data
        )


def test_a_cluster_year_deadline_is_owed_by_that_years_members(staff_user, cluster_with_head):
    from reports.selectors import deadline_unit_ids

    deadline = services.deadline_create(
        by=staff_user,
        cluster_term=cluster_with_head.term,
        data=services.DeadlineData(title="Báo cáo sơ kết của cụm", kind="half_year", due_on=D(2026, 6, 19)),
    )
    expected = {
        cluster_with_head.head_unit.pk,
        cluster_with_head.deputy_unit.pk,
        *(u.pk for u in cluster_with_head.members),
    }
    assert deadline_unit_ids(deadline) == expected


def test_chosen_units_narrow_who_reports(campaign, staff_user, unit_a, unit_b):
    from reports.selectors import deadline_unit_ids

    deadline = services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=services.DeadlineData(
            title="Báo cáo chuyên đề",
            kind="thematic",
            due_on=D(2026, 6, 19),
            unit_mode="chosen",
            units=[unit_b],
        ),
    )
    assert deadline_unit_ids(deadline) == {unit_b.pk}
    assert set(Reminder.objects.filter(deadline=deadline).values_list("unit_id", flat=True)) == {unit_b.pk}


# --- The report's life ------------------------------------------------------------------------------


def test_a_draft_is_saved_and_versioned(deadline, unit_a, officer_a, targets):
    report = services.report_save(
        deadline=deadline, unit=unit_a, by=officer_a, version=0, narrative={"0": "Đang tổng hợp."}
    )
    assert report.status == ReportStatus.DRAFT
    assert report.version == 1
    assert (report.missing_sections, report.missing_values, report.missing_attachments) == (1, 2, 1)
    report = services.report_save(
        deadline=deadline, unit=unit_a, by=officer_a, version=1, narrative={"0": "Xong."}
    )
    assert report.version == 2


def test_a_save_from_a_stale_page_is_refused(deadline, unit_a, officer_a):
    services.report_save(deadline=deadline, unit=unit_a, by=officer_a, version=0, narrative={"0": "Bản 1"})
    services.report_save(deadline=deadline, unit=unit_a, by=officer_a, version=1, narrative={"0": "Bản 2"})
    with pytest.raises(services.StaleReportError) as error:
        services.report_save(deadline=deadline, unit=unit_a, by=officer_a, version=1, narrative={"0": "Cũ"})
    assert error.value.current_version == 2
    assert deadline.reports.get(unit=unit_a).narrative["0"] == "Bản 2"


def test_an_incomplete_report_cannot_be_submitted(deadline, unit_a, officer_a):
    with pytest.raises(ValidationError) as error:
        services.report_submit(
            deadline=deadline, unit=unit_a, by=officer_a, version=0, narrative={"0": "Một phần"}
        )
    messages = error.value.messages
    assert "Write the section “Tồn tại, hạn chế”." in messages
    assert "Enter the actual value of “Thu ngân sách”." in messages
    assert "Attach “Báo cáo có chữ ký, đóng dấu (PDF)”." in messages


def test_a_report_submitted_by_the_due_time_is_on_time(deadline, unit_a, officer_a, targets, time_machine):
    time_machine.move_to(local(D(2026, 6, 19), 16, 59), tick=False)
    report = complete(deadline, unit_a, officer_a, targets)
    assert report.status == ReportStatus.SUBMITTED
    assert report.late_days is None
    assert report.submission_count == 1
    transition = report.transitions.get()
    assert transition.action == ReportAction.SUBMITTED
    assert transition.snapshot["values"][str(targets[0].pk)] == {"value": "55.50", "done": None}
    assert transition.snapshot["attachments"] == ["bao-cao.pdf"]


@pytest.mark.parametrize(
    ("at", "late"),
    [
        (local(D(2026, 6, 19), 17, 1), 1),
        (local(D(2026, 6, 20), 10), 1),
        (local(D(2026, 6, 23), 10), 2),
    ],
)
def test_a_report_submitted_after_the_due_time_is_late_by_working_days(
    deadline, unit_a, officer_a, targets, time_machine, at, late
):
    time_machine.move_to(at, tick=False)
    assert complete(deadline, unit_a, officer_a, targets).late_days == late


def test_a_locked_deadline_takes_no_more_reports(deadline, unit_a, officer_a, targets, staff_user):
    services.deadline_lock(deadline=deadline, by=staff_user, locked=True)
    with pytest.raises(ValidationError) as error:
        complete(deadline, unit_a, officer_a, targets)
    assert error.value.code == "deadline_locked"


def test_returned_resubmitted_accepted_and_progress_recorded(
    deadline, unit_a, officer_a, targets, staff_user, time_machine
):
    """Return needs a reason; the unit resubmits; acceptance locks the report and writes one
    progress entry per value, dated the end of the period (or today, if earlier)."""
    report = complete(deadline, unit_a, officer_a, targets)
    with pytest.raises(ValidationError):
        services.report_return(report=report, by=staff_user, reason="  ")
    services.report_return(report=report, by=staff_user, reason="Bổ sung số liệu thu ngân sách.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert not ProgressEntry.objects.exists()
    report = services.report_submit(
        deadline=deadline,
        unit=unit_a,
        by=officer_a,
        version=report.version,
        narrative=report.narrative,
        values=[services.ValueData(target_id=targets[0].pk, value=Decimal("60"))],
    )
    assert report.submission_count == 2
    time_machine.move_to(local(D(2026, 6, 25), 9), tick=False)
    services.report_accept(report=report, by=staff_user)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    entries = {e.target_id: e for e in ProgressEntry.objects.all()}
    assert entries[targets[0].pk].value == Decimal("60.00")
    assert entries[targets[0].pk].as_of == D(2026, 6, 25)
    assert entries[targets[1].pk].done is True
    assert entries[targets[0].pk].recorded_by == staff_user
    assert Notification.objects.filter(user=officer_a, kind=NotificationKind.ACCEPTED).count() == 1
    assert [t.action for t in report.transitions.all()] == ["submitted", "returned", "submitted", "accepted"]


def test_an_accepted_report_is_locked_and_reopened_only_with_a_reason(
    deadline, unit_a, officer_a, targets, staff_user
):
    report = complete(deadline, unit_a, officer_a, targets)
    services.report_accept(report=report, by=staff_user)
    with pytest.raises(ValidationError):
        services.report_save(
            deadline=deadline, unit=unit_a, by=officer_a, version=report.version, narrative={"0": "Sửa"}
        )
    with pytest.raises(ValidationError):
        services.report_reopen(report=report, by=staff_user, reason="")
    services.report_reopen(report=report, by=staff_user, reason="Đơn vị đề nghị điều chỉnh số liệu.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    last = report.transitions.last()
    assert (last.action, last.reason, last.by) == (
        "reopened",
        "Đơn vị đề nghị điều chỉnh số liệu.",
        staff_user,
    )


def test_only_staff_review_reports(deadline, unit_a, officer_a, targets):
    report = complete(deadline, unit_a, officer_a, targets)
    for action in (services.report_accept, services.report_return):
        with pytest.raises(PermissionDenied):
            action(
                report=report, by=officer_a, **({"reason": "x"} if action is services.report_return else {})
            )


def test_a_unit_officer_cannot_write_or_submit_another_units_report(deadline, unit_b, officer_a, targets):
    with pytest.raises(PermissionDenied):
        services.report_save(deadline=deadline, unit=unit_b, by=officer_a, version=0, narrative={"0": "x"})
    with pytest.raises(PermissionDenied):
        services.report_submit(deadline=deadline, unit=unit_b, by=officer_a, version=0, narrative={"0": "x"})
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            deadline=deadline, unit=unit_b, by=officer_a, file=SimpleUploadedFile("a.pdf", PDF), requirement=0
        )


def test_staff_do_not_write_a_units_report(deadline, unit_a, staff_user):
    with pytest.raises(PermissionDenied):
        services.report_save(deadline=deadline, unit=unit_a, by=staff_user, version=0, narrative={"0": "x"})


def test_a_unit_that_does_not_owe_the_report_cannot_start_it(deadline, officer_a, unit_a, campaign):
    campaign.participant_units.set([])
    deadline.__dict__.pop("_unit_ids", None)
    with pytest.raises(ValidationError):
        services.report_save(deadline=deadline, unit=unit_a, by=officer_a, version=0, narrative={})


def test_targets_the_unit_did_not_take_on_are_not_required(deadline, unit_a, officer_a, targets, campaign):
    from campaigns.models import Registration, RegistrationTarget

    registration = Registration.objects.create(campaign=campaign, unit=unit_a, status="submitted")
    RegistrationTarget.objects.create(registration=registration, target=targets[0], committed=False)
    assert services.required_targets(deadline, unit_a.pk) == [targets[1]]


# --- Attachments -------------------------------------------------------------------------------------------


def test_an_attachment_is_sniffed_and_stored_under_an_unguessable_name(deadline, unit_a, officer_a):
    attachment = services.attachment_add(
        deadline=deadline,
        unit=unit_a,
        by=officer_a,
        file=SimpleUploadedFile("Báo cáo.pdf", PDF),
        requirement=0,
    )
    assert attachment.kind == "pdf"
    assert attachment.original_name == "Báo cáo.pdf"
    stored = attachment.file.name
    assert stored.startswith("reports/")
    assert len(stored.split("/")[-1].split("-")[0]) == 32
    assert deadline.reports.get(unit=unit_a).missing_attachments == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf"),
        ("bang.xlsx", b"PK\x03\x04 broken zip"),
        ("script.exe", b"MZ\x90\x00"),
        ("anh.png", PDF),
    ],
)
def test_a_file_whose_content_does_not_match_is_refused(deadline, unit_a, officer_a, name, content):
    with pytest.raises(ValidationError):
        services.attachment_add(
            deadline=deadline, unit=unit_a, by=officer_a, file=SimpleUploadedFile(name, content)
        )
    assert not ReportAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(deadline, unit_a, officer_a, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError):
        services.attachment_add(
            deadline=deadline, unit=unit_a, by=officer_a, file=SimpleUploadedFile("a.pdf", PDF)
        )


def test_attachments_cannot_change_once_submitted(deadline, unit_a, officer_a, targets):
    complete(deadline, unit_a, officer_a, targets)
    with pytest.raises(ValidationError):
        services.attachment_add(
            deadline=deadline, unit=unit_a, by=officer_a, file=SimpleUploadedFile("b.pdf", PDF)
        )
    attachment = ReportAttachment.objects.get()
    with pytest.raises(ValidationError):
        services.attachment_remove(attachment=attachment, by=officer_a)


def test_removing_an_attachment_deletes_its_file_after_commit(
    deadline, unit_a, officer_a, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        deadline=deadline, unit=unit_a, by=officer_a, file=SimpleUploadedFile("a.pdf", PDF), requirement=0
    )
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, by=officer_a)
    assert not storage.exists(name)
    assert deadline.reports.get(unit=unit_a).missing_attachments == 1


# --- Staff's "nhắc" ---------------------------------------------------------------------------------------


def test_staff_remind_a_unit_at_most_once_an_hour(
    deadline, unit_a, staff_user, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminder = services.remind_unit(deadline=deadline, unit=unit_a, by=staff_user)
    assert (reminder.kind, reminder.requested_by) == (ReminderKind.MANUAL, staff_user)
    assert len(callbacks) == 1
    time_machine.shift(dt.timedelta(minutes=59))
    with pytest.raises(ValidationError) as error:
        services.remind_unit(deadline=deadline, unit=unit_a, by=staff_user)
    assert error.value.code == "too_soon"
    time_machine.shift(dt.timedelta(minutes=2))
    services.remind_unit(deadline=deadline, unit=unit_a, by=staff_user)
    assert Reminder.objects.filter(kind=ReminderKind.MANUAL).count() == 2


def test_a_unit_that_has_submitted_is_not_reminded(deadline, unit_a, officer_a, targets, staff_user):
    complete(deadline, unit_a, officer_a, targets)
    with pytest.raises(ValidationError):
        services.remind_unit(deadline=deadline, unit=unit_a, by=staff_user)


def test_only_staff_remind(deadline, unit_a, officer_a):
    with pytest.raises(PermissionDenied):
        services.remind_unit(deadline=deadline, unit=unit_a, by=officer_a)


def test_a_broker_outage_does_not_fail_the_reminder_request(
    deadline, unit_a, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    """The row is written; if the broker is down the beat sweep sends it later."""
    from reports import tasks

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.send_reminder, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.remind_unit(deadline=deadline, unit=unit_a, by=staff_user)
    assert Reminder.objects.get(pk=reminder.pk).status == "pending"


# --- Notifications, preferences, calendar ------------------------------------------------------------------


def test_marking_notifications_as_read(officer_a, officer_b):
    mine = [Notification.objects.create(user=officer_a, kind="reminder", title=f"Nhắc {i}") for i in range(3)]
    other = Notification.objects.create(user=officer_b, kind="reminder", title="Khác")
    assert services.notification_mark_read(user=officer_a, notification_id=mine[0].pk) == 1
    assert services.notification_mark_read(user=officer_a, notification_id=other.pk) == 0
    assert services.notification_mark_read(user=officer_a) == 2
    other.refresh_from_db()
    assert other.read_at is None


def test_a_calendar_address_is_replaced_and_revoked(officer_a):
    first = services.calendar_feed_renew(user=officer_a).token
    second = services.calendar_feed_renew(user=officer_a).token
    assert first != second
    assert len(second) >= 40
    services.calendar_feed_revoke(user=officer_a)
    assert not CalendarFeed.objects.filter(user=officer_a).exists()


def test_preferences_accept_only_known_choices(officer_a):
    assert services.preference_set(user=officer_a, channels="app").channels == "app"
    with pytest.raises(ValidationError):
        services.preference_set(user=officer_a, channels="none")
