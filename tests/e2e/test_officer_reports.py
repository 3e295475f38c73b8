"""Journey 2 — unit officer: find the launched campaign, register, record progress, write and
submit the report before its deadline; staff return it with a reason; the officer opens the
notification, fixes the report and submits it again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from reports.models import Notification, Report, ReportStatus
from tests import factories

pytestmark = pytest.mark.e2e

CAMPAIGN = "Phong trào thi đua “Chuyển đổi số” năm 2026"
DEADLINE = "Báo cáo kết quả phong trào tháng 11"
RETURN_REASON = "Mục “Tồn tại, hạn chế” còn sơ sài; đề nghị bổ sung nguyên nhân cụ thể."


@pytest.fixture
def campaign(people):
    """A launched campaign with one target and a report due in two weeks."""
    from reports import services

    campaign = factories.CampaignFactory(title=CAMPAIGN)
    target = factories.TargetFactory(
        campaign=campaign,
        name="Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
        unit_of_measure="%",
        target_value=80,
    )
    due_on = timezone.localdate() + dt.timedelta(days=14)
    deadline = services.deadline_create(
        by=people["staff"],
        campaign=campaign,
        data=services.DeadlineData(
            title=DEADLINE,
            kind="monthly",
            due_on=due_on,
            non_working_day_rule="keep",
            sections=["Kết quả đạt được", "Tồn tại, hạn chế"],
            targets=[target],
        ),
    )
    return {"campaign": campaign, "target": target, "deadline": deadline}


def test_officer_registers_reports_and_resubmits_a_returned_report(
    journey, browser, live_server, people, campaign
):
    page = journey.page
    journey.login("canbo_a")
    journey.step("trang-chu")

    # The new campaign is among the unit's campaigns.
    page.get_by_role("link", name="Phong trào của đơn vị", exact=True).first.click()
    page.get_by_role("heading", name="Phong trào của đơn vị").wait_for()
    assert page.get_by_text("Chưa đăng ký").is_visible()
    journey.step("phong-trao-cua-don-vi")
    page.get_by_role("link", name=CAMPAIGN).click()

    # Register: commit to the target (with a higher value) and register.
    page.get_by_role("link", name="Đăng ký thi đua", exact=True).click()
    page.get_by_role("link", name="Đăng ký", exact=True).click()
    page.get_by_role("heading", name="Đăng ký thi đua của Phường Phố Hiến").wait_for()
    page.get_by_label("Giá trị đăng ký cho “Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến”").fill("85")
    page.get_by_role("checkbox", name="Đăng ký").check()
    journey.step("dang-ky")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.get_by_text("Phường Phố Hiến đã đăng ký thi đua trong phong trào này.").wait_for()
    journey.step("da-dang-ky")

    # Record progress.
    journey.goto("/")
    page.get_by_role("link", name="Phong trào của đơn vị", exact=True).first.click()
    page.get_by_role("link", name=CAMPAIGN).click()
    page.get_by_role("link", name="Tiến độ", exact=True).click()
    page.get_by_role("link", name="Cập nhật kết quả thực hiện").first.click()
    page.get_by_role("heading", name="Tiến độ của Phường Phố Hiến").wait_for()
    page.get_by_role("row", name=re.compile("Tỷ lệ hồ sơ")).get_by_role("textbox").first.fill("62,5")
    journey.step("cap-nhat-tien-do")
    page.get_by_role("button", name="Ghi nhận", exact=True).click()
    page.get_by_text("Đã ghi nhận kết quả thực hiện của Phường Phố Hiến.").wait_for()
    journey.step("da-cap-nhat-tien-do")

    # The unit's deadlines: write the report and submit it before the due date.
    page.get_by_role("link", name="Báo cáo của đơn vị", exact=True).first.click()
    journey.step("bao-cao-cua-don-vi")
    page.get_by_role("link", name=DEADLINE).click()
    page.get_by_label("1. Kết quả đạt được").fill(
        "Đã triển khai dịch vụ công trực tuyến toàn trình cho 45 thủ tục; 62,5% hồ sơ nộp trực tuyến."
    )
    page.get_by_label("2. Tồn tại, hạn chế").fill("Một số người dân cao tuổi chưa quen nộp hồ sơ trực tuyến.")
    page.get_by_label("Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến (%)").fill("62,5")
    journey.step("viet-bao-cao")
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo.").wait_for()
    journey.step("da-nop-bao-cao")
    report = Report.objects.get(unit=people["unit_a"])
    assert report.status == ReportStatus.SUBMITTED
    assert report.late_days is None

    # Staff, in their own browser, return the report with a reason.
    staff_context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        staff = type(journey)(
            page=staff_context.new_page(),
            base_url=live_server.url,
            folder=journey.folder,
            steps=journey.steps,
        )
        staff.page.set_default_timeout(15_000)
        staff.login("chuyenvien")
        staff.page.get_by_role("link", name="Theo dõi báo cáo", exact=True).first.click()
        staff.page.get_by_role("link", name=DEADLINE).click()
        staff.page.get_by_role("link", name="Phường Phố Hiến").click()
        staff.page.get_by_label("Lý do hoặc ghi chú").fill(RETURN_REASON)
        staff.step("chuyen-vien-tra-lai")
        staff.page.get_by_role("button", name="Trả lại đơn vị").click()
        staff.page.get_by_text("Đã trả lại báo cáo cho đơn vị.").wait_for()
    finally:
        staff_context.close()
    journey.steps = staff.steps

    # The officer sees the notification and opens it.
    journey.goto("/")
    page.locator("a.bell").click()
    page.get_by_role("heading", name="Thông báo").wait_for()
    journey.step("thong-bao")
    page.get_by_role("link", name=f"Báo cáo bị trả lại: {DEADLINE}").click()
    page.get_by_role("status").filter(has_text=RETURN_REASON).wait_for()
    journey.step("bao-cao-bi-tra-lai")

    # Fix the report and submit it again.
    page.get_by_label("2. Tồn tại, hạn chế").fill(
        "Một số người dân cao tuổi chưa quen nộp hồ sơ trực tuyến do thiếu thiết bị và kỹ năng số; "
        "điểm hỗ trợ tại bộ phận một cửa chưa bố trí đủ nhân lực."
    )
    journey.step("sua-bao-cao")
    page.get_by_role("button", name="Nộp báo cáo").click()
    page.get_by_text("Đã nộp báo cáo.").wait_for()
    journey.step("nop-lai")

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submission_count == 2
    assert "thiếu thiết bị" in report.narrative["1"]
    assert Notification.objects.filter(user=people["officer_a"], kind="returned").exists()
