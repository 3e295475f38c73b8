"""Screens for targets (chỉ tiêu): add, edit and delete a target, the assignment grid, the
xlsx template and its import. Only staff reach them; a draft stays hidden (404) from anyone
who may not see it, before the staff check (403) says anything about it.

The forms live here rather than in campaigns/forms.py because no other screen uses them.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import targets as service
from campaigns.models import Campaign, CampaignStatus, Target
from core.exports import XLSX_CONTENT_TYPE
from core.listing import render_page, wants_partial
from core.numbers import NumberField

# An import report lists at most this many wrong cells; the rest are counted.
SHOWN_SHEET_ERRORS = 200


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = list(service.TARGET_FIELDS)
        field_classes = {"baseline": NumberField, "target_value": NumberField, "weight": NumberField}
        widgets = {"kind": forms.RadioSelect, "direction": forms.RadioSelect}
        help_texts = {
            "unit_of_measure": gettext_lazy(
                "For example %, households, billion đồng. Measurable targets only."
            ),
            "baseline": gettext_lazy("The value at the start, if known. Measurable targets only."),
            "target_value": gettext_lazy("The province-wide value to reach."),
            "direction": gettext_lazy("“At most” for targets to keep low, such as the poverty rate."),
            "weight": gettext_lazy("How much this target counts in scoring, relative to the others."),
        }

    def clean_weight(self) -> Any:
        weight = self.cleaned_data.get("weight")
        if weight is not None and weight <= 0:
            raise ValidationError(_("The weight must be greater than zero."))
        return weight

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("kind") == "quantitative"
            and data.get("target_value") is None
            and "target_value" not in self.errors
        ):
            self.add_error("target_value", _("A measurable target needs a target value."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


def _campaign_for(request: HttpRequest, pk: int) -> Campaign:
    """The campaign if the user may see it and manage campaigns."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not request.user.has_perm("campaigns.see_campaign", campaign):
        raise Http404
    if not request.user.has_perm("campaigns.manage_campaigns"):
        raise PermissionDenied
    return campaign


def _section_url(campaign: Campaign) -> str:
    return f"{campaign.get_absolute_url()}?section=targets"


def _grid_url(campaign: Campaign, page: Any = None) -> str:
    url = reverse("campaigns:target_grid", args=[campaign.pk])
    return f"{url}?page={page}" if page not in (None, "", 1, "1") else url


def _draft_only(request: HttpRequest, campaign: Campaign) -> HttpResponse | None:
    if campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("Targets can be changed only while the campaign is a draft."))
        return redirect(_section_url(campaign))
    return None


@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    if refused := _draft_only(request, campaign):
        return refused
    form = TargetForm(request.POST or None, initial={"weight": 1})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in service.TARGET_FIELDS}
        try:
            target = service.target_create(campaign=campaign, by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target “%(name)s” was added.") % {"name": target.name})
            if "another" in request.POST:
                return redirect("campaigns:target_create", pk=campaign.pk)
            return redirect(_section_url(campaign))
    return render(request, "campaigns/target_form.html", {"campaign": campaign, "form": form})


@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    target = get_object_or_404(Target, pk=target_pk, campaign=campaign)
    if refused := _draft_only(request, campaign):
        return refused
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in service.TARGET_FIELDS}
        target.campaign = campaign
        try:
            service.target_update(target=target, by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target “%(name)s” was saved.") % {"name": target.name})
            return redirect(_section_url(campaign))
    context = {"campaign": campaign, "form": form, "target": target}
    return render(request, "campaigns/target_form.html", context)


@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    campaign = _campaign_for(request, pk)
    target = get_object_or_404(Target, pk=target_pk, campaign=campaign)
    if refused := _draft_only(request, campaign):
        return refused
    if request.method == "POST":
        target.campaign = campaign
        try:
            service.target_delete(target=target, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The target “%(name)s” was deleted.") % {"name": target.name})
        return redirect(_section_url(campaign))
    context = {"campaign": campaign, "target": target, "assigned": target.assignments.count()}
    return render(request, "campaigns/target_confirm_delete.html", context)


@require_http_methods(["GET", "POST"])
def target_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """Units × measurable targets, an input per cell, saved all at once (one page of units)."""
    campaign = _campaign_for(request, pk)
    if request.method == "GET":
        context = service.grid_context(campaign, page_number=request.GET.get("page", 1))
        return render_page(request, "campaigns/target_grid.html", "target-grid", context)

    typed = service.grid_cells(request.POST)
    current = request.POST.get("current", 1)
    try:
        changes = service.assignments_save(campaign=campaign, cells=typed, by=request.user)
    except service.AssignmentErrors as error:
        context = service.grid_context(campaign, page_number=current, typed=typed, errors=error.cells)
        # 200, not 4xx: htmx swaps only successful responses, and the typed values must stay.
        return render_page(request, "campaigns/target_grid.html", "target-grid", context)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_grid_url(campaign, current))
    saved = _("Saved: %(count)d values changed.") % {"count": changes.total}
    next_page = request.POST.get("page") or current
    if not wants_partial(request):
        messages.success(request, saved)
        return redirect(_grid_url(campaign, next_page))
    context = service.grid_context(campaign, page_number=next_page)
    context["saved"] = saved
    response = render_page(request, "campaigns/target_grid.html", "target-grid", context)
    response["HX-Push-Url"] = _grid_url(campaign, context["page_obj"].number)
    return response


@require_GET
def target_template(request: HttpRequest, pk: int) -> FileResponse:
    """The xlsx template, filled with the participating units and their current values."""
    campaign = _campaign_for(request, pk)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    service.assignment_template(campaign, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"giao-chi-tieu-{campaign.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "POST"])
def target_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the filled-in template; a wrong row saves nothing and is reported with the rest."""
    campaign = _campaign_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    sheet_errors: list[service.SheetError] = []
    if request.method == "POST" and form.is_valid():
        try:
            changes = service.assignments_import(
                campaign=campaign, upload=form.cleaned_data["file"], by=request.user
            )
        except service.SheetErrors as error:
            sheet_errors = error.rows
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Imported: %(count)d values changed.") % {"count": changes.total})
            return redirect(_grid_url(campaign))
    context = {
        "campaign": campaign,
        "form": form,
        "sheet_errors": sheet_errors[:SHOWN_SHEET_ERRORS],
        "more_sheet_errors": max(0, len(sheet_errors) - SHOWN_SHEET_ERRORS),
        "sheet_error_count": len(sheet_errors),
        "can_save": campaign.status != CampaignStatus.CLOSED,
    }
    return render(request, "campaigns/target_import.html", context)
