"""Reads for campaigns. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from campaigns.models import Campaign, CampaignDeadline, CampaignStatus, ParticipantMode, Registration
from clusters.models import ClusterMembership, Unit
from core.db import Vietnamese


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


def available_actions(campaign: Campaign) -> list[str]:
    """Lifecycle actions allowed from the campaign's current status, in lifecycle order."""
    from campaigns.services import ACTIONS

    allowed = {transition.name for transition in campaign.get_available_status_transitions()}
    return [action for action in ACTIONS if action in allowed]


def campaign_section(campaign: Campaign, section: str, *, user: Any) -> dict[str, Any]:
    """The data one section of the campaign page shows."""
    if section == "overview":
        return {
            "transitions": list(campaign.transitions.select_related("by")),
            "deadlines": list(campaign.deadlines.all()),
            "participant_count": len(campaign_participant_ids(campaign)),
        }
    if section == "content":
        return {"content_items": list(campaign.content_items.all())}
    if section == "participants":
        return {
            "participants": list(participant_units(campaign).order_by(Vietnamese("name"))),
            "participant_clusters": list(campaign.participant_clusters.all()),
        }
    if section == "documents":
        return {"documents": list(campaign.documents.select_related("uploaded_by"))}
    if section == "targets":
        from campaigns.targets import section_context

        return section_context(campaign, section, user=user)
    if section in {"registrations", "progress"}:
        from campaigns.progress import section_context

        return section_context(campaign, section, user=user)
    return {}


def unit_campaign_overview(unit_id: int, *, user: Any) -> list[dict[str, Any]]:
    """For "my campaigns": each open campaign with the unit's registration and next deadline."""
    campaigns = campaigns_for_unit(unit_id, user=user)
    ids = [c.pk for c in campaigns]
    registrations = {
        r.campaign_id: r for r in Registration.objects.filter(campaign_id__in=ids, unit_id=unit_id)
    }
    today = timezone.localdate()
    upcoming: dict[int, Any] = {}
    for deadline in CampaignDeadline.objects.filter(campaign_id__in=ids, due_on__gte=today).order_by(
        "due_on"
    ):
        upcoming.setdefault(deadline.campaign_id, deadline)
    rows = [
        {
            "campaign": campaign,
            "registration": registrations.get(campaign.pk),
            "next_deadline": upcoming.get(campaign.pk),
            "registration_due": campaign.registration_closes,
        }
        for campaign in campaigns
    ]
    # Most urgent first: the nearest date the unit must act by.
    far = dt.date.max
    rows.sort(
        key=lambda row: min(
            row["next_deadline"].due_on if row["next_deadline"] else far,
            row["registration_due"] if row["registration_due"] and not row["registration"] else far,
        )
    )
    return rows


def initial_from_draft(draft: Any) -> dict[str, Any]:
    """Initial values of the campaign form from a directive draft (campaigns.directive)."""

    def value(field: Any) -> Any:
        return field.value if field is not None else None

    title = value(draft.title) or ""
    if title.lower().startswith("về việc "):
        title = title[len("về việc ") :]
    initial = {
        "title": title[:1].upper() + title[1:],
        "theme": value(draft.theme) or "",
        "kind": value(draft.campaign_kind) or "regular",
        "launching_authority": value(draft.authority) or "",
        "document_kind": value(draft.document_kind) or "",
        "document_number": value(draft.number) or "",
        "document_date": value(draft.issued_on),
        "document_signer": value(draft.signer) or "",
        "start_date": value(draft.period_start),
        "end_date": value(draft.period_end),
    }
    return {key: item for key, item in initial.items() if item not in (None, "")}
