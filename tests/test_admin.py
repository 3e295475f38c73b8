from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from awards.models import AwardRecord
from awards.services import award_record_revoke
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


def _admin_url(app_label: str, model_name: str, view: str, *args) -> str:
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


@pytest.fixture
def some_data(cluster_with_head):
    """A row in most tables, so changelists render real rows."""
    person = factories.PersonFactory(unit=cluster_with_head.head_unit)
    record = factories.AwardRecordFactory(person=person)
    award_record_revoke(record=record, reason="Trùng")
    factories.AwardRecordFactory(collective=True, unit=cluster_with_head.head_unit)
    factories.AwardRecordFactory(household_award=True)
    return {"person": person, "record": record}


def test_every_model_of_the_apps_is_registered():
    """The main models are in the admin."""
    for expected in [
        ("core", "user"),
        ("clusters", "unit"),
        ("clusters", "clustermembership"),
        ("awards", "awardrecord"),
        ("awards", "person"),
        ("awards", "legalbasis"),
    ]:
        assert expected in REGISTERED


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED, ids=lambda v: v)
def test_changelist_opens(admin_client, some_data, app_label, model_name):
    """Every registered model's list opens for an administrator."""
    response = admin_client.get(_admin_url(app_label, model_name, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED, ids=lambda v: v)
def test_add_page_opens_where_adding_is_allowed(admin_client, admin_user, app_label, model_name):
    """Every registered model's add form opens, unless its admin forbids adding."""
    model_admin = next(
        ma
        for m, ma in admin.site._registry.items()
        if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)
    )
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    response = admin_client.get(_admin_url(app_label, model_name, "add"))
    assert response.status_code == (200 if model_admin.has_add_permission(request) else 403)


@pytest.mark.parametrize(
    "obj_name",
    ["person", "record"],
)
def test_change_pages_open(admin_client, some_data, obj_name):
    """The change pages of a person and an award record open."""
    obj = some_data[obj_name]
    url = _admin_url(obj._meta.app_label, obj._meta.model_name, "change", obj.pk)
    assert admin_client.get(url).status_code == 200


def test_award_record_change_page_is_read_only(admin_client, some_data):
    """An award record's admin page has no save or delete button, and a POST changes nothing."""
    record = some_data["record"]
    url = _admin_url("awards", "awardrecord", "change", record.pk)
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    assert 'name="_save"' not in response.text
    assert 'name="_continue"' not in response.text
    assert "deletelink" not in response.text

    post = admin_client.post(url, {"decision_number": "999/QĐ-SỬA"})
    assert post.status_code == 403
    record.refresh_from_db()
    assert record.decision_number != "999/QĐ-SỬA"
    delete = admin_client.post(_admin_url("awards", "awardrecord", "delete", record.pk), {"post": "yes"})
    assert delete.status_code == 403
    assert AwardRecord.objects.filter(pk=record.pk).exists()


def test_award_revocation_change_page_is_read_only(admin_client, some_data):
    """A revocation is read-only in the admin too."""
    revocation = some_data["record"].revocation
    response = admin_client.get(_admin_url("awards", "awardrevocation", "change", revocation.pk))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text


def test_award_record_changelist_has_no_delete_action(admin_client, some_data):
    """The bulk "delete selected" action is not offered for award records."""
    response = admin_client.get(_admin_url("awards", "awardrecord", "changelist"))
    assert "delete_selected" not in response.text


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn Ân", "CC-ADMIN"])
def test_person_admin_search(admin_client, unit_a, query):
    """The person admin finds people by name without accents or by civil servant code (a citizen
    ID is looked up by POST on the people list: tests/security/test_sensitive_data.py)."""
    factories.PersonFactory(
        unit=unit_a, full_name="Nguyễn Văn Ân", ccvc_code="CC-ADMIN", citizen_id="001203004567"
    )
    factories.PersonFactory(unit=unit_a, full_name="Trần Thị Bình")
    response = admin_client.get(_admin_url("awards", "person", "changelist"), {"q": query})
    assert response.status_code == 200
    assert [p.full_name for p in response.context["cl"].result_list] == ["Nguyễn Văn Ân"]


def test_person_admin_search_finds_nobody_by_citizen_id(admin_client, unit_a):
    factories.PersonFactory(unit=unit_a, citizen_id="001203004567")
    for query in ("001203004567", "0012030"):
        response = admin_client.get(_admin_url("awards", "person", "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == []


def test_unit_admin_search_ignores_accents(admin_client, unit_a, unit_b):
    """The unit admin finds "Xã Phụng Công" from "phung cong"."""
    response = admin_client.get(_admin_url("clusters", "unit", "changelist"), {"q": "phung cong"})
    assert [u.name for u in response.context["cl"].result_list] == ["Xã Phụng Công"]


def test_admin_add_refuses_an_item_for_another_kind_of_recipient(admin_client, unit_a):
    """Adding an award in the admin applies the same catalogue check as the service."""
    person = factories.PersonFactory(unit=unit_a)
    response = admin_client.post(
        _admin_url("awards", "awardrecord", "add"),
        {
            "recipient_kind": "individual",
            "person": person.pk,
            "category": factories.category("COTINH").pk,
            "year": 2024,
            "decision_number": "1/QĐ",
            "decision_date": "15/01/2025",
            "issuing_authority": "UBND tỉnh",
            "method": "thuong_xuyen",
        },
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not AwardRecord.objects.exists()


def test_non_staff_users_cannot_open_the_admin(login_as, staff_user):
    """Provincial staff without is_staff are sent to the admin login."""
    response = login_as(staff_user).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_menu_entry_only_for_admin_users(login_as, admin_user, officer_a):
    """The "Administration" link shows for administrators only."""
    assert 'href="/admin/"' in login_as(admin_user).get("/").text
    assert 'href="/admin/"' not in login_as(officer_a).get("/").text


def test_decision_dates_in_the_admin_use_day_month_year(admin_client):
    """Dates in admin lists follow the Vietnamese day/month/year order."""
    factories.ClusterDecisionFactory(number="77/QĐ-UBND", signed_on=dt.date(2025, 7, 3))
    response = admin_client.get(_admin_url("clusters", "clusterdecision", "changelist"))
    assert "03/07/2025" in response.text
