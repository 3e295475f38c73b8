from __future__ import annotations

import datetime as dt

import pytest

from clusters import selectors
from clusters.models import MemberRole
from clusters.services import cluster_term_set, unit_merge, unit_split
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = factories.this_year()


@pytest.fixture
def restructured():
    """A and B merge into C (2020); C and X merge into M (2025); M splits into S1 and S2 (2026).

    X is a side branch: an ancestor of M but not of C.
    """
    a, b, c, x, m, s1, s2 = (
        factories.UnitFactory(name=f"Đơn vị {n}") for n in ["A", "B", "C", "X", "M", "S1", "S2"]
    )
    unit_merge(units=[a, b], into=c, effective_on=dt.date(2020, 1, 1))
    unit_merge(units=[c, x], into=m, effective_on=dt.date(2025, 7, 1))
    unit_split(unit=m, into=[s1, s2], effective_on=dt.date(2026, 1, 1))
    return {"a": a, "b": b, "c": c, "x": x, "m": m, "s1": s1, "s2": s2}


def _pairs(links) -> set[tuple[str, str]]:
    return {(link.predecessor.name[-2:].strip(), link.successor.name[-2:].strip()) for link in links}


def test_unit_lineage_walks_back_through_every_restructuring(restructured):
    """A unit's predecessors include its predecessors' predecessors."""
    lineage = selectors.unit_lineage(restructured["s1"])
    assert _pairs(lineage.predecessors) == {("M", "S1"), ("C", "M"), ("X", "M"), ("A", "C"), ("B", "C")}
    assert lineage.ancestor_ids == {restructured[k].pk for k in ("m", "c", "x", "a", "b")}
    assert lineage.successors == []


def test_unit_lineage_walks_forward_through_every_restructuring(restructured):
    """A unit's successors include its successors' successors, and not side branches' history."""
    lineage = selectors.unit_lineage(restructured["a"])
    assert _pairs(lineage.successors) == {("A", "C"), ("C", "M"), ("M", "S1"), ("M", "S2")}
    assert lineage.predecessors == []
    assert lineage.ancestor_ids == set()


def test_unit_lineage_in_the_middle_goes_both_ways(restructured):
    """A unit in the middle of the chain has both predecessors and successors."""
    lineage = selectors.unit_lineage(restructured["m"])
    assert _pairs(lineage.predecessors) == {("C", "M"), ("X", "M"), ("A", "C"), ("B", "C")}
    assert _pairs(lineage.successors) == {("M", "S1"), ("M", "S2")}
    assert restructured["s1"].pk not in lineage.ancestor_ids


def test_unit_lineage_sorts_newest_first(restructured):
    """Links are listed from the latest restructuring to the earliest."""
    lineage = selectors.unit_lineage(restructured["s1"])
    dates = [link.effective_on for link in lineage.predecessors]
    assert dates == sorted(dates, reverse=True)


def test_unit_lineage_of_a_unit_without_history():
    """A unit never restructured has an empty lineage."""
    lineage = selectors.unit_lineage(factories.UnitFactory())
    assert (lineage.predecessors, lineage.successors, lineage.ancestor_ids) == ([], [], set())


def test_unit_lineage_runs_two_queries(restructured, django_assert_num_queries):
    """One query for all links, one for the chosen links with their units."""
    with django_assert_num_queries(2):
        lineage = selectors.unit_lineage(restructured["m"])
        [link.predecessor.name for link in lineage.predecessors]
        [link.successor.name for link in lineage.successors]


def test_unit_ids_led_by_a_head_covers_the_whole_cluster_this_year(cluster_with_head):
    """The head unit's officer leads every unit of the cluster this year."""
    expected = {
        cluster_with_head.head_unit.pk,
        cluster_with_head.deputy_unit.pk,
        *(unit.pk for unit in cluster_with_head.members),
    }
    assert selectors.unit_ids_led_by(cluster_with_head.head_officer) == expected
    assert selectors.unit_ids_led_by(cluster_with_head.deputy_officer) == expected


def test_unit_ids_led_by_a_plain_member_is_empty(cluster_with_head, staff_user):
    """A plain member's officer, and a user with no unit, lead nothing."""
    assert selectors.unit_ids_led_by(cluster_with_head.member_officer) == frozenset()
    assert selectors.unit_ids_led_by(staff_user) == frozenset()


def test_unit_ids_led_by_depends_on_the_year(cluster_with_head):
    """Leading a cluster last year gives nothing this year, and the reverse."""
    last_year = factories.ClusterTermFactory(year=YEAR - 1)
    old_member = factories.UnitFactory()
    factories.ClusterMembershipFactory(
        term=last_year, unit=cluster_with_head.member_officer.unit, role="head"
    )
    factories.ClusterMembershipFactory(term=last_year, unit=old_member)
    officer = cluster_with_head.member_officer
    assert selectors.unit_ids_led_by(officer) == frozenset()
    assert old_member.pk in selectors.unit_ids_led_by(officer, YEAR - 1)
    assert selectors.unit_ids_led_by(cluster_with_head.head_officer, YEAR - 1) == frozenset()


def test_unit_ids_led_by_is_cached_on_the_user(cluster_with_head, django_assert_num_queries):
    """The answer is computed once per user and year."""
    officer = cluster_with_head.head_officer
    with django_assert_num_queries(1):
        selectors.unit_ids_led_by(officer)
        selectors.unit_ids_led_by(officer)


def test_unit_list_annotates_the_cluster_of_the_year(cluster_with_head):
    """Each unit carries its cluster's id, name and its role there in the given year."""
    head = selectors.unit_list(year=YEAR).get(pk=cluster_with_head.head_unit.pk)
    assert head.cluster_id == cluster_with_head.cluster.pk
    assert head.cluster_name == cluster_with_head.cluster.name
    assert head.cluster_role == MemberRole.HEAD
    assert selectors.unit_list(year=YEAR - 1).get(pk=cluster_with_head.head_unit.pk).cluster_id is None


def test_unit_list_runs_one_query(cluster_with_head, django_assert_num_queries):
    """Parents and cluster annotations come in the same query."""
    parent = factories.UnitFactory()
    factories.UnitFactory.create_batch(3, parent=parent)
    with django_assert_num_queries(1):
        rows = list(selectors.unit_list(year=YEAR))
        [(unit.parent and unit.parent.name, unit.cluster_name) for unit in rows]


def test_unit_memberships_newest_first():
    """A unit's clusters are listed year by year, newest first."""
    unit = factories.UnitFactory()
    for year in (2023, 2025, 2024):
        factories.ClusterMembershipFactory(unit=unit, term=factories.ClusterTermFactory(year=year))
    assert [m.year for m in selectors.unit_memberships(unit)] == [2025, 2024, 2023]


def test_cluster_list_annotates_leaders_and_member_count(cluster_with_head):
    """Head, deputy and member count of each cluster in the given year."""
    cluster = selectors.cluster_list(year=YEAR).get(pk=cluster_with_head.cluster.pk)
    assert cluster.head_unit_id == cluster_with_head.head_unit.pk
    assert cluster.head_unit_name == "Xã Mễ Sở"
    assert cluster.deputy_unit_name == "Xã Tân Hưng"
    assert cluster.member_count == 4
    previous = selectors.cluster_list(year=YEAR - 1).get(pk=cluster_with_head.cluster.pk)
    assert (previous.head_unit_id, previous.member_count) == (None, None)


def test_cluster_year_defaults_to_the_current_year_then_the_latest(cluster_with_head):
    """Without a valid year, the current year is shown if held, else the latest year held."""
    cluster = cluster_with_head.cluster
    factories.ClusterTermFactory(cluster=cluster, year=YEAR - 2)
    assert selectors.cluster_year(cluster, None).year == YEAR
    assert selectors.cluster_year(cluster, 1990).year == YEAR
    assert selectors.cluster_year(cluster, YEAR - 2).year == YEAR - 2
    assert selectors.cluster_year(cluster, YEAR - 2).years == [YEAR, YEAR - 2]

    old = factories.ClusterFactory()
    factories.ClusterTermFactory(cluster=old, year=2019)
    factories.ClusterTermFactory(cluster=old, year=2021)
    assert selectors.cluster_year(old, None).year == 2021

    empty = selectors.cluster_year(factories.ClusterFactory(), None)
    assert (empty.year, empty.term, empty.memberships) == (YEAR, None, [])


def test_cluster_year_orders_head_deputy_then_members(cluster_with_head):
    """Members are listed head first, then deputy, then the others by name."""
    data = selectors.cluster_year(cluster_with_head.cluster, YEAR)
    names = [m.unit.name for m in data.memberships]
    assert names[:2] == ["Xã Mễ Sở", "Xã Tân Hưng"]
    assert sorted(names[2:]) == ["Xã Liên Nghĩa", "Xã Đông Tảo"]
    assert data.head.unit == cluster_with_head.head_unit
    assert data.deputy.unit == cluster_with_head.deputy_unit


def test_cluster_year_sorts_vietnamese_names_alphabetically():
    """Đ sorts between D and E, as in the Vietnamese alphabet."""
    term = factories.ClusterTermFactory(year=YEAR)
    for name in ["Xã Đông Tảo", "Xã Liên Nghĩa", "Xã Dân Tiến", "Xã Ế"]:
        factories.ClusterMembershipFactory(term=term, unit=factories.UnitFactory(name=name))
    data = selectors.cluster_year(term.cluster, YEAR)
    assert [m.unit.name for m in data.memberships] == ["Xã Dân Tiến", "Xã Đông Tảo", "Xã Ế", "Xã Liên Nghĩa"]


def test_cluster_year_runs_three_queries(cluster_with_head, django_assert_num_queries):
    """Years, the term, and its memberships with units: three queries whatever the size."""
    cluster_term_set(
        cluster=cluster_with_head.cluster,
        year=YEAR - 1,
        members=factories.UnitFactory.create_batch(5),
    )
    with django_assert_num_queries(3):
        data = selectors.cluster_year(cluster_with_head.cluster, None)
        [m.unit.name for m in data.memberships]
