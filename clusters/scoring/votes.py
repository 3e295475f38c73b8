"""The year-end vote (bình xét, suy tôn), the cluster's award proposals and next year's leaders.

Secret ballot: `BallotCast` records that a unit voted; its choices are written as anonymous
`BallotChoice` rows (random keys, no voter, no time, no history) in the same transaction and
in a shuffled order, so no query links a voter to its choices. Staff and the head see counts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardCategory
from clusters.models import (
    AwardProposal,
    BallotCast,
    BallotCategory,
    BallotChoice,
    ClusterMembership,
    ClusterTerm,
    PublishedResult,
    ScoringStage,
    TermScoring,
    Unit,
)
from clusters.scoring.selectors import vote_counts
from clusters.scoring.tables import audited
from clusters.services import cluster_term_set
from core.text import fold

# The catalogue items a cluster proposes (seeded by the awards migration).
AWARD_CODES = {BallotCategory.FLAG: "COTINH", BallotCategory.MERIT: "BKCT.TT"}
_shuffler = random.SystemRandom()


def _voting(term: ClusterTerm) -> TermScoring:
    scoring = TermScoring.objects.select_for_update().filter(term=term).first()
    if scoring is None or scoring.stage != ScoringStage.VOTING:
        raise ValidationError(_("The vote is not open."), code="closed")
    return scoring


def candidates(term: ClusterTerm) -> dict[str, list[PublishedResult]]:
    """Flag candidates are the eligible units; any member may be proposed for a certificate."""
    results = list(
        PublishedResult.objects.filter(term=term).select_related("unit").order_by("rank", "unit__name")
    )
    return {
        BallotCategory.FLAG: [r for r in results if r.eligible],
        BallotCategory.MERIT: results,
    }


@transaction.atomic
def ballot_cast(
    *,
    term: ClusterTerm,
    unit: Unit,
    flag: Sequence[Unit],
    merit: Sequence[Unit],
    by: Any,
) -> BallotCast:
    """One member unit's secret ballot, within the quotas; cast once, never changed."""
    scoring = _voting(term)
    if not ClusterMembership.objects.filter(term=term, unit=unit).exists():
        raise ValidationError(_("Only member units vote."), code="member")
    if BallotCast.objects.filter(term=term, unit=unit).exists():
        raise ValidationError(_("This unit has already voted."), code="cast")
    allowed = candidates(term)
    flag_ids = {u.pk for u in flag}
    merit_ids = {u.pk for u in merit}
    if len(flag_ids) > scoring.flag_quota:
        raise ValidationError(
            _("Choose at most %(count)d units for the emulation flag.") % {"count": scoring.flag_quota},
            code="quota",
        )
    if len(merit_ids) > scoring.merit_quota:
        raise ValidationError(
            _("Choose at most %(count)d units for the certificate of merit.")
            % {"count": scoring.merit_quota},
            code="quota",
        )
    if unit.pk in flag_ids | merit_ids:
        raise ValidationError(_("A unit does not vote for itself."), code="self")
    if flag_ids & merit_ids:
        raise ValidationError(_("A unit is proposed for one award only."), code="both")
    if not flag_ids <= {r.unit_id for r in allowed[BallotCategory.FLAG]} or not merit_ids <= {
        r.unit_id for r in allowed[BallotCategory.MERIT]
    }:
        raise ValidationError(_("Choose among the candidates listed."), code="candidate")
    choices = [BallotChoice(term=term, category=BallotCategory.FLAG, candidate_id=pk) for pk in flag_ids]
    choices += [BallotChoice(term=term, category=BallotCategory.MERIT, candidate_id=pk) for pk in merit_ids]
    _shuffler.shuffle(choices)
    try:
        with audited(by, "ballot cast"), transaction.atomic():
            cast = BallotCast.objects.create(term=term, unit=unit)
            BallotChoice.objects.bulk_create(choices)
    except IntegrityError as error:
        raise ValidationError(_("This unit has already voted."), code="cast") from error
    return cast


@dataclass
class VoteLine:
    result: PublishedResult
    votes: int
    share: Decimal
    passed: bool
    chosen: bool = False


@dataclass
class VoteResults:
    members: int
    cast: int
    threshold: Decimal
    lines: dict[str, list[VoteLine]]

    def chosen(self, category: str) -> list[VoteLine]:
        return [line for line in self.lines[category] if line.chosen]


def vote_results(term: ClusterTerm, scoring: TermScoring) -> VoteResults:
    """Counts per candidate, the threshold applied and the winners within the quotas.

    A unit passes with votes from more than `vote_threshold` % of the member units. Winners are
    taken by votes, then by published rank; a flag winner is not proposed for a certificate too.
    """
    members = ClusterMembership.objects.filter(term=term).count()
    counts = vote_counts(term)
    cast = BallotCast.objects.filter(term=term).count()
    pool = candidates(term)
    lines: dict[str, list[VoteLine]] = {}
    taken: set[int] = set()
    for category, quota in (
        (BallotCategory.FLAG, scoring.flag_quota),
        (BallotCategory.MERIT, scoring.merit_quota),
    ):
        category_lines = []
        for result in pool[category]:
            votes = counts[category].get(result.unit_id, 0)
            share = Decimal(votes * 100) / members if members else Decimal(0)
            category_lines.append(
                VoteLine(
                    result=result,
                    votes=votes,
                    share=share.quantize(Decimal("0.01")),
                    passed=share > scoring.vote_threshold,
                )
            )
        category_lines.sort(key=lambda line: (-line.votes, line.result.rank, fold(line.result.unit.name)))
        chosen = 0
        for line in category_lines:
            if line.passed and chosen < quota and line.result.unit_id not in taken:
                line.chosen = True
                taken.add(line.result.unit_id)
                chosen += 1
        lines[category] = category_lines
    return VoteResults(members=members, cast=cast, threshold=scoring.vote_threshold, lines=lines)


@transaction.atomic
def vote_close(
    *,
    term: ClusterTerm,
    meeting_on: dt.date,
    meeting_place: str,
    chair_name: str,
    secretary_name: str,
    next_head: Unit,
    next_deputy: Unit,
    by: Any,
) -> list[AwardProposal]:
    """Close the year-end meeting: the proposals from the vote, next year's head and deputy
    (elected in rotation; the new term is created from them), and the minutes' details."""
    scoring = _voting(term)
    if next_head.pk == next_deputy.pk:
        raise ValidationError(_("The head and the deputy must be different units."), code="leaders")
    results = vote_results(term, scoring)
    categories = {c.code: c for c in AwardCategory.objects.filter(code__in=AWARD_CODES.values())}
    next_year = term.year + 1
    existing = ClusterTerm.objects.filter(cluster_id=term.cluster_id, year=next_year).first()
    members = (
        list(Unit.objects.filter(memberships__term=existing))
        if existing
        else list(Unit.objects.filter(memberships__term=term, active_to__isnull=True))
    )
    if next_head.pk not in {u.pk for u in members} or next_deputy.pk not in {u.pk for u in members}:
        raise ValidationError(
            _("Next year's head and deputy must be members of the cluster."), code="leaders"
        )
    with audited(by, "year-end vote closed"):
        proposals = AwardProposal.objects.bulk_create(
            AwardProposal(
                term=term,
                unit_id=line.result.unit_id,
                category=categories[AWARD_CODES[category]],
                ballot_category=category,
                votes=line.votes,
                voters=results.members,
                rank=line.result.rank,
                final_points=line.result.final_points,
                band=line.result.band,
            )
            for category in (BallotCategory.FLAG, BallotCategory.MERIT)
            for line in results.chosen(category)
        )
        cluster_term_set(
            cluster=term.cluster, year=next_year, members=members, head=next_head, deputy=next_deputy, by=by
        )
        scoring.stage = ScoringStage.CLOSED
        scoring.meeting_on, scoring.meeting_place = meeting_on, meeting_place
        scoring.chair_name, scoring.secretary_name = chair_name, secretary_name
        scoring.next_head, scoring.next_deputy = next_head, next_deputy
        scoring.closed_at = timezone.now()
        scoring.save()
    return proposals
