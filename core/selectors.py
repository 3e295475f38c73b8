"""Reads for the home page: a few counts and the user's own unit, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from awards.models import AwardRecord, Person
from clusters.models import Cluster, ClusterMembership, Unit
from clusters.selectors import current_year


def home_summary(user: Any) -> dict[str, Any]:
    year = current_year()
    summary: dict[str, Any] = {"year": year}
    if user.is_tdkt_staff or user.is_council_member:
        summary["counts"] = {
            "units": Unit.objects.filter(active_to__isnull=True).count(),
            "clusters": Cluster.objects.filter(is_active=True).aggregate(
                cum=Count("pk", filter=Q(kind="cum")), khoi=Count("pk", filter=Q(kind="khoi"))
            ),
            "people": Person.objects.count(),
            "awards_last_year": AwardRecord.objects.filter(year=year - 1).count(),
        }
        summary["recent_awards"] = list(
            # The award table shows each record's revocation or correction: join them, not 2 × 8 queries.
            AwardRecord.objects.select_related(
                "category", "person", "unit", "household", "revocation", "replaces__record"
            ).order_by("-created_at", "-pk")[:8]
        )
    if user.unit_id:
        summary["unit"] = user.unit
        summary["membership"] = (
            ClusterMembership.objects.filter(unit_id=user.unit_id, year=year)
            .select_related("term__cluster")
            .first()
        )
    return summary
