"""The factories build valid rows for every role and recipient kind."""

from __future__ import annotations

import pytest

from awards.models import RecipientKind
from core.models import UnitRole
from core.text import fold
from tests import factories

pytestmark = pytest.mark.django_db


def test_role_traits_set_the_right_flags():
    """Each role trait gives the flags and unit role the app checks."""
    staff = factories.make_staff()
    head = factories.make_office_head()
    council = factories.make_council_member()
    officer = factories.make_officer()
    unit_head = factories.make_unit_head()
    admin = factories.make_superuser()
    assert staff.is_tdkt_staff
    assert not staff.is_office_head
    assert head.is_tdkt_staff
    assert head.is_office_head
    assert council.is_council_member
    assert not council.is_tdkt_staff
    assert (officer.unit_role, officer.acting_unit) == (UnitRole.OFFICER, officer.unit)
    assert (unit_head.unit_role, unit_head.acting_unit) == (UnitRole.HEAD, unit_head.unit)
    assert officer.unit != unit_head.unit
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.is_tdkt_staff


def test_users_can_sign_in_with_the_shared_password():
    """Every factory user has the known test password."""
    assert factories.UserFactory().check_password(factories.PASSWORD)


def test_people_have_vietnamese_names_and_search_keys():
    """People get Vietnamese names with diacritics, and their folded search key."""
    person = factories.PersonFactory()
    assert person.full_name != fold(person.full_name)
    assert person.search_text.startswith(fold(person.full_name))


def test_award_record_factory_kinds():
    """Individual by default; collective and household variants pick a matching catalogue item."""
    individual = factories.AwardRecordFactory()
    collective = factories.AwardRecordFactory(collective=True)
    household = factories.AwardRecordFactory(household_award=True)
    assert (individual.recipient_kind, individual.category.code) == (RecipientKind.INDIVIDUAL, "LDTT")
    assert (collective.recipient_kind, collective.category.recipient_kind) == (
        RecipientKind.COLLECTIVE,
        RecipientKind.COLLECTIVE,
    )
    assert household.category.recipient_kind == RecipientKind.HOUSEHOLD
    assert household.household is not None


def test_bulk_helpers_fill_the_search_keys():
    """bulk_create skips save(); the bulk helpers fill the folded search column themselves."""
    units = factories.bulk_units(3, prefix="Phường Đông")
    people = factories.bulk_people(2, units=units)
    assert units[0].search_text.startswith("phuong dong")
    assert people[0].search_text == fold(people[0].full_name) + " | " + fold(people[0].ccvc_code)


def test_cluster_with_head_fixture(cluster_with_head):
    """The fixture's head officer leads a four-unit cluster this year."""
    roles = sorted(cluster_with_head.term.memberships.values_list("role", flat=True))
    assert roles == ["deputy", "head", "member", "member"]
    assert cluster_with_head.head_officer.unit == cluster_with_head.head_unit
    assert cluster_with_head.term.year == factories.this_year()
