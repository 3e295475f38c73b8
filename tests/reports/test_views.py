"""Report screens: deadline list and board, the report page, the unit's deadlines, calendar and
feed, notifications; who is refused; pinned query counts that stay flat with ten times the data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from campaigns.models import ParticipantMode, ProgressEntry
from clusters.models import MemberRole
from reports import services
from reports.models import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderKind,
    ReportDeadline,
    ReportStatus,
)
from tests import factories
from tests.reports.factories import local

pytestmark = pytest.mark.django_db

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.7\n%%EOF\n"

# Pinned query counts. The session comes from the (local-memory) cache, so the first query
# loads the user.
LIST_QUERIES = 5  # user, count, page, the filter's campaign and cluster choices
BOARD_QUERIES = 6  # user, deadline, the clusters for the filter, status counts, count, page
MY_QUERIES = 5  # user, unit, clusters the unit leads, count, page
# user, deadline, unit, units owing it, report + values + attachments + history, targets,
# commitments, previous deadline, its report + values + attachments + history, reminders + deliveries
REPORT_QUERIES = 17
NOTIFICATION_QUERIES = 6  # user, preference, unread count, count, the unit for the header, page


@pytest.fixture(autouse=True)
def _setup(settings, time_machine):
    settings.LANGUAGE_CODE = "en"
    time_machine.move_to(local(D(2026, 6, 15), 9), tick=False)
    with translation.override("en"):
        yield


class World:
    """A 2026 campaign for A and B (in "Cụm Bắc", headed by H), with a target and a deadline."""

    def __init__(self, unit_a, unit_b, staff_user) -> None:
        self.unit_a, self.unit_b, self.staff = unit_a, unit_b, staff_user
        self.cluster = factories.ClusterFactory(name="Cụm Bắc")
        self.term = factories.ClusterTermFactory(cluster=self.cluster, year=2026)
        self.head_unit = factories.UnitFactory(name="Xã Mễ Sở")
        factories.ClusterMembershipFactory(term=self.term, unit=self.head_unit, role=MemberRole.HEAD)
        factories.ClusterMembershipFactory(term=self.term, unit=unit_a)
        self.cluster_head = factories.make_officer(self.head_unit, username="truongcum")
        self.campaign = factories.CampaignFactory(
            title="Phong trào thi đua năm 2026",
            start_date=D(2026, 1, 1),
            end_date=D(2026, 12, 31),
            participant_mode=ParticipantMode.UNITS,
        )
        self.campaign.participant_units.set([unit_a, unit_b, self.head_unit])
        self.target = factories.TargetFactory(campaign=self.campaign, name="Thu ngân sách", target_value=100)
        self.deadline = self.make_deadline(
            "Báo cáo tháng 6/2026", D(2026, 6, 19), period=(D(2026, 6, 1), D(2026, 6, 30))
        )

    def make_deadline(self, title, due_on, *, period=(None, None), kind="monthly") -> ReportDeadline:
        return services.deadline_create(
            by=self.staff,
            campaign=self.campaign,
            data=services.DeadlineData(
                title=title,
                kind=kind,
                due_on=due_on,
                period_start=period[0],
                period_end=period[1],
                sections=["Kết quả đạt được"],
                targets=[self.target],
            ),
        )

    def submit(self, deadline, unit, by, *, text="Đạt 60%.", value="60") -> None:
        services.report_submit(
            deadline=deadline,
            unit=unit,
            by=by,
            version=0,
            narrative={"0": text},
            values=[services.ValueData(target_id=self.target.pk, value=Decimal(value))],
        )


@pytest.fixture
def world(unit_a, unit_b, staff_user) -> World:
    return World(unit_a, unit_b, staff_user)


def count_queries(client, url, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries), response


def more_units(world, count) -> list:
    units = factories.bulk_units(count, prefix="Xã Thêm")
    world.campaign.participant_units.add(*units)
    return units


# --- Navigation ---------------------------------------------------------------------------------------


def test_the_menu_shows_my_deadlines_to_units_and_boards_to_staff(world, officer_a_client, staff_client):
    officer_page = officer_a_client.get(reverse("home")).content.decode()
    staff_page = staff_client.get(reverse("home")).content.decode()
    boards = f'href="{reverse("reports:deadline_list")}"'
    assert f'href="{reverse("reports:my_deadlines")}"' in officer_page
    assert boards not in officer_page
    assert boards in staff_page


# --- Deadline list -------------------------------------------------------------------------------------


def test_the_deadline_list_shows_counts_full_and_partial(world, staff_client, officer_a):
    world.submit(world.deadline, world.unit_a, officer_a)
    url = reverse("reports:deadline_list")
    queries, response = count_queries(staff_client, url)
    page = response.content.decode()
    assert "Báo cáo tháng 6/2026" in page
    assert response.context["page_obj"][0].submitted_count == 1
    assert response.context["page_obj"][0].unit_count == 3
    assert "<html" in page
    partial = staff_client.get(url, **HTMX).content.decode()
    assert "<html" not in partial
    assert 'id="deadline-table"' in partial
    assert queries == LIST_QUERIES


def test_the_deadline_list_query_count_stays_flat(world, staff_client):
    url = reverse("reports:deadline_list")
    small, _ = count_queries(staff_client, url)
    for i in range(10):
        world.make_deadline(f"Báo cáo chuyên đề {i}", D(2026, 7, 1 + i), kind="thematic")
    more_units(world, 30)
    large, response = count_queries(staff_client, url)
    assert small == large == LIST_QUERIES
    assert response.context["page_obj"].paginator.count == 11


def test_the_deadline_list_filters_and_exports(world, staff_client):
    world.make_deadline("Báo cáo quý III", D(2026, 9, 30), kind="quarterly")
    response = staff_client.get(reverse("reports:deadline_list"), {"kind": "quarterly"})
    assert [d.title for d in response.context["page_obj"]] == ["Báo cáo quý III"]
    response = staff_client.get(reverse("reports:deadline_list"), {"q": "bao cao thang"})
    assert [d.title for d in response.context["page_obj"]] == ["Báo cáo tháng 6/2026"]
    export = staff_client.get(reverse("reports:deadline_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[0][0] == "Report"
    assert {row[0] for row in rows[1:]} == {"Báo cáo tháng 6/2026", "Báo cáo quý III"}


def test_the_deadline_list_is_refused_to_others(world, officer_a_client, login_as, plain_user):
    assert officer_a_client.get(reverse("reports:deadline_list")).url == reverse("reports:my_deadlines")
    assert login_as(plain_user).get(reverse("reports:deadline_list")).status_code == 403


# --- The board ------------------------------------------------------------------------------------------


def test_the_board_shows_each_units_status(world, login_as, officer_a, officer_b, time_machine):
    time_machine.move_to(local(D(2026, 6, 22), 10), tick=False)
    staff_client = login_as(world.staff)
    world.submit(world.deadline, world.unit_a, officer_a)  # 1 working day late
    services.report_save(
        deadline=world.deadline, unit=world.unit_b, by=officer_b, version=0, narrative={"0": "…"}
    )
    queries, response = count_queries(staff_client, world.deadline.get_absolute_url())
    rows = {unit.name: unit for unit in response.context["page_obj"]}
    assert rows["Xã Phụng Công"].board_status == "late"
    assert rows["Xã Phụng Công"].report_late_days == 1
    assert rows["Xã Văn Giang"].board_status == "draft"
    assert rows["Xã Mễ Sở"].board_status == "not_started"
    page = response.content.decode()
    assert "Submitted late (1 working day late)" in page
    assert "overdue by 1 working day" in page
    assert response.context["counts"]["late"] == 1
    assert queries == BOARD_QUERIES


def test_the_board_partial_and_flat_query_count(world, staff_client):
    url = world.deadline.get_absolute_url()
    small, _ = count_queries(staff_client, url)
    partial = staff_client.get(url, **HTMX).content.decode()
    assert "<html" not in partial
    assert 'id="board-table"' in partial
    more_units(world, 40)
    world.deadline.__dict__.pop("_unit_ids", None)
    large, response = count_queries(staff_client, url)
    assert small == large == BOARD_QUERIES
    assert response.context["page_obj"].paginator.count == 43


def test_the_board_filters_sorts_and_exports(world, login_as, officer_a, time_machine):
    time_machine.move_to(local(D(2026, 6, 22), 10), tick=False)
    staff_client = login_as(world.staff)
    world.submit(world.deadline, world.unit_a, officer_a)
    url = world.deadline.get_absolute_url()
    late = staff_client.get(url, {"status": "late_any"})
    assert {u.name for u in late.context["page_obj"]} == {"Xã Phụng Công", "Xã Văn Giang", "Xã Mễ Sở"}
    missing = staff_client.get(url, {"status": "missing"})
    assert {u.name for u in missing.context["page_obj"]} == {"Xã Văn Giang", "Xã Mễ Sở"}
    in_cluster = staff_client.get(url, {"cluster": str(world.cluster.pk)})
    assert {u.name for u in in_cluster.context["page_obj"]} == {"Xã Phụng Công", "Xã Mễ Sở"}
    outside = staff_client.get(url, {"cluster": "0"})
    assert {u.name for u in outside.context["page_obj"]} == {"Xã Văn Giang"}
    by_late = staff_client.get(url, {"sort": "late"})
    assert by_late.context["page_obj"][0].name == "Xã Phụng Công"
    export = staff_client.get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[0][:3] == ("Unit", "Cluster or bloc", "Status")
    statuses = {row[0]: row[2] for row in rows[1:]}
    assert statuses["Xã Phụng Công"] == "Submitted late (1 working day late)"
    assert statuses["Xã Văn Giang"] == "Not started"


def test_a_cluster_head_sees_the_board_rows_of_its_cluster_only(world, login_as):
    response = login_as(world.cluster_head).get(world.deadline.get_absolute_url())
    assert response.status_code == 200
    assert {u.name for u in response.context["page_obj"]} == {"Xã Phụng Công", "Xã Mễ Sở"}
    assert "/nhac/" not in response.content.decode()


def test_the_board_is_refused_to_a_plain_unit_officer(world, officer_b_client):
    assert officer_b_client.get(world.deadline.get_absolute_url()).status_code == 403


def test_staff_remind_a_unit_from_the_board_once_an_hour(
    world, staff_client, django_capture_on_commit_callbacks
):
    url = reverse("reports:remind_unit", args=[world.deadline.pk, world.unit_b.pk])
    with django_capture_on_commit_callbacks(execute=False):
        response = staff_client.post(url, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="board-row-{world.unit_b.pk}"')
    assert "A reminder is on its way to Xã Văn Giang." in page
    assert "Reminded" in page
    with django_capture_on_commit_callbacks(execute=False):
        again = staff_client.post(url, **HTMX).content.decode()
    assert "less than an hour ago" in again
    assert Reminder.objects.filter(kind=ReminderKind.MANUAL).count() == 1
    # Without JavaScript: back to the board with a message.
    plain = staff_client.post(reverse("reports:remind_unit", args=[world.deadline.pk, world.unit_a.pk]))
    assert plain.status_code == 302


def test_only_staff_remind(world, officer_a_client):
    url = reverse("reports:remind_unit", args=[world.deadline.pk, world.unit_b.pk])
    assert officer_a_client.post(url).status_code == 403


def test_staff_lock_and_unlock_a_deadline(world, staff_client, officer_a_client):
    url = reverse("reports:deadline_lock", args=[world.deadline.pk])
    assert officer_a_client.post(url, {"locked": "1"}).status_code == 403
    staff_client.post(url, {"locked": "1"})
    world.deadline.refresh_from_db()
    assert world.deadline.is_locked
    staff_client.post(url, {"locked": "0"})
    world.deadline.refresh_from_db()
    assert not world.deadline.is_locked


# --- Creating deadlines, schedules, the policy ----------------------------------------------------------


def test_staff_create_a_deadline(world, staff_client):
    url = reverse("reports:deadline_create")
    assert "Choose a campaign or a cluster" in staff_client.get(url).content.decode()
    form = staff_client.get(url, {"campaign": world.campaign.pk})
    assert form.status_code == 200
    response = staff_client.post(
        url,
        {
            "campaign": world.campaign.pk,
            "title": "Báo cáo chuyên đề chuyển đổi số",
            "kind": "thematic",
            "due_on": "20/06/2026",
            "due_time": "17:00",
            "non_working_day_rule": "previous",
            "unit_mode": "all",
            "sections": "Kết quả\nKiến nghị",
            "targets": [world.target.pk],
            "required_attachments": "Báo cáo có chữ ký (PDF)",
        },
    )
    deadline = ReportDeadline.objects.get(title="Báo cáo chuyên đề chuyển đổi số")
    assert response.url == deadline.get_absolute_url()
    assert deadline.due_on == D(2026, 6, 19)
    assert deadline.sections == ["Kết quả", "Kiến nghị"]
    assert deadline.required_attachments == ["Báo cáo có chữ ký (PDF)"]
    messages = [str(m) for m in staff_client.get(response.url).context["messages"]]
    assert "20/06/2026 is not a working day: the report is due on 19/06/2026." in messages


def test_a_deadline_form_is_re_shown_with_its_errors(world, staff_client):
    response = staff_client.post(
        reverse("reports:deadline_create"),
        {
            "campaign": world.campaign.pk,
            "title": "",
            "kind": "thematic",
            "due_on": "31/02/2026",
            "unit_mode": "chosen",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "due_on", "units"}


def test_a_deadline_starts_from_the_directive(world, staff_client):
    from campaigns.models import CampaignDeadline

    source = CampaignDeadline.objects.create(
        campaign=world.campaign, title="Báo cáo tổng kết năm", due_on=D(2026, 12, 15), is_report=True
    )
    page = staff_client.get(
        reverse("reports:deadline_create"), {"campaign": world.campaign.pk}
    ).content.decode()
    assert "Báo cáo tổng kết năm" in page
    form = staff_client.get(
        reverse("reports:deadline_create"), {"campaign": world.campaign.pk, "source": source.pk}
    )
    assert form.context["form"].initial["kind"] == "annual"


def test_staff_create_a_schedule_and_set_the_policy(world, staff_client):
    response = staff_client.post(
        reverse("reports:schedule_create"),
        {
            "campaign": world.campaign.pk,
            "title": "Báo cáo quý",
            "kind": "quarterly",
            "recurrence": "quarterly",
            "due_day": "15",
            "month_offset": "0",
            "due_time": "17:00",
            "non_working_day_rule": "previous",
            "unit_mode": "all",
        },
    )
    assert response.status_code == 302
    assert ReportDeadline.objects.filter(kind="quarterly").count() == 3  # quarters II–IV from 15/06
    response = staff_client.post(
        reverse("reports:policy_edit"),
        {
            "campaign": world.campaign.pk,
            "days_before": "5, 2",
            "on_due_day": "on",
            "days_after": "1",
            "escalate_late": "on",
            "send_at": "07:30",
        },
    )
    assert response.status_code == 302
    assert world.campaign.reminder_policy.days_before == [5, 2]
    bad = staff_client.post(
        reverse("reports:policy_edit"),
        {"campaign": world.campaign.pk, "days_before": "bảy", "send_at": "08:00"},
    )
    assert bad.status_code == 200
    assert "days_before" in bad.context["form"].errors


@pytest.mark.parametrize("name", ["deadline_create", "schedule_create", "policy_edit"])
def test_only_staff_set_deadlines(world, officer_a_client, name):
    assert (
        officer_a_client.get(
            reverse(name.join(["reports:", ""])), {"campaign": world.campaign.pk}
        ).status_code
        == 403
    )


def test_only_staff_edit_a_deadline(world, officer_a_client, staff_client):
    url = reverse("reports:deadline_edit", args=[world.deadline.pk])
    assert officer_a_client.get(url).status_code == 403
    assert staff_client.get(url).context["form"].initial["due_on"] == D(2026, 6, 19)


# --- The report page -------------------------------------------------------------------------------------


def _report_url(world, unit) -> str:
    return reverse("reports:report_detail", args=[world.deadline.pk, unit.pk])


def test_the_officer_writes_saves_and_submits_the_report(world, officer_a_client):
    url = _report_url(world, world.unit_a)
    page = officer_a_client.get(url)
    assert page.status_code == 200
    assert (
        'hx-post="' + reverse("reports:report_autosave", args=[world.deadline.pk, world.unit_a.pk])
        in page.content.decode()
    )
    fields = {"version": "0", f"value_{world.target.pk}": "1.500,5", "section_0": "Đạt kết quả tốt."}
    response = officer_a_client.post(url, {**fields, "save": "1"})
    assert response.status_code == 302
    report = world.deadline.reports.get(unit=world.unit_a)
    assert report.values.get().value == Decimal("1500.50")
    response = officer_a_client.post(url, {**fields, "version": str(report.version), "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    after = officer_a_client.get(url).content.decode()
    assert "Submitted on time" in after
    assert "report-form" not in after


def test_an_incomplete_submission_is_re_shown_with_what_is_missing(world, officer_a_client):
    response = officer_a_client.post(
        _report_url(world, world.unit_a), {"version": "0", "section_0": "", "submit": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "Write the section “Kết quả đạt được”." in errors


def test_autosave_answers_with_the_time_and_the_new_version(world, officer_a_client):
    url = reverse("reports:report_autosave", args=[world.deadline.pk, world.unit_a.pk])
    response = officer_a_client.post(url, {"version": "0", "section_0": "Nháp"}, **HTMX)
    page = response.content.decode()
    assert "Saved at 09:00." in page
    assert 'id="report-version" value="1" hx-swap-oob="true"' in page
    stale = officer_a_client.post(url, {"version": "0", "section_0": "Cũ"}, **HTMX).content.decode()
    assert "saved from another window" in stale
    bad_number = officer_a_client.post(
        url, {"version": "1", "section_0": "Mới", f"value_{world.target.pk}": "abc"}, **HTMX
    ).content.decode()
    assert "Enter a number" in bad_number
    assert world.deadline.reports.get(unit=world.unit_a).narrative == {"0": "Mới"}


def test_a_unit_officer_cannot_open_or_submit_another_units_report(world, officer_b_client):
    url = _report_url(world, world.unit_a)
    assert officer_b_client.get(url).status_code == 403
    assert officer_b_client.post(url, {"version": "0", "section_0": "x", "submit": "1"}).status_code == 403
    autosave = reverse("reports:report_autosave", args=[world.deadline.pk, world.unit_a.pk])
    assert officer_b_client.post(autosave, {"version": "0"}, **HTMX).status_code == 403
    upload = reverse("reports:attachment_upload", args=[world.deadline.pk, world.unit_a.pk])
    assert officer_b_client.post(upload, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert not world.deadline.reports.exists()


def test_another_units_officer_cannot_tell_which_deadlines_a_unit_owes(world, officer_b_client, staff_client):
    """Refused the same way whether or not the unit owes the deadline (no 404 to probe with)."""
    stranger = factories.UnitFactory(name="Xã Không Liên Quan")
    owed = reverse("reports:report_detail", args=[world.deadline.pk, world.unit_a.pk])
    not_owed = reverse("reports:report_detail", args=[world.deadline.pk, stranger.pk])
    assert officer_b_client.get(owed).status_code == officer_b_client.get(not_owed).status_code == 403
    assert staff_client.get(not_owed).status_code == 404


def test_a_unit_officer_cannot_download_another_units_attachment(
    world, officer_a, officer_a_client, officer_b_client, staff_client
):
    attachment = services.attachment_add(
        deadline=world.deadline, unit=world.unit_a, by=officer_a, file=SimpleUploadedFile("Báo cáo.pdf", PDF)
    )
    url = reverse("reports:attachment_download", args=[attachment.pk])
    assert officer_b_client.get(url).status_code == 404
    assert (
        officer_b_client.post(reverse("reports:attachment_delete", args=[attachment.pk])).status_code == 404
    )
    own = officer_a_client.get(url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    assert "attachment" in own["Content-Disposition"]
    assert own["Cache-Control"] == "private, no-store"
    assert staff_client.get(url).status_code == 200


def test_the_cluster_head_reads_a_members_report_but_cannot_write_it(world, login_as):
    client = login_as(world.cluster_head)
    url = _report_url(world, world.unit_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "report-form" not in page.content.decode()
    assert client.post(url, {"version": "0", "save": "1"}).status_code == 403
    assert client.get(_report_url(world, world.unit_b)).status_code == 403


def test_a_unit_that_owes_nothing_has_no_report_page(world, staff_client):
    stranger = factories.UnitFactory(name="Xã Khác")
    assert staff_client.get(_report_url(world, stranger)).status_code == 404


def test_officers_upload_and_remove_attachments(world, officer_a_client):
    upload = reverse("reports:attachment_upload", args=[world.deadline.pk, world.unit_a.pk])
    officer_a_client.post(upload, {"file": SimpleUploadedFile("ket-qua.pdf", PDF), "requirement": ""})
    attachment = world.deadline.reports.get(unit=world.unit_a).attachments.get()
    bad = officer_a_client.post(upload, {"file": SimpleUploadedFile("anh.png", PDF)}, follow=True)
    assert "does not match" in bad.content.decode()
    officer_a_client.post(reverse("reports:attachment_delete", args=[attachment.pk]))
    assert not world.deadline.reports.get(unit=world.unit_a).attachments.exists()


def test_staff_review_beside_the_previous_period(world, officer_a, staff_client, time_machine):
    """May's accepted report shows beside June's; accepting June records its value as progress."""
    may = world.make_deadline("Báo cáo tháng 5/2026", D(2026, 6, 5), period=(D(2026, 5, 1), D(2026, 5, 31)))
    world.submit(may, world.unit_a, officer_a, text="Tháng 5 đạt 40%.", value="40")
    services.report_accept(report=may.reports.get(), by=world.staff)
    world.submit(world.deadline, world.unit_a, officer_a, text="Tháng 6 đạt 60%.", value="60")
    url = _report_url(world, world.unit_a)
    queries, response = count_queries(staff_client, url)
    page = response.content.decode()
    assert "Previous period: Báo cáo tháng 5/2026" in page
    assert "Tháng 5 đạt 40%." in page
    assert "Tháng 6 đạt 60%." in page
    assert queries == REPORT_QUERIES
    staff_client.post(
        reverse("reports:report_review", args=[world.deadline.pk, world.unit_a.pk]), {"action": "accept"}
    )
    assert ProgressEntry.objects.filter(unit=world.unit_a).latest("as_of").value == Decimal("60.00")
    # Reopening without a reason is refused.
    response = staff_client.post(
        reverse("reports:report_review", args=[world.deadline.pk, world.unit_a.pk]),
        {"action": "reopen", "reason": ""},
        follow=True,
    )
    assert "Say why the accepted report is reopened." in response.content.decode()


def test_returning_a_report_needs_a_reason_and_shows_it_to_the_unit(
    world, officer_a, officer_a_client, staff_client, django_capture_on_commit_callbacks
):
    world.submit(world.deadline, world.unit_a, officer_a)
    review = reverse("reports:report_review", args=[world.deadline.pk, world.unit_a.pk])
    with django_capture_on_commit_callbacks(execute=False):
        staff_client.post(review, {"action": "return", "reason": "Thiếu phụ lục số liệu."})
    page = officer_a_client.get(_report_url(world, world.unit_a)).content.decode()
    assert "Thiếu phụ lục số liệu." in page
    assert "report-form" in page


def test_units_cannot_review(world, officer_a, officer_a_client):
    world.submit(world.deadline, world.unit_a, officer_a)
    review = reverse("reports:report_review", args=[world.deadline.pk, world.unit_a.pk])
    assert officer_a_client.post(review, {"action": "accept"}).status_code == 403


# --- My deadlines, calendar, feed -------------------------------------------------------------------------


def test_my_deadlines_lists_what_is_due_most_urgent_first(world, officer_a, officer_a_client, time_machine):
    later = world.make_deadline("Báo cáo quý III", D(2026, 9, 30), kind="quarterly")
    done = world.make_deadline("Báo cáo tháng 5/2026", D(2026, 6, 5))
    world.submit(done, world.unit_a, officer_a)
    started = world.make_deadline("Báo cáo tháng 7/2026", D(2026, 7, 20))
    services.report_save(deadline=started, unit=world.unit_a, by=officer_a, version=0, narrative={"0": "…"})
    url = reverse("reports:my_deadlines")
    queries, response = count_queries(officer_a_client, url)
    titles = [d.title for d in response.context["page_obj"]]
    # Not submitted, by due date (started or not), then what was submitted.
    assert titles == [
        "Báo cáo tháng 6/2026",
        "Báo cáo tháng 7/2026",
        "Báo cáo quý III",
        "Báo cáo tháng 5/2026",
    ]
    page = response.content.decode()
    assert "everything (not started)" in page
    assert queries == MY_QUERIES
    partial = officer_a_client.get(url, **HTMX).content.decode()
    assert "<html" not in partial
    assert later.title in partial


def test_my_deadlines_query_count_stays_flat(world, officer_a_client):
    url = reverse("reports:my_deadlines")
    small, _ = count_queries(officer_a_client, url)
    for i in range(10):
        world.make_deadline(f"Báo cáo chuyên đề {i}", D(2026, 7, 1 + i), kind="thematic")
    large, response = count_queries(officer_a_client, url)
    assert small == large == MY_QUERIES
    assert response.context["page_obj"].paginator.count == 11


def test_my_deadlines_shows_what_is_missing_and_exports(world, officer_a, officer_a_client):
    services.report_save(
        deadline=world.deadline, unit=world.unit_a, by=officer_a, version=0, narrative={"0": "Đã viết"}
    )
    page = officer_a_client.get(reverse("reports:my_deadlines")).content.decode()
    assert "1 target value" in page
    export = officer_a_client.get(reverse("reports:my_deadlines"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[1][0] == "Báo cáo tháng 6/2026"
    assert rows[1][3] == "Draft"


def test_a_unit_sees_only_deadlines_it_owes(world, login_as):
    other = factories.make_officer(factories.UnitFactory(name="Xã Ngoài"))
    response = login_as(other).get(reverse("reports:my_deadlines"))
    assert response.context["page_obj"].paginator.count == 0


def test_staff_without_a_unit_are_sent_to_the_boards(world, staff_client):
    assert staff_client.get(reverse("reports:my_deadlines")).url == reverse("reports:deadline_list")


def test_the_calendar_shows_the_month_with_holidays(world, officer_a_client):
    url = reverse("reports:my_calendar")
    page = officer_a_client.get(url, {"month": "2026-06"}).content.decode()
    assert "Báo cáo tháng 6/2026" in page
    assert "Month 06/2026" in page
    partial = officer_a_client.get(url, {"month": "2026-09"}, **HTMX).content.decode()
    assert "<html" not in partial
    assert "Quốc khánh" in partial
    assert officer_a_client.get(url, {"month": "garbage"}).status_code == 200


def test_the_calendar_feed_works_by_token_until_revoked(world, officer_a, officer_a_client, client):
    officer_a_client.post(reverse("reports:calendar_feed_manage"), {"action": "renew"})
    feed = CalendarFeed.objects.get(user=officer_a)
    url = reverse("reports:calendar_feed", args=[feed.token])
    response = client.get(url)  # not signed in: calendar apps have no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"UID:report-deadline-{world.deadline.pk}@" in body
    assert "DTEND:20260619T100000Z" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get(reverse("reports:calendar_feed", args=["khong-dung"])).status_code == 404
    officer_a_client.post(reverse("reports:calendar_feed_manage"), {"action": "revoke"})
    assert client.get(url).status_code == 404


def test_a_renewed_calendar_address_replaces_the_old_one(world, officer_a, officer_a_client, client):
    officer_a_client.post(reverse("reports:calendar_feed_manage"), {"action": "renew"})
    old = CalendarFeed.objects.get(user=officer_a).token
    officer_a_client.post(reverse("reports:calendar_feed_manage"), {"action": "renew"})
    assert client.get(reverse("reports:calendar_feed", args=[old])).status_code == 404


# --- Notifications --------------------------------------------------------------------------------------


def test_notifications_page_bell_and_mark_as_read(world, officer_a, officer_a_client):
    notes = [
        Notification.objects.create(
            user=officer_a, kind="reminder", title=f"Nhắc nộp báo cáo {i}", url="/bao-cao/"
        )
        for i in range(3)
    ]
    bell = officer_a_client.get(reverse("reports:notification_bell")).content.decode()
    assert 'class="bell__count">3<' in bell
    queries, response = count_queries(officer_a_client, reverse("reports:notifications"))
    assert queries == NOTIFICATION_QUERIES
    assert "Nhắc nộp báo cáo 2" in response.content.decode()
    row = officer_a_client.post(reverse("reports:notification_read", args=[notes[0].pk]), **HTMX)
    assert row.content.decode().lstrip().startswith(f'<tr id="notification-{notes[0].pk}"')
    assert row["HX-Trigger"] == "notifications-changed"
    opened = officer_a_client.post(reverse("reports:notification_read", args=[notes[1].pk]), {"open": "1"})
    assert opened.url == "/bao-cao/"
    assert 'bell__count">1<' in officer_a_client.get(reverse("reports:notification_bell")).content.decode()
    officer_a_client.post(reverse("reports:notifications_read_all"))
    assert "bell__count" not in officer_a_client.get(reverse("reports:notification_bell")).content.decode()
    unread = officer_a_client.get(reverse("reports:notifications"), {"state": "unread"})
    assert unread.context["page_obj"].paginator.count == 0


def test_the_notifications_page_partial_and_flat_query_count(world, officer_a, officer_a_client):
    Notification.objects.create(user=officer_a, kind="reminder", title="Nhắc")
    url = reverse("reports:notifications")
    small, _ = count_queries(officer_a_client, url)
    Notification.objects.bulk_create(
        Notification(user=officer_a, kind="reminder", title=f"Nhắc {i}") for i in range(30)
    )
    large, _ = count_queries(officer_a_client, url)
    assert small == large == NOTIFICATION_QUERIES
    assert "<html" not in officer_a_client.get(url, **HTMX).content.decode()


def test_nobody_reads_someone_elses_notifications(world, officer_a, officer_b_client):
    note = Notification.objects.create(user=officer_a, kind="reminder", title="Riêng")
    assert officer_b_client.post(reverse("reports:notification_read", args=[note.pk])).status_code == 404
    page = officer_b_client.get(reverse("reports:notifications")).content.decode()
    assert "Riêng" not in page


def test_reminder_preferences_are_saved(world, officer_a, officer_a_client):
    officer_a_client.post(reverse("reports:notification_preferences"), {"channels": "app"})
    assert NotificationPreference.objects.get(user=officer_a).channels == "app"
    response = officer_a_client.post(
        reverse("reports:notification_preferences"), {"channels": "x"}, follow=True
    )
    assert "Choose how to receive reminders." in response.content.decode()


@pytest.mark.parametrize("link", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
def test_opening_a_notification_never_leaves_the_site(world, officer_a, officer_a_client, link):
    note = Notification.objects.create(user=officer_a, kind="reminder", title="Nhắc", url=link)
    opened = officer_a_client.post(reverse("reports:notification_read", args=[note.pk]), {"open": "1"})
    assert opened.url == reverse("reports:notifications")
