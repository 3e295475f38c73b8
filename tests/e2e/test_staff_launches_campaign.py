"""Journey 1 — staff: sign in, create a campaign by pasting a directive, fix the draft, set
targets, launch it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from campaigns.models import Campaign

pytestmark = pytest.mark.e2e

SEED = Path(settings.BASE_DIR).parent / "shared" / "domain" / "seeds" / "004_177314a337b754a2.txt"


def test_staff_create_a_campaign_from_a_directive_and_launch_it(journey, people):
    if not SEED.exists():
        pytest.skip(f"the seed documents are not beside the repository ({SEED})")
    page = journey.page
    journey.login("chuyenvien")
    journey.step("trang-chu")

    page.get_by_role("link", name="Phong trào thi đua", exact=True).first.click()
    journey.step("danh-sach-phong-trao")
    page.get_by_role("link", name="Tạo từ văn bản").click()
    page.get_by_label("Nội dung chỉ thị hoặc kế hoạch").fill(SEED.read_text(encoding="utf-8"))
    journey.step("dan-van-ban")
    page.get_by_role("button", name="Đọc văn bản").click()

    # The review shows what was found and where it came from.
    title = page.get_by_label("Tên", exact=True)
    assert "nước rút 05 tháng cuối năm 2023" in title.input_value()
    assert page.get_by_text("trước ngày 15/12/2023").first.is_visible()
    journey.step("kiem-tra-du-thao")
    # Staff fix the draft: a clearer title and the province-wide scope.
    title.fill("Phong trào thi đua nước rút 05 tháng cuối năm 2023")
    page.get_by_label("Chủ đề, khẩu hiệu").fill("Nước rút về đích, hoàn thành vượt mức các chỉ tiêu năm 2023")
    page.get_by_role("button", name="Tạo dự thảo phong trào").click()

    # Step 3 of the draft: participants and windows.
    page.get_by_label("Tất cả đơn vị đang hoạt động").check()
    page.get_by_label("Hạn đăng ký").fill("31/08/2023")
    journey.step("doi-tuong-tham-gia")
    page.get_by_role("button", name="Lưu dự thảo").click()
    campaign = Campaign.objects.get()
    assert campaign.status == "draft"
    assert campaign.deadlines.filter(due_on__day=15, due_on__month=12).exists()

    # Targets.
    page.get_by_role("link", name="Chỉ tiêu", exact=True).click()
    page.get_by_role("link", name="Thêm chỉ tiêu").click()
    page.get_by_label("Tên").fill("Thu ngân sách nhà nước trên địa bàn")
    page.get_by_label("Đơn vị tính").fill("tỷ đồng")
    page.get_by_label("Chỉ tiêu", exact=True).fill("1500")
    journey.step("them-chi-tieu")
    page.get_by_role("button", name="Lưu", exact=True).click()
    assert campaign.targets.count() == 1
    journey.step("chi-tieu")

    # Launch.
    page.get_by_label("Ghi chú vào lịch sử (không bắt buộc)").fill("Phát động tại hội nghị ngày 01/8/2023")
    page.get_by_role("button", name="Phát động").click()
    page.get_by_text("Phong trào chuyển sang trạng thái “Đã phát động”").wait_for()
    journey.step("da-phat-dong")
    campaign.refresh_from_db()
    assert campaign.status == "launched"
    assert campaign.transitions.get().note == "Phát động tại hội nghị ngày 01/8/2023"
