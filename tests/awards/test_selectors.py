from __future__ import annotations

import datetime as dt

import pytest

from awards import selectors
from awards.models import AwardRecord
from awards.services import award_record_correct, award_record_revoke
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(unit_a, unit_b, cluster_with_head):
    """Two people in unit A, one in unit B, one in each unit of the cluster."""
    result = {
        "a": factories.PersonFactory.create_batch(2, unit=unit_a),
        "b": [factories.PersonFactory(unit=unit_b)],
        "cluster": [
            factories.PersonFactory(unit=unit)
            for unit in [
                cluster_with_head.head_unit,
                cluster_with_head.deputy_unit,
                *cluster_with_head.members,
            ]
        ],
    }
    return result


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _all(people) -> set[int]:
    return {p.pk for group in people.values() for p in group}


@pytest.mark.parametrize("who", ["staff_user", "office_head", "admin_user", "council_member"])
def test_staff_and_council_see_everyone(request, people, who):
    """Staff, the office head, administrators and council members see all people."""
    assert _ids(selectors.visible_people(request.getfixturevalue(who))) == _all(people)


def test_unit_officer_sees_only_their_unit(officer_a, head_a, people):
    """A unit's officer and head see the people of their own unit only."""
    expected = {p.pk for p in people["a"]}
    assert _ids(selectors.visible_people(officer_a)) == expected
    assert _ids(selectors.visible_people(head_a)) == expected


def test_cluster_head_sees_the_people_of_the_cluster(cluster_with_head, people):
    """The head's and deputy's officers see the people of every unit of their cluster this year."""
    expected = {p.pk for p in people["cluster"]}
    assert _ids(selectors.visible_people(cluster_with_head.head_officer)) == expected
    assert _ids(selectors.visible_people(cluster_with_head.deputy_officer)) == expected


def test_plain_member_of_a_cluster_sees_only_their_unit(cluster_with_head, people):
    """A plain member's officer sees their own unit's people, not the rest of the cluster."""
    officer = cluster_with_head.member_officer
    assert _ids(selectors.visible_people(officer)) == {
        p.pk for p in people["cluster"] if p.unit_id == officer.unit_id
    }


def test_a_user_without_a_role_sees_nobody(plain_user, people):
    """A signed-in user with no role sees no one."""
    assert _ids(selectors.visible_people(plain_user)) == set()
    attached = factories.UserFactory(unit=people["a"][0].unit, unit_role="")
    assert _ids(selectors.visible_people(attached)) == set()


def test_person_award_history_newest_first_with_status(django_assert_num_queries):
    """A person's awards, newest year first, with revocations and corrections in one query."""
    person = factories.PersonFactory()
    old = factories.AwardRecordFactory(person=person, year=2020)
    wrong = factories.AwardRecordFactory(person=person, year=2022)
    fixed = award_record_correct(record=wrong, reason="Sai số quyết định", decision_number="9/QĐ")
    revoked = factories.AwardRecordFactory(person=person, year=2021)
    award_record_revoke(record=revoked, reason="Vi phạm")
    factories.AwardRecordFactory()  # someone else's

    with django_assert_num_queries(1):
        history = selectors.person_award_history(person)
        statuses = [
            (r.year, getattr(r, "revocation", None) is not None, getattr(r, "replaces", None) is not None)
            for r in history
        ]
        [r.category.name for r in history]
    assert [r.pk for r in history] == [fixed.pk, wrong.pk, revoked.pk, old.pk]
    assert statuses == [(2022, False, True), (2022, True, False), (2021, True, False), (2020, False, False)]


def test_unit_award_history_includes_the_given_units_only():
    """Collective awards of the given units (a unit and its predecessors), not individual ones."""
    unit, predecessor, other = factories.UnitFactory.create_batch(3)
    mine = factories.AwardRecordFactory(collective=True, unit=unit, year=2025)
    inherited = factories.AwardRecordFactory(collective=True, unit=predecessor, year=2019)
    factories.AwardRecordFactory(collective=True, unit=other)
    factories.AwardRecordFactory(person=factories.PersonFactory(unit=unit))
    assert selectors.unit_award_history(unit_ids={unit.pk, predecessor.pk}) == [mine, inherited]
    assert selectors.unit_award_history(unit_ids=[]) == []


def test_active_awards_leave_out_revoked_ones():
    """Revoked (and corrected) records are not active; replacements are."""
    kept = factories.AwardRecordFactory()
    revoked = factories.AwardRecordFactory()
    award_record_revoke(record=revoked, reason="x")
    wrong = factories.AwardRecordFactory()
    fixed = award_record_correct(record=wrong, reason="y", year=2020)
    assert set(selectors.active_awards(AwardRecord.objects.all())) == {kept, fixed}


@pytest.mark.parametrize(
    ("on", "base_salary", "name_part"),
    [
        (dt.date(2024, 1, 1), 1_800_000, "98/2023"),
        (dt.date(2024, 6, 30), 1_800_000, "98/2023"),
        (dt.date(2024, 7, 1), 2_340_000, "lương cơ sở 2024"),
        (dt.date(2025, 6, 30), 2_340_000, "lương cơ sở 2024"),
        (dt.date(2025, 7, 1), 2_340_000, "152/2025"),
        (dt.date(2025, 8, 1), 2_340_000, "152/2025"),
        (dt.date(2030, 1, 1), 2_340_000, "152/2025"),
    ],
)
def test_legal_basis_in_force_by_date(on, base_salary, name_part):
    """The rules in force on a date are the latest version that had taken effect by then."""
    basis = selectors.legal_basis_in_force(on)
    assert basis.base_salary == base_salary
    assert name_part in basis.name


def test_no_legal_basis_before_the_first_version():
    """Before the first seeded version nothing is in force."""
    assert selectors.legal_basis_in_force(dt.date(2023, 12, 31)) is None
