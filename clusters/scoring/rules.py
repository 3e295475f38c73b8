"""Who may do what in a cluster's scoring year.

Object of every rule: the `ClusterTerm`, except where a rule says otherwise. The head and the
deputy are the officers of the units that hold those roles in that year's term; a unit never
scores itself. Self-scores of other units stay hidden from members, and from the head and the
deputy until cross-scoring opens. Nobody, staff included, can read who voted for whom: the
database does not link a ballot's choices to its voter (see `clusters.models.BallotChoice`).
"""

from __future__ import annotations

import rules
from django.utils.functional import LazyObject, empty

from clusters.models import (
    SCORING_STAGE_ORDER,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    ScoringStage,
    TermScoring,
)
from core.rules import acts_for_a_unit, is_council_member, is_tdkt_staff


def _real(user):
    """The user behind request.user's lazy wrapper, so views and rules share one cache."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def term_role(user, term: ClusterTerm | None) -> str:
    """The role of the user's unit in the term ("" when it is not a member); cached per user."""
    if term is None or not acts_for_a_unit(user):
        return ""
    cache: dict[int, str] = _real(user).__dict__.setdefault("_term_roles", {})
    if term.pk not in cache:
        cache[term.pk] = (
            ClusterMembership.objects.filter(term_id=term.pk, unit_id=user.unit_id)
            .order_by()
            .values_list("role", flat=True)
            .first()
            or ""
        )
    return cache[term.pk]


def stage_of(term: ClusterTerm) -> str:
    """The term's scoring stage; planning until its first scoring table exists."""
    try:
        return term.scoring.stage
    except TermScoring.DoesNotExist:
        return ScoringStage.PLANNING


def _reached(term: ClusterTerm, stage: str) -> bool:
    return SCORING_STAGE_ORDER.index(stage_of(term)) >= SCORING_STAGE_ORDER.index(stage)


@rules.predicate
def is_member_of_term(user, term) -> bool:
    return bool(term_role(user, term))


@rules.predicate
def leads_term(user, term) -> bool:
    """The user's unit is the head or the deputy of the term."""
    return term_role(user, term) in {MemberRole.HEAD, MemberRole.DEPUTY}


@rules.predicate
def is_stage_planning(user, term) -> bool:
    return term is not None and stage_of(term) == ScoringStage.PLANNING


@rules.predicate
def is_stage_self(user, term) -> bool:
    return term is not None and stage_of(term) == ScoringStage.SELF


@rules.predicate
def is_stage_cross(user, term) -> bool:
    return term is not None and stage_of(term) == ScoringStage.CROSS


@rules.predicate
def is_stage_office(user, term) -> bool:
    return term is not None and stage_of(term) == ScoringStage.OFFICE


@rules.predicate
def is_stage_voting(user, term) -> bool:
    return term is not None and stage_of(term) == ScoringStage.VOTING


@rules.predicate
def cross_scoring_opened(user, term) -> bool:
    return term is not None and _reached(term, ScoringStage.CROSS)


@rules.predicate
def results_published(user, term) -> bool:
    return term is not None and _reached(term, ScoringStage.VOTING)


@rules.predicate
def is_closed(user, term) -> bool:
    return term is not None and stage_of(term) == ScoringStage.CLOSED


# Object: a ClusterMembership (the unit within its term).
@rules.predicate
def is_own_membership(user, membership) -> bool:
    return bool(membership is not None and acts_for_a_unit(user) and membership.unit_id == user.unit_id)


@rules.predicate
def leads_membership_term(user, membership) -> bool:
    return membership is not None and leads_term(user, membership.term)


@rules.predicate
def membership_cross_opened(user, membership) -> bool:
    return membership is not None and cross_scoring_opened(user, membership.term)


@rules.predicate
def membership_self_open(user, membership) -> bool:
    return membership is not None and is_stage_self(user, membership.term)


@rules.predicate
def membership_cross_open(user, membership) -> bool:
    return membership is not None and is_stage_cross(user, membership.term)


see_term = is_tdkt_staff | is_council_member | is_member_of_term

rules.add_perm("clusters.see_term_scoring", see_term)
rules.add_perm("clusters.manage_scoring", is_tdkt_staff)
rules.add_perm("clusters.lead_term", is_tdkt_staff | leads_term)
# The table is drafted by the head and deputy (or staff) while the year is being planned.
rules.add_perm("clusters.draft_score_table", (is_tdkt_staff | leads_term) & is_stage_planning)
rules.add_perm("clusters.sign_pledge", (is_tdkt_staff | leads_term) & is_stage_planning)
rules.add_perm("clusters.see_progress", is_tdkt_staff | is_council_member | leads_term)
# Object: a membership. A unit scores itself while self-scoring is open.
rules.add_perm("clusters.self_score", is_own_membership & membership_self_open)
rules.add_perm(
    "clusters.see_self_scores",
    is_tdkt_staff | is_council_member | is_own_membership | (leads_membership_term & membership_cross_opened),
)
# Object: a membership. The head and deputy review every unit but their own.
rules.add_perm("clusters.cross_score", leads_membership_term & ~is_own_membership & membership_cross_open)
rules.add_perm("clusters.cross_score_term", leads_term & is_stage_cross)
rules.add_perm(
    "clusters.see_cross_grid", is_tdkt_staff | is_council_member | (leads_term & cross_scoring_opened)
)
rules.add_perm("clusters.office_check", is_tdkt_staff & is_stage_office)
rules.add_perm(
    "clusters.see_ranking", is_tdkt_staff | is_council_member | (is_member_of_term & results_published)
)
rules.add_perm("clusters.cast_ballot", is_member_of_term & is_stage_voting)
rules.add_perm(
    "clusters.see_vote_counts",
    is_tdkt_staff | is_council_member | leads_term | (is_member_of_term & is_closed),
)
rules.add_perm("clusters.close_vote", (is_tdkt_staff | leads_term) & is_stage_voting)
