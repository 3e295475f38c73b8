from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Gender, Person, PersonCategory
from awards.services import award_record_correct, award_record_revoke
from tests import factories

pytestmark = pytest.mark.django_db

PERSON_LIST = "/ca-nhan/"
HTMX = {"HTTP_HX_REQUEST": "true"}
BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}
CITIZEN_ID = "001203004567"

# Pinned query counts (each includes loading the signed-in user).
PERSON_LIST_STAFF_QUERIES = 5  # user, count, page, unit choices, award choices
PERSON_LIST_STAFF_PARTIAL_QUERIES = 3  # user, count, page
# A refused rule falls through to ModelBackend, which loads the user's and groups' permissions.
PERSON_LIST_OFFICER_QUERIES = 9  # + user and group permissions, units led, the officer's unit
PERSON_DETAIL_STAFF_QUERIES = 3  # user, person with unit, award history
PERSON_DETAIL_OFFICER_QUERIES = 4  # + the clusters the officer's unit leads


def _vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",")}


def _names(response) -> list[str]:
    return [person.full_name for person in response.context["page_obj"]]


@pytest.fixture
def people(unit_a, unit_b):
    """Named people in units A and B; one of A's has a known citizen ID."""
    return {
        "an": factories.PersonFactory(
            unit=unit_a, full_name="Nguyễn Văn Ân", gender=Gender.MALE, citizen_id=CITIZEN_ID
        ),
        "binh": factories.PersonFactory(
            unit=unit_a,
            full_name="Trần Thị Bình",
            gender=Gender.FEMALE,
            category=PersonCategory.BUSINESSPERSON,
        ),
        "cuong": factories.PersonFactory(unit=unit_b, full_name="Lê Văn Cường", gender=Gender.MALE),
    }


# --- Person list: rendering -------------------------------------------------------------------


def test_person_list_full_page(staff_client, people):
    """A normal request gets the page with the filter form and the table."""
    response = staff_client.get(PERSON_LIST)
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="person-filter"' in response.text
    assert '<section id="person-table"' in response.text
    assert "HX-Request" in _vary(response)


def test_person_list_partial_for_htmx(staff_client, people):
    """A plain htmx request gets only the <section id="person-table"> partial."""
    response = staff_client.get(PERSON_LIST, {"q": "an"}, **HTMX)
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="person-table"')
    assert 'id="person-filter"' not in response.text
    assert "HX-Request" in _vary(response)


def test_person_list_boosted_request_gets_the_full_page(staff_client, people):
    """Boosted navigation gets the whole page."""
    response = staff_client.get(PERSON_LIST, **BOOSTED)
    assert "<html" in response.text
    assert 'id="person-filter"' in response.text


# --- Person list: who sees whom ---------------------------------------------------------------


def test_staff_see_everyone(staff_client, people):
    """Provincial staff list the people of every unit."""
    assert sorted(_names(staff_client.get(PERSON_LIST))) == sorted(p.full_name for p in people.values())


def test_unit_officer_sees_only_their_units_people(officer_a_client, people):
    """A unit officer lists only their own unit's people."""
    assert sorted(_names(officer_a_client.get(PERSON_LIST))) == ["Nguyễn Văn Ân", "Trần Thị Bình"]


def test_officer_cannot_widen_the_list_with_another_units_filter(officer_a_client, people, unit_b):
    """?unit=<another unit> is not a valid choice for an officer and shows nothing of that unit."""
    response = officer_a_client.get(PERSON_LIST, {"unit": unit_b.pk})
    assert "Lê Văn Cường" not in _names(response)
    assert "Lê Văn Cường" not in response.text


def test_officer_unit_filter_offers_only_visible_units(officer_a_client, people, unit_a, unit_b):
    """The unit drop-down of an officer lists their units, not the whole province."""
    response = officer_a_client.get(PERSON_LIST)
    choices = list(response.context["filter"].form.fields["unit"].queryset)
    assert choices == [unit_a]
    assert unit_b.name not in response.text


def test_cluster_head_lists_the_people_of_the_cluster(login_as, cluster_with_head, people):
    """The head's officer lists the people of every unit of the cluster, not of other units."""
    in_cluster = factories.PersonFactory(unit=cluster_with_head.members[1], full_name="Phùng Văn Lộc")
    names = _names(login_as(cluster_with_head.head_officer).get(PERSON_LIST))
    assert names == [in_cluster.full_name]


def test_user_without_role_lists_nobody(login_as, plain_user, people):
    """A signed-in user with no role sees an empty list."""
    assert _names(login_as(plain_user).get(PERSON_LIST)) == []


def test_export_is_scoped_like_the_list(officer_a_client, people):
    """An officer's spreadsheet holds only the people they may see."""
    response = officer_a_client.get(PERSON_LIST, {"export": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert sorted(row[0] for row in rows[1:]) == ["Nguyễn Văn Ân", "Trần Thị Bình"]
    assert all(CITIZEN_ID not in str(value) for row in rows for value in row)


# --- Person list: search and filters ----------------------------------------------------------


@pytest.mark.parametrize("query", ["nguyen van an", "NGUYỄN ân", "an nguyen"])
def test_name_search_ignores_accents(staff_client, people, query):
    """ "nguyen van an" finds "Nguyễn Văn Ân"."""
    assert _names(staff_client.get(PERSON_LIST, {"q": query})) == ["Nguyễn Văn Ân"]


LOOKUP = reverse("awards:citizen_id_lookup")


def test_staff_look_up_a_person_by_citizen_id(staff_client, people):
    """A staff lookup by the full citizen ID (POST) opens the person's page."""
    response = staff_client.post(LOOKUP, {"citizen_id": CITIZEN_ID})
    person = Person.objects.get(citizen_id=CITIZEN_ID)
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()


def test_citizen_id_lookup_with_no_match_or_bad_input_says_so(staff_client, people):
    """An unknown number says nobody has it; a malformed one gets a clear Vietnamese error."""
    response = staff_client.post(LOOKUP, {"citizen_id": "001203009999"})
    assert response.status_code == 200
    assert response.context["matches"] == []
    response = staff_client.post(LOOKUP, {"citizen_id": "12ab"})
    assert response.status_code == 200
    assert response.context["form"].errors["citizen_id"]


@pytest.mark.parametrize("client_fixture", ["officer_a_client", "council_client"])
def test_citizen_id_lookup_is_refused_to_non_staff(request, client_fixture, people):
    """Officers and council members cannot look people up by citizen ID."""
    client = request.getfixturevalue(client_fixture)
    assert client.post(LOOKUP, {"citizen_id": CITIZEN_ID}).status_code == 403


def test_citizen_id_lookup_needs_post(staff_client, people):
    """The number never travels in a URL: GET is not allowed."""
    assert staff_client.get(LOOKUP, {"citizen_id": CITIZEN_ID}).status_code == 405


def test_searching_the_list_by_citizen_id_finds_nobody(staff_client, people):
    """The list search ignores citizen IDs, so they never end up in URLs or history."""
    response = staff_client.get(PERSON_LIST, {"q": CITIZEN_ID})
    assert _names(response) == []
    assert CITIZEN_ID not in response.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_filters_by_unit_category_and_gender(staff_client, people, unit_b):
    """Unit, statistical category and gender narrow the list."""
    assert _names(staff_client.get(PERSON_LIST, {"unit": unit_b.pk})) == ["Lê Văn Cường"]
    assert _names(staff_client.get(PERSON_LIST, {"category": PersonCategory.BUSINESSPERSON})) == [
        "Trần Thị Bình"
    ]
    assert _names(staff_client.get(PERSON_LIST, {"gender": Gender.FEMALE})) == ["Trần Thị Bình"]


def test_filter_by_award_and_year_ignores_revoked_awards(staff_client, people):
    """ "Has award" and "award year" match valid awards only, together or alone."""
    ldtt = factories.category("LDTT")
    cstdcs = factories.category("CSTDCS")
    factories.AwardRecordFactory(person=people["an"], category=cstdcs, year=2024)
    factories.AwardRecordFactory(person=people["binh"], category=ldtt, year=2023)
    revoked = factories.AwardRecordFactory(person=people["cuong"], category=cstdcs, year=2024)
    award_record_revoke(record=revoked, reason="Thu hồi")

    assert _names(staff_client.get(PERSON_LIST, {"award": cstdcs.pk})) == ["Nguyễn Văn Ân"]
    assert _names(staff_client.get(PERSON_LIST, {"award_year": 2023})) == ["Trần Thị Bình"]
    assert _names(staff_client.get(PERSON_LIST, {"award": cstdcs.pk, "award_year": 2023})) == []
    assert _names(staff_client.get(PERSON_LIST, {"award": ldtt.pk, "award_year": 2023})) == ["Trần Thị Bình"]


def test_award_filter_offers_individual_items_only(staff_client, people):
    """The "has award" choices are the catalogue items for individuals."""
    response = staff_client.get(PERSON_LIST)
    kinds = {c.recipient_kind for c in response.context["filter"].form.fields["award"].queryset}
    assert kinds == {"individual"}


def test_person_list_sorts_by_unit(staff_client, people):
    """?sort=unit orders by unit name (Xã Phụng Công before Xã Văn Giang)."""
    names = _names(staff_client.get(PERSON_LIST, {"sort": "-unit"}))
    assert names[0] == "Lê Văn Cường"


def test_person_list_sorts_names_in_vietnamese_order(staff_client, unit_a):
    """Đỗ comes before Lê and Vũ."""
    for name in ["Vũ Văn Hưng", "Đỗ Thị Hạnh", "Lê Văn Lộc"]:
        factories.PersonFactory(unit=unit_a, full_name=name)
    assert _names(staff_client.get(PERSON_LIST)) == ["Đỗ Thị Hạnh", "Lê Văn Lộc", "Vũ Văn Hưng"]


def test_person_list_pagination(staff_client, unit_a):
    """25 people a page."""
    factories.bulk_people(27, units=[unit_a])
    assert len(_names(staff_client.get(PERSON_LIST))) == 25
    assert len(_names(staff_client.get(PERSON_LIST, {"page": 2}))) == 2


def _grow_people(n: int, units: list, start: int) -> None:
    people = factories.bulk_people(n, units=units, start=start)
    factories.bulk_awards(people)


def test_person_list_query_count_is_flat(
    staff_client, officer_a_client, unit_a, unit_b, django_assert_num_queries
):
    """The people list runs the same pinned number of queries for N and 10N people."""
    _grow_people(3, [unit_a, unit_b], start=0)
    staff_client.get(PERSON_LIST)
    officer_a_client.get(PERSON_LIST)
    for size in ("N", "10N"):
        with django_assert_num_queries(PERSON_LIST_STAFF_QUERIES):
            response = staff_client.get(PERSON_LIST)
        with django_assert_num_queries(PERSON_LIST_STAFF_PARTIAL_QUERIES):
            staff_client.get(PERSON_LIST, **HTMX)
        with django_assert_num_queries(PERSON_LIST_OFFICER_QUERIES):
            officer_a_client.get(PERSON_LIST)
        if size == "N":
            _grow_people(27, [unit_a, unit_b], start=3)
    assert len(response.context["page_obj"]) == 25


# --- Person detail ----------------------------------------------------------------------------


@pytest.fixture
def person_with_awards(people):
    """Ân has a valid award, a revoked one and a corrected one with its correction."""
    person = people["an"]
    factories.AwardRecordFactory(person=person, year=2020, decision_number="10/QĐ-HỢP-LỆ")
    revoked = factories.AwardRecordFactory(person=person, year=2021, decision_number="11/QĐ-THU-HỒI")
    award_record_revoke(record=revoked, reason="Vi phạm kỷ luật")
    wrong = factories.AwardRecordFactory(person=person, year=2022, decision_number="12/QĐ-SAI")
    award_record_correct(record=wrong, reason="Sai năm", decision_number="13/QĐ-ĐÍNH-CHÍNH")
    return person


def test_person_detail_for_staff(staff_client, person_with_awards):
    """Staff see the person's details and award history."""
    response = staff_client.get(person_with_awards.get_absolute_url())
    assert response.status_code == 200
    assert "Nguyễn Văn Ân" in response.text
    assert len(response.context["awards"]) == 4


@pytest.mark.parametrize("who", ["staff_client", "officer_a_client", "council_client"])
def test_citizen_id_is_shown_masked_never_whole(request, person_with_awards, who):
    """The citizen ID appears as 001*******67; the whole number is never in the page."""
    response = request.getfixturevalue(who).get(person_with_awards.get_absolute_url())
    assert response.status_code == 200
    assert "001*******67" in response.text
    assert CITIZEN_ID not in response.text


def test_award_table_shows_valid_revoked_corrected_and_correction(staff_client, person_with_awards):
    """Each award shows its status: valid, revoked (with reason), corrected, and the correction."""
    text = staff_client.get(person_with_awards.get_absolute_url()).text
    assert text.count("status--ok") == 1
    assert text.count("status--bad") == 2  # the revoked and the corrected record
    assert text.count("status--info") == 1  # the correction
    assert "Vi phạm kỷ luật" in text
    assert "Sai năm" in text
    assert "12/QĐ-SAI" in text
    assert "13/QĐ-ĐÍNH-CHÍNH" in text
    assert text.count('class="is-muted"') == 2


def test_person_detail_refused_to_another_units_officer(officer_b_client, person_with_awards):
    """The officer of unit B gets 403 for a person of unit A."""
    assert officer_b_client.get(person_with_awards.get_absolute_url()).status_code == 403


def test_person_detail_refused_to_a_user_without_role(login_as, plain_user, person_with_awards):
    """A user with no role gets 403."""
    assert login_as(plain_user).get(person_with_awards.get_absolute_url()).status_code == 403


def test_person_detail_redirects_anonymous_users_to_login(person_with_awards):
    """An anonymous visitor is sent to the sign-in page."""
    url = person_with_awards.get_absolute_url()
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/dang-nhap/?next={url}"


@pytest.mark.parametrize("who", ["officer_a", "head_a", "council_member", "staff_user"])
def test_person_detail_allowed(request, login_as, person_with_awards, who):
    """The person's own unit, the council and staff open the page."""
    assert (
        login_as(request.getfixturevalue(who)).get(person_with_awards.get_absolute_url()).status_code == 200
    )


def test_person_detail_for_the_cluster_head(login_as, cluster_with_head):
    """The head of the cluster opens the page of a person of a member unit."""
    person = factories.PersonFactory(unit=cluster_with_head.members[0])
    assert login_as(cluster_with_head.head_officer).get(person.get_absolute_url()).status_code == 200
    assert login_as(cluster_with_head.member_officer).get(person.get_absolute_url()).status_code == 200
    other = factories.PersonFactory(unit=cluster_with_head.members[1])
    assert login_as(cluster_with_head.member_officer).get(other.get_absolute_url()).status_code == 403


def test_person_detail_missing_is_404(staff_client):
    """An unknown person id answers 404."""
    assert staff_client.get("/ca-nhan/987654/").status_code == 404


def test_person_detail_query_count_is_flat(staff_client, officer_a_client, people, django_assert_num_queries):
    """The person page runs the same pinned number of queries for N and 10N awards."""
    person = people["an"]
    url = person.get_absolute_url()
    factories.bulk_awards([person] * 2)
    staff_client.get(url)
    officer_a_client.get(url)
    for size in ("N", "10N"):
        with django_assert_num_queries(PERSON_DETAIL_STAFF_QUERIES):
            response = staff_client.get(url)
        with django_assert_num_queries(PERSON_DETAIL_OFFICER_QUERIES):
            officer_a_client.get(url)
        if size == "N":
            records = factories.bulk_awards([person] * 18)
            for record in records[:5]:
                award_record_revoke(record=record, reason="Thu hồi")
            award_record_correct(record=records[6], reason="Đính chính", year=2019)
    assert len(response.context["awards"]) == 21
