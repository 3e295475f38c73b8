"""Journey 6 — the key pages at a phone's width (390 px): usable, nothing cut off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.e2e


def _fits(page) -> bool:
    """Nothing is wider than the screen: wide tables scroll inside their own box."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_key_pages_fit_a_phone(phone, people):
    campaign = factories.CampaignFactory(title="Phong trào thi đua yêu nước năm nay")
    factories.TargetFactory(
        campaign=campaign, name="Thu ngân sách nhà nước trên địa bàn", unit_of_measure="tỷ đồng"
    )
    factories.PersonFactory(unit=people["unit_a"], full_name="Nguyễn Văn Ân")
    page = phone.page
    phone.login("chuyenvien")
    pages = [
        ("trang-chu", "/"),
        ("phong-trao", reverse("campaigns:campaign_list")),
        ("phong-trao-chi-tiet", campaign.get_absolute_url()),
        ("tien-do", reverse("campaigns:progress_view", args=[campaign.pk])),
        ("don-vi", reverse("clusters:unit_list")),
        ("cum-khoi", reverse("clusters:cluster_list")),
        ("ca-nhan", reverse("awards:person_list")),
    ]
    for name, url in pages:
        phone.goto(url)
        assert page.get_by_role("heading", level=1).is_visible(), url
        assert _fits(page), f"{url} is wider than the phone"
        phone.step(name)
    # The main menu stays reachable.
    assert page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Đơn vị").is_visible()


def test_an_officer_registers_on_a_phone(phone, people):
    campaign = factories.CampaignFactory(title="Phong trào thi đua yêu nước năm nay")
    factories.TargetFactory(campaign=campaign, name="Tỷ lệ hộ nghèo", unit_of_measure="%")
    page = phone.page
    phone.login("canbo_a")
    phone.goto(reverse("campaigns:registration_edit", args=[campaign.pk, people["unit_a"].pk]))
    assert _fits(page)
    phone.step("dang-ky")
