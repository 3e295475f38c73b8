"""Chỉ tiêu thi đua — the targets of a campaign and the values assigned to each unit.

Reads (selectors) and writes (services) live together here because they share the number
rules and the spreadsheet layout. Targets change only while the campaign is a draft; the values
assigned to units may change until the campaign is closed (staff decision: a province often
adjusts the allocation after launching). Every write validates all of its input first and then
writes in one transaction, so a wrong cell never leaves half a grid or half a file saved.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, DecimalField, Max, OuterRef, Q, Subquery, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import (
    Campaign,
    CampaignStatus,
    Target,
    TargetAssignment,
    TargetGroup,
    TargetKind,
)
from campaigns.selectors import participant_units
from clusters.models import Unit
from core.audit import audit_context
from core.db import Vietnamese
from core.numbers import format_number, parse_number
from core.text import fold
from core.uploads import validate_upload

GROUP_ORDER = {value: index for index, value in enumerate(TargetGroup.values)}

# The assignment spreadsheet: unit code, unit name, then one column per measurable target. The
# hidden second row holds the target ids, so renamed or reordered columns still match.
TEMPLATE_ID_MARKER = "#chi-tieu-id"
FIRST_TARGET_COLUMN = 3
MAX_IMPORT_ROWS = 10_000
UNIT_CODE_LABEL = gettext_lazy("Unit code")
UNIT_NAME_LABEL = gettext_lazy("Unit name")

# Grid inputs are named c-<unit id>-<target id>.
GRID_CELL = re.compile(r"^c-(\d+)-(\d+)$")
# Django refuses a POST with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields, so a large grid is
# split into pages that each stay under it (a few fields are kept for the token and buttons).
GRID_RESERVED_FIELDS = 10
GRID_MAX_ROWS = 200

CellKey = tuple[int, int]  # (unit id, target id)


# --- Errors ---------------------------------------------------------------------------------


class AssignmentErrors(ValidationError):
    """Some cells of a grid are wrong; `cells` maps (unit id, target id) to what is wrong."""

    def __init__(self, cells: Mapping[CellKey, str]) -> None:
        self.cells = dict(cells)
        super().__init__(list(self.cells.values()) or [_("The grid has errors.")])


@dataclass(frozen=True)
class SheetError:
    """One problem in an uploaded workbook, located by row number and column letter."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)d, column %(column)s: %(problem)s") % {
                "row": self.row,
                "column": self.column,
                "problem": self.problem,
            }
        return _("Row %(row)d: %(problem)s") % {"row": self.row, "problem": self.problem}


class SheetErrors(ValidationError):
    """The rows of a workbook that are wrong, every one of them; nothing was saved."""

    def __init__(self, rows: Iterable[SheetError]) -> None:
        self.rows = list(rows)
        super().__init__([str(row) for row in self.rows])


@dataclass(frozen=True)
class AssignmentChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


# --- Selectors ------------------------------------------------------------------------------


def _sorted_by_group(targets: Iterable[Target]) -> list[Target]:
    """Groups in the order of the choices (economy first), not alphabetically by code."""
    return sorted(targets, key=lambda t: (GROUP_ORDER.get(t.group, len(GROUP_ORDER)), t.order, t.pk))


def measurable_targets(campaign: Campaign) -> list[Target]:
    """The targets that get a value per unit, in display order. One query."""
    return _sorted_by_group(campaign.targets.filter(kind=TargetKind.QUANTITATIVE))


def targets_with_totals(campaign: Campaign, *, unit_id: int | None = None) -> list[Target]:
    """Every target with `assigned_total` and `assigned_count` over the participating units,
    and `own_value` (the value assigned to `unit_id`) when a unit is given. One query."""
    participants = participant_units(campaign).values("pk")
    in_campaign = Q(assignments__unit__in=participants)
    targets = campaign.targets.annotate(
        assigned_total=Sum("assignments__value", filter=in_campaign),
        assigned_count=Count("assignments", filter=in_campaign),
    )
    if unit_id is not None:
        own = TargetAssignment.objects.filter(target=OuterRef("pk"), unit_id=unit_id).values("value")[:1]
        targets = targets.annotate(
            own_value=Subquery(own, output_field=DecimalField(max_digits=16, decimal_places=2))
        )
    return _sorted_by_group(targets)


@dataclass
class TargetGroupRows:
    group: str
    label: str
    targets: list[Target]


def group_targets(targets: Iterable[Target]) -> list[TargetGroupRows]:
    labels = dict(TargetGroup.choices)
    return [
        TargetGroupRows(group=group, label=str(labels.get(group, group)), targets=list(items))
        for group, items in itertools.groupby(targets, key=lambda t: t.group)
    ]


def can_edit_targets(campaign: Campaign, user: Any) -> bool:
    return user.has_perm("campaigns.manage_campaigns") and campaign.status == CampaignStatus.DRAFT


def can_assign_targets(campaign: Campaign, user: Any) -> bool:
    return user.has_perm("campaigns.manage_campaigns") and campaign.status != CampaignStatus.CLOSED


def section_context(campaign: Campaign, section: str, *, user: Any) -> dict[str, Any]:
    """The targets section of the campaign page: targets grouped, with the province-wide value,
    the sum assigned to participating units and, for a unit's officer, their unit's value."""
    own_unit_id = getattr(user, "unit_id", None) if getattr(user, "unit_role", "") else None
    targets = targets_with_totals(campaign, unit_id=own_unit_id)
    return {
        "target_groups": group_targets(targets),
        "target_count": len(targets),
        "has_measurable_targets": any(t.is_measurable for t in targets),
        "show_own_unit": own_unit_id is not None,
        "can_edit_targets": can_edit_targets(campaign, user),
        "can_assign_targets": can_assign_targets(campaign, user),
        "can_manage_targets": user.has_perm("campaigns.manage_campaigns"),
    }


def cell_name(unit_id: int, target_id: int) -> str:
    return f"c-{unit_id}-{target_id}"


def grid_cells(data: Mapping[str, Any]) -> dict[CellKey, str]:
    """The grid's cells from posted data: (unit id, target id) → the text typed."""
    cells = {}
    for name in data:
        match = GRID_CELL.match(name)
        if match:
            cells[(int(match[1]), int(match[2]))] = str(data.get(name, ""))
    return cells


def grid_page_size(target_count: int) -> int:
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is None:
        return GRID_MAX_ROWS
    return max(1, min(GRID_MAX_ROWS, (limit - GRID_RESERVED_FIELDS) // max(1, target_count)))


@dataclass
class GridCell:
    target: Target
    name: str
    value: str
    error: str = ""


@dataclass
class GridRow:
    unit: Unit
    cells: list[GridCell] = field(default_factory=list)


def grid_context(
    campaign: Campaign,
    *,
    page_number: Any = 1,
    typed: Mapping[CellKey, str] | None = None,
    errors: Mapping[CellKey, str] | None = None,
) -> dict[str, Any]:
    """The assignment grid (units × measurable targets), one page of units at a time.

    Typed values and their errors, when given, replace the stored values so a correction loses
    nothing. Four queries: targets with totals, unit count, the page of units, their values.
    """
    typed, errors = typed or {}, errors or {}
    targets = [t for t in targets_with_totals(campaign) if t.is_measurable]
    units = participant_units(campaign).order_by(Vietnamese("name"), "pk").only("pk", "name", "code")
    page: Page = Paginator(units, grid_page_size(len(targets))).get_page(page_number)
    stored = {}
    if targets and page.object_list:
        stored = {
            (unit_id, target_id): value
            for unit_id, target_id, value in TargetAssignment.objects.filter(
                target__in=[t.pk for t in targets], unit__in=[u.pk for u in page.object_list]
            ).values_list("unit_id", "target_id", "value")
        }
    rows = []
    for unit in page.object_list:
        row = GridRow(unit=unit)
        for target in targets:
            key = (unit.pk, target.pk)
            value = typed[key] if key in typed else format_number(stored.get(key))
            row.cells.append(GridCell(target, cell_name(*key), value, errors.get(key, "")))
        rows.append(row)
    shown = {(row.unit.pk, cell.target.pk): (row.unit, cell.target) for row in rows for cell in row.cells}
    return {
        "campaign": campaign,
        "targets": targets,
        "target_groups": group_targets(targets),
        "page_obj": page,
        "rows": rows,
        "grid_errors": [
            {"name": cell_name(*key), "unit": shown[key][0], "target": shown[key][1], "problem": problem}
            for key, problem in errors.items()
            if key in shown
        ],
        "hidden_error_count": sum(1 for key in errors if key not in shown),
        "can_save": campaign.status != CampaignStatus.CLOSED,
    }


# --- Services: targets ----------------------------------------------------------------------

TARGET_FIELDS = (
    "group",
    "name",
    "kind",
    "unit_of_measure",
    "baseline",
    "target_value",
    "direction",
    "weight",
)


def _check_draft(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Targets can be changed only while the campaign is a draft."))


def _clean_target(target: Target) -> None:
    if not target.is_measurable:
        # A done-or-not-done target has no scale; stale numbers would only mislead.
        target.unit_of_measure, target.baseline, target.target_value = "", None, None
    errors = {}
    if not (target.name or "").strip():
        errors["name"] = _("Enter the name of the target.")
    if target.is_measurable and target.target_value is None:
        errors["target_value"] = _("A measurable target needs a target value.")
    if target.weight is None or target.weight <= 0:
        errors["weight"] = _("The weight must be greater than zero.")
    if errors:
        raise ValidationError(errors)
    target.name = target.name.strip()
    target.full_clean(exclude=["campaign", "order"])


def _unknown_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"Not target fields: {', '.join(sorted(unknown))}")


def _next_order(campaign: Campaign, group: str) -> int:
    return (campaign.targets.filter(group=group).aggregate(last=Max("order"))["last"] or 0) + 1


@transaction.atomic
def target_create(*, campaign: Campaign, by: Any, **fields: Any) -> Target:
    """Add a target to a draft campaign, at the end of its group."""
    _unknown_fields(fields)
    _check_draft(campaign)
    target = Target(campaign=campaign, **fields)
    _clean_target(target)
    target.order = _next_order(campaign, target.group)
    with audit_context(user=getattr(by, "pk", None), reason="target created"):
        target.save()
    return target


@transaction.atomic
def target_update(*, target: Target, by: Any, **fields: Any) -> Target:
    """Change a target of a draft campaign. A target that stops being measurable loses the
    values assigned to units, which no longer mean anything."""
    _unknown_fields(fields)
    _check_draft(target.campaign)
    old_group = Target.objects.filter(pk=target.pk).values_list("group", flat=True).first()
    for name, value in fields.items():
        setattr(target, name, value)
    _clean_target(target)
    if target.group != old_group:
        target.order = _next_order(target.campaign, target.group)
    with audit_context(user=getattr(by, "pk", None), reason="target edited"):
        target.save()
        if not target.is_measurable:
            target.assignments.all().delete()
    return target


@transaction.atomic
def target_delete(*, target: Target, by: Any) -> None:
    """Remove a target of a draft campaign with its assigned values."""
    _check_draft(target.campaign)
    with audit_context(user=getattr(by, "pk", None), reason="target deleted"):
        target.delete()


# --- Services: assigned values --------------------------------------------------------------


def check_assignable(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(_("The assigned values of a closed campaign cannot be changed."))


@transaction.atomic
def assignments_save(
    *,
    campaign: Campaign,
    cells: Mapping[CellKey, object],
    by: Any,
    reason: str = "assigned values saved",
) -> AssignmentChanges:
    """Set the values assigned to units: (unit id, target id) → value; empty removes it.

    Every cell is checked before anything is written; if one is wrong, AssignmentErrors lists
    them all and nothing changes. Cells that are not given are left as they are.
    """
    check_assignable(campaign)
    if not cells:
        return AssignmentChanges()
    target_ids = set(campaign.targets.filter(kind=TargetKind.QUANTITATIVE).values_list("pk", flat=True))
    unit_ids = set(
        participant_units(campaign)
        .filter(pk__in={unit_id for unit_id, _target_id in cells})
        .values_list("pk", flat=True)
    )
    values: dict[CellKey, Decimal | None] = {}
    errors: dict[CellKey, str] = {}
    for key, raw in cells.items():
        unit_id, target_id = key
        if unit_id not in unit_ids or target_id not in target_ids:
            errors[key] = _("This unit or target is no longer part of the campaign; reload the page.")
            continue
        try:
            values[key] = parse_number(raw)
        except ValidationError as error:
            errors[key] = error.messages[0]
    if errors:
        raise AssignmentErrors(errors)

    existing = {
        (a.unit_id, a.target_id): a
        for a in TargetAssignment.objects.filter(
            target_id__in={k[1] for k in values}, unit_id__in={k[0] for k in values}
        )
    }
    upserts, deleted = [], []
    created = updated = 0
    for (unit_id, target_id), value in values.items():
        current = existing.get((unit_id, target_id))
        if value is None:
            if current is not None:
                deleted.append(current.pk)
        elif current is None or current.value != value:
            upserts.append(TargetAssignment(unit_id=unit_id, target_id=target_id, value=value))
            created += current is None
            updated += current is not None
    with audit_context(user=getattr(by, "pk", None), reason=reason):
        if deleted:
            TargetAssignment.objects.filter(pk__in=deleted).delete()
        if upserts:
            # One statement whatever the size; a row another user created meanwhile is updated.
            TargetAssignment.objects.bulk_create(
                upserts,
                update_conflicts=True,
                unique_fields=["target", "unit"],
                update_fields=["value"],
            )
    return AssignmentChanges(created=created, updated=updated, deleted=len(deleted))


# --- Spreadsheet: template and import -------------------------------------------------------


def target_header(target: Target) -> str:
    return f"{target.name} ({target.unit_of_measure})" if target.unit_of_measure else target.name


def _labels(message: Any) -> set[str]:
    """A column label as written in any language of the interface."""
    labels = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.add(fold(str(message)))
    return labels


def assignment_template(campaign: Campaign, stream: IO[bytes]) -> None:
    """Write the xlsx template: participating units with their current values, one column per
    measurable target. Filling it in and importing it back sets the values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    targets = measurable_targets(campaign)
    units = list(participant_units(campaign).order_by(Vietnamese("name"), "pk").only("pk", "code", "name"))
    values = {
        (unit_id, target_id): value
        for unit_id, target_id, value in TargetAssignment.objects.filter(
            target__in=[t.pk for t in targets]
        ).values_list("unit_id", "target_id", "value")
    }

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Assigned values")[:31]
    sheet.append([str(UNIT_CODE_LABEL), str(UNIT_NAME_LABEL), *[target_header(t) for t in targets]])
    sheet.append([TEMPLATE_ID_MARKER, "", *[t.pk for t in targets]])
    for unit in units:
        sheet.append([unit.code, unit.name, *[values.get((unit.pk, t.pk)) for t in targets]])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                # Text that Excel would otherwise run as a formula (formula injection).
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].hidden = True
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40
    last_row = max(3, len(units) + 2)
    for index in range(FIRST_TARGET_COLUMN, FIRST_TARGET_COLUMN + len(targets)):
        sheet.column_dimensions[get_column_letter(index)].width = 20
    if targets:
        numbers = DataValidation(
            type="decimal",
            operator="between",
            formula1="-99999999999999",
            formula2="99999999999999",
            allow_blank=True,
            showErrorMessage=True,
            error=_("Enter a number."),
        )
        first = get_column_letter(FIRST_TARGET_COLUMN)
        last = get_column_letter(FIRST_TARGET_COLUMN + len(targets) - 1)
        numbers.add(f"{first}3:{last}{last_row}")
        sheet.add_data_validation(numbers)

    notes = workbook.create_sheet(_("Instructions")[:31])
    for line in (
        _("Enter the value assigned to each unit in the column of each target."),
        _("Units are matched by their code (column A); the unit name is only a reminder."),
        _("An empty cell removes the value assigned to that unit."),
        _("Do not add, remove or reorder columns, and keep the hidden second row."),
        _("If any row is wrong, nothing is saved and every problem is listed."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    workbook.save(stream)


@dataclass
class WorkbookReading:
    cells: dict[CellKey, Decimal | None] = field(default_factory=dict)
    errors: list[SheetError] = field(default_factory=list)
    unit_count: int = 0


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _column_map(header: list[object], ids: list[object] | None, targets: list[Target]) -> dict[int, Target]:
    """Column index → target, checked against the campaign; raises a file-level error."""
    from openpyxl.utils import get_column_letter

    problems = []
    if ids is None and not (
        fold(_text(header[0] if header else None)) in _labels(UNIT_CODE_LABEL)
        and fold(_text(header[1] if len(header) > 1 else None)) in _labels(UNIT_NAME_LABEL)
    ):
        raise ValidationError(
            _(
                "Column A must be “%(code)s” and column B “%(name)s”, as in the template. "
                "Download the template again and copy the values into it."
            )
            % {"code": UNIT_CODE_LABEL, "name": UNIT_NAME_LABEL}
        )
    by_id = {t.pk: t for t in targets}
    columns: dict[int, Target] = {}
    width = max(len(header), len(ids or []))
    for index in range(FIRST_TARGET_COLUMN - 1, width):
        letter = get_column_letter(index + 1)
        title = _text(header[index] if index < len(header) else None)
        if ids is not None:
            raw_id = _text(ids[index] if index < len(ids) else None)
            if not raw_id and not title:
                continue
            target = by_id.get(int(raw_id)) if raw_id.isdigit() else None
        else:
            if not title:
                continue
            position = index - (FIRST_TARGET_COLUMN - 1)
            target = targets[position] if position < len(targets) else None
            if target is not None and fold(title) not in {fold(target_header(target)), fold(target.name)}:
                target = None
        if target is None:
            problems.append(
                _("Column %(column)s (“%(title)s”) is not a measurable target of this campaign.")
                % {"column": letter, "title": title[:80]}
            )
        elif target in columns.values():
            problems.append(
                _("Column %(column)s repeats the target “%(name)s”.")
                % {"column": letter, "name": target.name}
            )
        else:
            columns[index] = target
    problems.extend(
        _("The file has no column for the target “%(name)s”.") % {"name": target.name}
        for target in targets
        if target not in columns.values()
    )
    if problems:
        problems.append(_("Download the template again: it always has the right columns."))
        raise ValidationError(problems)
    return columns


def _cell_number(cell: Any) -> Decimal | None:
    raw = getattr(cell, "value", None)
    # A cell formatted as a percentage shows 95% but holds 0.95; the value shown is meant.
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and "%" in (cell.number_format or ""):
        raw = float(raw) * 100
    return parse_number(raw)


def read_assignment_workbook(campaign: Campaign, upload: Any) -> WorkbookReading:
    """Check an uploaded workbook and read its values, writing nothing.

    A file that is not a real xlsx, or whose columns are not the template's, raises a
    ValidationError; problems in the rows are returned in `errors`, every one of them.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    validate_upload(upload, allowed={"xlsx"})
    targets = measurable_targets(campaign)
    if not targets:
        raise ValidationError(_("This campaign has no measurable targets to assign."))
    units = {unit.code: unit.pk for unit in participant_units(campaign).only("pk", "code")}
    folded_units = {code.casefold(): pk for code, pk in units.items()}
    reading = WorkbookReading()
    seen: dict[int, int] = {}
    unreadable = ValidationError(
        _("The file cannot be read as an Excel workbook. Open it in Excel, save it as .xlsx and try again.")
    )
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error on a damaged file.
        raise unreadable from error
    try:
        rows: Iterator[tuple[Any, ...]] = workbook.worksheets[0].iter_rows()
        header = [cell.value for cell in next(rows, ())]
        second = next(rows, None)
        first_row = 2
        ids = None
        if second is not None and _text(second[0].value if second else None) == TEMPLATE_ID_MARKER:
            ids, first_row = [cell.value for cell in second], 3
        elif second is not None:
            rows = itertools.chain([second], rows)
        columns = _column_map(header, ids, targets)
        for number, row in enumerate(rows, start=first_row):
            if number > MAX_IMPORT_ROWS:
                raise ValidationError(
                    _("The file has more than %(count)d rows.") % {"count": MAX_IMPORT_ROWS}
                )
            values = [getattr(cell, "value", None) for cell in row]
            if all(_text(value) == "" for value in values):
                continue
            code = _text(values[0] if values else None)
            unit_id = units.get(code) or folded_units.get(code.casefold())
            if not code:
                reading.errors.append(SheetError(number, "A", _("The unit code is missing.")))
            elif unit_id is None:
                reading.errors.append(
                    SheetError(
                        number,
                        "A",
                        _("No participating unit has the code “%(code)s”.") % {"code": code[:40]},
                    )
                )
            elif unit_id in seen:
                reading.errors.append(
                    SheetError(
                        number,
                        "A",
                        _("The unit “%(code)s” is already on row %(row)d.")
                        % {"code": code[:40], "row": seen[unit_id]},
                    )
                )
                unit_id = None
            else:
                seen[unit_id] = number
            for index, target in columns.items():
                cell = row[index] if index < len(row) else None
                try:
                    value = _cell_number(cell)
                except ValidationError as error:
                    reading.errors.append(SheetError(number, get_column_letter(index + 1), error.messages[0]))
                    continue
                if unit_id is not None:
                    reading.cells[(unit_id, target.pk)] = value
    except ValidationError:
        raise
    except Exception as error:  # a damaged part of the archive shows up only while reading.
        raise unreadable from error
    finally:
        workbook.close()
    reading.unit_count = len(seen)
    return reading


@transaction.atomic
def assignments_import(*, campaign: Campaign, upload: Any, by: Any) -> AssignmentChanges:
    """Set assigned values from a filled-in template: all rows or, if any is wrong, none.

    File-level problems raise ValidationError; wrong rows raise SheetErrors listing each one.
    """
    check_assignable(campaign)
    reading = read_assignment_workbook(campaign, upload)
    if reading.errors:
        raise SheetErrors(reading.errors)
    return assignments_save(
        campaign=campaign,
        cells=reading.cells,
        by=by,
        reason=f"assigned values imported from {getattr(upload, 'name', 'a workbook')}"[:200],
    )
