"""Lists work with JavaScript off: filters submit, sort and page links are real links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.e2e


def test_unit_list_filters_sorts_and_pages_without_javascript(no_js, people):
    factories.bulk_units(30, prefix="Xã Bắc")
    page = no_js.page
    no_js.login("chuyenvien")
    no_js.goto(reverse("clusters:unit_list"))
    no_js.step("don-vi")
    assert page.get_by_role("link", name="Trang 2").is_visible()

    page.get_by_role("link", name="Trang 2").click()
    assert "page=2" in page.url
    page.get_by_role("link", name="Mã").click()  # sort by code
    assert "sort=code" in page.url

    page.get_by_label("Tìm kiếm").fill("hoang hoa tham")
    page.get_by_role("button", name="Lọc").click()
    assert "q=hoang+hoa+tham" in page.url
    rows = page.locator("#unit-table tbody tr")
    assert rows.count() == 1
    assert "Xã Hoàng Hoa Thám" in rows.first.inner_text()
    no_js.step("don-vi-loc")


def test_campaign_tabs_are_links_without_javascript(no_js, people):
    campaign = factories.CampaignFactory(title="Phong trào thi đua yêu nước năm nay")
    page = no_js.page
    no_js.login("chuyenvien")
    no_js.goto(campaign.get_absolute_url())
    page.get_by_role("link", name="Nội dung", exact=True).click()
    assert "section=content" in page.url
    assert page.get_by_role("heading", name="Nội dung thi đua").is_visible()
