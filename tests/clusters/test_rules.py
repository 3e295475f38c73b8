"""Who may see and change organisation data (clusters/rules.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from clusters.models import MemberRole
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = factories.this_year()

# Role name → how to get the user; "cluster_head" leads the cluster that unit A belongs to.
ROLES = [
    "staff_user",
    "office_head",
    "admin_user",
    "council_member",
    "officer_a",
    "head_a",
    "officer_b",
    "cluster_head",
    "cluster_deputy",
    "cluster_member",
    "plain_user",
    "anonymous",
]


@pytest.fixture
def unit_a_in_cluster(unit_a, cluster_with_head):
    """Unit A is a plain member of the cluster this year."""
    factories.ClusterMembershipFactory(term=cluster_with_head.term, unit=unit_a)
    return unit_a


@pytest.fixture
def user_for(request, cluster_with_head, unit_a_in_cluster):
    def get(role: str):
        if role == "anonymous":
            return AnonymousUser()
        if role == "cluster_head":
            return cluster_with_head.head_officer
        if role == "cluster_deputy":
            return cluster_with_head.deputy_officer
        if role == "cluster_member":
            return cluster_with_head.member_officer
        return request.getfixturevalue(role)

    return get


def _expect(allowed: set[str]) -> list[tuple[str, bool]]:
    assert allowed <= set(ROLES)
    return [(role, role in allowed) for role in ROLES]


@pytest.mark.parametrize(("role", "allowed"), _expect(set(ROLES) - {"anonymous"}))
def test_see_directory(user_for, role, allowed):
    """Every signed-in user may browse the unit directory and clusters; anonymous users may not."""
    assert user_for(role).has_perm("clusters.see_directory") is allowed


@pytest.mark.parametrize(("role", "allowed"), _expect({"staff_user", "office_head", "admin_user"}))
def test_manage_organisation(user_for, role, allowed):
    """Only provincial staff, the office head and administrators restructure units and clusters."""
    assert user_for(role).has_perm("clusters.manage_organisation") is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    _expect(
        {
            "staff_user",
            "office_head",
            "admin_user",
            "council_member",
            "officer_a",
            "head_a",
            "cluster_head",
            "cluster_deputy",
        }
    ),
)
def test_see_unit_work(user_for, unit_a_in_cluster, role, allowed):
    """Unit A's work is seen by staff, the council, unit A itself and its cluster's head and deputy.

    Refused: the officer of unit B, a plain member of the same cluster, a user with no role, and
    anonymous visitors.
    """
    assert user_for(role).has_perm("clusters.see_unit_work", unit_a_in_cluster) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"), _expect({"staff_user", "office_head", "admin_user", "officer_a", "head_a"})
)
def test_edit_unit_work(user_for, unit_a_in_cluster, role, allowed):
    """Only staff and unit A's own officer and head edit unit A's work; cluster leaders only read."""
    assert user_for(role).has_perm("clusters.edit_unit_work", unit_a_in_cluster) is allowed


def test_officer_of_unit_b_is_refused_unit_a(officer_b, unit_a):
    """An officer of unit B can neither see nor edit unit A's work."""
    assert not officer_b.has_perm("clusters.see_unit_work", unit_a)
    assert not officer_b.has_perm("clusters.edit_unit_work", unit_a)
    assert officer_b.has_perm("clusters.see_unit_work", officer_b.unit)


def test_cluster_head_sees_members_this_year_only(cluster_with_head):
    """The head's officer sees this year's members, not last year's other cluster."""
    head = cluster_with_head.head_officer
    last_year = factories.ClusterTermFactory(year=YEAR - 1)
    factories.ClusterMembershipFactory(term=last_year, unit=cluster_with_head.head_unit, role=MemberRole.HEAD)
    former_member = factories.UnitFactory(name="Xã Năm Ngoái")
    factories.ClusterMembershipFactory(term=last_year, unit=former_member)

    for unit in cluster_with_head.members:
        assert head.has_perm("clusters.see_unit_work", unit)
    assert not head.has_perm("clusters.see_unit_work", former_member)


def test_leading_last_year_gives_nothing_this_year(cluster_with_head):
    """A unit that led a cluster last year but is a plain member now does not see the others."""
    officer = cluster_with_head.member_officer
    last_year = factories.ClusterTermFactory(year=YEAR - 1)
    factories.ClusterMembershipFactory(term=last_year, unit=officer.unit, role=MemberRole.HEAD)
    led_then = factories.UnitFactory()
    factories.ClusterMembershipFactory(term=last_year, unit=led_then)
    assert not officer.has_perm("clusters.see_unit_work", led_then)
    assert not officer.has_perm("clusters.see_unit_work", cluster_with_head.members[1])


def test_a_user_attached_to_a_unit_without_a_role_does_not_act_for_it(unit_a):
    """Only a role at the unit (officer or head) gives access to the unit's work."""
    user = factories.UserFactory(unit=unit_a, unit_role="")
    assert not user.has_perm("clusters.see_unit_work", unit_a)
    assert not user.has_perm("clusters.edit_unit_work", unit_a)


@pytest.mark.parametrize("role", ["staff_user", "officer_a", "council_member", "admin_user"])
def test_deactivated_users_lose_every_permission(user_for, unit_a_in_cluster, role):
    """A deactivated account keeps no organisation permission."""
    user = user_for(role)
    user.is_active = False
    user.save()
    assert not user.has_perm("clusters.manage_organisation")
    assert not user.has_perm("clusters.see_unit_work", unit_a_in_cluster)
    assert not user.has_perm("clusters.edit_unit_work", unit_a_in_cluster)


def test_no_unit_means_no_unit_work(staff_user, officer_a):
    """Object rules given no unit refuse instead of failing."""
    assert not officer_a.has_perm("clusters.edit_unit_work", None)
    assert staff_user.has_perm("clusters.edit_unit_work", None)
