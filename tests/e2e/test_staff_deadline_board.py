"""Journey 3 — staff: open the board of a deadline that has passed, see the unit that has not
reported, remind it (once an hour at most), open a submitted report and accept it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from reports.models import Reminder, Report, ReportAction, ReportStatus, ReportTransition
from tests import factories
from tests.reports.factories import ReportDeadlineFactory, ReportFactory, local

pytestmark = pytest.mark.e2e

DEADLINE = "Báo cáo sơ kết phong trào quý III"


@pytest.fixture
def late_deadline(people):
    """A deadline ten days past: Phường Phố Hiến reported on time, Xã Hoàng Hoa Thám did not."""
    campaign = factories.CampaignFactory(title="Phong trào thi đua “Dân vận khéo” năm 2026")
    target = factories.TargetFactory(
        campaign=campaign,
        name="Số mô hình dân vận khéo được công nhận",
        unit_of_measure="mô hình",
        target_value=5,
    )
    due_on = timezone.localdate() - dt.timedelta(days=10)
    deadline = ReportDeadlineFactory(
        campaign=campaign,
        title=DEADLINE,
        kind="quarterly",
        nominal_due_on=due_on,
        due_at=local(due_on),
        created_by=people["staff"],
    )
    deadline.targets.set([target])
    submitted_at = local(due_on - dt.timedelta(days=2), 9)
    report = ReportFactory(
        deadline=deadline,
        unit=people["unit_a"],
        status=ReportStatus.SUBMITTED,
        narrative={
            "0": "Công nhận 3 mô hình dân vận khéo cấp phường.",
            "1": "Việc nhân rộng mô hình còn chậm.",
        },
        submitted_at=submitted_at,
        submitted_by=people["officer_a"],
        first_submitted_at=submitted_at,
        submission_count=1,
    )
    report.values.create(target=target, value=3)
    ReportTransition.objects.create(
        report=report, action=ReportAction.SUBMITTED, by=people["officer_a"], at=submitted_at
    )
    return {"deadline": deadline, "report": report}


def test_staff_remind_a_late_unit_and_accept_a_report(journey, people, late_deadline):
    page = journey.page
    journey.login("chuyenvien")
    page.get_by_role("link", name="Theo dõi báo cáo", exact=True).first.click()
    journey.step("theo-doi-bao-cao")
    page.get_by_role("link", name=DEADLINE).click()

    # The unit that has not reported stands out as late.
    late_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Xã Hoàng Hoa Thám"))
    assert "Chưa thực hiện" in late_row.inner_text()
    assert re.search(r"quá hạn \d+ ngày làm việc", late_row.inner_text())
    done_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Phường Phố Hiến"))
    assert "Đã nộp đúng hạn" in done_row.inner_text()
    journey.step("bang-theo-doi")

    # A second tab opened on the same board before the reminder (as busy staff do).
    other_tab = page.context.new_page()
    other_tab.goto(page.url)

    late_row.get_by_role("button", name="Nhắc", exact=True).click()
    page.get_by_text("Nhắc việc đang được gửi đến Xã Hoàng Hoa Thám.").wait_for()
    assert late_row.get_by_role("button", name="Đã nhắc").is_disabled()
    journey.step("da-nhac")

    # The stale tab still offers "Nhắc": the second reminder within the hour is refused.
    stale_row = other_tab.get_by_role("row").filter(
        has=other_tab.get_by_role("link", name="Xã Hoàng Hoa Thám")
    )
    stale_row.get_by_role("button", name="Nhắc", exact=True).click()
    refusal = other_tab.get_by_text(
        re.compile(r"Xã Hoàng Hoa Thám vừa được nhắc chưa đầy một giờ trước; có thể nhắc lại từ \d\d:\d\d")
    )
    refusal.wait_for()
    other_tab.close()
    assert (
        Reminder.objects.filter(
            deadline=late_deadline["deadline"], unit=people["unit_b"], kind="manual"
        ).count()
        == 1
    )

    # Open the submitted report and accept it.
    done_row.get_by_role("link", name="Phường Phố Hiến").click()
    page.get_by_role("heading", name=DEADLINE).wait_for()
    assert page.get_by_text("Công nhận 3 mô hình dân vận khéo cấp phường.").is_visible()
    journey.step("xem-bao-cao")
    page.get_by_label("Lý do hoặc ghi chú").fill("Báo cáo đầy đủ, đúng hạn.")
    page.get_by_role("button", name="Tiếp nhận").click()
    page.get_by_text("Đã tiếp nhận báo cáo; số liệu được ghi nhận vào tiến độ thực hiện.").wait_for()
    journey.step("da-tiep-nhan")

    report = Report.objects.get(pk=late_deadline["report"].pk)
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == people["staff"]
