"""Who may see and change campaigns.

Launched campaigns are visible to every signed-in user; drafts only to staff. Only staff
create, edit, launch, review and close campaigns. A unit registers and records progress for
itself only, and only while it takes part in the campaign.
"""

from __future__ import annotations

import rules

from campaigns.models import CampaignStatus
from clusters.rules import is_own_unit
from core.rules import acts_for_a_unit, is_council_member, is_tdkt_staff


@rules.predicate
def is_published(user, campaign) -> bool:
    return campaign is not None and campaign.status != CampaignStatus.DRAFT


@rules.predicate
def is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.status == CampaignStatus.DRAFT


@rules.predicate
def takes_part(user, campaign) -> bool:
    """The user's unit is among the campaign's participants."""
    from campaigns.selectors import campaign_participant_ids

    return bool(
        campaign is not None and acts_for_a_unit(user) and user.unit_id in campaign_participant_ids(campaign)
    )


@rules.predicate
def is_open(user, campaign) -> bool:
    return campaign is not None and campaign.status in {
        CampaignStatus.LAUNCHED,
        CampaignStatus.UNDER_WAY,
        CampaignStatus.MIDTERM_REVIEW,
        CampaignStatus.FINAL_REVIEW,
    }


rules.add_perm("campaigns.see_campaign", is_tdkt_staff | (rules.is_authenticated & is_published))
rules.add_perm("campaigns.manage_campaigns", is_tdkt_staff)
rules.add_perm("campaigns.edit_campaign", is_tdkt_staff & is_draft)
rules.add_perm("campaigns.see_all_registrations", is_tdkt_staff | is_council_member)
# Object: the campaign. Units act on their own registration and progress while it is open.
rules.add_perm("campaigns.take_part", takes_part & is_open)
# Object: the unit whose registration or progress is edited.
rules.add_perm("campaigns.act_for_unit", is_tdkt_staff | is_own_unit)
