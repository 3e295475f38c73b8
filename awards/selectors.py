"""Reads for people and award history. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from awards.models import AwardRecord, LegalBasis, Person
from clusters.selectors import unit_ids_led_by


def visible_people(user: Any) -> QuerySet[Person]:
    """People the user may see: all for staff and council members, else their unit and led cluster."""
    people = Person.objects.select_related("unit")
    if user.has_perm("awards.see_all_people"):
        return people
    unit_ids = set(unit_ids_led_by(user))
    if user.unit_id and user.unit_role:
        unit_ids.add(user.unit_id)
    return people.filter(unit_id__in=unit_ids)


def _history(records: QuerySet[AwardRecord]) -> QuerySet[AwardRecord]:
    return records.select_related(
        "category", "unit", "person", "household", "revocation", "replaces__record"
    ).order_by("-year", "-decision_date", "-pk")


def person_award_history(person: Person) -> list[AwardRecord]:
    return list(_history(AwardRecord.objects.filter(person=person)))


def unit_award_history(*, unit_ids: Iterable[int]) -> list[AwardRecord]:
    """Collective awards of a unit and, when given, of its predecessors."""
    return list(_history(AwardRecord.objects.filter(unit_id__in=list(unit_ids))))


def legal_basis_in_force(on: dt.date) -> LegalBasis | None:
    """The rule parameters in force on a date: the latest version that took effect by then."""
    return LegalBasis.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def active_awards(records: QuerySet[AwardRecord]) -> QuerySet[AwardRecord]:
    """Records that no revocation has cancelled."""
    return records.filter(Q(revocation__isnull=True))
