from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from awards.models import (
    AwardCategory,
    AwardKind,
    AwardRecord,
    AwardRevocation,
    LegalBasis,
    RecipientKind,
)
from awards.services import award_record_revoke
from tests import factories

pytestmark = pytest.mark.django_db

TRIGGER_MESSAGE = "Cannot update or delete rows from awards_"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, the source language."""
    with translation.override("en"):
        yield


# --- Immutability ---------------------------------------------------------------------------


def test_saving_an_existing_award_record_raises():
    """A recorded award cannot be changed through save(); a correction is needed instead."""
    record = factories.AwardRecordFactory()
    record.decision_number = "999/QĐ-SỬA"
    with pytest.raises(ValidationError, match="cannot be changed"):
        record.save()
    record.refresh_from_db()
    assert record.decision_number != "999/QĐ-SỬA"


def test_deleting_an_award_record_instance_raises():
    """record.delete() is refused in Python before reaching the database."""
    record = factories.AwardRecordFactory()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        record.delete()
    assert AwardRecord.objects.filter(pk=record.pk).exists()


def test_queryset_update_is_refused_by_the_database_trigger():
    """Even a bulk UPDATE, which skips save(), is refused by the PostgreSQL trigger.

    pgtrigger's RAISE EXCEPTION reaches Django as django.db.utils.ProgrammingError.
    """
    record = factories.AwardRecordFactory()
    with pytest.raises(ProgrammingError, match=TRIGGER_MESSAGE), transaction.atomic():
        AwardRecord.objects.filter(pk=record.pk).update(decision_number="999/QĐ-SỬA")
    record.refresh_from_db()
    assert record.decision_number != "999/QĐ-SỬA"


def test_queryset_delete_is_refused_by_the_database_trigger():
    """A bulk DELETE of an unrevoked record is refused by the trigger (ProgrammingError)."""
    record = factories.AwardRecordFactory()
    with pytest.raises(ProgrammingError, match=TRIGGER_MESSAGE), transaction.atomic():
        AwardRecord.objects.filter(pk=record.pk).delete()
    assert AwardRecord.objects.filter(pk=record.pk).exists()


def test_queryset_delete_of_a_revoked_record_is_refused_by_protect():
    """Deleting a revoked record stops earlier, at the PROTECT foreign key (ProtectedError)."""
    record = factories.AwardRecordFactory()
    award_record_revoke(record=record, reason="Trùng")
    with pytest.raises(ProtectedError):
        AwardRecord.objects.filter(pk=record.pk).delete()
    assert AwardRecord.objects.filter(pk=record.pk).exists()


def test_revocations_are_immutable_too():
    """A revocation row cannot be updated or deleted either."""
    revocation = award_record_revoke(record=factories.AwardRecordFactory(), reason="Trùng")
    with pytest.raises(ProgrammingError, match=TRIGGER_MESSAGE), transaction.atomic():
        AwardRevocation.objects.filter(pk=revocation.pk).update(reason="khác")
    with pytest.raises(ProgrammingError, match=TRIGGER_MESSAGE), transaction.atomic():
        AwardRevocation.objects.filter(pk=revocation.pk).delete()
    revocation.refresh_from_db()
    assert revocation.reason == "Trùng"


def test_a_revocation_cannot_replace_a_record_with_itself():
    """A record is never its own replacement."""
    record = factories.AwardRecordFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRevocation.objects.create(record=record, replacement=record, reason="x")


def test_a_record_is_revoked_at_most_once():
    """One revocation per record (one-to-one)."""
    record = factories.AwardRecordFactory()
    AwardRevocation.objects.create(record=record, reason="Lần 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardRevocation.objects.create(record=record, reason="Lần 2")


# --- One recipient --------------------------------------------------------------------------


def _record(**fields) -> AwardRecord:
    values = {
        "category": factories.category("LDTT"),
        "year": 2024,
        "decision_number": "1/QĐ",
        "decision_date": dt.date(2025, 1, 10),
        "issuing_authority": "UBND tỉnh",
        "method": "thuong_xuyen",
        **fields,
    }
    return AwardRecord(**values)


@pytest.mark.parametrize(
    ("kind", "recipients"),
    [
        (RecipientKind.INDIVIDUAL, {}),
        (RecipientKind.INDIVIDUAL, {"unit"}),
        (RecipientKind.INDIVIDUAL, {"person", "unit"}),
        (RecipientKind.INDIVIDUAL, {"person", "household"}),
        (RecipientKind.COLLECTIVE, {"person"}),
        (RecipientKind.COLLECTIVE, {"unit", "household"}),
        (RecipientKind.HOUSEHOLD, {"unit"}),
        (RecipientKind.HOUSEHOLD, {}),
    ],
)
def test_one_recipient_matching_the_kind(kind, recipients):
    """The database accepts exactly one recipient, of the kind the record says."""
    household = factories.HouseholdFactory()
    available = {
        "person": factories.PersonFactory(unit=household.unit),
        "unit": household.unit,
        "household": household,
    }
    record = _record(recipient_kind=kind, **{name: available[name] for name in recipients})
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (RecipientKind.INDIVIDUAL, "person"),
        (RecipientKind.COLLECTIVE, "unit"),
        (RecipientKind.HOUSEHOLD, "household"),
    ],
)
def test_each_recipient_kind_is_accepted(kind, field):
    """An individual, a collective and a household record each save with their one recipient."""
    household = factories.HouseholdFactory()
    recipient = {
        "person": factories.PersonFactory(unit=household.unit),
        "unit": household.unit,
        "household": household,
    }[field]
    record = _record(recipient_kind=kind, **{field: recipient})
    record.save()
    assert record.recipient == recipient
    assert record.recipient_name == str(recipient)


# --- Other model behaviour --------------------------------------------------------------------


def test_person_search_text_and_masked_citizen_id():
    """A person's search key is folded from name and code; the citizen ID has a masked form."""
    person = factories.PersonFactory(full_name="Nguyễn Văn Ân", ccvc_code="CC-01", citizen_id="001203004567")
    assert person.search_text == "nguyen van an | cc-01"
    assert person.citizen_id_masked == "001*******67"


def test_award_record_links_to_its_recipient():
    """A person's award links to the person, a unit's to the unit, a household's to the people list."""
    individual = factories.AwardRecordFactory()
    collective = factories.AwardRecordFactory(collective=True)
    household = factories.AwardRecordFactory(household_award=True)
    assert individual.get_absolute_url() == f"/ca-nhan/{individual.person_id}/"
    assert collective.get_absolute_url() == f"/don-vi/{collective.unit_id}/"
    assert household.get_absolute_url() == "/ca-nhan/"
    assert str(individual).startswith("Lao động tiên tiến — ")
    assert household.recipient_name == str(household.household)


# --- Seeded catalogue and legal bases ---------------------------------------------------------

KEY_ITEMS = [
    "CSTDTQ",
    "CSTDT",
    "CSTDCS",
    "LDTT",
    "COCP",
    "COTINH",
    "TTLDXS",
    "TTLDTT",
    "BKTTG.CN",
    "BKTTG.TT",
    "BKTTG.HGD",
    "BKCT.CN",
    "BKCT.TT",
    "BKCT.HGD",
    "GK.CN",
    "GK.TT",
    "GK.HGD",
    "HCLD1.CN",
    "HCLD2.TT",
    "HCLD3.CN",
    "HCDL1.CN",
    "HCBVTQ3.TT",
]


def test_the_catalogue_has_the_key_items():
    """The data migration seeds the titles and forms of Law 06/2022 used every year."""
    codes = set(AwardCategory.objects.values_list("code", flat=True))
    assert set(KEY_ITEMS) <= codes
    assert AwardCategory.objects.filter(kind=AwardKind.ORDER).count() >= 20


@pytest.mark.parametrize(
    ("code", "multiplier"),
    [
        ("CSTDTQ", "4.5"),
        ("CSTDT", "3"),
        ("CSTDCS", "1"),
        ("LDTT", "0.3"),
        ("TTLDXS", "1.5"),
        ("TTLDTT", "0.8"),
        ("COCP", "12"),
        ("COTINH", "8"),
        ("BKTTG.TT", "7"),
        ("BKCT.TT", "3"),
        ("GK.TT", "0.6"),
    ],
)
def test_bonus_multipliers_follow_decree_152_2025(code, multiplier):
    """Bonus multipliers (multiples of the base salary) are those of Decree 152/2025 Đ50–54."""
    assert AwardCategory.objects.get(code=code).bonus_multiplier == Decimal(multiplier)


def test_recipient_kinds_of_the_catalogue():
    """Titles go to the right kind of recipient; certificates exist in all three kinds."""
    kind = dict(AwardCategory.objects.values_list("code", "recipient_kind"))
    assert kind["LDTT"] == kind["CSTDCS"] == RecipientKind.INDIVIDUAL
    assert kind["COTINH"] == kind["TTLDXS"] == RecipientKind.COLLECTIVE
    assert [kind[f"BKCT.{s}"] for s in ("CN", "TT", "HGD")] == [
        RecipientKind.INDIVIDUAL,
        RecipientKind.COLLECTIVE,
        RecipientKind.HOUSEHOLD,
    ]


def test_household_certificates_are_one_and_a_half_times_the_individual_ones():
    """Households receive 1.5 × an individual's amount (Decree 152/2025)."""
    multiplier = dict(AwardCategory.objects.values_list("code", "bonus_multiplier"))
    for form in ("BKTTG", "BKCT", "GK"):
        assert multiplier[f"{form}.HGD"] == multiplier[f"{form}.CN"] * Decimal("1.5")


def test_the_legal_bases_are_seeded_with_their_base_salary():
    """Three versions since 2024, each with the base salary then in force."""
    assert list(
        LegalBasis.objects.order_by("effective_from").values_list("effective_from", "base_salary")
    ) == [
        (dt.date(2024, 1, 1), 1_800_000),
        (dt.date(2024, 7, 1), 2_340_000),
        (dt.date(2025, 7, 1), 2_340_000),
    ]
