"""Writes for scores and the stages of the year: self-scores, cross-scores, the office check
and the publication of results.

Every change of a score keeps the old and new value, who and why (`ScoreChange`, on top of the
row history). A unit never scores itself at the review stage: the head's own unit is reviewed
by the deputy and the deputy's by the head. Published results are immutable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import (
    ClusterMembership,
    ClusterTerm,
    Criterion,
    CriterionMethod,
    MemberRole,
    Pledge,
    PublishedResult,
    ScoreChange,
    ScoreEntry,
    ScoreEvidence,
    ScoreStage,
    ScoreTable,
    ScoringStage,
    TableStatus,
    TermScoring,
    Unit,
)
from clusters.scoring import ranking
from clusters.scoring.selectors import (
    OFFICE_SCORED,
    REVIEWED,
    SELF_SCORED,
    compute_ranking,
    eligibility,
    score_sheet,
)
from clusters.scoring.tables import audited, scoring_for
from core.uploads import validate_upload

EVIDENCE_TYPES = {"pdf", "docx", "xlsx", "jpg", "jpeg", "png", "doc", "xls"}


@dataclass(frozen=True)
class ScoreInput:
    """What was typed for one criterion: points, or for a quantitative criterion the actual
    value and the registered target (the points then follow from them)."""

    criterion: Criterion
    points: Decimal | None = None
    actual: Decimal | None = None
    target: Decimal | None = None
    explanation: str = ""
    reason: str = ""
    # What the form showed of the entry (`seen_token`); None skips the check (imports, scripts).
    seen: str | None = None


class ScoreErrors(ValidationError):
    """Problems per criterion (criterion id → message); nothing was saved."""

    def __init__(self, cells: Mapping[Any, str]) -> None:
        self.cells = dict(cells)
        super().__init__(list(self.cells.values()))


class StaleScoreError(ScoreErrors):
    """Someone saved these criteria after the form was opened (optimistic locking); nothing was
    saved, and each message says what is stored now, who saved it and when."""


NO_ENTRY = "none"


def seen_token(entry: ScoreEntry | None) -> str:
    """What a form remembers of an entry as it showed it, to spot a save made meanwhile."""
    return entry.updated_at.isoformat() if entry is not None else NO_ENTRY


def _changes(entry: ScoreEntry | None, points: Decimal, typed: ScoreInput) -> bool:
    return entry is None or not (
        entry.points == points
        and entry.explanation == typed.explanation
        and entry.actual == typed.actual
        and entry.target == typed.target
    )


def stale_message(entry: ScoreEntry | None, criterion: Criterion, points: Decimal, typed: ScoreInput) -> str:
    """Why this save would overwrite a change the person has not seen ("" when it would not).

    Saving what is stored now is no conflict, whoever stored it.
    """
    if typed.seen is None or seen_token(entry) == typed.seen or not _changes(entry, points, typed):
        return ""
    label = f"{criterion.code}. {criterion.name[:80]}"
    if entry is None:
        return _(
            "“%(criterion)s”: the score you saw was removed while you were editing. Your value is "
            "kept below; save again to store it."
        ) % {"criterion": label}
    by = entry.updated_by
    return _(
        "“%(criterion)s” was changed by %(user)s at %(time)s while you were editing: it is now "
        "%(points)s points. Your value is kept below; save again to replace it."
    ) % {
        "criterion": label,
        "user": (by.get_full_name() or by.get_username()) if by else "?",
        "time": timezone.localtime(entry.updated_at).strftime("%H:%M %d/%m/%Y"),
        "points": f"{entry.points.normalize():f}",
    }


def points_for(criterion: Criterion, typed: ScoreInput) -> Decimal:
    """The points the input gives, checked against the criterion's method and maximum."""
    if criterion.method == CriterionMethod.QUANTITATIVE and typed.points is None:
        if typed.actual is None or typed.target is None:
            raise ValidationError(_("Enter the actual value and the registered target."), code="missing")
        if typed.target <= 0:
            raise ValidationError(_("The registered target must be greater than zero."), code="target")
        return ranking.quantitative_points(criterion.max_points, typed.actual, typed.target)
    if typed.points is None:
        raise ValidationError(_("Enter the points."), code="missing")
    if typed.points < 0:
        raise ValidationError(_("Points cannot be negative."), code="negative")
    if typed.points > criterion.max_points:
        raise ValidationError(
            _("At most %(max)s points.") % {"max": f"{criterion.max_points.normalize():f}"}, code="max"
        )
    if criterion.method == CriterionMethod.FIXED and typed.points not in (Decimal(0), criterion.max_points):
        raise ValidationError(
            _("All or nothing: 0 or %(max)s points.") % {"max": f"{criterion.max_points.normalize():f}"},
            code="fixed",
        )
    return typed.points


def _write(
    *,
    criterion: Criterion,
    unit_id: int,
    stage: str,
    points: Decimal,
    typed: ScoreInput,
    reason: str,
    by: Any,
) -> ScoreEntry:
    """Create or change one entry, recording the change when the points or the text moved.

    Refuses (`StaleScoreError`) when the entry changed after the form showed it; the row lock
    makes the check and the write one step, so of two saves from the same form state the
    second is refused.
    """
    entry = (
        ScoreEntry.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(criterion=criterion, unit_id=unit_id, stage=stage)
        .first()
    )
    stale = stale_message(entry, criterion, points, typed)
    if stale:
        raise StaleScoreError({criterion.pk: stale})
    old = entry.points if entry else None
    if entry is None:
        entry = ScoreEntry(criterion=criterion, unit_id=unit_id, stage=stage)
    elif not _changes(entry, points, typed):
        return entry
    entry.points, entry.actual, entry.target = points, typed.actual, typed.target
    entry.explanation = typed.explanation
    entry.updated_by = by
    entry.save()
    if old != points:
        ScoreChange.objects.create(entry=entry, old_points=old, new_points=points, reason=reason, by=by)
    return entry


def _signed(term: ClusterTerm) -> ScoreTable:
    table = ScoreTable.objects.filter(term=term, status=TableStatus.SIGNED).first()
    if table is None:
        raise ValidationError(_("The scoring table has not been signed yet."), code="unsigned")
    return table


def _stage(term: ClusterTerm, stage: str) -> TermScoring:
    scoring = TermScoring.objects.select_for_update().filter(term=term).first()
    if scoring is None or scoring.stage != stage:
        raise ValidationError(
            _("This cannot be done at the current stage of the cluster year."), code="stage"
        )
    return scoring


def _member(term: ClusterTerm, unit: Unit) -> ClusterMembership:
    membership = ClusterMembership.objects.filter(term=term, unit=unit).first()
    if membership is None:
        raise ValidationError(_("The unit is not a member of this cluster year."), code="member")
    return membership


def _leaf_of(table: ScoreTable, criterion: Criterion, scorers: set[str]) -> None:
    if criterion.group.table_id != table.pk or criterion.children.exists() or criterion.scorer not in scorers:
        raise ValidationError(_("This criterion is not scored at this stage."), code="criterion")


# --- Self-scores -------------------------------------------------------------------------------


@transaction.atomic
def self_scores_save(
    *,
    term: ClusterTerm,
    unit: Unit,
    inputs: Sequence[ScoreInput],
    by: Any,
    files: Mapping[int, Iterable[Any]] | None = None,
) -> int:
    """Save a unit's self-scores (tự chấm) with their explanation and evidence files.

    All or nothing: every wrong criterion is reported, keyed by criterion id. Returns the number
    of criteria saved. Late saves are refused after the due date, except for staff.
    """
    scoring = _stage(term, ScoringStage.SELF)
    _member(term, unit)
    if (
        scoring.self_score_due
        and timezone.localdate() > scoring.self_score_due
        and not getattr(by, "is_tdkt_staff", False)
    ):
        raise ValidationError(
            _("Self-scores were due on %(date)s.") % {"date": scoring.self_score_due.strftime("%d/%m/%Y")},
            code="late",
        )
    table = _signed(term)
    files = files or {}
    leaves = {
        c.pk: c
        for c in Criterion.objects.filter(group__table=table, scorer__in=SELF_SCORED, children__isnull=True)
    }
    with_evidence = set(
        ScoreEvidence.objects.filter(
            entry__unit=unit, entry__criterion__in=list(leaves), entry__stage=ScoreStage.SELF
        ).values_list("entry__criterion_id", flat=True)
    )
    errors: dict[int, str] = {}
    checked: list[tuple[ScoreInput, Decimal]] = []
    for typed in inputs:
        criterion = leaves.get(typed.criterion.pk)
        if criterion is None:
            errors[typed.criterion.pk] = _("This criterion is not scored by the unit.")
            continue
        for upload in files.get(criterion.pk, []):
            try:
                validate_upload(upload, allowed=EVIDENCE_TYPES)
            except ValidationError as error:
                errors[criterion.pk] = error.messages[0]
        try:
            points = points_for(criterion, typed)
        except ValidationError as error:
            errors[criterion.pk] = error.messages[0]
            continue
        if (
            criterion.evidence_required
            and points > 0
            and criterion.pk not in with_evidence
            and not files.get(criterion.pk)
        ):
            errors[criterion.pk] = _("Attach evidence for this criterion.")
            continue
        checked.append((typed, points))
    if errors:
        raise ScoreErrors(errors)
    # Lock every entry the save touches and report each one changed since the form was opened.
    current = {
        entry.criterion_id: entry
        for entry in ScoreEntry.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(unit=unit, stage=ScoreStage.SELF, criterion__in=[typed.criterion.pk for typed, _p in checked])
    }
    stale = {
        typed.criterion.pk: message
        for typed, points in checked
        if (
            message := stale_message(
                current.get(typed.criterion.pk), leaves[typed.criterion.pk], points, typed
            )
        )
    }
    if stale:
        raise StaleScoreError(stale)
    with audited(by, "self-scores saved"):
        for typed, points in checked:
            entry = _write(
                criterion=leaves[typed.criterion.pk],
                unit_id=unit.pk,
                stage=ScoreStage.SELF,
                points=points,
                typed=typed,
                reason=_("Self-score"),
                by=by,
            )
            for upload in files.get(entry.criterion_id, []):
                ScoreEvidence.objects.create(
                    entry=entry, file=upload, original_name=upload.name[:255], uploaded_by=by
                )
    return len(checked)


# --- Cross-scores and office check -------------------------------------------------------------


def _self_points(criterion: Criterion, unit_id: int) -> Decimal | None:
    return (
        ScoreEntry.objects.filter(criterion=criterion, unit_id=unit_id, stage=ScoreStage.SELF)
        .values_list("points", flat=True)
        .first()
    )


@transaction.atomic
def review_score_save(
    *, term: ClusterTerm, unit: Unit, criterion: Criterion, typed: ScoreInput, by: Any
) -> ScoreEntry:
    """The head or deputy's score (thẩm định) for another unit; a reason where it differs from
    the self-score."""
    _stage(term, ScoringStage.CROSS)
    _member(term, unit)
    if getattr(by, "unit_id", None) == unit.pk:
        raise ValidationError(
            _(
                "A unit never scores itself: the head's unit is scored by the deputy, the deputy's by the head."
            ),
            code="own_unit",
        )
    reviewer_role = (
        ClusterMembership.objects.filter(term=term, unit_id=getattr(by, "unit_id", None))
        .values_list("role", flat=True)
        .first()
    )
    if reviewer_role not in {MemberRole.HEAD, MemberRole.DEPUTY}:
        raise ValidationError(_("Only the head and the deputy cross-score."), code="reviewer")
    table = _signed(term)
    _leaf_of(table, criterion, REVIEWED)
    points = points_for(criterion, typed)
    if criterion.scorer in SELF_SCORED:
        own = _self_points(criterion, unit.pk) or Decimal(0)
        if points != own and not typed.reason.strip():
            raise ValidationError(
                _("The reviewed score differs from the self-score: give the reason."), code="reason"
            )
    with audited(by, "cross-score saved"):
        return _write(
            criterion=criterion,
            unit_id=unit.pk,
            stage=ScoreStage.REVIEW,
            points=points,
            typed=ScoreInput(
                criterion=criterion, points=points, explanation=typed.reason.strip(), seen=typed.seen
            ),
            reason=typed.reason.strip(),
            by=by,
        )


@transaction.atomic
def office_score_save(
    *, term: ClusterTerm, unit: Unit, criterion: Criterion, typed: ScoreInput, by: Any
) -> ScoreEntry:
    """The provincial office's score on the criteria the table gives it, including penalties
    reported by cross-checking agencies (e.g. −8 for not signing the pledge)."""
    _stage(term, ScoringStage.OFFICE)
    _member(term, unit)
    if not getattr(by, "is_tdkt_staff", False):
        raise ValidationError(_("Only the provincial office enters these scores."), code="office")
    table = _signed(term)
    _leaf_of(table, criterion, OFFICE_SCORED)
    points = points_for(criterion, typed)
    with audited(by, "office score saved"):
        return _write(
            criterion=criterion,
            unit_id=unit.pk,
            stage=ScoreStage.OFFICE,
            points=points,
            typed=ScoreInput(
                criterion=criterion, points=points, explanation=typed.reason.strip(), seen=typed.seen
            ),
            reason=typed.reason.strip(),
            by=by,
        )


# --- Stages ------------------------------------------------------------------------------------

NEXT_STAGE = {
    ScoringStage.PLANNING: ScoringStage.SELF,
    ScoringStage.SELF: ScoringStage.CROSS,
    ScoringStage.CROSS: ScoringStage.OFFICE,
    ScoringStage.OFFICE: ScoringStage.VOTING,
}


@transaction.atomic
def scoring_advance(*, term: ClusterTerm, by: Any) -> TermScoring:
    """Move the year to its next stage. Self-scoring opens once the pledge is signed; moving
    from the office check publishes the results (staff only), which then never change."""
    scoring = TermScoring.objects.select_for_update().filter(term=term).first() or scoring_for(term)
    target = NEXT_STAGE.get(ScoringStage(scoring.stage))
    if target is None:
        raise ValidationError(_("The cluster year has no further stage."), code="last")
    if target == ScoringStage.SELF and not Pledge.objects.filter(term=term).exists():
        raise ValidationError(_("Record the signed pledge before opening self-scoring."), code="pledge")
    if target == ScoringStage.VOTING:
        if not getattr(by, "is_tdkt_staff", False):
            raise ValidationError(_("Only the provincial office publishes the results."), code="office")
        _publish(term, scoring, by)
    with audited(by, f"scoring stage {scoring.stage} → {target}"):
        scoring.stage = target
        scoring.save(update_fields=["stage", "published_at"])
    return scoring


def _publish(term: ClusterTerm, scoring: TermScoring, by: Any) -> list[PublishedResult]:
    if PublishedResult.objects.filter(term=term).exists():
        raise ValidationError(_("The results of this cluster year are already published."), code="published")
    sheet = score_sheet(term, _signed(term))
    rows = compute_ranking(sheet)
    reasons = eligibility(term, [row.unit_id for row in rows])
    scoring.published_at = timezone.now()
    with audited(by, "results published"):
        return PublishedResult.objects.bulk_create(
            PublishedResult(
                term=term,
                unit_id=row.unit_id,
                rank=row.rank,
                content_points=row.content,
                bonus_points=row.bonus,
                penalty_points=row.penalty,
                first_group_points=row.first_group,
                final_points=row.final,
                percent=row.percent,
                band=row.band,
                eligible=not reasons.get(row.unit_id),
                ineligible_reasons=[str(reason) for reason in reasons.get(row.unit_id, [])],
            )
            for row in rows
        )


@transaction.atomic
def scoring_settings_save(*, term: ClusterTerm, by: Any, **fields: Any) -> TermScoring:
    """Deadlines (head or staff); quotas and the vote threshold (staff)."""
    scoring = scoring_for(term)
    for name, value in fields.items():
        setattr(scoring, name, value)
    with audited(by, "scoring settings saved"):
        scoring.save(update_fields=list(fields))
    return scoring


# --- Eligibility holds -------------------------------------------------------------------------


@transaction.atomic
def unit_flag_add(
    *, term: ClusterTerm, unit: Unit, kind: str, opened_on: Any, by: Any, source: str = "", note: str = ""
) -> Any:
    """Record a discipline, inspection or complaint hold (NĐ 152/2025 Đ4.4) on a member."""
    from clusters.models import UnitFlag

    _member(term, unit)
    with audited(by, "eligibility hold recorded"):
        return UnitFlag.objects.create(
            term=term, unit=unit, kind=kind, opened_on=opened_on, source=source, note=note, recorded_by=by
        )


@transaction.atomic
def unit_flag_close(*, flag: Any, closed_on: Any, by: Any) -> Any:
    if flag.closed_on is not None:
        raise ValidationError(_("This hold is already closed."), code="closed")
    if closed_on < flag.opened_on:
        raise ValidationError(_("A hold cannot close before it opened."), code="dates")
    flag.closed_on = closed_on
    with audited(by, "eligibility hold closed"):
        flag.save(update_fields=["closed_on"])
    return flag
