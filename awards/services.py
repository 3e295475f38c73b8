"""Writes for award history. Records are immutable: corrections and revocations add rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import AwardRecord, AwardRevocation, Household, Person, RecipientKind
from clusters.models import Unit
from core.audit import audit_context

_RECORD_FIELDS = (
    "category",
    "year",
    "decision_number",
    "decision_date",
    "issuing_authority",
    "method",
    "position_at_award",
    "unit_at_award",
    "citation",
)


def award_record_create(
    *,
    recipient: Person | Unit | Household,
    by: Any = None,
    **fields: Any,
) -> AwardRecord:
    """Record an award decided by a numbered decision; the catalogue item must fit the recipient."""
    kind = {
        Person: RecipientKind.INDIVIDUAL,
        Unit: RecipientKind.COLLECTIVE,
        Household: RecipientKind.HOUSEHOLD,
    }[type(recipient)]
    if isinstance(recipient, Person):
        fields.setdefault("position_at_award", recipient.position)
        fields.setdefault("unit_at_award", recipient.unit.name)
    record = AwardRecord(
        recipient_kind=kind,
        person=recipient if kind == RecipientKind.INDIVIDUAL else None,
        unit=recipient if kind == RecipientKind.COLLECTIVE else None,
        household=recipient if kind == RecipientKind.HOUSEHOLD else None,
        created_by=by,
        **fields,
    )
    record.full_clean()
    with audit_context(user=getattr(by, "pk", None)):
        record.save()
    return record


@transaction.atomic
def award_record_revoke(
    *,
    record: AwardRecord,
    reason: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    replacement: AwardRecord | None = None,
    by: Any = None,
) -> AwardRevocation:
    """Hủy bỏ (Law Đ93): revoke a record, optionally pointing to the record that replaces it."""
    if not reason.strip():
        raise ValidationError(_("A reason is required to revoke an award."))
    if AwardRevocation.objects.filter(record=record).exists():
        raise ValidationError(_("This award has already been revoked."))
    with audit_context(user=getattr(by, "pk", None), reason=reason):
        return AwardRevocation.objects.create(
            record=record,
            replacement=replacement,
            reason=reason,
            decision_number=decision_number,
            decision_date=decision_date,
            created_by=by,
        )


@transaction.atomic
def award_record_correct(*, record: AwardRecord, reason: str, by: Any = None, **changes: Any) -> AwardRecord:
    """Correct a wrong record: a new record with the changes replaces the old, which is revoked."""
    unknown = set(changes) - set(_RECORD_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be corrected: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    fields = {name: getattr(record, name) for name in _RECORD_FIELDS} | changes
    replacement = award_record_create(recipient=record.recipient, by=by, **fields)
    award_record_revoke(
        record=record,
        reason=reason,
        decision_number=changes.get("decision_number", ""),
        decision_date=changes.get("decision_date"),
        replacement=replacement,
        by=by,
    )
    return replacement
