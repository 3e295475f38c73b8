"""Reads for units and clusters. Each function runs a fixed number of queries."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from clusters.models import (
    Cluster,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    Unit,
    UnitSuccession,
)
from core.text import fold


def current_year() -> int:
    return timezone.localdate().year


def unit_ids_led_by(user: Any, year: int | None = None) -> frozenset[int]:
    """Units in the clusters whose head or deputy is the user's unit in `year` (cached per user)."""
    if not getattr(user, "unit_id", None) or not getattr(user, "unit_role", ""):
        return frozenset()
    year = year or current_year()
    cache: dict[int, frozenset[int]] = user.__dict__.setdefault("_led_unit_ids", {})
    if year not in cache:
        led_terms = ClusterMembership.objects.filter(
            unit_id=user.unit_id, year=year, role__in=[MemberRole.HEAD, MemberRole.DEPUTY]
        ).values("term_id")
        cache[year] = frozenset(
            ClusterMembership.objects.filter(term_id__in=led_terms).values_list("unit_id", flat=True)
        )
    return cache[year]


def _membership_in(year: int, field: str) -> Subquery:
    return Subquery(ClusterMembership.objects.filter(unit=OuterRef("pk"), year=year).values(field)[:1])


def unit_list(*, year: int | None = None) -> QuerySet[Unit]:
    """Units with their parent and their cluster in `year`, in one query."""
    year = year or current_year()
    return Unit.objects.select_related("parent").annotate(
        cluster_id=_membership_in(year, "term__cluster_id"),
        cluster_name=_membership_in(year, "term__cluster__name"),
        cluster_role=_membership_in(year, "role"),
    )


@dataclass
class UnitLineage:
    """A unit's predecessors (tiền thân) and successors, through every restructuring."""

    predecessors: list[UnitSuccession]
    successors: list[UnitSuccession]
    ancestor_ids: set[int]


def unit_lineage(unit: Unit) -> UnitLineage:
    """Walk succession links both ways; one query for the links, one for their units."""
    links = list(UnitSuccession.objects.values_list("pk", "predecessor_id", "successor_id"))
    by_successor: dict[int, list[tuple[int, int]]] = {}
    by_predecessor: dict[int, list[tuple[int, int]]] = {}
    for pk, predecessor_id, successor_id in links:
        by_successor.setdefault(successor_id, []).append((pk, predecessor_id))
        by_predecessor.setdefault(predecessor_id, []).append((pk, successor_id))

    def walk(start: int, graph: dict[int, list[tuple[int, int]]]) -> tuple[set[int], set[int]]:
        seen_units: set[int] = set()
        seen_links: set[int] = set()
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for link_pk, other in graph.get(current, []):
                seen_links.add(link_pk)
                if other not in seen_units and other != unit.pk:
                    seen_units.add(other)
                    queue.append(other)
        return seen_units, seen_links

    ancestor_ids, back_links = walk(unit.pk, by_successor)
    _, forward_links = walk(unit.pk, by_predecessor)
    chosen = UnitSuccession.objects.select_related("predecessor", "successor").filter(
        pk__in=back_links | forward_links
    )
    predecessors = [link for link in chosen if link.pk in back_links]
    successors = [link for link in chosen if link.pk in forward_links]
    predecessors.sort(key=lambda link: (link.effective_on, link.predecessor.name), reverse=True)
    successors.sort(key=lambda link: (link.effective_on, link.successor.name), reverse=True)
    return UnitLineage(predecessors=predecessors, successors=successors, ancestor_ids=ancestor_ids)


def unit_memberships(unit: Unit) -> list[ClusterMembership]:
    """The unit's cluster in every year, newest first."""
    return list(ClusterMembership.objects.filter(unit=unit).select_related("term__cluster").order_by("-year"))


def cluster_list(*, year: int) -> QuerySet[Cluster]:
    """Clusters with their head, deputy and member count in `year`, in one query."""

    def leader(role: str, field: str) -> Subquery:
        return Subquery(
            ClusterMembership.objects.filter(term__cluster=OuterRef("pk"), year=year, role=role).values(
                field
            )[:1]
        )

    member_count = Subquery(
        ClusterTerm.objects.filter(cluster=OuterRef("pk"), year=year)
        .annotate(n=Count("memberships"))
        .values("n")[:1]
    )
    return Cluster.objects.select_related("decision").annotate(
        head_unit_id=leader(MemberRole.HEAD, "unit_id"),
        head_unit_name=leader(MemberRole.HEAD, "unit__name"),
        deputy_unit_id=leader(MemberRole.DEPUTY, "unit_id"),
        deputy_unit_name=leader(MemberRole.DEPUTY, "unit__name"),
        member_count=member_count,
    )


@dataclass
class ClusterYear:
    cluster: Cluster
    year: int
    years: list[int]
    term: ClusterTerm | None
    memberships: list[ClusterMembership]

    @property
    def head(self) -> ClusterMembership | None:
        return next((m for m in self.memberships if m.role == MemberRole.HEAD), None)

    @property
    def deputy(self) -> ClusterMembership | None:
        return next((m for m in self.memberships if m.role == MemberRole.DEPUTY), None)


_ROLE_ORDER = {MemberRole.HEAD: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}


def cluster_year(cluster: Cluster, year: int | None) -> ClusterYear:
    """A cluster's members, head and deputy in one year (defaults to the latest year held)."""
    years = list(cluster.terms.order_by("-year").values_list("year", flat=True))
    if year not in years:
        today = current_year()
        year = today if today in years or not years else years[0]
    term = (
        ClusterTerm.objects.filter(cluster=cluster, year=year)
        .prefetch_related(Prefetch("memberships", queryset=ClusterMembership.objects.select_related("unit")))
        .first()
    )
    memberships = sorted(
        term.memberships.all() if term else [],
        key=lambda m: (_ROLE_ORDER[MemberRole(m.role)], fold(m.unit.name), m.unit.name),
    )
    return ClusterYear(cluster=cluster, year=year, years=years, term=term, memberships=memberships)


def clusters_for_choice() -> QuerySet[Cluster]:
    return Cluster.objects.filter(is_active=True).only("pk", "name", "kind", "code")
