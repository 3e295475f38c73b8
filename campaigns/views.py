from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors, services
from campaigns.filters import CampaignFilter
from campaigns.forms import (
    CampaignContentForm,
    CampaignDocumentForm,
    CampaignGeneralForm,
    CampaignParticipantsForm,
    DirectiveForm,
    TransitionForm,
)
from campaigns.models import Campaign, CampaignDeadline, CampaignDocument, CampaignStatus
from core import history
from core.db import Vietnamese
from core.listing import Column, render_list, render_page
from core.uploads import download_name

CAMPAIGN_COLUMNS = [
    Column("title", gettext_lazy("Campaign"), (Vietnamese("title"),), export=lambda c: c.title),
    Column("kind", gettext_lazy("Kind"), ("kind", "-start_date"), export=lambda c: c.get_kind_display()),
    Column(
        "status", gettext_lazy("Status"), ("status", "-start_date"), export=lambda c: c.get_status_display()
    ),
    Column("start_date", gettext_lazy("From"), ("start_date",), export=lambda c: c.start_date),
    Column("end_date", gettext_lazy("To"), ("end_date",), export=lambda c: c.end_date, optional=True),
    Column(
        "authority",
        gettext_lazy("Launched by"),
        (Vietnamese("launching_authority"),),
        export=lambda c: c.launching_authority,
        optional=True,
    ),
    Column(
        "document",
        gettext_lazy("Document"),
        ("document_number",),
        export=lambda c: c.document_number,
        optional=True,
    ),
]

SECTIONS = [
    ("overview", gettext_lazy("Overview")),
    ("content", gettext_lazy("Content")),
    ("targets", gettext_lazy("Targets")),
    ("participants", gettext_lazy("Participants")),
    ("registrations", gettext_lazy("Registrations")),
    ("progress", gettext_lazy("Progress")),
    ("documents", gettext_lazy("Documents")),
]
STEPS = [
    ("general", gettext_lazy("1. General information")),
    ("content", gettext_lazy("2. Content items")),
    ("participants", gettext_lazy("3. Participants and windows")),
]
ACTION_LABELS = {
    "launch": gettext_lazy("Launch"),
    "start": gettext_lazy("Mark as under way"),
    "review_midterm": gettext_lazy("Start mid-term review"),
    "resume": gettext_lazy("Resume after mid-term review"),
    "review_final": gettext_lazy("Start final review"),
    "close": gettext_lazy("Close"),
}


def _campaign_for(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("parent", "created_by"), pk=pk)
    if not request.user.has_perm("campaigns.see_campaign", campaign):
        # A draft is not disclosed to those who may not see it.
        raise Http404
    return campaign


def _staff_only(request: HttpRequest) -> None:
    if not request.user.has_perm("campaigns.manage_campaigns"):
        raise PermissionDenied


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        template="campaigns/campaign_list.html",
        partial="campaign-table",
        queryset=selectors.campaign_list(request.user),
        filterset_class=CampaignFilter,
        columns=CAMPAIGN_COLUMNS,
        default_sort="-start_date",
        export_name="phong-trao-thi-dua",
        export_title=gettext_lazy("Emulation campaigns"),
        context={"can_manage": request.user.has_perm("campaigns.manage_campaigns")},
    )


@require_GET
def my_campaigns(request: HttpRequest) -> HttpResponse:
    """A unit officer's open campaigns, with what is due from their unit."""
    if not request.user.unit_id or not request.user.unit_role:
        return redirect("campaigns:campaign_list")
    rows = selectors.unit_campaign_overview(request.user.unit_id, user=request.user)
    return render(request, "campaigns/my_campaigns.html", {"rows": rows, "unit": request.user.unit})


def _sections_for(request: HttpRequest) -> list[tuple[str, Any]]:
    """The change history tab is for staff only (core.see_history)."""
    if history.can_see(request.user):
        return [*SECTIONS, ("history", gettext_lazy("Change history"))]
    return SECTIONS


def _detail_context(
    request: HttpRequest, campaign: Campaign, section: str, document_form: CampaignDocumentForm | None = None
) -> dict[str, Any]:
    """What the campaign page shows for one section, for the viewing user."""
    can_manage = request.user.has_perm("campaigns.manage_campaigns")
    context: dict[str, Any] = {
        "campaign": campaign,
        "section": section,
        "sections": _sections_for(request),
        "can_manage": can_manage,
        "can_edit": request.user.has_perm("campaigns.edit_campaign", campaign),
        **selectors.campaign_section(campaign, section, user=request.user),
    }
    if section == "history":
        context.update(history.panel_context("campaign", campaign))
    if can_manage:
        context["actions"] = [
            (action, ACTION_LABELS[action]) for action in selectors.available_actions(campaign)
        ]
        context["transition_form"] = TransitionForm()
        if section == "documents":
            context["document_form"] = document_form or CampaignDocumentForm()
    return context


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign_for(request, pk)
    section = request.GET.get("section", "overview")
    if section not in dict(_sections_for(request)):
        section = "overview"
    context = _detail_context(request, campaign, section)
    return render_page(request, "campaigns/campaign_detail.html", "campaign-section", context)


@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = CampaignGeneralForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft campaign was saved. Now add its content items."))
            return redirect("campaigns:campaign_edit", pk=campaign.pk, step="content")
    return render(request, "campaigns/campaign_form.html", {"form": form, "step": "general", "steps": STEPS})


@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    _staff_only(request)
    campaign = _campaign_for(request, pk)
    if step not in dict(STEPS):
        raise Http404
    if campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("Only a draft campaign can be edited."))
        return redirect(campaign)
    data = request.POST if request.method == "POST" else None
    if step == "general":
        form = CampaignGeneralForm(data, request.FILES or None, instance=campaign)
    elif step == "participants":
        form = CampaignParticipantsForm(data, instance=campaign)
    else:
        items = campaign.content_items.all()
        initial = "\n\n".join(item.text or item.title for item in items)
        form = CampaignContentForm(data, initial={"content": initial})
    if request.method == "POST" and form.is_valid():
        try:
            if step == "content":
                services.campaign_set_content(
                    campaign=campaign,
                    items=[services.ContentItemData(title=t, text=x) for t, x in form.items()],
                    by=request.user,
                )
            else:
                fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
                services.campaign_update(campaign=campaign, by=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            next_step = {"general": "content", "content": "participants"}.get(step)
            if next_step and "continue" in request.POST:
                return redirect("campaigns:campaign_edit", pk=campaign.pk, step=next_step)
            return redirect(campaign)
    context = {"form": form, "campaign": campaign, "step": step, "steps": STEPS}
    return render(request, "campaigns/campaign_form.html", context)


@require_POST
def campaign_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    campaign = _campaign_for(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_transition(
                campaign=campaign,
                action=form.cleaned_data["action"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The campaign is now “%(status)s”.") % {"status": campaign.get_status_display()}
            )
    return redirect(campaign)


@require_http_methods(["GET", "POST"])
def campaign_from_directive(request: HttpRequest) -> HttpResponse:
    """Paste or upload a directive; show the extracted draft for review. Nothing is saved here."""
    _staff_only(request)
    from campaigns.directive import parse_directive

    form = DirectiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft = parse_directive(form.cleaned_data["text"])
        general = CampaignGeneralForm(initial=selectors.initial_from_draft(draft))
        content = CampaignContentForm(
            initial={"content": "\n\n".join(item.text for item in draft.content_items)}
        )
        deadline_rows = [
            {
                "index": number,
                "due_on": deadline.due_date.strftime("%d/%m/%Y"),
                "title": deadline.label,
                "context": deadline.context,
                "is_report": deadline.is_report,
                "keep": True,
            }
            for number, deadline in enumerate(draft.deadlines, start=1)
        ]
        context = {
            "draft": draft,
            "explained": _explained(draft),
            "general": general,
            "content": content,
            "deadline_rows": deadline_rows,
        }
        return render(request, "campaigns/campaign_directive_review.html", context)
    return render(request, "campaigns/campaign_directive.html", {"form": form})


@require_POST
def campaign_confirm_directive(request: HttpRequest) -> HttpResponse:
    """Create the draft campaign staff reviewed, with its content items and dated deadlines."""
    _staff_only(request)
    general = CampaignGeneralForm(request.POST, request.FILES or None)
    content = CampaignContentForm(request.POST)
    deadlines = _posted_deadlines(request)
    if general.is_valid() and content.is_valid() and all(d is not None for d in deadlines):
        with transaction.atomic():
            campaign = services.campaign_create(
                by=request.user,
                content=[services.ContentItemData(title=t, text=x) for t, x in content.items()],
                **general.cleaned_data,
            )
            CampaignDeadline.objects.bulk_create(
                CampaignDeadline(campaign=campaign, **deadline) for deadline in deadlines if deadline
            )
        messages.success(
            request, _("The draft campaign was created from the document. Check the participants.")
        )
        return redirect("campaigns:campaign_edit", pk=campaign.pk, step="participants")
    # Re-show everything as typed, ticked or not, so a correction loses nothing.
    deadline_rows = [
        {
            "index": index,
            "due_on": request.POST.get(f"deadline_{index}_due_on", ""),
            "title": request.POST.get(f"deadline_{index}_title", ""),
            "context": request.POST.get(f"deadline_{index}_context", ""),
            "is_report": request.POST.get(f"deadline_{index}_is_report") == "1",
            "keep": index in request.POST.getlist("deadline"),
        }
        for index in request.POST.getlist("deadline_row")
    ]
    context = {
        "general": general,
        "content": content,
        "deadline_rows": deadline_rows,
        "deadline_error": None in deadlines,
    }
    return render(request, "campaigns/campaign_directive_review.html", context)


def _explained(draft: Any) -> list[tuple[str, Any]]:
    """Each extracted field with the sentence it came from, for the review page."""
    return [
        (_("Document type"), draft.document_kind),
        (_("Document number"), draft.number),
        (_("Document date"), draft.issued_on),
        (_("Title"), draft.title),
        (_("Theme or slogan"), draft.theme),
        (_("Launching authority"), draft.authority),
        (_("Kind"), draft.campaign_kind),
        (_("Start date"), draft.period_start),
        (_("End date"), draft.period_end),
        (_("Signed by"), draft.signer),
    ]


def _posted_deadlines(request: HttpRequest) -> list[dict[str, Any] | None]:
    """Deadlines ticked on the review page; None marks one whose date is not valid."""
    chosen = []
    for index in request.POST.getlist("deadline"):
        raw_date = request.POST.get(f"deadline_{index}_due_on", "")
        try:
            due_on = forms.DateField().clean(raw_date)
        except ValidationError:
            chosen.append(None)
            continue
        chosen.append(
            {
                # NUL never comes from the document (the reader refuses it) and PostgreSQL
                # refuses it in text: drop it rather than fail.
                "title": request.POST.get(f"deadline_{index}_title", "").replace("\x00", "")[:255]
                or _("Deadline"),
                "due_on": due_on,
                "context": request.POST.get(f"deadline_{index}_context", "").replace("\x00", ""),
                "is_report": request.POST.get(f"deadline_{index}_is_report") == "1",
            }
        )
    return chosen


@require_POST
def campaign_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    campaign = _campaign_for(request, pk)
    form = CampaignDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.campaign_document_add(
            campaign=campaign,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            by=request.user,
        )
        messages.success(request, _("The document was attached."))
        return redirect(f"{campaign.get_absolute_url()}?section=documents")
    # Re-show the page with the error beside the field; the title typed stays.
    context = _detail_context(request, campaign, "documents", document_form=form)
    return render(request, "campaigns/campaign_detail.html", context)


@require_GET
def campaign_file(request: HttpRequest, pk: int, document_pk: int | None = None) -> FileResponse:
    """The signed document or an attachment, only to those who may see the campaign."""
    campaign = _campaign_for(request, pk)
    if document_pk is None:
        file, name = campaign.document_file, campaign.document_original_name
    else:
        document = get_object_or_404(CampaignDocument, pk=document_pk, campaign=campaign)
        file, name = document.file, document.original_name
    if not file:
        raise Http404
    return FileResponse(file.open("rb"), as_attachment=True, filename=download_name(file, name))
