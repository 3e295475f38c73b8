from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards.models import AwardMethod, AwardRecord, AwardRevocation, RecipientKind
from awards.services import award_record_correct, award_record_create, award_record_revoke
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def _decision(**overrides) -> dict:
    return {
        "year": 2024,
        "decision_number": "245/QĐ-UBND",
        "decision_date": dt.date(2025, 1, 20),
        "issuing_authority": "Chủ tịch UBND tỉnh Hưng Yên",
        "method": AwardMethod.REGULAR,
        **overrides,
    }


# --- award_record_create ----------------------------------------------------------------------


def test_create_an_individual_award_remembers_position_and_unit(staff_user):
    """An individual's award keeps the person's position and unit at the time it was granted."""
    person = factories.PersonFactory(position="Phó Chủ tịch", unit=factories.UnitFactory(name="Xã Mễ Sở"))
    record = award_record_create(
        recipient=person, category=factories.category("CSTDCS"), by=staff_user, **_decision()
    )
    record.refresh_from_db()
    assert record.recipient_kind == RecipientKind.INDIVIDUAL
    assert record.person == person
    assert (record.unit, record.household) == (None, None)
    assert record.position_at_award == "Phó Chủ tịch"
    assert record.unit_at_award == "Xã Mễ Sở"
    assert record.created_by == staff_user


def test_create_keeps_an_explicit_position_at_award():
    """A position given by the caller wins over the person's current one."""
    person = factories.PersonFactory(position="Giám đốc")
    record = award_record_create(
        recipient=person, category=factories.category("LDTT"), position_at_award="Phó Giám đốc", **_decision()
    )
    assert record.position_at_award == "Phó Giám đốc"


def test_create_collective_and_household_awards():
    """Units get collective items and households household items."""
    unit = factories.UnitFactory()
    household = factories.HouseholdFactory()
    collective = award_record_create(recipient=unit, category=factories.category("TTLDXS"), **_decision())
    family = award_record_create(recipient=household, category=factories.category("BKCT.HGD"), **_decision())
    assert (collective.recipient_kind, collective.unit) == (RecipientKind.COLLECTIVE, unit)
    assert (family.recipient_kind, family.household) == (RecipientKind.HOUSEHOLD, household)


@pytest.mark.parametrize(
    ("recipient_factory", "code"),
    [
        (factories.PersonFactory, "TTLDXS"),
        (factories.PersonFactory, "BKCT.TT"),
        (factories.UnitFactory, "LDTT"),
        (factories.UnitFactory, "BKCT.HGD"),
        (factories.HouseholdFactory, "BKCT.CN"),
    ],
)
def test_create_refuses_an_item_for_another_kind_of_recipient(recipient_factory, code):
    """A catalogue item for collectives cannot go to a person, and so on; nothing is saved."""
    category = factories.category(code)
    with pytest.raises(ValidationError) as excinfo:
        award_record_create(recipient=recipient_factory(), category=category, **_decision())
    assert category.name in excinfo.value.messages[0]
    assert "not awarded to this kind of recipient" in excinfo.value.messages[0]
    assert not AwardRecord.objects.exists()


def test_create_validates_the_fields():
    """An award without a decision number is refused by model validation."""
    with pytest.raises(ValidationError) as excinfo:
        award_record_create(
            recipient=factories.PersonFactory(),
            category=factories.category("LDTT"),
            **_decision(decision_number=""),
        )
    assert "decision_number" in excinfo.value.message_dict


def test_create_records_the_user_in_the_audit_history(staff_user):
    """The history row of a new award carries the user who recorded it."""
    record = award_record_create(
        recipient=factories.PersonFactory(), category=factories.category("LDTT"), by=staff_user, **_decision()
    )
    event = record.events.get()
    assert event.pgh_label == "insert"
    assert event.pgh_context.metadata["user"] == staff_user.pk


# --- award_record_revoke ----------------------------------------------------------------------


def test_revoke_records_a_revocation(staff_user):
    """Hủy bỏ: a revocation row points to the record, with reason and decision."""
    record = factories.AwardRecordFactory()
    revocation = award_record_revoke(
        record=record,
        reason="Cá nhân vi phạm kỷ luật",
        decision_number="12/QĐ-HB",
        decision_date=dt.date(2025, 3, 1),
        by=staff_user,
    )
    assert revocation.record == record
    assert revocation.replacement is None
    assert (revocation.decision_number, revocation.created_by) == ("12/QĐ-HB", staff_user)
    record.refresh_from_db()
    assert record.revocation == revocation


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_revoke_needs_a_reason(reason):
    """A revocation without a reason is refused."""
    record = factories.AwardRecordFactory()
    with pytest.raises(ValidationError, match="reason is required"):
        award_record_revoke(record=record, reason=reason)
    assert not AwardRevocation.objects.exists()


def test_revoking_twice_is_refused():
    """A record already revoked cannot be revoked again."""
    record = factories.AwardRecordFactory()
    award_record_revoke(record=record, reason="Lần 1")
    with pytest.raises(ValidationError, match="already been revoked"):
        award_record_revoke(record=record, reason="Lần 2")
    assert AwardRevocation.objects.count() == 1


# --- award_record_correct ---------------------------------------------------------------------


def test_correct_creates_a_replacement_and_revokes_the_original(staff_user):
    """Đính chính: a new record with the changes replaces the old one, which is revoked."""
    original = factories.AwardRecordFactory(year=2024, decision_number="100/QĐ")
    replacement = award_record_correct(
        record=original,
        reason="Sai năm thành tích",
        year=2023,
        decision_number="101/QĐ-ĐC",
        by=staff_user,
    )
    original.refresh_from_db()
    assert replacement.pk != original.pk
    assert (replacement.year, replacement.decision_number) == (2023, "101/QĐ-ĐC")
    assert (original.year, original.decision_number) == (2024, "100/QĐ")
    assert replacement.person == original.person
    assert replacement.category == original.category
    assert replacement.position_at_award == original.position_at_award
    revocation = original.revocation
    assert revocation.replacement == replacement
    assert revocation.reason == "Sai năm thành tích"
    assert revocation.decision_number == "101/QĐ-ĐC"
    assert replacement.replaces == revocation


def test_correct_can_change_the_category_within_the_recipient_kind():
    """A wrong title can be corrected to another title for the same kind of recipient."""
    original = factories.AwardRecordFactory()
    replacement = award_record_correct(
        record=original, reason="Nhầm danh hiệu", category=factories.category("CSTDCS")
    )
    assert replacement.category.code == "CSTDCS"


def test_correct_refuses_a_category_for_another_recipient_kind():
    """A correction cannot turn an individual's award into a collective one; nothing changes."""
    original = factories.AwardRecordFactory()
    with pytest.raises(ValidationError, match="not awarded to this kind"):
        award_record_correct(record=original, reason="x", category=factories.category("COTINH"))
    assert AwardRecord.objects.count() == 1
    assert not AwardRevocation.objects.exists()


def test_correct_refuses_fields_that_cannot_change():
    """The recipient and bookkeeping fields cannot be "corrected"; the message names them."""
    original = factories.AwardRecordFactory()
    with pytest.raises(ValidationError, match="cannot be corrected: created_by, person"):
        award_record_correct(record=original, reason="x", person=factories.PersonFactory(), created_by=None)


def test_correcting_a_revoked_record_is_refused_and_leaves_no_orphan():
    """A revoked record cannot be corrected; the replacement is rolled back with the refusal."""
    original = factories.AwardRecordFactory()
    award_record_revoke(record=original, reason="Thu hồi")
    with pytest.raises(ValidationError, match="already been revoked"):
        award_record_correct(record=original, reason="Đính chính", year=2020)
    assert AwardRecord.objects.count() == 1


def test_correct_needs_a_reason():
    """A correction without a reason is refused and leaves no replacement behind."""
    original = factories.AwardRecordFactory()
    with pytest.raises(ValidationError, match="reason is required"):
        award_record_correct(record=original, reason=" ", year=2020)
    assert AwardRecord.objects.count() == 1


def test_a_correction_can_itself_be_corrected():
    """The replacement is an ordinary record: it can be corrected again, forming a chain."""
    first = factories.AwardRecordFactory()
    second = award_record_correct(record=first, reason="Lần 1", decision_number="2/QĐ")
    third = award_record_correct(record=second, reason="Lần 2", decision_number="3/QĐ")
    assert third.replaces.record == second
    assert second.replaces.record == first
    assert AwardRevocation.objects.count() == 2
