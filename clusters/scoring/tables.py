"""Writes and checks for scoring tables (bảng tiêu chí, thang điểm) and the pledge.

A table is drafted by the cluster head (or staff), from scratch, from last year's table or from
an Excel file. Signing the emulation pledge (giao ước thi đua) locks it; a later change is a new
version made on a staff decision with a reason, and both versions are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import (
    ClassificationBand,
    ClusterTerm,
    Criterion,
    CriterionGroup,
    CriterionMethod,
    GroupKind,
    Pledge,
    PledgeSignature,
    ScoreEntry,
    ScoreTable,
    ScoringStage,
    TableStatus,
    TermScoring,
    TieBreak,
    Unit,
)
from core.audit import audit_context
from core.uploads import original_name

ZERO = Decimal(0)

# Nghệ An's draft classification (domain notes §3.3), the default shape of a ranking rule.
DEFAULT_BANDS = [
    ("Xuất sắc", Decimal(90), Decimal(85)),
    ("Tốt", Decimal(80), Decimal(80)),
    ("Hoàn thành", Decimal(70), Decimal(70)),
    ("Không hoàn thành", Decimal(0), None),
]

GROUP_FIELDS = ("order", "code", "name", "kind", "max_points")
CRITERION_FIELDS = (
    "group",
    "parent",
    "order",
    "code",
    "name",
    "max_points",
    "method",
    "evidence_required",
    "scorer",
    "guidance",
)
BAND_FIELDS = ("order", "name", "min_percent", "min_criterion_percent")


def audited(by: Any, reason: str):
    return audit_context(user=getattr(by, "pk", None), reason=reason)


def scoring_for(term: ClusterTerm) -> TermScoring:
    """The term's scoring record, created at planning stage when missing."""
    scoring, _created = TermScoring.objects.get_or_create(term=term)
    return scoring


def current_table(term: ClusterTerm) -> ScoreTable | None:
    """The signed table in force, else the draft being prepared."""
    tables = {
        t.status: t for t in ScoreTable.objects.filter(term=term).exclude(status=TableStatus.SUPERSEDED)
    }
    return tables.get(TableStatus.SIGNED) or tables.get(TableStatus.DRAFT)


def require_draft(table: ScoreTable) -> None:
    if table.status != TableStatus.DRAFT:
        raise ValidationError(
            _("This scoring table was signed with the pledge and can no longer be changed."), code="locked"
        )


# --- Creating and editing ----------------------------------------------------------------------


@transaction.atomic
def score_table_create(
    *,
    term: ClusterTerm,
    title: str,
    declared_total: Decimal,
    by: Any,
    copy_from: ScoreTable | None = None,
    upload: Any = None,
) -> ScoreTable:
    """Start the year's table: empty, as a copy of another (usually last year's), or from an
    Excel file; all of it or, when the file has a wrong row, nothing."""
    scoring = scoring_for(term)
    if scoring.stage != ScoringStage.PLANNING or ScoreTable.objects.filter(term=term).exists():
        raise ValidationError(_("This cluster year already has a scoring table."), code="exists")
    with audited(by, "score table created"):
        table = ScoreTable.objects.create(
            term=term, title=title, declared_total=declared_total, created_by=by
        )
        if copy_from is not None:
            _copy_tree(copy_from, table)
        else:
            ClassificationBand.objects.bulk_create(
                ClassificationBand(
                    table=table, order=i, name=name, min_percent=low, min_criterion_percent=floor
                )
                for i, (name, low, floor) in enumerate(DEFAULT_BANDS)
            )
    if upload is not None:
        from clusters.scoring.sheets import score_table_import

        score_table_import(table=table, upload=upload, by=by)
    return table


def _copy_tree(source: ScoreTable, target: ScoreTable) -> dict[int, Criterion]:
    """Copy groups, criteria (keeping the tree) and bands; returns old criterion id → copy."""
    copies: dict[int, Criterion] = {}
    for group in source.groups.order_by("order", "pk"):
        new_group = CriterionGroup.objects.create(
            table=target, **{name: getattr(group, name) for name in GROUP_FIELDS}
        )
        # Parents before children: a criterion's parent has a smaller depth.
        pending = list(group.criteria.order_by("order", "pk"))
        while pending:
            remaining = []
            for criterion in pending:
                if criterion.parent_id is not None and criterion.parent_id not in copies:
                    remaining.append(criterion)
                    continue
                fields = {
                    name: getattr(criterion, name)
                    for name in CRITERION_FIELDS
                    if name not in {"group", "parent"}
                }
                copies[criterion.pk] = Criterion.objects.create(
                    group=new_group,
                    parent=copies.get(criterion.parent_id) if criterion.parent_id else None,
                    copied_from=criterion,
                    **fields,
                )
            if len(remaining) == len(pending):
                break
            pending = remaining
    target.tie_breaks = list(source.tie_breaks)
    target.save(update_fields=["tie_breaks"])
    ClassificationBand.objects.bulk_create(
        ClassificationBand(table=target, **{name: getattr(band, name) for name in BAND_FIELDS})
        for band in source.bands.all()
    )
    return copies


@transaction.atomic
def score_table_update(
    *, table: ScoreTable, title: str, declared_total: Decimal, tie_breaks: Sequence[str], by: Any
) -> ScoreTable:
    require_draft(table)
    unknown = [rule for rule in tie_breaks if rule not in TieBreak.values]
    if unknown or len(set(tie_breaks)) != len(tie_breaks):
        raise ValidationError(_("The tie-break order is not valid."), code="tie_breaks")
    table.title, table.declared_total, table.tie_breaks = title, declared_total, list(tie_breaks)
    with audited(by, "score table edited"):
        table.save(update_fields=["title", "declared_total", "tie_breaks"])
    return table


def _check_group(kind: str, max_points: Decimal) -> None:
    if max_points is None or max_points < 0:
        raise ValidationError(_("The maximum cannot be negative."), code="negative")


@transaction.atomic
def criterion_group_save(
    *, table: ScoreTable, by: Any, group: CriterionGroup | None = None, **fields: Any
) -> CriterionGroup:
    """Add or change a criterion group (nhóm tiêu chí)."""
    require_draft(table)
    _check_group(fields["kind"], fields["max_points"])
    group = group or CriterionGroup(table=table)
    if group.pk and group.kind != fields["kind"] and group.criteria.exists():
        raise ValidationError(_("Empty the group before changing its kind."), code="kind")
    for name in GROUP_FIELDS:
        setattr(group, name, fields[name])
    with audited(by, "criterion group saved"):
        group.save()
    return group


@transaction.atomic
def criterion_group_delete(*, group: CriterionGroup, by: Any) -> None:
    require_draft(group.table)
    with audited(by, "criterion group deleted"):
        group.delete()


def method_fits(kind: str, method: str) -> bool:
    if kind == GroupKind.BONUS:
        return method == CriterionMethod.BONUS
    if kind == GroupKind.PENALTY:
        return method == CriterionMethod.PENALTY
    return method not in {CriterionMethod.BONUS, CriterionMethod.PENALTY}


@transaction.atomic
def criterion_save(
    *, table: ScoreTable, by: Any, criterion: Criterion | None = None, **fields: Any
) -> Criterion:
    """Add or change a criterion or sub-criterion (tiêu chí)."""
    require_draft(table)
    group: CriterionGroup = fields["group"]
    parent: Criterion | None = fields.get("parent")
    if group.table_id != table.pk:
        raise ValidationError(_("Choose a group of this table."), code="group")
    if parent is not None:
        if parent.group_id != group.pk:
            raise ValidationError(_("A sub-criterion belongs to the group of its parent."), code="parent")
        if criterion is not None and (parent.pk == criterion.pk or _descends_from(parent, criterion)):
            raise ValidationError(_("A criterion cannot be placed under itself."), code="cycle")
    if fields["max_points"] is None or fields["max_points"] < 0:
        raise ValidationError(_("The maximum cannot be negative."), code="negative")
    if not method_fits(group.kind, fields["method"]):
        raise ValidationError(
            _(
                "Bonus groups hold bonus criteria, penalty groups penalty criteria, content groups the others."
            ),
            code="method",
        )
    criterion = criterion or Criterion()
    for name in CRITERION_FIELDS:
        setattr(criterion, name, fields.get(name))
    criterion.evidence_required = bool(fields.get("evidence_required"))
    criterion.guidance = fields.get("guidance") or ""
    with audited(by, "criterion saved"):
        criterion.save()
    return criterion


def _descends_from(candidate: Criterion, ancestor: Criterion) -> bool:
    seen = set()
    node = candidate
    while node.parent_id is not None and node.pk not in seen:
        seen.add(node.pk)
        if node.parent_id == ancestor.pk:
            return True
        node = node.parent
    return False


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by: Any) -> None:
    require_draft(criterion.group.table)
    with audited(by, "criterion deleted"):
        criterion.delete()


@transaction.atomic
def band_save(
    *, table: ScoreTable, by: Any, band: ClassificationBand | None = None, **fields: Any
) -> ClassificationBand:
    require_draft(table)
    for name in ("min_percent", "min_criterion_percent"):
        value = fields.get(name)
        if value is not None and not (0 <= value <= 100):
            raise ValidationError(_("A percentage lies between 0 and 100."), code="percent")
    band = band or ClassificationBand(table=table)
    for name in BAND_FIELDS:
        setattr(band, name, fields.get(name))
    with audited(by, "classification band saved"):
        band.save()
    return band


@transaction.atomic
def band_delete(*, band: ClassificationBand, by: Any) -> None:
    require_draft(band.table)
    with audited(by, "classification band deleted"):
        band.delete()


# --- Checks before signing ---------------------------------------------------------------------


@dataclass
class TableTree:
    """A table's groups with their criteria as a tree, read in three queries."""

    table: ScoreTable
    groups: list[CriterionGroup]
    bands: list[ClassificationBand]

    @property
    def leaves(self) -> list[Criterion]:
        return [c for g in self.groups for c in g.flat if not c.kids]

    @property
    def content_max(self) -> Decimal:
        return sum((g.max_points for g in self.groups if g.kind == GroupKind.CONTENT), ZERO)

    @property
    def bonus_max(self) -> Decimal:
        return sum((g.max_points for g in self.groups if g.kind == GroupKind.BONUS), ZERO)


def table_tree(table: ScoreTable) -> TableTree:
    """Groups in order, each with `flat` (criteria in reading order, with `depth` and `kids`)."""
    groups = list(table.groups.order_by("order", "pk"))
    criteria = list(Criterion.objects.filter(group__table=table).order_by("order", "pk"))
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    for group in groups:
        flat: list[Criterion] = []

        def walk(nodes: Iterable[Criterion], depth: int, flat: list[Criterion] = flat) -> None:
            for node in nodes:
                node.depth = depth
                node.kids = children.get(node.pk, [])
                flat.append(node)
                walk(node.kids, depth + 1)

        walk([c for c in children.get(None, []) if c.group_id == group.pk], 0)
        group.flat = flat
    return TableTree(table=table, groups=groups, bands=list(table.bands.all()))


def table_problems(tree: TableTree) -> list[str]:
    """Why the table cannot be signed yet (empty when it can): every total must add up."""
    problems: list[str] = []
    content_groups = [g for g in tree.groups if g.kind == GroupKind.CONTENT]
    if not content_groups or not any(g.flat for g in content_groups):
        problems.append(_("The table needs at least one content group with criteria."))
    for group in tree.groups:
        top = [c for c in group.flat if c.depth == 0]
        if group.kind == GroupKind.CONTENT:
            total = sum((c.max_points for c in top), ZERO)
            if total != group.max_points:
                problems.append(
                    _("Group %(group)s: its criteria add up to %(sum)s, not its maximum %(max)s.")
                    % {"group": group.code, "sum": _n(total), "max": _n(group.max_points)}
                )
        else:
            over = [c.code for c in group.flat if c.max_points > group.max_points]
            if over:
                problems.append(
                    _("Group %(group)s: criteria %(codes)s exceed the group's cap.")
                    % {"group": group.code, "codes": ", ".join(over)}
                )
        for criterion in group.flat:
            if criterion.kids and group.kind == GroupKind.CONTENT:
                total = sum((kid.max_points for kid in criterion.kids), ZERO)
                if total != criterion.max_points:
                    problems.append(
                        _("Criterion %(code)s: its sub-criteria add up to %(sum)s, not %(max)s.")
                        % {"code": criterion.code, "sum": _n(total), "max": _n(criterion.max_points)}
                    )
    declared = tree.content_max + tree.bonus_max
    if declared != tree.table.declared_total:
        problems.append(
            _(
                "Content maximums (%(content)s) plus bonus caps (%(bonus)s) make %(sum)s, not the declared total %(total)s."
            )
            % {
                "content": _n(tree.content_max),
                "bonus": _n(tree.bonus_max),
                "sum": _n(declared),
                "total": _n(tree.table.declared_total),
            }
        )
    if not tree.bands:
        problems.append(_("The table needs at least one classification band."))
    return problems


def _n(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


# --- Pledge and revisions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Signatory:
    unit: Unit
    signer_name: str = ""
    signer_title: str = ""


@transaction.atomic
def pledge_sign(
    *,
    term: ClusterTerm,
    signed_on: dt.date,
    place: str,
    signatories: Sequence[Signatory],
    by: Any,
    document: Any = None,
    note: str = "",
) -> Pledge:
    """Record the signed pledge (giao ước thi đua); it locks the year's scoring table."""
    table = ScoreTable.objects.select_for_update().filter(term=term, status=TableStatus.DRAFT).first()
    if table is None or Pledge.objects.filter(term=term).exists():
        raise ValidationError(_("The pledge of this cluster year is already signed."), code="signed")
    problems = table_problems(table_tree(table))
    if problems:
        raise ValidationError(problems, code="totals")
    member_ids = set(term.memberships.values_list("unit_id", flat=True))
    if not signatories or any(s.unit.pk not in member_ids for s in signatories):
        raise ValidationError(_("Signatories must be member units of the cluster."), code="signatories")
    with audited(by, "pledge signed"):
        pledge = Pledge.objects.create(
            term=term,
            table=table,
            signed_on=signed_on,
            place=place,
            document=document or "",
            document_original_name=original_name(document) if document else "",
            note=note,
            recorded_by=by,
        )
        PledgeSignature.objects.bulk_create(
            PledgeSignature(
                pledge=pledge, unit=s.unit, signer_name=s.signer_name, signer_title=s.signer_title
            )
            for s in signatories
        )
        table.status, table.signed_at = TableStatus.SIGNED, timezone.now()
        table.save(update_fields=["status", "signed_at"])
    return pledge


@transaction.atomic
def score_table_revise(*, table: ScoreTable, reason: str, decision: str, by: Any) -> ScoreTable:
    """A new draft version of a signed table, on a staff decision with a reason."""
    if table.status != TableStatus.SIGNED:
        raise ValidationError(_("Only the signed table in force can be revised."), code="not_signed")
    scoring = scoring_for(table.term)
    if scoring.reached(ScoringStage.CROSS):
        raise ValidationError(
            _("The table can no longer change once cross-scoring has started."), code="late"
        )
    if not reason.strip() or not decision.strip():
        raise ValidationError(_("A revision needs the staff decision and its reason."), code="reason")
    if ScoreTable.objects.filter(term=table.term, status=TableStatus.DRAFT).exists():
        raise ValidationError(_("A revision of this table is already being drafted."), code="draft")
    with audited(by, f"score table revision: {reason}"[:200]):
        revision = ScoreTable.objects.create(
            term=table.term,
            version=table.version + 1,
            title=table.title,
            declared_total=table.declared_total,
            previous=table,
            revision_reason=reason,
            revision_decision=decision,
            created_by=by,
        )
        _copy_tree(table, revision)
    return revision


@transaction.atomic
def score_table_adopt(*, table: ScoreTable, by: Any) -> ScoreTable:
    """Put a revised draft in force: the previous version is kept as replaced, and the scores
    already given move to the matching criteria of the new version."""
    if table.status != TableStatus.DRAFT or table.previous_id is None:
        raise ValidationError(_("Only a revision draft can be put in force."), code="not_revision")
    problems = table_problems(table_tree(table))
    if problems:
        raise ValidationError(problems, code="totals")
    previous = ScoreTable.objects.select_for_update().get(pk=table.previous_id)
    with audited(by, "score table revision adopted"):
        previous.status = TableStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        for criterion in Criterion.objects.filter(group__table=table, copied_from__isnull=False):
            ScoreEntry.objects.filter(criterion_id=criterion.copied_from_id).update(criterion=criterion)
        table.status, table.signed_at = TableStatus.SIGNED, timezone.now()
        table.save(update_fields=["status", "signed_at"])
    return table
