"""Journey 5 — a unit officer editing the URL to reach another unit's pages is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.e2e


def test_an_officer_cannot_open_another_units_pages_by_editing_the_url(journey, people):
    draft = factories.CampaignFactory(title="Phong trào năm sau (dự thảo)", status="draft")
    campaign = factories.CampaignFactory(title="Phong trào thi đua năm nay")
    other_person = factories.PersonFactory(unit=people["unit_b"], full_name="Phạm Văn Cường")
    page = journey.page
    journey.login("canbo_a")

    # Their own registration opens; the other unit's does not.
    journey.goto(reverse("campaigns:registration_edit", args=[campaign.pk, people["unit_a"].pk]))
    assert page.get_by_role("heading", name="Đăng ký thi đua của Phường Phố Hiến").is_visible()
    journey.step("dang-ky-cua-minh")
    response = page.goto(
        journey.base_url + reverse("campaigns:registration_edit", args=[campaign.pk, people["unit_b"].pk])
    )
    assert response.status == 403
    assert page.get_by_role("heading", name="Không có quyền truy cập").is_visible()
    journey.step("dang-ky-don-vi-khac")

    for url in (
        reverse("campaigns:progress_entry", args=[campaign.pk, people["unit_b"].pk]),
        reverse("awards:person_detail", args=[other_person.pk]),
        reverse("campaigns:target_grid", args=[campaign.pk]),
        reverse("campaigns:campaign_create"),
    ):
        assert page.goto(journey.base_url + url).status == 403, url

    # A draft campaign is not disclosed at all.
    response = page.goto(journey.base_url + draft.get_absolute_url())
    assert response.status == 404
    assert page.get_by_role("heading", name="Không tìm thấy trang").is_visible()
    journey.step("du-thao-khong-hien")
