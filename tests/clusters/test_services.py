from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clusters.models import ClusterMembership, MemberRole, SuccessionKind, Unit, UnitSuccession
from clusters.services import cluster_term_set, unit_merge, unit_split
from tests import factories

pytestmark = pytest.mark.django_db

MERGER_DAY = dt.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def _refresh(*units: Unit) -> None:
    for unit in units:
        unit.refresh_from_db()


# --- unit_merge -----------------------------------------------------------------------------


def test_merge_into_a_new_unit_closes_the_old_ones_the_day_before():
    """Sáp nhập: merged units stop the day before the effective date and the new unit succeeds them."""
    old = factories.UnitFactory.create_batch(3)
    new = factories.UnitFactory(name="Xã Nghĩa Trụ")
    links = unit_merge(units=old, into=new, effective_on=MERGER_DAY, decision_number="1686/NQ-UBTVQH15")
    _refresh(*old, new)
    assert [unit.active_to for unit in old] == [dt.date(2025, 6, 30)] * 3
    assert new.active_to is None
    assert new.active_from == MERGER_DAY
    assert len(links) == 3
    assert set(UnitSuccession.objects.values_list("predecessor_id", "successor_id")) == {
        (unit.pk, new.pk) for unit in old
    }
    assert {link.kind for link in links} == {SuccessionKind.MERGE}
    assert {link.decision_number for link in links} == {"1686/NQ-UBTVQH15"}


def test_merge_into_one_of_the_merged_units_keeps_it_open():
    """When one unit absorbs the others it stays active and is not its own predecessor."""
    keeper, absorbed = factories.UnitFactory.create_batch(2)
    links = unit_merge(units=[keeper, absorbed], into=keeper, effective_on=MERGER_DAY)
    _refresh(keeper, absorbed)
    assert keeper.active_to is None
    assert absorbed.active_to == dt.date(2025, 6, 30)
    assert [(link.predecessor, link.successor) for link in links] == [(absorbed, keeper)]


def test_merge_keeps_an_earlier_start_date_of_the_successor():
    """A successor that already existed keeps its own start date."""
    keeper = factories.UnitFactory(active_from=dt.date(1997, 1, 1))
    unit_merge(units=[factories.UnitFactory()], into=keeper, effective_on=MERGER_DAY)
    keeper.refresh_from_db()
    assert keeper.active_from == dt.date(1997, 1, 1)


def test_merge_moves_a_later_start_date_of_the_successor_back():
    """A successor recorded as starting after the merger starts on the merger's effective date."""
    new = factories.UnitFactory(active_from=dt.date(2025, 9, 1))
    unit_merge(units=[factories.UnitFactory()], into=new, effective_on=MERGER_DAY)
    new.refresh_from_db()
    assert new.active_from == MERGER_DAY


def test_merge_with_nothing_to_merge_is_refused():
    """Merging a unit only into itself is refused with a clear message and changes nothing."""
    unit = factories.UnitFactory()
    with pytest.raises(ValidationError, match="Choose at least one unit to merge"):
        unit_merge(units=[unit], into=unit, effective_on=MERGER_DAY)
    with pytest.raises(ValidationError, match="Choose at least one unit to merge"):
        unit_merge(units=[], into=unit, effective_on=MERGER_DAY)
    assert not UnitSuccession.objects.exists()


def test_merge_of_a_unit_already_closed_is_refused_naming_it():
    """A unit that had stopped before the merger cannot be merged; the message names it and the date."""
    closed = factories.UnitFactory(name="Xã Đã Giải Thể", active_to=dt.date(2024, 12, 31))
    still_open = factories.UnitFactory()
    new = factories.UnitFactory()
    with pytest.raises(ValidationError) as excinfo:
        unit_merge(units=[still_open, closed], into=new, effective_on=MERGER_DAY)
    assert "Xã Đã Giải Thể" in excinfo.value.messages[0]
    assert "01/07/2025" in excinfo.value.messages[0]
    # The whole merger is rolled back, including the unit handled before the refusal.
    _refresh(still_open)
    assert still_open.active_to is None
    assert not UnitSuccession.objects.exists()


def test_merge_records_who_and_why_in_the_audit_history():
    """The restructuring is recorded in the unit's history with the user and the decision."""
    staff = factories.make_staff()
    old = factories.UnitFactory()
    unit_merge(
        units=[old], into=factories.UnitFactory(), effective_on=MERGER_DAY, decision_number="12/NQ", by=staff
    )
    event = old.events.order_by("pgh_id").last()
    assert event.active_to == dt.date(2025, 6, 30)
    assert event.pgh_context.metadata == {"user": staff.pk, "reason": "merge 12/NQ"}


def test_merging_the_same_units_twice_is_refused_clearly():
    """Recording the same merger twice is refused with a message, not a database error."""
    old, new = factories.UnitFactory.create_batch(2)
    unit_merge(units=[old], into=new, effective_on=MERGER_DAY)
    with pytest.raises(ValidationError):
        unit_merge(units=[old], into=new, effective_on=MERGER_DAY)


# --- unit_split -----------------------------------------------------------------------------


def test_split_closes_the_unit_and_links_each_successor():
    """Chia tách: the unit stops the day before and each new unit succeeds it."""
    unit = factories.UnitFactory()
    parts = factories.UnitFactory.create_batch(2)
    links = unit_split(unit=unit, into=parts, effective_on=MERGER_DAY, decision_number="5/NQ")
    unit.refresh_from_db()
    assert unit.active_to == dt.date(2025, 6, 30)
    assert [(link.predecessor, link.successor, link.kind) for link in links] == [
        (unit, parts[0], SuccessionKind.SPLIT),
        (unit, parts[1], SuccessionKind.SPLIT),
    ]
    assert {link.effective_on for link in links} == {MERGER_DAY}


def test_split_into_itself_only_is_refused():
    """A split needs at least one successor other than the unit itself."""
    unit = factories.UnitFactory()
    with pytest.raises(ValidationError, match="at least one successor"):
        unit_split(unit=unit, into=[unit], effective_on=MERGER_DAY)
    unit.refresh_from_db()
    assert unit.active_to is None


def test_split_of_a_closed_unit_is_refused():
    """A unit that had already stopped cannot be split."""
    unit = factories.UnitFactory(name="Xã Cũ", active_to=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="Xã Cũ was already inactive"):
        unit_split(unit=unit, into=[factories.UnitFactory()], effective_on=MERGER_DAY)


# --- cluster_term_set ----------------------------------------------------------------------


def _roles(term) -> dict[str, str]:
    return {m.unit.name: m.role for m in term.memberships.select_related("unit")}


@pytest.fixture
def communes():
    return [factories.UnitFactory(name=f"Xã {name}") for name in ["An", "Bình", "Cường", "Dũng", "Đạt"]]


def test_cluster_term_set_creates_members_head_and_deputy(communes):
    """Setting a year creates its term with the members, the head and the deputy."""
    cluster = factories.ClusterFactory()
    a, b, c, *_ = communes
    term = cluster_term_set(cluster=cluster, year=2025, members=[a, b, c], head=a, deputy=b)
    assert term.cluster == cluster
    assert term.year == 2025
    assert _roles(term) == {"Xã An": "head", "Xã Bình": "deputy", "Xã Cường": "member"}
    assert set(ClusterMembership.objects.values_list("year", flat=True)) == {2025}


def test_cluster_term_set_without_leaders(communes):
    """Head and deputy are optional."""
    term = cluster_term_set(cluster=factories.ClusterFactory(), year=2025, members=communes[:2])
    assert set(_roles(term).values()) == {"member"}


def test_head_must_be_a_member(communes):
    """A head outside the member list is refused."""
    a, b, c, *_ = communes
    with pytest.raises(ValidationError, match="head unit must be a member"):
        cluster_term_set(cluster=factories.ClusterFactory(), year=2025, members=[a, b], head=c)
    assert not ClusterMembership.objects.exists()


def test_deputy_must_be_a_member(communes):
    """A deputy outside the member list is refused."""
    a, b, c, *_ = communes
    with pytest.raises(ValidationError, match="deputy unit must be a member"):
        cluster_term_set(cluster=factories.ClusterFactory(), year=2025, members=[a, b], head=a, deputy=c)


def test_head_and_deputy_must_differ(communes):
    """The head and the deputy are two different units."""
    a, b, *_ = communes
    with pytest.raises(ValidationError, match="must be different units"):
        cluster_term_set(cluster=factories.ClusterFactory(), year=2025, members=[a, b], head=a, deputy=a)


def test_a_unit_already_in_another_cluster_that_year_is_refused_by_name(communes):
    """The message names the unit and the cluster it already belongs to that year."""
    a, b, c, *_ = communes
    first = factories.ClusterFactory(name="Cụm số 1")
    cluster_term_set(cluster=first, year=2025, members=[a, b])
    with pytest.raises(ValidationError) as excinfo:
        cluster_term_set(cluster=factories.ClusterFactory(name="Cụm số 2"), year=2025, members=[b, c])
    message = excinfo.value.messages[0]
    assert "Xã Bình (Cụm số 1)" in message
    assert "Xã Cường" not in message
    assert "2025" in message


def test_the_same_unit_may_join_another_cluster_in_another_year(communes):
    """The one-cluster rule is per year."""
    a, *_ = communes
    cluster_term_set(cluster=factories.ClusterFactory(), year=2024, members=[a])
    cluster_term_set(cluster=factories.ClusterFactory(), year=2025, members=[a])
    assert a.memberships.count() == 2


def test_resetting_replaces_members_and_rotates_leaders(communes):
    """Setting the same year again replaces the members and moves head and deputy."""
    a, b, c, d, e = communes
    cluster = factories.ClusterFactory()
    cluster_term_set(cluster=cluster, year=2025, members=[a, b, c, d], head=a, deputy=b)
    term = cluster_term_set(cluster=cluster, year=2025, members=[b, c, e], head=c, deputy=b)
    assert _roles(term) == {"Xã Bình": "deputy", "Xã Cường": "head", "Xã Đạt": "member"}
    assert cluster.terms.count() == 1


def test_resetting_can_swap_head_and_deputy(communes):
    """Head and deputy can trade places in one call (no transient clash of the constraints)."""
    a, b, c, *_ = communes
    cluster = factories.ClusterFactory()
    cluster_term_set(cluster=cluster, year=2025, members=[a, b, c], head=a, deputy=b)
    term = cluster_term_set(cluster=cluster, year=2025, members=[a, b, c], head=b, deputy=a)
    assert _roles(term) == {"Xã An": "deputy", "Xã Bình": "head", "Xã Cường": "member"}


def test_resetting_demotes_a_former_head_who_stays_a_member(communes):
    """A former head that stays in the cluster becomes a plain member when nobody is named."""
    a, b, *_ = communes
    cluster = factories.ClusterFactory()
    cluster_term_set(cluster=cluster, year=2025, members=[a, b], head=a, deputy=b)
    term = cluster_term_set(cluster=cluster, year=2025, members=[a, b])
    assert _roles(term) == {"Xã An": "member", "Xã Bình": "member"}


def test_units_leave_the_previous_cluster_year_only_through_resetting(communes):
    """Re-setting one cluster does not touch another cluster's members that year."""
    a, b, c, d, _ = communes
    first, second = factories.ClusterFactory.create_batch(2)
    cluster_term_set(cluster=first, year=2025, members=[a, b], head=a)
    cluster_term_set(cluster=second, year=2025, members=[c, d], head=c)
    cluster_term_set(cluster=first, year=2025, members=[b], head=b)
    assert ClusterMembership.objects.filter(term__cluster=second, role=MemberRole.HEAD).get().unit == c
    assert not a.memberships.exists()
