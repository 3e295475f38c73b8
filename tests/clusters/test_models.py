from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from clusters.models import ClusterMembership, ClusterTerm, MemberRole, SuccessionKind, Unit, UnitSuccession
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_unit_cannot_be_in_two_clusters_in_the_same_year():
    """One cluster per unit per year: the database refuses a second membership that year."""
    unit = factories.UnitFactory()
    factories.ClusterMembershipFactory(unit=unit, term=factories.ClusterTermFactory(year=2025))
    other_term = factories.ClusterTermFactory(year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClusterMembershipFactory(unit=unit, term=other_term)


def test_a_unit_can_change_cluster_between_years():
    """The same unit may sit in different clusters in different years."""
    unit = factories.UnitFactory()
    factories.ClusterMembershipFactory(unit=unit, term=factories.ClusterTermFactory(year=2024))
    factories.ClusterMembershipFactory(unit=unit, term=factories.ClusterTermFactory(year=2025))
    assert unit.memberships.count() == 2


def test_two_heads_in_one_term_are_refused():
    """A cluster year has at most one head (trưởng cụm)."""
    term = factories.ClusterTermFactory()
    factories.ClusterMembershipFactory(term=term, role=MemberRole.HEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClusterMembershipFactory(term=term, role=MemberRole.HEAD)


def test_two_deputies_in_one_term_are_refused():
    """A cluster year has at most one deputy (phó cụm)."""
    term = factories.ClusterTermFactory()
    factories.ClusterMembershipFactory(term=term, role=MemberRole.DEPUTY)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ClusterMembershipFactory(term=term, role=MemberRole.DEPUTY)


def test_head_deputy_and_many_members_fit_in_one_term():
    """One head, one deputy and any number of members are allowed; heads of other terms too."""
    term = factories.ClusterTermFactory()
    factories.ClusterMembershipFactory(term=term, role=MemberRole.HEAD)
    factories.ClusterMembershipFactory(term=term, role=MemberRole.DEPUTY)
    factories.ClusterMembershipFactory.create_batch(3, term=term)
    factories.ClusterMembershipFactory(term=factories.ClusterTermFactory(), role=MemberRole.HEAD)
    assert term.memberships.count() == 5


def test_one_term_per_cluster_and_year():
    """A cluster has one term per year."""
    term = factories.ClusterTermFactory(year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterTerm.objects.create(cluster=term.cluster, year=2025)


def test_active_to_before_active_from_is_refused():
    """A unit cannot stop before it started."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UnitFactory(active_from=dt.date(2025, 7, 1), active_to=dt.date(2025, 6, 30))


@pytest.mark.parametrize(
    ("active_from", "active_to"),
    [
        (dt.date(2025, 7, 1), dt.date(2025, 7, 1)),
        (None, dt.date(2025, 6, 30)),
        (dt.date(2025, 7, 1), None),
    ],
)
def test_active_dates_that_make_sense_are_accepted(active_from, active_to):
    """Equal dates (one day of activity) or a missing end of the range are fine."""
    factories.UnitFactory(active_from=active_from, active_to=active_to)


def test_succession_to_itself_is_refused():
    """A unit cannot succeed itself."""
    unit = factories.UnitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitSuccession.objects.create(
            predecessor=unit, successor=unit, kind=SuccessionKind.RENAME, effective_on=dt.date(2025, 7, 1)
        )


def test_the_same_succession_link_is_recorded_once():
    """A predecessor → successor pair is unique."""
    old, new = factories.UnitFactory.create_batch(2)
    UnitSuccession.objects.create(
        predecessor=old, successor=new, kind=SuccessionKind.MERGE, effective_on=dt.date(2025, 7, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitSuccession.objects.create(
            predecessor=old, successor=new, kind=SuccessionKind.SPLIT, effective_on=dt.date(2025, 8, 1)
        )


def test_membership_year_copies_the_term_year():
    """The membership's year is always its term's year, whatever the caller passes."""
    term = factories.ClusterTermFactory(year=2023)
    membership = ClusterMembership(term=term, unit=factories.UnitFactory(), year=1999)
    membership.save()
    membership.refresh_from_db()
    assert membership.year == 2023


def test_unit_search_text_follows_the_name():
    """Saving a unit refreshes its folded search key from name, short name and code."""
    unit = factories.UnitFactory(name="Xã Phụng Công", short_name="Phụng Công", code="XA-PC")
    assert unit.search_text == "xa phung cong | phung cong | xa-pc"
    unit.name = "Phường Đông Tảo"
    unit.save()
    assert Unit.objects.get(pk=unit.pk).search_text.startswith("phuong dong tao")


def test_cluster_search_text_follows_the_name():
    """Saving a cluster refreshes its folded search key."""
    cluster = factories.ClusterFactory(name="Khối các sở, ngành", code="KHOI-01")
    assert cluster.search_text == "khoi cac so, nganh | khoi-01"


def test_string_forms_and_urls():
    """Units, clusters, terms and decisions print and link as the screens expect."""
    decision = factories.ClusterDecisionFactory(number="123/QĐ-UBND", signed_on=dt.date(2025, 7, 10))
    cluster = factories.ClusterFactory(name="Cụm số 1", decision=decision)
    term = factories.ClusterTermFactory(cluster=cluster, year=2025)
    unit = factories.UnitFactory(name="Xã Mễ Sở")
    assert str(unit) == "Xã Mễ Sở"
    assert unit.get_absolute_url() == f"/don-vi/{unit.pk}/"
    assert cluster.get_absolute_url() == f"/cum-khoi/{cluster.pk}/"
    assert term.get_absolute_url() == f"/cum-khoi/{cluster.pk}/?year=2025"
    assert str(term) == "Cụm số 1 — 2025"
    assert "123/QĐ-UBND" in str(decision)
    assert "10/07/2025" in str(decision)


def test_unit_is_active_until_it_has_an_end_date():
    """A unit with an end date is no longer active."""
    assert factories.UnitFactory().is_active
    assert not factories.UnitFactory(active_to=dt.date(2025, 6, 30)).is_active
