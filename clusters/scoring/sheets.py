"""The scoring table as an Excel workbook, so the tables provinces keep in Excel come in.

One sheet, one row per group or criterion, in reading order:

    Nhóm | Tiêu chí | Thuộc tiêu chí | Nội dung | Điểm tối đa | Loại | Minh chứng | Người chấm | Hướng dẫn

A row with a group number (I, II, …) and no criterion number starts a group; the rows below it
are its criteria. "Thuộc tiêu chí" names the parent of a sub-criterion by its number. Kinds,
methods and scorers are written as the Vietnamese words below (the English codes are accepted
too). An import replaces the draft's groups and criteria, all rows or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.targets import SheetError, SheetErrors
from clusters.models import (
    Criterion,
    CriterionGroup,
    CriterionMethod,
    CriterionScorer,
    GroupKind,
    ScoreTable,
)
from clusters.scoring.tables import audited, method_fits, require_draft, table_tree
from core.numbers import parse_number
from core.text import fold
from core.uploads import validate_upload

MAX_ROWS = 2000
HEADERS = [
    gettext_lazy("Group"),
    gettext_lazy("Criterion"),
    gettext_lazy("Under criterion"),
    gettext_lazy("Content"),
    gettext_lazy("Maximum points"),
    gettext_lazy("Kind or method"),
    gettext_lazy("Evidence required"),
    gettext_lazy("Scored by"),
    gettext_lazy("How to score"),
]
# The words written in the sheet; the data format does not change with the interface language.
GROUP_WORDS = {GroupKind.CONTENT: "nội dung", GroupKind.BONUS: "điểm thưởng", GroupKind.PENALTY: "điểm trừ"}
METHOD_WORDS = {
    CriterionMethod.QUANTITATIVE: "định lượng",
    CriterionMethod.QUALITATIVE: "định tính",
    CriterionMethod.FIXED: "chấm thẳng",
    CriterionMethod.BONUS: "cộng",
    CriterionMethod.PENALTY: "trừ",
}
SCORER_WORDS = {
    CriterionScorer.UNIT: "đơn vị",
    CriterionScorer.LEADERS: "trưởng, phó cụm",
    CriterionScorer.OFFICE: "phòng TĐKT",
    CriterionScorer.AGENCY: "cơ quan kiểm tra",
}
YES_WORDS = {"x", "co", "yes", "1", "true", "bat buoc"}


def _lookup(words: dict[str, str]) -> dict[str, str]:
    table = {fold(word): code for code, word in words.items()}
    table.update({fold(code): code for code in words})
    return table


GROUP_LOOKUP = _lookup(GROUP_WORDS)
METHOD_LOOKUP = _lookup(METHOD_WORDS)
SCORER_LOOKUP = _lookup(SCORER_WORDS)


def write_table(table: ScoreTable, stream: IO[bytes]) -> None:
    """Write the table to `stream` as xlsx (the layout the import reads back)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    tree = table_tree(table)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Scoring table")[:31]
    sheet.append([str(header) for header in HEADERS])
    for group in tree.groups:
        sheet.append([group.code, "", "", group.name, group.max_points, GROUP_WORDS[group.kind], "", "", ""])
        codes = {c.pk: c.code for c in group.flat}
        for criterion in group.flat:
            sheet.append(
                [
                    "",
                    criterion.code,
                    codes.get(criterion.parent_id, ""),
                    criterion.name,
                    criterion.max_points,
                    METHOD_WORDS[criterion.method],
                    "x" if criterion.evidence_required else "",
                    SCORER_WORDS[criterion.scorer],
                    criterion.guidance,
                ]
            )
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"  # shown as text, never run as a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", [8, 10, 12, 60, 12, 16, 12, 18, 40], strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(stream)


@dataclass
class _Row:
    number: int
    code: str
    name: str
    max_points: Decimal
    kind: str
    parent_code: str = ""
    evidence_required: bool = False
    scorer: str = CriterionScorer.UNIT
    guidance: str = ""


@dataclass
class _Group:
    row: _Row
    criteria: list[_Row] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_table(upload: Any) -> list[_Group]:
    """Read and check every row; raise SheetErrors listing all the wrong ones."""
    from openpyxl import load_workbook

    validate_upload(upload, allowed={"xlsx"})
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file.
        raise ValidationError(
            _(
                "The file cannot be read as an Excel workbook. Open it in Excel, save it as .xlsx and try again."
            )
        ) from error
    groups: list[_Group] = []
    errors: list[SheetError] = []
    try:
        rows: Iterator[tuple[Any, ...]] = workbook.worksheets[0].iter_rows(values_only=True)
        next(rows, None)  # headings
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS:
                raise ValidationError(_("The file has more than %(count)d rows.") % {"count": MAX_ROWS})
            cells = [_text(v) for v in (*values, *[None] * 9)[:9]]
            if not any(cells):
                continue
            group_code, code, parent_code, name, _max, kind, evidence, scorer, guidance = cells
            try:
                max_points = parse_number(values[4] if len(values) > 4 else None)
            except ValidationError as error:
                errors.append(SheetError(number, "E", error.messages[0]))
                continue
            if max_points is None or max_points < 0:
                errors.append(SheetError(number, "E", _("The maximum points are missing or negative.")))
                continue
            if not name:
                errors.append(SheetError(number, "D", _("The content is missing.")))
                continue
            if group_code and not code:
                group_kind = GROUP_LOOKUP.get(fold(kind or GROUP_WORDS[GroupKind.CONTENT]))
                if group_kind is None:
                    errors.append(
                        SheetError(number, "F", _("Unknown group kind “%(value)s”.") % {"value": kind})
                    )
                    continue
                groups.append(_Group(_Row(number, group_code, name, max_points, group_kind)))
                continue
            if not code:
                errors.append(SheetError(number, "B", _("Neither a group nor a criterion number.")))
                continue
            if not groups:
                errors.append(SheetError(number, "A", _("A criterion comes before any group.")))
                continue
            group = groups[-1]
            default_method = {
                GroupKind.BONUS: CriterionMethod.BONUS,
                GroupKind.PENALTY: CriterionMethod.PENALTY,
            }.get(group.row.kind, CriterionMethod.QUALITATIVE)
            method = METHOD_LOOKUP.get(fold(kind)) if kind else default_method
            if method is None:
                errors.append(
                    SheetError(number, "F", _("Unknown scoring method “%(value)s”.") % {"value": kind})
                )
                continue
            if not method_fits(group.row.kind, method):
                errors.append(SheetError(number, "F", _("This method does not fit the kind of its group.")))
                continue
            scorer_code = SCORER_LOOKUP.get(fold(scorer)) if scorer else CriterionScorer.UNIT
            if scorer_code is None:
                errors.append(SheetError(number, "H", _("Unknown scorer “%(value)s”.") % {"value": scorer}))
                continue
            known = {row.code for row in group.criteria}
            if parent_code and parent_code not in known:
                errors.append(
                    SheetError(
                        number,
                        "C",
                        _("No criterion %(code)s above this row in its group.") % {"code": parent_code},
                    )
                )
                continue
            if code in known:
                errors.append(
                    SheetError(
                        number, "B", _("Criterion %(code)s appears twice in its group.") % {"code": code}
                    )
                )
                continue
            group.criteria.append(
                _Row(
                    number,
                    code,
                    name,
                    max_points,
                    method,
                    parent_code=parent_code,
                    evidence_required=fold(evidence) in YES_WORDS,
                    scorer=scorer_code,
                    guidance=guidance,
                )
            )
    finally:
        workbook.close()
    if errors:
        raise SheetErrors(errors)
    if not groups:
        raise ValidationError(_("The file holds no criterion group."))
    return groups


@transaction.atomic
def score_table_import(*, table: ScoreTable, upload: Any, by: Any) -> int:
    """Replace the draft's groups and criteria with the workbook's; returns the criteria count."""
    require_draft(table)
    groups = read_table(upload)
    count = 0
    with audited(by, f"score table imported from {getattr(upload, 'name', 'a workbook')}"[:200]):
        table.groups.all().delete()
        for order, item in enumerate(groups):
            group = CriterionGroup.objects.create(
                table=table,
                order=order,
                code=item.row.code,
                name=item.row.name,
                kind=item.row.kind,
                max_points=item.row.max_points,
            )
            made: dict[str, Criterion] = {}
            for position, row in enumerate(item.criteria):
                made[row.code] = Criterion.objects.create(
                    group=group,
                    parent=made.get(row.parent_code) if row.parent_code else None,
                    order=position,
                    code=row.code,
                    name=row.name,
                    max_points=row.max_points,
                    method=row.kind,
                    evidence_required=row.evidence_required,
                    scorer=row.scorer,
                    guidance=row.guidance,
                )
                count += 1
    return count
