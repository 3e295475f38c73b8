"""Writes for the organisation: restructuring units and setting up cluster years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import (
    Cluster,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    SuccessionKind,
    Unit,
    UnitSuccession,
)
from core.audit import audit_context


def _close_unit(unit: Unit, effective_on: dt.date) -> None:
    last_day = effective_on - dt.timedelta(days=1)
    if unit.active_to is not None and unit.active_to < last_day:
        raise ValidationError(
            _("%(unit)s was already inactive on %(date)s.")
            % {"unit": unit.name, "date": effective_on.strftime("%d/%m/%Y")}
        )
    unit.active_to = last_day
    unit.save(update_fields=["active_to"])


def _start_unit(unit: Unit, effective_on: dt.date) -> None:
    """A successor is active from the restructuring at the latest."""
    if unit.active_from is None or unit.active_from > effective_on:
        unit.active_from = effective_on
        unit.save(update_fields=["active_from"])


def _refuse_existing_links(predecessors: Sequence[Unit], successors: Sequence[Unit]) -> None:
    existing = UnitSuccession.objects.filter(
        predecessor__in=predecessors, successor__in=successors
    ).select_related("predecessor", "successor")
    pairs = [f"{link.predecessor.name} → {link.successor.name}" for link in existing]
    if pairs:
        raise ValidationError(
            _("This restructuring is already recorded: %(pairs)s") % {"pairs": "; ".join(pairs)}
        )


@transaction.atomic
def unit_merge(
    *,
    units: Sequence[Unit],
    into: Unit,
    effective_on: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    by: Any = None,
) -> list[UnitSuccession]:
    """Sáp nhập: the units stop the day before `effective_on` and `into` succeeds them all.

    `into` may be one of the merged units (it absorbs the others) or a new unit.
    """
    absorbed = [unit for unit in units if unit.pk != into.pk]
    if not absorbed:
        raise ValidationError(_("Choose at least one unit to merge."))
    _refuse_existing_links(absorbed, [into])
    with audit_context(user=getattr(by, "pk", None), reason=f"merge {decision_number}".strip()):
        links = []
        for unit in absorbed:
            _close_unit(unit, effective_on)
            links.append(
                UnitSuccession.objects.create(
                    predecessor=unit,
                    successor=into,
                    kind=SuccessionKind.MERGE,
                    effective_on=effective_on,
                    decision_number=decision_number,
                    decision_date=decision_date,
                )
            )
        _start_unit(into, effective_on)
    return links


@transaction.atomic
def unit_split(
    *,
    unit: Unit,
    into: Sequence[Unit],
    effective_on: dt.date,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    by: Any = None,
) -> list[UnitSuccession]:
    """Chia tách: `unit` stops the day before `effective_on`; each of `into` succeeds it."""
    successors = [successor for successor in into if successor.pk != unit.pk]
    if len(successors) < 1:
        raise ValidationError(_("A split needs at least one successor unit."))
    _refuse_existing_links([unit], successors)
    with audit_context(user=getattr(by, "pk", None), reason=f"split {decision_number}".strip()):
        _close_unit(unit, effective_on)
        for successor in successors:
            _start_unit(successor, effective_on)
        return [
            UnitSuccession.objects.create(
                predecessor=unit,
                successor=successor,
                kind=SuccessionKind.SPLIT,
                effective_on=effective_on,
                decision_number=decision_number,
                decision_date=decision_date,
            )
            for successor in successors
        ]


@transaction.atomic
def cluster_term_set(
    *,
    cluster: Cluster,
    year: int,
    members: Sequence[Unit],
    head: Unit | None = None,
    deputy: Unit | None = None,
    by: Any = None,
) -> ClusterTerm:
    """Set a cluster's members, head and deputy for a year (replacing what was there).

    The head and deputy must be members and different units; a unit already in another
    cluster that year is refused with its name (the database would refuse it too).
    """
    member_ids = {unit.pk for unit in members}
    if head is not None and head.pk not in member_ids:
        raise ValidationError(_("The head unit must be a member of the cluster."))
    if deputy is not None and deputy.pk not in member_ids:
        raise ValidationError(_("The deputy unit must be a member of the cluster."))
    if head is not None and deputy is not None and head.pk == deputy.pk:
        raise ValidationError(_("The head and the deputy must be different units."))
    elsewhere = (
        ClusterMembership.objects.filter(year=year, unit_id__in=member_ids)
        .exclude(term__cluster=cluster)
        .select_related("unit", "term__cluster")
    )
    clashes = [f"{m.unit.name} ({m.term.cluster.name})" for m in elsewhere]
    if clashes:
        raise ValidationError(
            _("These units are already in another cluster or bloc in %(year)s: %(units)s")
            % {"year": year, "units": "; ".join(clashes)}
        )
    with audit_context(user=getattr(by, "pk", None), reason=f"cluster term {year}"):
        term, _created = ClusterTerm.objects.get_or_create(cluster=cluster, year=year)
        term.memberships.exclude(unit_id__in=member_ids).delete()
        existing = {m.unit_id: m for m in term.memberships.all()}
        # Demote first so the one-head/one-deputy constraints never see two at once.
        term.memberships.filter(role__in=[MemberRole.HEAD, MemberRole.DEPUTY]).update(role=MemberRole.MEMBER)
        for unit in members:
            role = (
                MemberRole.HEAD
                if head is not None and unit.pk == head.pk
                else MemberRole.DEPUTY
                if deputy is not None and unit.pk == deputy.pk
                else MemberRole.MEMBER
            )
            membership = existing.get(unit.pk)
            if membership is None:
                ClusterMembership.objects.create(term=term, unit=unit, role=role)
            elif role != MemberRole.MEMBER:
                ClusterMembership.objects.filter(pk=membership.pk).update(role=role)
    return term
