"""Who may see people and record awards (awards/rules.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from clusters.models import MemberRole
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = factories.this_year()

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
STAFF = {"staff_user", "office_head", "admin_user"}


@pytest.fixture
def person_a(unit_a, cluster_with_head):
    """A person of unit A, which is a plain member of the cluster this year."""
    factories.ClusterMembershipFactory(term=cluster_with_head.term, unit=unit_a)
    return factories.PersonFactory(unit=unit_a, full_name="Phùng Thị Nguyệt")


@pytest.fixture
def user_for(request, cluster_with_head, person_a):
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


@pytest.mark.parametrize(
    ("role", "allowed"),
    _expect(STAFF | {"council_member", "officer_a", "head_a", "cluster_head", "cluster_deputy"}),
)
def test_see_person(user_for, person_a, role, allowed):
    """A person of unit A is seen by staff, the council, unit A and the leaders of A's cluster.

    Refused: the officer of unit B, a plain member of the same cluster, a user with no role and
    anonymous visitors.
    """
    assert user_for(role).has_perm("awards.see_person", person_a) is allowed


@pytest.mark.parametrize(("role", "allowed"), _expect(STAFF | {"council_member"}))
def test_see_all_people(user_for, role, allowed):
    """Only staff and council members see the people of the whole province."""
    assert user_for(role).has_perm("awards.see_all_people") is allowed


@pytest.mark.parametrize(("role", "allowed"), _expect(STAFF))
def test_search_citizen_id(user_for, role, allowed):
    """Only provincial staff search by citizen ID; council members and units may not."""
    assert user_for(role).has_perm("awards.search_citizen_id") is allowed


@pytest.mark.parametrize(("role", "allowed"), _expect(STAFF))
def test_record_award(user_for, role, allowed):
    """Only provincial staff record awards; units, cluster leaders and the council may not."""
    assert user_for(role).has_perm("awards.record_award") is allowed


def test_officer_of_unit_b_is_refused_unit_a_people(officer_b, person_a):
    """The officer of unit B cannot see a person of unit A, but sees their own unit's people."""
    assert not officer_b.has_perm("awards.see_person", person_a)
    assert officer_b.has_perm("awards.see_person", factories.PersonFactory(unit=officer_b.unit))


def test_cluster_head_does_not_see_last_years_other_cluster(cluster_with_head):
    """The head sees people of this year's members, not of the cluster they belonged to last year."""
    head = cluster_with_head.head_officer
    last_year = factories.ClusterTermFactory(year=YEAR - 1)
    factories.ClusterMembershipFactory(term=last_year, unit=cluster_with_head.head_unit, role=MemberRole.HEAD)
    former = factories.PersonFactory(unit=factories.ClusterMembershipFactory(term=last_year).unit)
    current = factories.PersonFactory(unit=cluster_with_head.members[0])
    assert head.has_perm("awards.see_person", current)
    assert not head.has_perm("awards.see_person", former)


def test_deactivated_staff_lose_award_permissions(staff_user, person_a):
    """A deactivated staff account keeps no award permission."""
    staff_user.is_active = False
    staff_user.save()
    for perm in ("awards.see_all_people", "awards.search_citizen_id", "awards.record_award"):
        assert not staff_user.has_perm(perm)
    assert not staff_user.has_perm("awards.see_person", person_a)


def test_see_person_without_a_person_is_refused_for_units(officer_a):
    """Object rules given no person refuse instead of failing."""
    assert not officer_a.has_perm("awards.see_person", None)
