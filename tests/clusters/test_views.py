from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from awards.services import award_record_revoke
from clusters.models import (
    ClusterKind,
    ClusterMembership,
    MemberRole,
    SuccessionKind,
    UnitKind,
    UnitSuccession,
)
from clusters.services import unit_merge
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = factories.this_year()
UNIT_LIST = "/don-vi/"
CLUSTER_LIST = "/cum-khoi/"
HTMX = {"HTTP_HX_REQUEST": "true"}
BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}

# Pinned query counts for a signed-in staff user (1 of them loads the user).
UNIT_LIST_QUERIES = 4  # user, count, page, cluster choices of the filter
UNIT_LIST_PARTIAL_QUERIES = 3  # user, count, page
UNIT_DETAIL_QUERIES = 8  # user, unit, all links, chosen links, memberships, children, awards, people count
CLUSTER_LIST_QUERIES = 3  # user, count, page
CLUSTER_DETAIL_QUERIES = 5  # user, cluster, years, term, memberships


def _vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",")}


def _assert_full_page(response, section_id: str) -> None:
    assert response.status_code == 200
    assert "<html" in response.text
    assert f'<section id="{section_id}"' in response.text
    assert "HX-Request" in _vary(response)


def _assert_partial(response, section_id: str) -> None:
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith(f'<section id="{section_id}"')
    assert response.text.rstrip().endswith("</section>")
    assert "HX-Request" in _vary(response)


def _rows(response) -> list:
    return list(response.context["page_obj"])


def _names(response) -> list[str]:
    return [row.name for row in _rows(response)]


def _sheet_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


# --- Unit list --------------------------------------------------------------------------------


def test_unit_list_full_page(staff_client, unit_a):
    """A normal request gets the whole page: layout, filter form and the table section."""
    response = staff_client.get(UNIT_LIST)
    _assert_full_page(response, "unit-table")
    assert 'id="unit-filter"' in response.text
    assert "Xã Phụng Công" in response.text


def test_unit_list_partial_for_htmx(staff_client, unit_a):
    """A plain htmx request gets only the <section id="unit-table"> partial."""
    response = staff_client.get(UNIT_LIST, {"q": "phung"}, **HTMX)
    _assert_partial(response, "unit-table")
    assert 'id="unit-filter"' not in response.text
    assert "Xã Phụng Công" in response.text


def test_unit_list_boosted_request_gets_the_full_page(staff_client, unit_a):
    """Boosted navigation and history restore get the whole page."""
    _assert_full_page(staff_client.get(UNIT_LIST, **BOOSTED), "unit-table")
    restore = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    _assert_full_page(staff_client.get(UNIT_LIST, **restore), "unit-table")


@pytest.mark.parametrize("query", ["phung cong", "PHỤNG CÔNG", "cong phung", "xa-pc", "Phung  Cong"])
def test_unit_search_ignores_accents_case_and_word_order(staff_client, unit_a, unit_b, query):
    """ "phung cong" finds "Xã Phụng Công" (and nothing else); the code is searchable too."""
    response = staff_client.get(UNIT_LIST, {"q": query})
    assert _names(response) == ["Xã Phụng Công"]


def test_unit_list_filters_by_kind_status_and_cluster(staff_client, cluster_with_head):
    """Kind, status (active or not) and this year's cluster narrow the list."""
    department = factories.UnitFactory(department=True, name="Sở Nội vụ")
    closed = factories.UnitFactory(name="Xã Cũ", active_to=dt.date(2025, 6, 30))

    assert _names(staff_client.get(UNIT_LIST, {"kind": UnitKind.DEPARTMENT})) == [department.name]
    assert _names(staff_client.get(UNIT_LIST, {"status": "inactive"})) == ["Xã Cũ"]
    assert closed.name not in _names(staff_client.get(UNIT_LIST, {"status": "active"}))
    in_cluster = _names(staff_client.get(UNIT_LIST, {"cluster": cluster_with_head.cluster.pk}))
    assert sorted(in_cluster) == sorted(
        u.name
        for u in [cluster_with_head.head_unit, cluster_with_head.deputy_unit, *cluster_with_head.members]
    )


def test_unit_list_shows_this_years_cluster_and_role(staff_client, cluster_with_head):
    """Each unit shows its cluster this year, with a badge for the head and the deputy."""
    response = staff_client.get(UNIT_LIST, {"q": "me so"})
    assert cluster_with_head.cluster.name in response.text
    assert f'href="/cum-khoi/{cluster_with_head.cluster.pk}/"' in response.text
    assert '<span class="badge">' in response.text


def test_unit_list_invalid_filter_shows_errors_not_a_crash(staff_client, unit_a, unit_b):
    """An impossible filter value re-shows the list unfiltered with the field's error."""
    response = staff_client.get(UNIT_LIST, {"kind": "bogus"})
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert len(_rows(response)) == 2


def test_unit_list_sorts_by_a_column_and_marks_it(staff_client):
    """?sort=-code orders by code descending and marks the heading as sorted."""
    for code in ["B", "C", "A"]:
        factories.UnitFactory(code=code)
    response = staff_client.get(UNIT_LIST, {"sort": "-code"})
    assert [unit.code for unit in _rows(response)] == ["C", "B", "A"]
    assert 'aria-sort="descending"' in response.text


def test_unit_list_sorts_inactive_last_by_end_date(staff_client):
    """Sorting by "active until" puts units by their end date."""
    factories.UnitFactory(name="Xã Hai", active_to=dt.date(2025, 6, 30))
    factories.UnitFactory(name="Xã Một", active_to=dt.date(2020, 1, 1))
    response = staff_client.get(UNIT_LIST, {"sort": "active_to", "status": "inactive"})
    assert _names(response) == ["Xã Một", "Xã Hai"]


def test_unit_list_sorts_names_in_vietnamese_order(staff_client):
    """Xã Đông Tảo comes before Xã Giao Thủy, and Xã Ân Thi before Xã Bình Minh."""
    for name in ["Xã Giao Thủy", "Xã Đông Tảo", "Xã Bình Minh", "Xã Ân Thi"]:
        factories.UnitFactory(name=name)
    response = staff_client.get(UNIT_LIST)
    assert _names(response) == ["Xã Ân Thi", "Xã Bình Minh", "Xã Đông Tảo", "Xã Giao Thủy"]


def test_unit_list_pagination(staff_client):
    """25 rows a page; the last page holds the rest; a page past the end shows the last page."""
    factories.bulk_units(30)
    first = staff_client.get(UNIT_LIST)
    assert len(_rows(first)) == 25
    assert 'rel="next"' in first.text
    assert 'href="?page=2"' in first.text
    second = staff_client.get(UNIT_LIST, {"page": 2})
    assert len(_rows(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))
    assert _names(staff_client.get(UNIT_LIST, {"page": 99})) == _names(second)
    assert _names(staff_client.get(UNIT_LIST, {"page": "abc"})) == _names(first)


def test_unit_list_page_links_keep_the_search(staff_client):
    """Pagination links carry the search and sort, and target the table for htmx."""
    factories.bulk_units(30)
    response = staff_client.get(UNIT_LIST, {"q": "bac", "sort": "code"}, **HTMX)
    assert 'href="?q=bac&amp;sort=code&amp;page=2"' in response.text
    assert 'hx-target="#unit-table"' in response.text


def test_unit_list_xlsx_export_is_what_is_shown(staff_client, unit_a, unit_b, cluster_with_head):
    """The export holds the filtered rows in the shown order, with cluster and head columns."""
    params = {"q": "xa", "sort": "-name"}
    shown = _names(staff_client.get(UNIT_LIST, params))
    rows = _sheet_rows(staff_client.get(UNIT_LIST, {**params, "export": "xlsx"}))
    assert [row[0] for row in rows[1:]] == shown
    me_so = next(row for row in rows if row[0] == "Xã Mễ Sở")
    assert me_so[4] == cluster_with_head.cluster.name
    assert me_so[5].startswith("Chủ tịch ")


def _grow_unit_list(n: int, start: int) -> None:
    """n units, each with a parent and a membership in this year's cluster."""
    parent = factories.UnitFactory(department=True)
    units = factories.bulk_units(n, start=start)
    for unit in units:
        unit.parent = parent
    type(units[0]).objects.bulk_update(units, ["parent"])
    term = factories.ClusterTermFactory(year=YEAR)
    ClusterMembership.objects.bulk_create(
        ClusterMembership(term=term, unit=unit, year=YEAR, role=MemberRole.MEMBER) for unit in units
    )


def test_unit_list_query_count_is_flat(staff_client, django_assert_num_queries):
    """The unit list runs the same pinned number of queries for N and for 10N units."""
    _grow_unit_list(3, start=0)
    staff_client.get(UNIT_LIST)
    with django_assert_num_queries(UNIT_LIST_QUERIES):
        staff_client.get(UNIT_LIST)
    with django_assert_num_queries(UNIT_LIST_PARTIAL_QUERIES):
        staff_client.get(UNIT_LIST, **HTMX)
    _grow_unit_list(27, start=3)
    with django_assert_num_queries(UNIT_LIST_QUERIES):
        response = staff_client.get(UNIT_LIST)
    with django_assert_num_queries(UNIT_LIST_PARTIAL_QUERIES):
        staff_client.get(UNIT_LIST, **HTMX)
    assert len(_rows(response)) == 25


# --- Unit detail ------------------------------------------------------------------------------


@pytest.fixture
def unit_with_history(unit_a):
    """Unit A absorbed Xã Cũ in 2025; both have collective awards; A has a child and a cluster."""
    old = factories.UnitFactory(name="Xã Cũ")
    unit_merge(units=[old], into=unit_a, effective_on=dt.date(2025, 7, 1), decision_number="1686/NQ")
    factories.AwardRecordFactory(collective=True, unit=old, year=2024, decision_number="11/QĐ-CŨ")
    own = factories.AwardRecordFactory(collective=True, unit=unit_a, year=YEAR - 1, decision_number="22/QĐ-A")
    award_record_revoke(record=own, reason="Nhầm đơn vị")
    factories.UnitFactory(name="Trường tiểu học Phụng Công", parent=unit_a)
    factories.ClusterMembershipFactory(unit=unit_a, term=factories.ClusterTermFactory(year=YEAR))
    factories.PersonFactory.create_batch(2, unit=unit_a)
    return unit_a


def test_unit_detail_shows_lineage_clusters_children_and_awards(staff_client, unit_with_history):
    """The page shows predecessors, clusters by year, child units and awards with their status."""
    response = staff_client.get(unit_with_history.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert "Xã Cũ" in text
    assert "1686/NQ" in text
    assert [child.name for child in response.context["children"]] == ["Trường tiểu học Phụng Công"]
    assert "11/QĐ-CŨ" in text
    assert "22/QĐ-A" in text
    assert "Nhầm đơn vị" in text
    assert f"<strong>{YEAR}</strong>" in text


def test_unit_detail_lists_child_units(staff_client, unit_with_history):
    """The unit page links to the units under it (schools, stations of a commune)."""
    response = staff_client.get(unit_with_history.get_absolute_url())
    assert "Trường tiểu học Phụng Công" in response.text


def test_unit_detail_can_hide_predecessors_awards(staff_client, unit_with_history):
    """?history=own limits the award history to the unit itself."""
    response = staff_client.get(unit_with_history.get_absolute_url(), {"history": "own"})
    assert "22/QĐ-A" in response.text
    assert "11/QĐ-CŨ" not in response.text
    assert 'href="?"' in response.text


def test_closed_unit_points_to_its_successors(staff_client, unit_with_history):
    """A unit that stopped shows when and who continues its history."""
    old = UnitSuccession.objects.get(successor=unit_with_history).predecessor
    response = staff_client.get(old.get_absolute_url())
    assert "30/06/2025" in response.text
    assert response.context["lineage"].successors[0].successor == unit_with_history
    assert response.context["lineage"].successors[0].kind == SuccessionKind.MERGE


@pytest.mark.parametrize(
    ("who", "sees_people"),
    [
        ("staff_user", True),
        ("council_member", True),
        ("officer_a", True),
        ("head_a", True),
        ("officer_b", False),
        ("plain_user", False),
    ],
)
def test_unit_detail_people_link_only_for_those_who_may_see_the_units_work(
    request, login_as, unit_with_history, who, sees_people
):
    """Everyone can open the unit's page; only staff, council, the unit and its leaders see its people."""
    response = login_as(request.getfixturevalue(who)).get(unit_with_history.get_absolute_url())
    assert response.status_code == 200
    assert (f"/ca-nhan/?unit={unit_with_history.pk}" in response.text) is sees_people


def test_unit_detail_missing_unit_is_404(staff_client):
    """An unknown unit id answers 404."""
    assert staff_client.get("/don-vi/987654/").status_code == 404


def _grow_unit_detail(unit, n: int) -> None:
    """n predecessors with awards, n years of membership, n children, n people, n awards."""
    predecessors = factories.bulk_units(
        n, prefix="Xã Tiền Thân", start=unit.pk * 1000 + UnitSuccession.objects.count()
    )
    UnitSuccession.objects.bulk_create(
        UnitSuccession(
            predecessor=p, successor=unit, kind=SuccessionKind.MERGE, effective_on=dt.date(2025, 7, 1)
        )
        for p in predecessors
    )
    children = factories.bulk_units(n, prefix="Trường", start=unit.pk * 1000 + unit.children.count())
    for child in children:
        child.parent = unit
    type(unit).objects.bulk_update(children, ["parent"])
    first_year = 2000 + unit.memberships.count()
    for year in range(first_year, first_year + n):
        term = factories.ClusterTermFactory(year=year)
        ClusterMembership.objects.create(term=term, unit=unit)
    factories.bulk_people(n, units=[unit], start=unit.pk * 1000 + unit.people.count())
    for recipient in [unit, *predecessors]:
        factories.AwardRecordFactory(collective=True, unit=recipient)


def test_unit_detail_query_count_is_flat(staff_client, unit_a, django_assert_num_queries):
    """The unit page runs the same pinned number of queries for N and for 10N related rows."""
    url = unit_a.get_absolute_url()
    _grow_unit_detail(unit_a, 2)
    staff_client.get(url)
    with django_assert_num_queries(UNIT_DETAIL_QUERIES):
        staff_client.get(url)
    _grow_unit_detail(unit_a, 18)
    with django_assert_num_queries(UNIT_DETAIL_QUERIES):
        response = staff_client.get(url)
    assert len(response.context["awards"]) == 22
    assert len(response.context["lineage"].predecessors) == 20


# --- Cluster list -----------------------------------------------------------------------------


def test_cluster_list_full_page(staff_client, cluster_with_head):
    """The full page has the year switcher, the filter form and the table with leaders."""
    response = staff_client.get(CLUSTER_LIST)
    _assert_full_page(response, "cluster-table")
    assert 'class="year-switcher"' in response.text
    assert 'id="cluster-filter"' in response.text
    assert "Xã Mễ Sở" in response.text
    assert "Xã Tân Hưng" in response.text


def test_cluster_list_partial_for_htmx(staff_client, cluster_with_head):
    """A plain htmx request gets only the cluster table, which keeps the year for the filter form."""
    response = staff_client.get(CLUSTER_LIST, {"year": YEAR - 1}, **HTMX)
    _assert_partial(response, "cluster-table")
    assert f'<input type="hidden" name="year" value="{YEAR - 1}" form="cluster-filter">' in response.text
    assert 'class="year-switcher"' not in response.text


def test_cluster_list_boosted_request_gets_the_full_page(staff_client, cluster_with_head):
    """Boosted navigation gets the whole page."""
    _assert_full_page(staff_client.get(CLUSTER_LIST, **BOOSTED), "cluster-table")


def test_cluster_list_year_switcher(staff_client, cluster_with_head):
    """?year= shows that year's leaders and member count; the switcher offers recent years."""
    cluster = cluster_with_head.cluster
    last_year = factories.ClusterTermFactory(cluster=cluster, year=YEAR - 1)
    old_head = factories.UnitFactory(name="Xã Trưởng Cụm Năm Ngoái")
    factories.ClusterMembershipFactory(term=last_year, unit=old_head, role=MemberRole.HEAD)

    now = staff_client.get(CLUSTER_LIST)
    assert now.context["year"] == YEAR
    assert _rows(now)[0].head_unit_name == "Xã Mễ Sở"
    assert _rows(now)[0].member_count == 4

    before = staff_client.get(CLUSTER_LIST, {"year": YEAR - 1})
    assert before.context["year"] == YEAR - 1
    assert _rows(before)[0].head_unit_name == "Xã Trưởng Cụm Năm Ngoái"
    assert _rows(before)[0].member_count == 1
    assert f'<option value="{YEAR - 1}" selected>' in before.text
    assert f'href="/cum-khoi/{cluster.pk}/?year={YEAR - 1}"' in before.text

    years = list(now.context["years"])
    assert years[0] == YEAR + 1
    assert years[-1] == YEAR - 9


@pytest.mark.parametrize("year", ["abc", "1800", "3000", ""])
def test_cluster_list_implausible_year_falls_back_to_this_year(staff_client, cluster_with_head, year):
    """A year that is not a plausible number shows the current year."""
    assert staff_client.get(CLUSTER_LIST, {"year": year}).context["year"] == YEAR


def test_cluster_list_search_and_filters(staff_client, cluster_with_head):
    """Accent-insensitive search, kind and in-use filters narrow the list."""
    bloc = factories.ClusterFactory(bloc=True, name="Khối các sở kinh tế")
    unused = factories.ClusterFactory(name="Cụm giải thể", is_active=False)
    assert _names(staff_client.get(CLUSTER_LIST, {"q": "khoi cac so"})) == [bloc.name]
    assert _names(staff_client.get(CLUSTER_LIST, {"kind": ClusterKind.BLOC})) == [bloc.name]
    assert _names(staff_client.get(CLUSTER_LIST, {"active": "false"})) == [unused.name]
    assert unused.name not in _names(staff_client.get(CLUSTER_LIST, {"active": "true"}))


def test_cluster_list_sorts_by_member_count(staff_client, cluster_with_head):
    """Clusters can be ordered by their number of members that year."""
    small = factories.ClusterFactory(name="Cụm nhỏ")
    factories.ClusterMembershipFactory(term=factories.ClusterTermFactory(cluster=small, year=YEAR))
    ordered = _names(staff_client.get(CLUSTER_LIST, {"sort": "member_count"}))
    assert ordered == ["Cụm nhỏ", cluster_with_head.cluster.name]


def test_cluster_list_xlsx_export_names_the_year(staff_client, cluster_with_head):
    """The export carries the year in its file name and the leaders of that year."""
    response = staff_client.get(CLUSTER_LIST, {"year": YEAR, "export": "xlsx"})
    assert f'filename="cum-khoi-{YEAR}-' in response["Content-Disposition"]
    rows = _sheet_rows(response)
    code, name, _kind, members, head, deputy = rows[1]
    assert (code, name, members, head, deputy) == (
        "CUM-01",
        cluster_with_head.cluster.name,
        4,
        "Xã Mễ Sở",
        "Xã Tân Hưng",
    )


def _grow_cluster_list(n: int) -> None:
    """n clusters with a decision, a head, a deputy and a member this year."""
    for _ in range(n):
        term = factories.ClusterTermFactory(year=YEAR)
        units = factories.UnitFactory.create_batch(3)
        for unit, role in zip(units, [MemberRole.HEAD, MemberRole.DEPUTY, MemberRole.MEMBER], strict=True):
            ClusterMembership.objects.create(term=term, unit=unit, role=role)


def test_cluster_list_query_count_is_flat(staff_client, django_assert_num_queries):
    """The cluster list runs the same pinned number of queries for N and for 10N clusters."""
    _grow_cluster_list(2)
    staff_client.get(CLUSTER_LIST)
    with django_assert_num_queries(CLUSTER_LIST_QUERIES):
        staff_client.get(CLUSTER_LIST)
    with django_assert_num_queries(CLUSTER_LIST_QUERIES):
        staff_client.get(CLUSTER_LIST, **HTMX)
    _grow_cluster_list(18)
    with django_assert_num_queries(CLUSTER_LIST_QUERIES):
        response = staff_client.get(CLUSTER_LIST)
    with django_assert_num_queries(CLUSTER_LIST_QUERIES):
        staff_client.get(CLUSTER_LIST, **HTMX)
    assert len(_rows(response)) == 20


# --- Cluster detail ---------------------------------------------------------------------------


def test_cluster_detail_full_page(staff_client, cluster_with_head):
    """The page shows the decision, the year tabs, head, deputy and members."""
    response = staff_client.get(cluster_with_head.cluster.get_absolute_url())
    _assert_full_page(response, "cluster-year")
    text = response.text
    assert cluster_with_head.cluster.decision.number in text
    assert f'href="?year={YEAR}"' in text
    assert re.search(r"Xã Mễ Sở</a>", text)
    assert "Xã Liên Nghĩa" in text


def test_cluster_detail_partial_for_htmx(staff_client, cluster_with_head):
    """A year tab click (htmx) gets only the <section id="cluster-year"> partial."""
    response = staff_client.get(cluster_with_head.cluster.get_absolute_url(), {"year": YEAR}, **HTMX)
    _assert_partial(response, "cluster-year")
    assert "Xã Mễ Sở" in response.text


def test_cluster_detail_boosted_request_gets_the_full_page(staff_client, cluster_with_head):
    """Boosted navigation gets the whole page."""
    _assert_full_page(
        staff_client.get(cluster_with_head.cluster.get_absolute_url(), **BOOSTED), "cluster-year"
    )


def test_cluster_detail_year_tabs(staff_client, cluster_with_head):
    """?year= switches to another year held; that year's tab is marked current."""
    cluster = cluster_with_head.cluster
    last_year = factories.ClusterTermFactory(cluster=cluster, year=YEAR - 1)
    factories.ClusterMembershipFactory(term=last_year, unit=factories.UnitFactory(name="Xã Năm Ngoái"))
    response = staff_client.get(cluster.get_absolute_url(), {"year": YEAR - 1})
    assert response.context["data"].year == YEAR - 1
    assert "Xã Năm Ngoái" in response.text
    assert "Xã Mễ Sở" not in response.text
    assert f'href="?year={YEAR - 1}" hx-get="?year={YEAR - 1}"' in response.text
    assert re.search(rf'hx-get="\?year={YEAR - 1}"[^>]*aria-current="page"', response.text)


def test_cluster_detail_without_members(staff_client):
    """A cluster with no year recorded says so."""
    cluster = factories.ClusterFactory()
    response = staff_client.get(cluster.get_absolute_url())
    assert response.status_code == 200
    assert response.context["data"].term is None


def test_cluster_detail_missing_cluster_is_404(staff_client):
    """An unknown cluster id answers 404."""
    assert staff_client.get("/cum-khoi/987654/").status_code == 404


def _grow_cluster_detail(cluster, n: int) -> None:
    """n more members this year and n more past years."""
    term = factories.ClusterTermFactory(cluster=cluster, year=YEAR)
    units = factories.bulk_units(n, prefix="Xã Thành Viên", start=term.memberships.count())
    ClusterMembership.objects.bulk_create(ClusterMembership(term=term, unit=u, year=YEAR) for u in units)
    oldest = cluster.terms.order_by("year").first().year
    for year in range(oldest - n, oldest):
        factories.ClusterTermFactory(cluster=cluster, year=year)


def test_cluster_detail_query_count_is_flat(staff_client, cluster_with_head, django_assert_num_queries):
    """The cluster page runs the same pinned number of queries for N and for 10N members and years."""
    cluster = cluster_with_head.cluster
    url = cluster.get_absolute_url()
    _grow_cluster_detail(cluster, 2)
    staff_client.get(url)
    with django_assert_num_queries(CLUSTER_DETAIL_QUERIES):
        staff_client.get(url)
    with django_assert_num_queries(CLUSTER_DETAIL_QUERIES):
        staff_client.get(url, **HTMX)
    _grow_cluster_detail(cluster, 18)
    with django_assert_num_queries(CLUSTER_DETAIL_QUERIES):
        response = staff_client.get(url)
    with django_assert_num_queries(CLUSTER_DETAIL_QUERIES):
        staff_client.get(url, **HTMX)
    assert len(response.context["data"].memberships) == 24
    assert len(response.context["data"].years) == 21


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_b", "plain_user", "council_member", "head_a"])
def test_directory_pages_are_open_to_every_signed_in_user(request, login_as, cluster_with_head, who):
    """The unit directory and clusters are visible to every signed-in role."""
    client = login_as(request.getfixturevalue(who))
    for url in [
        UNIT_LIST,
        CLUSTER_LIST,
        cluster_with_head.cluster.get_absolute_url(),
        cluster_with_head.head_unit.get_absolute_url(),
    ]:
        assert client.get(url).status_code == 200, url


def test_list_pages_refuse_post(staff_client):
    """The list pages answer GET only."""
    assert staff_client.post(UNIT_LIST).status_code == 405
    assert staff_client.post(CLUSTER_LIST).status_code == 405
