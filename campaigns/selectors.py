"""Reads for campaigns. Each function runs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from campaigns.models import Campaign, CampaignStatus, ParticipantMode
from clusters.models import ClusterMembership, Unit


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Staff see drafts too; everyone else sees launched campaigns."""
    campaigns = Campaign.objects.all()
    if not user.has_perm("campaigns.manage_campaigns"):
        campaigns = campaigns.exclude(status=CampaignStatus.DRAFT)
    return campaigns


def campaign_list(user: Any) -> QuerySet[Campaign]:
    return visible_campaigns(user).annotate(
        content_count=Count("content_items", distinct=True), target_count=Count("targets", distinct=True)
    )


def participant_units(campaign: Campaign) -> QuerySet[Unit]:
    """The units taking part: all active units, members of chosen clusters in the campaign's
    start year, or the chosen units."""
    if campaign.participant_mode == ParticipantMode.ALL_UNITS:
        return Unit.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=campaign.start_date))
    if campaign.participant_mode == ParticipantMode.CLUSTERS:
        return Unit.objects.filter(
            pk__in=ClusterMembership.objects.filter(
                year=campaign.start_date.year, term__cluster__in=campaign.participant_clusters.all()
            ).values("unit_id")
        )
    return Unit.objects.filter(pk__in=campaign.participant_units.values("pk"))


def campaign_participant_ids(campaign: Campaign) -> frozenset[int]:
    """Participant unit ids, cached on the campaign object for the request."""
    cached = campaign.__dict__.get("_participant_ids")
    if cached is None:
        cached = frozenset(participant_units(campaign).values_list("pk", flat=True))
        campaign.__dict__["_participant_ids"] = cached
    return cached


def campaigns_for_unit(unit_id: int, *, user: Any) -> list[Campaign]:
    """Open campaigns the unit takes part in (for "my campaigns")."""
    open_statuses = [
        CampaignStatus.LAUNCHED,
        CampaignStatus.UNDER_WAY,
        CampaignStatus.MIDTERM_REVIEW,
        CampaignStatus.FINAL_REVIEW,
    ]
    year_members = ClusterMembership.objects.filter(unit_id=unit_id).values("year", "term__cluster_id")
    pairs = {(m["year"], m["term__cluster_id"]) for m in year_members}
    candidates = list(
        Campaign.objects.filter(status__in=open_statuses).prefetch_related(
            "participant_clusters", "participant_units"
        )
    )
    chosen = []
    for campaign in candidates:
        mode = campaign.participant_mode
        if (
            mode == ParticipantMode.ALL_UNITS
            or (
                mode == ParticipantMode.UNITS
                and any(u.pk == unit_id for u in campaign.participant_units.all())
            )
            or (
                mode == ParticipantMode.CLUSTERS
                and any(
                    (campaign.start_date.year, c.pk) in pairs for c in campaign.participant_clusters.all()
                )
            )
        ):
            chosen.append(campaign)
    return chosen
