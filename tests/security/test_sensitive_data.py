"""Citizen IDs stay out of URLs, logs, exports and pages (only a masked form is ever shown)."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

CITIZEN_ID = "033190001234"
URL_ATTRIBUTES = re.compile(r'(?:href|action|hx-get|hx-post|src)="([^"]*)"')


@pytest.fixture
def person(unit_a):
    return factories.PersonFactory(unit=unit_a, full_name="Nguyễn Thị Bảo Ngọc", citizen_id=CITIZEN_ID)


def _pages(person) -> list[str]:
    return [
        reverse("awards:person_list"),
        reverse("awards:person_list") + "?q=ngoc",
        reverse("awards:person_detail", args=[person.pk]),
        reverse("clusters:unit_detail", args=[person.unit_id]),
        reverse("home"),
    ]


@pytest.mark.parametrize("role", ["staff_user", "officer_a", "admin_user"])
def test_pages_show_the_citizen_id_masked_only(request, login_as, person, role):
    client = login_as(request.getfixturevalue(role))
    for path in _pages(person):
        body = client.get(path).content.decode()
        assert CITIZEN_ID not in body, path
        for url in URL_ATTRIBUTES.findall(body):
            assert CITIZEN_ID not in url, (path, url)
    detail = client.get(reverse("awards:person_detail", args=[person.pk])).content.decode()
    assert "033*******34" in detail


@pytest.mark.parametrize("role", ["staff_user", "officer_a"])
def test_people_export_holds_no_citizen_id(request, login_as, person, role):
    response = login_as(request.getfixturevalue(role)).get(reverse("awards:person_list") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    values = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value]
    assert "Nguyễn Thị Bảo Ngọc" in values
    assert not [value for value in values if CITIZEN_ID in value]


def test_lookup_by_citizen_id_is_post_only_and_lands_on_a_url_without_it(staff_client, person):
    url = reverse("awards:citizen_id_lookup")
    assert staff_client.get(url, {"citizen_id": CITIZEN_ID}).status_code == 405
    response = staff_client.post(url, {"citizen_id": CITIZEN_ID})
    assert response.status_code == 302
    assert response.url == reverse("awards:person_detail", args=[person.pk])


def test_admin_search_does_not_take_citizen_ids(admin_user, login_as, person):
    """The admin searches by GET: a citizen ID typed there would sit in URLs and access logs."""
    client = login_as(admin_user)
    response = client.get(reverse("admin:awards_person_changelist"), {"q": CITIZEN_ID})
    assert response.status_code == 200
    assert person.full_name not in response.content.decode()
    assert (
        person.full_name
        in client.get(reverse("admin:awards_person_changelist"), {"q": "bao ngoc"}).content.decode()
    )


def test_no_log_line_carries_a_citizen_id(caplog, staff_client, officer_a_client, person):
    caplog.set_level(logging.DEBUG)
    staff_client.post(reverse("awards:citizen_id_lookup"), {"citizen_id": CITIZEN_ID})
    staff_client.post(reverse("awards:citizen_id_lookup"), {"citizen_id": CITIZEN_ID + "x"})
    officer_a_client.post(reverse("awards:citizen_id_lookup"), {"citizen_id": CITIZEN_ID})  # refused
    staff_client.get(reverse("awards:person_detail", args=[person.pk]))
    officer_a_client.get(reverse("awards:person_detail", args=[person.pk + 1000]))  # not found
    # A failed sign-in with the number typed as the user name: axes logs the attempt.
    factories.UserFactory(username="someone")
    from django.test import Client

    Client().post(reverse("login"), {"username": CITIZEN_ID, "password": "wrong"})
    assert caplog.records, "the requests above log something (refusals, not found)"
    assert CITIZEN_ID not in caplog.text
