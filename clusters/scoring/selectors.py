"""Reads for the scoring year. Each function runs a fixed number of queries, whatever the
number of member units and criteria."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Sum

from clusters.models import (
    BallotCast,
    BallotCategory,
    BallotChoice,
    ClusterMembership,
    ClusterTerm,
    CriterionScorer,
    GroupKind,
    MemberRole,
    Pledge,
    PublishedResult,
    ScoreEntry,
    ScoreEvidence,
    ScoreStage,
    ScoreTable,
    TableStatus,
    TermScoring,
    TieBreak,
    UnitFlag,
)
from clusters.scoring import ranking
from clusters.scoring.tables import TableTree, table_tree
from core.text import fold

SELF_SCORED = {CriterionScorer.UNIT}
REVIEWED = {CriterionScorer.UNIT, CriterionScorer.LEADERS}
OFFICE_SCORED = {CriterionScorer.OFFICE, CriterionScorer.AGENCY}
ROLE_ORDER = {MemberRole.HEAD: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}


def term_with_cluster(pk: int) -> ClusterTerm:
    return ClusterTerm.objects.select_related("cluster").get(pk=pk)


def scoring_of(term: ClusterTerm) -> TermScoring | None:
    try:
        return term.scoring
    except TermScoring.DoesNotExist:
        return None


def term_memberships(term: ClusterTerm) -> list[ClusterMembership]:
    """Members with their unit: head, deputy, then the others by name. One query."""
    memberships = list(ClusterMembership.objects.filter(term=term).select_related("unit"))
    memberships.sort(key=lambda m: (ROLE_ORDER.get(m.role, 3), fold(m.unit.name), m.unit.name))
    return memberships


def tables_of(term: ClusterTerm) -> list[ScoreTable]:
    """Every version of the term's table, newest first. One query."""
    return list(ScoreTable.objects.filter(term=term).select_related("created_by").order_by("-version"))


def in_force(tables: list[ScoreTable]) -> ScoreTable | None:
    by_status = {t.status: t for t in tables if t.status != TableStatus.SUPERSEDED}
    return by_status.get(TableStatus.SIGNED) or by_status.get(TableStatus.DRAFT)


def signed_table(term: ClusterTerm) -> ScoreTable | None:
    return ScoreTable.objects.filter(term=term, status=TableStatus.SIGNED).first()


def pledge_of(term: ClusterTerm) -> Pledge | None:
    """The pledge with its signatures and their units. Two queries."""
    return (
        Pledge.objects.filter(term=term)
        .prefetch_related(Prefetch("signatures", queryset=_signatures()))
        .select_related("table")
        .first()
    )


def _signatures():
    from clusters.models import PledgeSignature

    return PledgeSignature.objects.select_related("unit").order_by("unit__name")


def effective_points(
    entries: list[tuple[int, int, str, Decimal]],
) -> dict[int, dict[int, Decimal]]:
    """unit → criterion → the score that counts: office's, else the reviewed, else the self-score."""
    precedence = {ScoreStage.SELF: 0, ScoreStage.REVIEW: 1, ScoreStage.OFFICE: 2}
    best: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for criterion_id, unit_id, stage, points in entries:
        level = precedence[stage]
        key = (unit_id, criterion_id)
        if key not in best or best[key][0] < level:
            best[key] = (level, points)
    result: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (unit_id, criterion_id), (_level, points) in best.items():
        result[unit_id][criterion_id] = points
    return result


@dataclass
class ScoreSheet:
    """A term's table, members and every score, read in a fixed number of queries."""

    term: ClusterTerm
    tree: TableTree | None
    memberships: list[ClusterMembership]
    # (unit id, criterion id) → stage → entry
    entries: dict[tuple[int, int], dict[str, ScoreEntry]] = field(default_factory=dict)

    def entry(self, unit_id: int, criterion_id: int, stage: str) -> ScoreEntry | None:
        return self.entries.get((unit_id, criterion_id), {}).get(stage)

    def points(self) -> dict[int, dict[int, Decimal]]:
        return effective_points(
            [
                (criterion_id, unit_id, stage, entry.points)
                for (unit_id, criterion_id), stages in self.entries.items()
                for stage, entry in stages.items()
            ]
        )


def score_sheet(
    term: ClusterTerm, table: ScoreTable | None, *, unit_ids: set[int] | None = None
) -> ScoreSheet:
    """Tree (3 queries), members (1) and entries (1), optionally for some units only."""
    memberships = term_memberships(term)
    if table is None:
        return ScoreSheet(term=term, tree=None, memberships=memberships)
    tree = table_tree(table)
    entries = ScoreEntry.objects.filter(criterion__group__table=table)
    if unit_ids is not None:
        entries = entries.filter(unit_id__in=unit_ids)
    by_key: dict[tuple[int, int], dict[str, ScoreEntry]] = defaultdict(dict)
    for entry in entries.annotate(evidence_count=Count("evidence")):
        by_key[(entry.unit_id, entry.criterion_id)][entry.stage] = entry
    return ScoreSheet(term=term, tree=tree, memberships=memberships, entries=dict(by_key))


def unit_evidence(table: ScoreTable, unit_id: int) -> dict[int, list[ScoreEvidence]]:
    """criterion id → the unit's evidence files. One query."""
    files: dict[int, list[ScoreEvidence]] = defaultdict(list)
    for item in ScoreEvidence.objects.filter(
        entry__criterion__group__table=table, entry__unit_id=unit_id
    ).select_related("entry"):
        files[item.entry.criterion_id].append(item)
    return files


@dataclass
class Progress:
    membership: ClusterMembership
    scored: int
    required: int

    @property
    def done(self) -> bool:
        return self.required > 0 and self.scored >= self.required

    @property
    def percent(self) -> int:
        return round(self.scored * 100 / self.required) if self.required else 0


def self_score_progress(sheet: ScoreSheet) -> list[Progress]:
    """How many of the self-scored criteria each member has scored (no extra query)."""
    leaves = [c for c in sheet.tree.leaves if c.scorer in SELF_SCORED] if sheet.tree else []
    return [
        Progress(
            membership=m,
            scored=sum(1 for c in leaves if sheet.entry(m.unit_id, c.pk, ScoreStage.SELF)),
            required=len(leaves),
        )
        for m in sheet.memberships
    ]


# --- Ranking -----------------------------------------------------------------------------------


def eligibility(term: ClusterTerm, unit_ids: list[int]) -> dict[int, list[str]]:
    """unit → the gates it fails (registration, pledge, open holds). Four queries."""
    from django.utils.translation import gettext as _

    from campaigns.models import Campaign, CampaignStatus, Registration, RegistrationStatus

    reasons: dict[int, list[str]] = {unit_id: [] for unit_id in unit_ids}
    if Campaign.objects.filter(start_date__year=term.year).exclude(status=CampaignStatus.DRAFT).exists():
        registered = set(
            Registration.objects.filter(
                unit_id__in=unit_ids,
                status=RegistrationStatus.SUBMITTED,
                campaign__start_date__year=term.year,
            ).values_list("unit_id", flat=True)
        )
        for unit_id in unit_ids:
            if unit_id not in registered:
                reasons[unit_id].append(_("did not register for emulation"))
    from clusters.models import PledgeSignature

    signed = set(PledgeSignature.objects.filter(pledge__term=term).values_list("unit_id", flat=True))
    for unit_id in unit_ids:
        if unit_id not in signed:
            reasons[unit_id].append(_("did not sign the pledge"))
    for flag in UnitFlag.objects.filter(term=term, closed_on__isnull=True, unit_id__in=unit_ids):
        reasons[flag.unit_id].append(str(flag.get_kind_display()).lower())
    return reasons


def flag_votes(term: ClusterTerm) -> dict[int, int]:
    """Votes per candidate for the emulation flag. One query (counts only)."""
    return dict(
        BallotChoice.objects.filter(term=term, category=BallotCategory.FLAG)
        .values_list("candidate_id")
        .annotate(n=Count("id"))
        .values_list("candidate_id", "n")
    )


def compute_ranking(sheet: ScoreSheet, *, votes: dict[int, int] | None = None) -> list[ranking.UnitTotals]:
    """Totals, bands and ranks of every member from the scores in force (no extra query)."""
    if sheet.tree is None:
        return []
    groups = [ranking.GroupSpec(g.pk, g.kind, g.max_points, g.order) for g in sheet.tree.groups]
    criteria = [ranking.CriterionSpec(c.pk, c.group_id, c.max_points, c.method) for c in sheet.tree.leaves]
    bands = [ranking.BandSpec(b.name, b.min_percent, b.min_criterion_percent) for b in sheet.tree.bands]
    points = sheet.points()
    rows = []
    for membership in sheet.memberships:
        totals = ranking.unit_totals(
            membership.unit_id,
            groups=groups,
            criteria=criteria,
            points=points.get(membership.unit_id, {}),
            bands=bands,
        )
        totals.name = membership.unit.name
        totals.votes = (votes or {}).get(membership.unit_id, 0)
        rows.append(totals)
    return ranking.rank(rows, sheet.tree.table.tie_breaks)


@dataclass
class RankingView:
    rows: list[Any]
    published: bool
    content_max: Decimal
    votes_applied: bool


def term_ranking(term: ClusterTerm) -> RankingView:
    """The published ranking (its immutable rows) or, before publication, the provisional one.

    Once votes are in, units that share a published rank are ordered by their votes for the
    flag when the table's tie-breaks include the vote; the published rank itself stays.
    """
    table = signed_table(term)
    content_max = Decimal(0)
    if table is not None:
        content_max = table.groups.filter(kind=GroupKind.CONTENT).aggregate(total=Sum("max_points"))[
            "total"
        ] or Decimal(0)
    published = list(
        PublishedResult.objects.filter(term=term).select_related("unit").order_by("rank", "unit__name")
    )
    if published:
        votes = flag_votes(term)
        for row in published:
            row.votes = votes.get(row.unit_id, 0)
        applied = bool(votes) and table is not None and TieBreak.VOTE in table.tie_breaks
        if applied:
            published.sort(key=lambda r: (r.rank, -r.votes, fold(r.unit.name)))
        return RankingView(rows=published, published=True, content_max=content_max, votes_applied=applied)
    sheet = score_sheet(term, table)
    rows = compute_ranking(sheet)
    reasons = eligibility(term, [m.unit_id for m in sheet.memberships])
    for row in rows:
        row.ineligible_reasons = reasons.get(row.unit_id, [])
        row.eligible = not row.ineligible_reasons
    return RankingView(rows=rows, published=False, content_max=content_max, votes_applied=False)


def ballots_cast(term: ClusterTerm) -> set[int]:
    """The member units that have voted (who, never what). One query."""
    return set(BallotCast.objects.filter(term=term).values_list("unit_id", flat=True))


def vote_counts(term: ClusterTerm) -> dict[str, dict[int, int]]:
    """category → candidate → votes. One query; counts only."""
    counts: dict[str, dict[int, int]] = {c: {} for c in BallotCategory.values}
    for category, candidate_id, n in (
        BallotChoice.objects.filter(term=term)
        .values_list("category", "candidate_id")
        .annotate(n=Count("id"))
        .values_list("category", "candidate_id", "n")
        .order_by()
    ):
        counts[category][candidate_id] = n
    return counts
