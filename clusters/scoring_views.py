"""Screens of a cluster's scoring year: the workspace, the scoring table and pledge, the
self-scoring form, the cross-scoring and office grids, the comparison, the ranking, the vote
and its minutes, and the staff overviews.

Who sees what is decided by the rules in `clusters.scoring.rules`; the writes are services in
`clusters.scoring`. Forms are re-shown with 200 when wrong, so htmx swaps them.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.targets import SheetErrors
from clusters.models import (
    AwardProposal,
    BallotCategory,
    ClassificationBand,
    Cluster,
    ClusterKind,
    ClusterMembership,
    ClusterTerm,
    Criterion,
    CriterionGroup,
    CriterionMethod,
    MemberRole,
    Pledge,
    ScoreEvidence,
    ScoreStage,
    ScoreTable,
    ScoringStage,
    TableStatus,
    TermScoring,
    TieBreak,
    Unit,
    UnitFlag,
)
from clusters.scoring import forms as scoring_forms
from clusters.scoring import scores, selectors, sheets, tables, votes
from clusters.scoring.rules import stage_of, term_role
from clusters.selectors import current_year
from core.db import Vietnamese
from core.exports import XLSX_CONTENT_TYPE, xlsx_response
from core.listing import Column, render_list, render_page, search_folded, wants_partial
from core.numbers import format_number, parse_number
from core.uploads import download_name
from core.views import parse_year

HTMX = "HX-Request"


# --- Helpers -----------------------------------------------------------------------------------


def _term(request: HttpRequest, term_pk: int, perm: str = "clusters.see_term_scoring") -> ClusterTerm:
    term = get_object_or_404(ClusterTerm.objects.select_related("cluster", "scoring"), pk=term_pk)
    if not request.user.has_perm("clusters.see_term_scoring", term):
        raise PermissionDenied
    if perm != "clusters.see_term_scoring" and not request.user.has_perm(perm, term):
        raise PermissionDenied
    return term


def _table(request: HttpRequest, pk: int) -> ScoreTable:
    table = get_object_or_404(ScoreTable.objects.select_related("term__cluster", "term__scoring"), pk=pk)
    if not request.user.has_perm("clusters.see_term_scoring", table.term):
        raise PermissionDenied
    return table


def _editable_table(request: HttpRequest, pk: int) -> ScoreTable:
    """A draft the user may change: the first draft by the leaders or staff, a revision by staff."""
    table = _table(request, pk)
    if table.status != TableStatus.DRAFT:
        raise PermissionDenied
    perm = "clusters.manage_scoring" if table.previous_id else "clusters.draft_score_table"
    if not request.user.has_perm(perm, table.term):
        raise PermissionDenied
    return table


def _workspace_url(term: ClusterTerm) -> str:
    return reverse("clusters:score_workspace", args=[term.pk])


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "clusters/score_form.html", context)


def _number(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


STAGES = list(ScoringStage)


def _timeline(term: ClusterTerm) -> list[dict[str, Any]]:
    current = stage_of(term)
    index = [s.value for s in STAGES].index(current)
    return [
        {"value": s.value, "label": s.label, "done": i < index, "current": i == index}
        for i, s in enumerate(STAGES)
    ]


# --- Workspace ---------------------------------------------------------------------------------


@require_GET
def score_workspace(request: HttpRequest, term_pk: int) -> HttpResponse:
    """The year at a glance: stage, table, pledge, members' progress and what to do next."""
    term = _term(request, term_pk)
    user = request.user
    scoring = selectors.scoring_of(term)
    versions = selectors.tables_of(term)
    table = selectors.in_force(versions)
    role = term_role(user, term)
    can_progress = user.has_perm("clusters.see_progress", term)
    progress = []
    if can_progress and table is not None:
        progress = selectors.self_score_progress(selectors.score_sheet(term, table))
    stage = stage_of(term)
    next_stage = scores.NEXT_STAGE.get(ScoringStage(stage))
    can_advance = next_stage is not None and (
        user.has_perm("clusters.manage_scoring")
        if next_stage == ScoringStage.VOTING
        else user.has_perm("clusters.lead_term", term)
    )
    context = {
        "term": term,
        "cluster": term.cluster,
        "scoring": scoring,
        "stage": stage,
        "timeline": _timeline(term),
        "versions": versions,
        "table": table,
        "pledge": selectors.pledge_of(term),
        "progress": progress,
        "role": role,
        "own_unit_id": user.unit_id if role else None,
        "next_stage": next_stage and ScoringStage(next_stage),
        "can_advance": can_advance,
        "can_draft": user.has_perm("clusters.draft_score_table", term),
        "can_sign": user.has_perm("clusters.sign_pledge", term),
        "can_lead": user.has_perm("clusters.lead_term", term),
        "can_manage": user.has_perm("clusters.manage_scoring"),
        "can_see_grid": user.has_perm("clusters.see_cross_grid", term),
        "can_see_ranking": user.has_perm("clusters.see_ranking", term),
    }
    return render_page(request, "clusters/score_workspace.html", "score-workspace", context)


@require_POST
def score_advance(request: HttpRequest, term_pk: int) -> HttpResponse:
    term = _term(request, term_pk, "clusters.lead_term")
    try:
        scoring = scores.scoring_advance(term=term, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The cluster year moved to: %(stage)s.") % {"stage": scoring.get_stage_display()}
        )
    return redirect(_workspace_url(term))


@require_http_methods(["GET", "POST"])
def score_settings(request: HttpRequest, term_pk: int) -> HttpResponse:
    """Deadlines (head, deputy or staff); quotas and the vote threshold (staff)."""
    term = _term(request, term_pk, "clusters.lead_term")
    staff = request.user.has_perm("clusters.manage_scoring")
    instance = selectors.scoring_of(term) or TermScoring(term=term)
    if stage_of(term) == ScoringStage.CLOSED:
        raise PermissionDenied
    form = scoring_forms.SettingsForm(request.POST or None, instance=instance, staff=staff)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        scores.scoring_settings_save(term=term, by=request.user, **fields)
        messages.success(request, _("The settings were saved."))
        return redirect(_workspace_url(term))
    return _form_page(
        request,
        {"term": term, "form": form, "title": _("Deadlines and quotas"), "back": _workspace_url(term)},
    )


# --- Scoring table -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def score_table_create(request: HttpRequest, term_pk: int) -> HttpResponse:
    term = _term(request, term_pk, "clusters.draft_score_table")
    if ScoreTable.objects.filter(term=term).exists():
        return redirect(_workspace_url(term))
    initial = {
        "title": _("Scoring table of %(cluster)s, %(year)s")
        % {"cluster": term.cluster.name, "year": term.year},
        "declared_total": 1000,
    }
    form = scoring_forms.TableCreateForm(
        request.POST or None, request.FILES or None, term=term, initial=initial
    )
    sheet_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = tables.score_table_create(
                term=term,
                title=data["title"],
                declared_total=data["declared_total"],
                copy_from=data["copy_from"],
                upload=data["file"],
                by=request.user,
            )
        except SheetErrors as error:
            sheet_errors = error.rows
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The scoring table was created."))
            return redirect(table.get_absolute_url())
    return _form_page(
        request,
        {
            "term": term,
            "form": form,
            "multipart": True,
            "sheet_errors": sheet_errors,
            "title": _("Start this year's scoring table"),
            "back": _workspace_url(term),
        },
    )


@require_GET
def score_table(request: HttpRequest, pk: int) -> HttpResponse:
    """The table as a tree with its totals; `?export=xlsx` downloads it in the import layout."""
    table = _table(request, pk)
    if request.GET.get("export") == "xlsx":
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        sheets.write_table(table, handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"bang-tieu-chi-{table.term.year}-{table.term.cluster.code}-v{table.version}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    tree = tables.table_tree(table)
    user = request.user
    editable = table.status == TableStatus.DRAFT and user.has_perm(
        "clusters.manage_scoring" if table.previous_id else "clusters.draft_score_table", table.term
    )
    context = {
        "table": table,
        "term": table.term,
        "tree": tree,
        "problems": tables.table_problems(tree),
        "editable": editable,
        "can_revise": table.status == TableStatus.SIGNED
        and user.has_perm("clusters.manage_scoring")
        and not table.term.scoring.reached(ScoringStage.CROSS),
        "can_adopt": editable and table.previous_id is not None,
        "tie_breaks": [TieBreak(rule).label for rule in table.tie_breaks if rule in TieBreak.values],
    }
    return render(request, "clusters/score_table.html", context)


@require_http_methods(["GET", "POST"])
def score_table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    table = _editable_table(request, pk)
    initial = {"title": table.title, "declared_total": table.declared_total, "tie_breaks": table.tie_breaks}
    form = scoring_forms.TableEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ordered = [rule for rule in TieBreak.values if rule in data["tie_breaks"]]
        try:
            tables.score_table_update(
                table=table,
                title=data["title"],
                declared_total=data["declared_total"],
                tie_breaks=ordered,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The scoring table was saved."))
            return redirect(table.get_absolute_url())
    return _form_page(
        request,
        {
            "term": table.term,
            "form": form,
            "title": _("Title, total and tie-breaks"),
            "back": table.get_absolute_url(),
        },
    )


def _child_edit(
    request: HttpRequest,
    *,
    table: ScoreTable,
    form_class: type[forms.ModelForm],
    instance: Any,
    save: Any,
    title: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data.get(name) for name in form.fields}
        try:
            save(table=table, by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            if "another" in request.POST:
                return redirect(request.path)
            return redirect(table.get_absolute_url())
    return _form_page(
        request,
        {
            "term": table.term,
            "form": form,
            "title": title,
            "back": table.get_absolute_url(),
            "another": instance is None,
        },
    )


@require_http_methods(["GET", "POST"])
def score_group_edit(request: HttpRequest, pk: int, group_pk: int | None = None) -> HttpResponse:
    table = _editable_table(request, pk)
    group = get_object_or_404(CriterionGroup, pk=group_pk, table=table) if group_pk else None

    def save(*, table: ScoreTable, by: Any, **fields: Any) -> Any:
        return tables.criterion_group_save(table=table, by=by, group=group, **fields)

    if group is None:
        initial_order = table.groups.count()
        request_form_initial = {"order": initial_order, "kind": "content"}
    else:
        request_form_initial = {}
    return _child_edit(
        request,
        table=table,
        form_class=scoring_forms.GroupForm,
        instance=group,
        save=save,
        title=_("Edit the criterion group") if group else _("Add a criterion group"),
        form_kwargs={"initial": request_form_initial},
    )


@require_http_methods(["GET", "POST"])
def score_criterion_edit(request: HttpRequest, pk: int, criterion_pk: int | None = None) -> HttpResponse:
    table = _editable_table(request, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, group__table=table) if criterion_pk else None

    def save(*, table: ScoreTable, by: Any, **fields: Any) -> Any:
        return tables.criterion_save(table=table, by=by, criterion=criterion, **fields)

    initial = {}
    if criterion is None and request.GET.get("group"):
        initial["group"] = request.GET["group"]
    return _child_edit(
        request,
        table=table,
        form_class=scoring_forms.CriterionForm,
        instance=criterion,
        save=save,
        title=_("Edit the criterion") if criterion else _("Add a criterion"),
        form_kwargs={"table": table, "initial": initial},
    )


@require_http_methods(["GET", "POST"])
def score_band_edit(request: HttpRequest, pk: int, band_pk: int | None = None) -> HttpResponse:
    table = _editable_table(request, pk)
    band = get_object_or_404(ClassificationBand, pk=band_pk, table=table) if band_pk else None

    def save(*, table: ScoreTable, by: Any, **fields: Any) -> Any:
        return tables.band_save(table=table, by=by, band=band, **fields)

    return _child_edit(
        request,
        table=table,
        form_class=scoring_forms.BandForm,
        instance=band,
        save=save,
        title=_("Edit the classification band") if band else _("Add a classification band"),
    )


@require_http_methods(["GET", "POST"])
def score_item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    """GET asks for confirmation (works without JavaScript); POST deletes a group, criterion or band."""
    table = _editable_table(request, pk)
    models = {
        "group": (CriterionGroup, "table"),
        "criterion": (Criterion, "group__table"),
        "band": (ClassificationBand, "table"),
    }
    if kind not in models:
        raise Http404
    model, lookup = models[kind]
    item = get_object_or_404(model, pk=item_pk, **{lookup: table})
    if request.method == "POST":
        delete = {
            "group": lambda: tables.criterion_group_delete(group=item, by=request.user),
            "criterion": lambda: tables.criterion_delete(criterion=item, by=request.user),
            "band": lambda: tables.band_delete(band=item, by=request.user),
        }[kind]
        try:
            delete()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": item})
        return redirect(table.get_absolute_url())
    return render(
        request,
        "clusters/score_confirm.html",
        {"term": table.term, "table": table, "item": item, "back": table.get_absolute_url()},
    )


@require_http_methods(["GET", "POST"])
def score_table_import(request: HttpRequest, pk: int) -> HttpResponse:
    table = _editable_table(request, pk)
    form = scoring_forms.ImportForm(request.POST or None, request.FILES or None)
    sheet_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = sheets.score_table_import(table=table, upload=form.cleaned_data["file"], by=request.user)
        except SheetErrors as error:
            sheet_errors = error.rows
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Imported: %(count)d criteria.") % {"count": count})
            return redirect(table.get_absolute_url())
    return _form_page(
        request,
        {
            "term": table.term,
            "form": form,
            "multipart": True,
            "sheet_errors": sheet_errors,
            "title": _("Import the table from Excel"),
            "lead": _("The groups and criteria of the draft are replaced by the file's, all rows or none."),
            "back": table.get_absolute_url(),
            "template_url": f"{table.get_absolute_url()}?export=xlsx",
        },
    )


@require_http_methods(["GET", "POST"])
def score_table_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff make a new version of a signed table, on a decision with a reason."""
    table = _table(request, pk)
    if not request.user.has_perm("clusters.manage_scoring"):
        raise PermissionDenied
    form = scoring_forms.RevisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = tables.score_table_revise(
                table=table,
                reason=form.cleaned_data["reason"],
                decision=form.cleaned_data["decision"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Version %(version)d was created as a draft.") % {"version": revision.version}
            )
            return redirect(revision.get_absolute_url())
    return _form_page(
        request,
        {
            "term": table.term,
            "form": form,
            "title": _("Revise the signed table"),
            "lead": _("The signed version is kept; the new version applies once you put it in force."),
            "back": table.get_absolute_url(),
        },
    )


@require_POST
def score_table_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    table = _editable_table(request, pk)
    try:
        tables.score_table_adopt(table=table, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(version)d is now in force.") % {"version": table.version})
    return redirect(table.get_absolute_url())


# --- Pledge ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pledge_sign(request: HttpRequest, term_pk: int) -> HttpResponse:
    """Record the signed pledge (giao ước thi đua); this locks the scoring table."""
    term = _term(request, term_pk, "clusters.sign_pledge")
    table = ScoreTable.objects.filter(term=term, status=TableStatus.DRAFT, version=1).first()
    if table is None:
        messages.error(request, _("Draft the scoring table first."))
        return redirect(_workspace_url(term))
    problems = tables.table_problems(tables.table_tree(table))
    form = scoring_forms.PledgeForm(request.POST or None, request.FILES or None, term=term)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = data.get("document")
        try:
            if document:
                from core.uploads import validate_upload

                validate_upload(document, allowed={"pdf"})
            tables.pledge_sign(
                term=term,
                signed_on=data["signed_on"],
                place=data["place"],
                signatories=[
                    tables.Signatory(unit=unit, signer_name=unit.head_name, signer_title=unit.head_title)
                    for unit in data["signatories"]
                ],
                document=document,
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pledge was recorded and the scoring table is now locked."))
            return redirect(_workspace_url(term))
    return _form_page(
        request,
        {
            "term": term,
            "form": form,
            "multipart": True,
            "problems": problems,
            "title": _("Record the signed pledge"),
            "lead": _("Signing locks the scoring table for the year; a later change needs a staff decision."),
            "back": _workspace_url(term),
        },
    )


@require_GET
def pledge_document(request: HttpRequest, term_pk: int) -> FileResponse:
    term = _term(request, term_pk)
    pledge = get_object_or_404(Pledge, term=term)
    if not pledge.document:
        raise Http404
    name = download_name(pledge.document, pledge.document_original_name)
    return FileResponse(pledge.document.open("rb"), as_attachment=True, filename=name)


# --- Self-scoring ------------------------------------------------------------------------------

FIELD = re.compile(r"^(points|actual|target|explanation)-(\d+)$")


def _membership(term: ClusterTerm, unit_pk: int) -> ClusterMembership:
    return get_object_or_404(
        ClusterMembership.objects.select_related("unit", "term"), term=term, unit_id=unit_pk
    )


@require_http_methods(["GET", "POST"])
def score_self(request: HttpRequest, term_pk: int, unit_pk: int) -> HttpResponse:
    """A unit's own scoring form, with evidence uploads and the status of each stage."""
    term = _term(request, term_pk)
    membership = _membership(term, unit_pk)
    membership.term = term
    user = request.user
    if not user.has_perm("clusters.see_self_scores", membership):
        raise PermissionDenied
    can_edit = user.has_perm("clusters.self_score", membership)
    table = selectors.signed_table(term)
    typed: dict[int, dict[str, str]] = {}
    errors: dict[int, str] = {}
    stale = False
    if request.method == "POST":
        if not can_edit or table is None:
            raise PermissionDenied
        inputs, typed, errors = _read_self_scores(request, table)
        files = {
            int(key.split("-", 1)[1]): request.FILES.getlist(key)
            for key in request.FILES
            if key.startswith("evidence-")
        }
        if not errors:
            try:
                count = scores.self_scores_save(
                    term=term, unit=membership.unit, inputs=inputs, files=files, by=user
                )
            except scores.ScoreErrors as error:
                errors = error.cells
                stale = isinstance(error, scores.StaleScoreError)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(request.path)
            else:
                messages.success(request, _("Saved: %(count)d criteria.") % {"count": count})
                return redirect(request.path)
    sheet = selectors.score_sheet(term, table, unit_ids={membership.unit_id}) if table else None
    published = stage_of(term) in {ScoringStage.VOTING, ScoringStage.CLOSED}
    rows = []
    if sheet and sheet.tree:
        evidence = selectors.unit_evidence(table, membership.unit_id)
        for group in sheet.tree.groups:
            items = []
            for criterion in group.flat:
                own = sheet.entry(membership.unit_id, criterion.pk, ScoreStage.SELF)
                entered = typed.get(criterion.pk, {})
                items.append(
                    {
                        "criterion": criterion,
                        "leaf": not criterion.kids,
                        "self_scored": not criterion.kids and criterion.scorer in selectors.SELF_SCORED,
                        "entry": own,
                        # Always the stored entry's: after a refused save, saving again replaces it.
                        "seen": scores.seen_token(own),
                        "points": entered.get("points", _number(own.points) if own else ""),
                        "actual": entered.get("actual", _number(own.actual) if own else ""),
                        "target": entered.get("target", _number(own.target) if own else ""),
                        "explanation": entered.get("explanation", own.explanation if own else ""),
                        "evidence": evidence.get(criterion.pk, []),
                        "error": errors.get(criterion.pk, ""),
                        "review": sheet.entry(membership.unit_id, criterion.pk, ScoreStage.REVIEW)
                        if published
                        else None,
                        "office": sheet.entry(membership.unit_id, criterion.pk, ScoreStage.OFFICE)
                        if published
                        else None,
                        "quantitative": criterion.method == CriterionMethod.QUANTITATIVE,
                    }
                )
            rows.append({"group": group, "items": items})
    context = {
        "term": term,
        "membership": membership,
        "unit": membership.unit,
        "table": table,
        "rows": rows,
        "can_edit": can_edit,
        "errors": errors,
        "stale": stale,
        "timeline": _timeline(term),
        "scoring": selectors.scoring_of(term),
        "published": published,
        "totals": selectors.compute_ranking(sheet)[0] if sheet and sheet.tree and sheet.memberships else None,
    }
    return render(request, "clusters/score_self.html", context)


def _read_self_scores(
    request: HttpRequest, table: ScoreTable
) -> tuple[list[scores.ScoreInput], dict[int, dict[str, str]], dict[int, str]]:
    """Typed values per criterion; a criterion left wholly empty is skipped."""
    typed: dict[int, dict[str, str]] = {}
    for key, value in request.POST.items():
        match = FIELD.match(key)
        if match:
            typed.setdefault(int(match[2]), {})[match[1]] = value.strip()
    criteria = Criterion.objects.in_bulk(list(typed))
    inputs, errors = [], {}
    for pk, values in typed.items():
        criterion = criteria.get(pk)
        if criterion is None:
            continue
        if not any(values.get(name) for name in ("points", "actual", "target")) and not request.FILES.getlist(
            f"evidence-{pk}"
        ):
            continue
        try:
            # Read from the POST directly, past any form: PostgreSQL refuses NUL in text (a 500).
            for value in values.values():
                ProhibitNullCharactersValidator()(value)
            numbers = {name: parse_number(values.get(name)) for name in ("points", "actual", "target")}
        except ValidationError as error:
            errors[pk] = error.messages[0]
            continue
        if criterion.method == CriterionMethod.QUANTITATIVE and (
            numbers["actual"] is not None or numbers["target"] is not None
        ):
            numbers["points"] = None
        inputs.append(
            scores.ScoreInput(
                criterion=criterion,
                explanation=values.get("explanation", ""),
                seen=request.POST.get(f"seen-{pk}") or None,
                **numbers,
            )
        )
    return inputs, typed, errors


@require_GET
def score_evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to those who may see that unit's self-scores."""
    evidence = get_object_or_404(
        ScoreEvidence.objects.select_related("entry__criterion__group__table__term"), pk=pk
    )
    term = evidence.entry.criterion.group.table.term
    membership = get_object_or_404(ClusterMembership, term=term, unit_id=evidence.entry.unit_id)
    if not request.user.has_perm("clusters.see_self_scores", membership):
        raise PermissionDenied
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


# --- Cross-scoring and office grids ------------------------------------------------------------

GRID_MODES = {
    "review": (ScoreStage.REVIEW, selectors.REVIEWED, ScoringStage.CROSS),
    "office": (ScoreStage.OFFICE, selectors.OFFICE_SCORED, ScoringStage.OFFICE),
}
# p: points, r: reason, s: the entry as the grid showed it (scores.seen_token).
CELL = re.compile(r"^(p|r|s)-(\d+)-(\d+)$")


def _grid_term(request: HttpRequest, term_pk: int, mode: str) -> ClusterTerm:
    term = _term(request, term_pk)
    allowed = (
        request.user.has_perm("clusters.see_cross_grid", term)
        if mode == "review"
        else request.user.has_perm("clusters.manage_scoring")
        or request.user.has_perm("clusters.see_progress", term)
    )
    if not allowed:
        raise PermissionDenied
    return term


def _can_edit_cell(request: HttpRequest, term: ClusterTerm, mode: str, unit_id: int) -> bool:
    user = request.user
    if mode == "office":
        return user.has_perm("clusters.office_check", term)
    return (
        stage_of(term) == ScoringStage.CROSS
        and term_role(user, term) in {MemberRole.HEAD, MemberRole.DEPUTY}
        and user.unit_id != unit_id
    )


def _cell(
    sheet: selectors.ScoreSheet, criterion: Criterion, membership: ClusterMembership, stage: str, **extra: Any
) -> dict[str, Any]:
    own = sheet.entry(membership.unit_id, criterion.pk, ScoreStage.SELF)
    entry = sheet.entry(membership.unit_id, criterion.pk, stage)
    cell = {
        "criterion": criterion,
        "unit": membership.unit,
        "self": own,
        "entry": entry,
        "value": _number(entry.points) if entry else "",
        "reason": entry.explanation if entry else "",
        "error": "",
        "seen": scores.seen_token(entry),
        "differs": bool(entry and own and entry.points != own.points),
        "name": f"{membership.unit_id}-{criterion.pk}",
    }
    cell.update(extra)
    return cell


def _grid_context(
    request: HttpRequest, term: ClusterTerm, mode: str, typed: dict | None = None, errors: dict | None = None
) -> dict[str, Any]:
    stage, scorers, _opens = GRID_MODES[mode]
    table = selectors.signed_table(term)
    sheet = selectors.score_sheet(term, table)
    criteria = [c for c in sheet.tree.leaves if c.scorer in scorers] if sheet.tree else []
    typed, errors = typed or {}, errors or {}
    columns = [
        {"membership": m, "editable": _can_edit_cell(request, term, mode, m.unit_id)}
        for m in sheet.memberships
    ]
    rows = []
    for criterion in criteria:
        cells = []
        for column in columns:
            m = column["membership"]
            key = (m.unit_id, criterion.pk)
            extra: dict[str, Any] = {"editable": column["editable"], "mode": mode}
            if key in typed:
                extra.update(value=typed[key].get("p", ""), reason=typed[key].get("r", ""))
            if key in errors:
                extra["error"] = errors[key]
            cells.append(_cell(sheet, criterion, m, stage, **extra))
        rows.append({"criterion": criterion, "cells": cells})
    return {
        "term": term,
        "mode": mode,
        "table": table,
        "columns": columns,
        "rows": rows,
        "any_editable": any(c["editable"] for c in columns),
        "stage": stage_of(term),
    }


def _save_cell(
    request: HttpRequest,
    term: ClusterTerm,
    mode: str,
    unit: Unit,
    criterion: Criterion,
    points: str,
    reason: str,
    seen: str = "",
) -> None:
    # Read from the POST directly, past any form: PostgreSQL refuses NUL in text (a 500).
    ProhibitNullCharactersValidator()(reason)
    typed = scores.ScoreInput(
        criterion=criterion, points=parse_number(points), reason=reason, seen=seen or None
    )
    if typed.points is None:
        raise ValidationError(_("Enter the points."))
    save = scores.review_score_save if mode == "review" else scores.office_score_save
    save(term=term, unit=unit, criterion=criterion, typed=typed, by=request.user)


@require_http_methods(["GET", "POST"])
def score_grid(request: HttpRequest, term_pk: int, mode: str = "review") -> HttpResponse:
    """Units × criteria: every cell editable inline (saved on change with htmx), or all at once."""
    term = _grid_term(request, term_pk, mode)
    if request.method == "POST":
        typed: dict[tuple[int, int], dict[str, str]] = {}
        for key, value in request.POST.items():
            match = CELL.match(key)
            if match:
                typed.setdefault((int(match[2]), int(match[3])), {})[match[1]] = value.strip()
        context = _grid_context(request, term, mode)
        current = {(c["unit"].pk, c["criterion"].pk): c for row in context["rows"] for c in row["cells"]}
        errors: dict[tuple[int, int], str] = {}
        saved = 0
        for key, values in typed.items():
            cell = current.get(key)
            if cell is None or not cell["editable"]:
                continue
            if values.get("p", "") == cell["value"] and values.get("r", "") == cell["reason"]:
                continue
            try:
                _save_cell(
                    request,
                    term,
                    mode,
                    cell["unit"],
                    cell["criterion"],
                    values.get("p", ""),
                    values.get("r", ""),
                    values.get("s", ""),
                )
                saved += 1
            except ValidationError as error:
                errors[key] = error.messages[0]
        if errors:
            context = _grid_context(
                request, term, mode, typed={k: v for k, v in typed.items() if k in errors}, errors=errors
            )
            context["grid_errors"] = len(errors)
            context["saved_count"] = saved
            return render_page(request, "clusters/score_grid.html", "score-grid", context)
        messages.success(request, _("Saved: %(count)d scores changed.") % {"count": saved})
        return redirect(request.path)
    return render_page(request, "clusters/score_grid.html", "score-grid", _grid_context(request, term, mode))


@require_POST
def score_grid_cell(
    request: HttpRequest, term_pk: int, unit_pk: int, criterion_pk: int, mode: str = "review"
) -> HttpResponse:
    """Save one cell (htmx, on change) and answer with the cell; errors come back in it with 200."""
    term = _grid_term(request, term_pk, mode)
    membership = _membership(term, unit_pk)
    criterion = get_object_or_404(
        Criterion.objects.select_related("group"), pk=criterion_pk, group__table__term=term
    )
    if not _can_edit_cell(request, term, mode, membership.unit_id):
        raise PermissionDenied
    name = f"{membership.unit_id}-{criterion.pk}"
    points, reason = request.POST.get(f"p-{name}", "").strip(), request.POST.get(f"r-{name}", "").strip()
    error = ""
    try:
        _save_cell(
            request, term, mode, membership.unit, criterion, points, reason, request.POST.get(f"s-{name}", "")
        )
    except ValidationError as problem:
        error = problem.messages[0]
    stage = GRID_MODES[mode][0]
    sheet = selectors.score_sheet(term, criterion.group.table, unit_ids={membership.unit_id})
    extra: dict[str, Any] = {"editable": True, "mode": mode}
    if error:
        extra.update(value=points, reason=reason, error=error)
    context = {"cell": _cell(sheet, criterion, membership, stage, **extra), "term": term, "mode": mode}
    if not wants_partial(request):
        if error:
            messages.error(request, error)
        return redirect(reverse(f"clusters:score_{'grid' if mode == 'review' else 'office'}", args=[term.pk]))
    return render(request, "clusters/score_grid.html#grid-cell", context)


@require_GET
def score_compare(request: HttpRequest, term_pk: int) -> HttpResponse:
    """Self-scores against the reviewed scores, per unit and per criterion."""
    term = _term(request, term_pk)
    if not request.user.has_perm("clusters.see_cross_grid", term):
        raise PermissionDenied
    table = selectors.signed_table(term)
    sheet = selectors.score_sheet(term, table)
    criteria = [c for c in sheet.tree.leaves if c.scorer in selectors.SELF_SCORED] if sheet.tree else []
    units = []
    for m in sheet.memberships:
        lines, self_total, review_total = [], Decimal(0), Decimal(0)
        for criterion in criteria:
            own = sheet.entry(m.unit_id, criterion.pk, ScoreStage.SELF)
            review = sheet.entry(m.unit_id, criterion.pk, ScoreStage.REVIEW)
            own_points = own.points if own else Decimal(0)
            reviewed = review.points if review else own_points
            self_total += own_points
            review_total += reviewed
            if review and reviewed != own_points:
                lines.append(
                    {
                        "criterion": criterion,
                        "self": own_points,
                        "review": reviewed,
                        "reason": review.explanation,
                        "diff": reviewed - own_points,
                    }
                )
        units.append(
            {
                "membership": m,
                "self": self_total,
                "review": review_total,
                "diff": review_total - self_total,
                "lines": lines,
            }
        )
    return render(request, "clusters/score_compare.html", {"term": term, "units": units, "table": table})


# --- Eligibility holds -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def score_flags(request: HttpRequest, term_pk: int) -> HttpResponse:
    """Discipline, inspection and complaint holds (staff record and close them)."""
    term = _term(request, term_pk)
    if not request.user.has_perm("clusters.see_progress", term):
        raise PermissionDenied
    can_manage = request.user.has_perm("clusters.manage_scoring")
    form = scoring_forms.FlagForm(request.POST or None, term=term)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            scores.unit_flag_add(term=term, by=request.user, **form.cleaned_data)
            messages.success(request, _("The hold was recorded."))
            return redirect(request.path)
    flags = list(
        UnitFlag.objects.filter(term=term).select_related("unit").order_by("closed_on", "unit__name")
    )
    return render(
        request,
        "clusters/score_flags.html",
        {"term": term, "flags": flags, "form": form, "can_manage": can_manage},
    )


@require_POST
def score_flag_close(request: HttpRequest, term_pk: int, flag_pk: int) -> HttpResponse:
    term = _term(request, term_pk)
    if not request.user.has_perm("clusters.manage_scoring"):
        raise PermissionDenied
    flag = get_object_or_404(UnitFlag, pk=flag_pk, term=term)
    try:
        closed_on = forms.DateField().clean(request.POST.get("closed_on"))
        scores.unit_flag_close(flag=flag, closed_on=closed_on, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The hold was closed."))
    return redirect(reverse("clusters:score_flags", args=[term.pk]))


# --- Ranking -----------------------------------------------------------------------------------


def _ranking_chart(rows: list[Any], content_max: Decimal, title: str) -> str:
    from clusters.scoring.charts import ranking_chart

    return ranking_chart(rows, content_max=content_max, title=title)


@require_GET
def ranking_view(request: HttpRequest, term_pk: int) -> HttpResponse:
    """The ranking with a bar chart; `?export=xlsx` downloads it."""
    term = _term(request, term_pk, "clusters.see_ranking")
    view = selectors.term_ranking(term)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            filename=f"xep-hang-{term.cluster.code}-{term.year}",
            title=str(_("Ranking")),
            headers=[
                str(h)
                for h in (
                    _("Rank"),
                    _("Unit"),
                    _("Content points"),
                    _("Bonus points"),
                    _("Penalty points"),
                    _("Final score"),
                    _("% of the content total"),
                    _("Classification"),
                    _("May be proposed as a leader"),
                )
            ],
            rows=(_ranking_export(row, view.published) for row in view.rows),
        )
    title = _("Ranking of %(cluster)s, %(year)s") % {"cluster": term.cluster.name, "year": term.year}
    context = {
        "term": term,
        "view": view,
        "rows": [_ranking_row(row, view.published) for row in view.rows],
        "chart": _ranking_chart(view.rows, view.content_max, title) if view.rows else "",
        "title": title,
    }
    return render(request, "clusters/ranking.html", context)


def _ranking_row(row: Any, published: bool) -> dict[str, Any]:
    if published:
        return {
            "rank": row.rank,
            "unit": row.unit,
            "content": row.content_points,
            "bonus": row.bonus_points,
            "penalty": row.penalty_points,
            "final": row.final_points,
            "percent": row.percent,
            "band": row.band,
            "eligible": row.eligible,
            "reasons": row.ineligible_reasons,
            "votes": getattr(row, "votes", 0),
        }
    return {
        "rank": row.rank,
        "unit": None,
        "name": row.name,
        "content": row.content,
        "bonus": row.bonus,
        "penalty": row.penalty,
        "final": row.final,
        "percent": row.percent,
        "band": row.band,
        "eligible": row.eligible,
        "reasons": row.ineligible_reasons,
        "votes": 0,
    }


def _ranking_export(row: Any, published: bool) -> list[Any]:
    data = _ranking_row(row, published)
    return [
        data["rank"],
        data["unit"].name if data["unit"] else data["name"],
        float(data["content"]),
        float(data["bonus"]),
        float(data["penalty"]),
        float(data["final"]),
        float(data["percent"]),
        data["band"],
        _("yes") if data["eligible"] else "; ".join(data["reasons"]),
    ]


# --- The year-end vote -------------------------------------------------------------------------


class BallotForm(forms.Form):
    flag = forms.ModelMultipleChoiceField(
        label=gettext_lazy("For the provincial emulation flag"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    merit = forms.ModelMultipleChoiceField(
        label=gettext_lazy("For the certificate of merit of the provincial chair"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, term: ClusterTerm, voter_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = votes.candidates(term)
        for name, category in (("flag", BallotCategory.FLAG), ("merit", BallotCategory.MERIT)):
            ids = [r.unit_id for r in pool[category] if r.unit_id != voter_id]
            self.fields[name].queryset = Unit.objects.filter(pk__in=ids).order_by("name")


@require_http_methods(["GET", "POST"])
def vote_page(request: HttpRequest, term_pk: int) -> HttpResponse:
    """Members cast their secret ballot; staff and the leaders see turnout and counts only."""
    term = _term(request, term_pk)
    user = request.user
    scoring = selectors.scoring_of(term)
    if scoring is None or not scoring.reached(ScoringStage.VOTING):
        raise Http404
    role = term_role(user, term)
    voter = user.unit if role else None
    cast = selectors.ballots_cast(term)
    can_vote = voter is not None and user.has_perm("clusters.cast_ballot", term) and voter.pk not in cast
    form = (
        BallotForm(request.POST or None, term=term, voter_id=voter.pk if voter else None)
        if can_vote
        else None
    )
    if request.method == "POST":
        if not can_vote:
            raise PermissionDenied
        if form.is_valid():
            try:
                votes.ballot_cast(
                    term=term,
                    unit=voter,
                    flag=list(form.cleaned_data["flag"]),
                    merit=list(form.cleaned_data["merit"]),
                    by=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your unit's ballot was cast. It is secret: nobody can see what it chose.")
                )
                return redirect(request.path)
    see_counts = user.has_perm("clusters.see_vote_counts", term)
    memberships = selectors.term_memberships(term)
    context = {
        "term": term,
        "scoring": scoring,
        "form": form,
        "can_vote": can_vote,
        "voted": voter is not None and voter.pk in cast,
        "turnout": [{"membership": m, "cast": m.unit_id in cast} for m in memberships],
        "cast_count": len(cast),
        "member_count": len(memberships),
        "results": votes.vote_results(term, scoring) if see_counts else None,
        "can_close": user.has_perm("clusters.close_vote", term),
        "proposals": list(AwardProposal.objects.filter(term=term).select_related("unit", "category"))
        if scoring.stage == ScoringStage.CLOSED
        else [],
        "categories": BallotCategory,
    }
    return render(request, "clusters/vote.html", context)


@require_http_methods(["GET", "POST"])
def vote_close(request: HttpRequest, term_pk: int) -> HttpResponse:
    """Close the meeting: proposals, next year's head and deputy, details for the minutes."""
    term = _term(request, term_pk, "clusters.close_vote")
    head = ClusterMembership.objects.filter(term=term, role=MemberRole.HEAD).select_related("unit").first()
    initial = {
        "meeting_place": head.unit.address if head else "",
        "chair_name": head.unit.head_name if head else "",
    }
    form = scoring_forms.CloseVoteForm(request.POST or None, term=term, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposals = votes.vote_close(term=term, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The vote is closed: %(count)d proposals; next year's cluster year was created.")
                % {"count": len(proposals)},
            )
            return redirect(reverse("clusters:vote_page", args=[term.pk]))
    return _form_page(
        request,
        {
            "term": term,
            "form": form,
            "title": _("Close the year-end meeting"),
            "lead": _(
                "The vote results become the cluster's award proposals, and next year's term is created with the elected head and deputy."
            ),
            "back": reverse("clusters:vote_page", args=[term.pk]),
        },
    )


@require_GET
def vote_minutes(request: HttpRequest, term_pk: int) -> HttpResponse:
    """The minutes of the year-end meeting (biên bản họp cụm, khối) as a PDF."""
    term = _term(request, term_pk)
    scoring = selectors.scoring_of(term)
    if scoring is None or scoring.stage != ScoringStage.CLOSED:
        raise Http404
    if not request.user.has_perm("clusters.see_vote_counts", term):
        raise PermissionDenied
    from clusters.pdf import minutes_pdf

    response = HttpResponse(minutes_pdf(term), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-ban-{term.cluster.code}-{term.year}.pdf"'
    return response


# --- Staff overviews ---------------------------------------------------------------------------


class OverviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        field_name="cluster__kind",
        label=gettext_lazy("Kind"),
        choices=ClusterKind.choices,
        empty_label=gettext_lazy("Clusters and blocs"),
    )
    stage = django_filters.ChoiceFilter(
        label=gettext_lazy("Stage"),
        choices=ScoringStage.choices,
        method="filter_stage",
        empty_label=gettext_lazy("All stages"),
    )

    class Meta:
        model = ClusterTerm
        fields = ["q", "kind", "stage"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_folded(queryset, value, field="cluster__search_text")

    def filter_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == ScoringStage.PLANNING:
            return queryset.filter(Q(scoring__isnull=True) | Q(scoring__stage=value))
        return queryset.filter(scoring__stage=value)


def _stage_label(term: Any) -> str:
    return str(ScoringStage(term.stage_value or ScoringStage.PLANNING).label)


OVERVIEW_COLUMNS = [
    Column(
        "cluster",
        gettext_lazy("Cluster or bloc"),
        ("cluster__kind", "cluster__code"),
        export=lambda t: t.cluster.name,
    ),
    Column("stage", gettext_lazy("Stage"), ("stage_value",), export=_stage_label),
    Column("members", gettext_lazy("Members"), ("member_count",), export=lambda t: t.member_count),
    Column(
        "table",
        gettext_lazy("Table signed"),
        ("has_pledge",),
        export=lambda t: _("yes") if t.has_pledge else _("no"),
    ),
    Column("self_done", gettext_lazy("Self-scored units"), ("self_scored",), export=lambda t: t.self_scored),
    Column(
        "ballots",
        gettext_lazy("Ballots cast"),
        ("ballot_count",),
        export=lambda t: t.ballot_count,
        optional=True,
    ),
    Column(
        "head",
        gettext_lazy("Head unit"),
        (Vietnamese("head_name"),),
        export=lambda t: t.head_name or "",
        optional=True,
    ),
]


def _overview_queryset(year: int) -> QuerySet[ClusterTerm]:
    from clusters.models import BallotCast, ScoreEntry

    members = (
        ClusterMembership.objects.filter(term=OuterRef("pk"))
        .values("term")
        .annotate(n=Count("pk"))
        .values("n")
    )
    self_scored = (
        ScoreEntry.objects.filter(
            criterion__group__table__term=OuterRef("pk"),
            criterion__group__table__status=TableStatus.SIGNED,
            stage=ScoreStage.SELF,
        )
        .values("criterion__group__table__term")
        .annotate(n=Count("unit", distinct=True))
        .values("n")
    )
    ballots = (
        BallotCast.objects.filter(term=OuterRef("pk")).values("term").annotate(n=Count("pk")).values("n")
    )
    head = ClusterMembership.objects.filter(term=OuterRef("pk"), role=MemberRole.HEAD).values("unit__name")[
        :1
    ]
    return (
        ClusterTerm.objects.filter(year=year, cluster__is_active=True)
        .select_related("cluster")
        .annotate(
            stage_value=Subquery(TermScoring.objects.filter(term=OuterRef("pk")).values("stage")[:1]),
            member_count=Subquery(members),
            has_pledge=Exists(Pledge.objects.filter(term=OuterRef("pk"))),
            self_scored=Subquery(self_scored),
            ballot_count=Subquery(ballots),
            head_name=Subquery(head),
        )
    )


def _staff_or_council(request: HttpRequest) -> None:
    user = request.user
    if not (user.has_perm("clusters.manage_scoring") or getattr(user, "is_council_member", False)):
        raise PermissionDenied


@require_GET
def score_overview(request: HttpRequest) -> HttpResponse:
    """Every cluster's scoring year at a glance, filterable and exportable."""
    _staff_or_council(request)
    year = parse_year(request.GET.get("year")) or current_year()
    return render_list(
        request,
        template="clusters/score_overview.html",
        partial="score-overview-table",
        queryset=_overview_queryset(year),
        filterset_class=OverviewFilter,
        columns=OVERVIEW_COLUMNS,
        default_sort="cluster",
        export_name=f"tong-ket-cum-khoi-{year}",
        export_title=_("Cluster scoring"),
        context={
            "year": year,
            "years": range(current_year() + 1, current_year() - 6, -1),
            "stage_choices": ScoringStage.choices,
        },
    )


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    ballot_category = django_filters.ChoiceFilter(
        label=gettext_lazy("Proposed for"),
        choices=BallotCategory.choices,
        empty_label=gettext_lazy("All awards"),
    )
    cluster = django_filters.ModelChoiceFilter(
        field_name="term__cluster",
        label=gettext_lazy("Cluster or bloc"),
        queryset=Cluster.objects.filter(is_active=True).order_by("kind", "code"),
        empty_label=gettext_lazy("All clusters and blocs"),
    )

    class Meta:
        model = AwardProposal
        fields = ["q", "ballot_category", "cluster"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_folded(queryset, value, field="unit__search_text")


PROPOSAL_COLUMNS = [
    Column("unit", gettext_lazy("Unit"), (Vietnamese("unit__name"),), export=lambda p: p.unit.name),
    Column(
        "cluster",
        gettext_lazy("Cluster or bloc"),
        ("term__cluster__code",),
        export=lambda p: p.term.cluster.name,
    ),
    Column(
        "award",
        gettext_lazy("Award"),
        ("category__order", "category__code"),
        export=lambda p: p.category.name,
    ),
    Column("votes", gettext_lazy("Votes"), ("votes",), export=lambda p: f"{p.votes}/{p.voters}"),
    Column("rank", gettext_lazy("Rank"), ("rank",), export=lambda p: p.rank, optional=True),
    Column(
        "final",
        gettext_lazy("Final score"),
        ("final_points",),
        export=lambda p: float(p.final_points),
        optional=True,
    ),
    Column(
        "status", gettext_lazy("Status"), ("status",), export=lambda p: p.get_status_display(), optional=True
    ),
]


@require_GET
def vote_proposals(request: HttpRequest) -> HttpResponse:
    """The award proposals of every cluster's year-end vote (until the nominations module takes them)."""
    _staff_or_council(request)
    year = parse_year(request.GET.get("year")) or current_year()
    queryset = AwardProposal.objects.filter(term__year=year).select_related(
        "unit", "term__cluster", "category"
    )
    return render_list(
        request,
        template="clusters/vote_proposals.html",
        partial="proposal-table",
        queryset=queryset,
        filterset_class=ProposalFilter,
        columns=PROPOSAL_COLUMNS,
        default_sort="cluster",
        export_name=f"de-nghi-khen-thuong-cum-khoi-{year}",
        export_title=_("Cluster award proposals"),
        context={"year": year, "years": range(current_year() + 1, current_year() - 6, -1)},
    )
