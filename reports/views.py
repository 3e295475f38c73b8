"""Screens for report deadlines, boards, reports, the unit's deadlines and notifications.

Staff set deadlines, schedules and the reminder policy, follow each deadline on its board,
remind units, and review reports beside the previous period's. A unit officer sees what is
due, most urgent first, in a list, a calendar and a personal iCalendar feed, and writes the
report (autosaved) until submitting it.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import Campaign, CampaignDeadline, CampaignStatus, Target
from clusters.models import ClusterMembership, ClusterTerm, Unit
from core.db import Vietnamese
from core.listing import Column, render_list, render_page
from reports import ical, reminders, selectors, services
from reports.filters import BoardFilter, DeadlineFilter, MyDeadlineFilter, NotificationFilter
from reports.forms import (
    AttachmentForm,
    DeadlineForm,
    PolicyForm,
    PreferenceForm,
    ReportForm,
    ReviewForm,
    ScheduleForm,
)
from reports.labels import STATUS_LABELS, owner_label, status_text
from reports.models import (
    CalendarFeed,
    ChannelChoice,
    Notification,
    NotificationPreference,
    ReportAttachment,
    ReportDeadline,
    ReportStatus,
)
from reports.rules import ReportRef
from reports.selectors import BoardStatus

# --- Access -----------------------------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not request.user.has_perm("reports.manage_deadlines"):
        raise PermissionDenied


def _deadline(pk: int) -> ReportDeadline:
    try:
        return selectors.deadline_for_page(pk)
    except ReportDeadline.DoesNotExist:
        raise Http404 from None


def _visible_unit_ids(request: HttpRequest, deadline: ReportDeadline) -> frozenset[int] | None:
    """None: every unit; otherwise the units of the clusters the user's unit leads that year."""
    if request.user.has_perm("reports.see_all_reports"):
        return None
    from clusters.selectors import unit_ids_led_by

    return unit_ids_led_by(request.user, deadline.year)


# --- Deadline list ----------------------------------------------------------------------------------

DEADLINE_COLUMNS = [
    Column("title", gettext_lazy("Report"), (Vietnamese("title"),), export=lambda d: d.title),
    Column(
        "owner",
        gettext_lazy("Campaign or cluster"),
        ("campaign__title", "cluster_term__cluster__name"),
        export=owner_label,
        optional=True,
    ),
    Column(
        "kind", gettext_lazy("Kind"), ("kind", "due_at"), export=lambda d: d.get_kind_display(), optional=True
    ),
    Column("due", gettext_lazy("Due"), ("due_at",), export=lambda d: timezone.localtime(d.due_at)),
    Column(
        "submitted",
        gettext_lazy("Submitted"),
        ("submitted_count", "due_at"),
        export=lambda d: d.submitted_count,
    ),
    Column(
        "late", gettext_lazy("Late"), ("late_count", "due_at"), export=lambda d: d.late_count, optional=True
    ),
    Column("units", gettext_lazy("Units"), ("unit_count",), export=lambda d: d.unit_count),
    Column(
        "accepted",
        gettext_lazy("Accepted"),
        ("accepted_count",),
        export=lambda d: d.accepted_count,
        optional=True,
    ),
]


@require_GET
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Staff's deadline boards: every report deadline with how many units have reported."""
    if not request.user.has_perm("reports.see_all_reports"):
        if request.user.unit_id and request.user.unit_role:
            return redirect("reports:my_deadlines")
        raise PermissionDenied
    return render_list(
        request,
        template="reports/deadline_list.html",
        partial="deadline-table",
        queryset=selectors.deadline_list(request.user),
        filterset_class=DeadlineFilter,
        columns=DEADLINE_COLUMNS,
        default_sort="due",
        export_name="ky-bao-cao",
        export_title=gettext_lazy("Report deadlines"),
        context={"can_manage": request.user.has_perm("reports.manage_deadlines"), "now": timezone.now()},
    )


# --- Creating and editing deadlines -------------------------------------------------------------------


def _owner_from(request: HttpRequest) -> tuple[Campaign | None, ClusterTerm | None]:
    params = request.POST if request.method == "POST" else request.GET
    campaign_pk, term_pk = params.get("campaign", ""), params.get("term", "")
    if campaign_pk.isdigit():
        return get_object_or_404(Campaign.objects.exclude(status=CampaignStatus.CLOSED), pk=campaign_pk), None
    if term_pk.isdigit():
        return None, get_object_or_404(ClusterTerm.objects.select_related("cluster"), pk=term_pk)
    return None, None


def _choices_for(campaign: Campaign | None, term: ClusterTerm | None) -> dict[str, Any]:
    if campaign is not None:
        from campaigns.selectors import participant_units

        return {"units": participant_units(campaign), "targets": campaign.targets.all()}
    return {
        "units": Unit.objects.filter(memberships__term=term),
        "targets": Target.objects.none(),
    }


def _owner_choices() -> dict[str, Any]:
    year = timezone.localdate().year
    return {
        "campaigns": list(
            Campaign.objects.exclude(status=CampaignStatus.CLOSED)
            .only("pk", "title")
            .order_by("-start_date", "-pk")
        ),
        "terms": list(
            ClusterTerm.objects.filter(year__gte=year - 1)
            .select_related("cluster")
            .order_by("-year", "cluster__code")
        ),
    }


@require_http_methods(["GET", "POST"])
def deadline_create(request: HttpRequest) -> HttpResponse:
    """Add a report deadline (one-off or ad hoc) to a campaign or a cluster's year; with
    `?source=` it starts from a deadline read in the campaign's directive."""
    _staff_only(request)
    campaign, term = _owner_from(request)
    if campaign is None and term is None:
        return render(request, "reports/deadline_owner.html", {"next": "deadline", **_owner_choices()})
    source = None
    params = request.POST if request.method == "POST" else request.GET
    source_pk = params.get("source", "")
    initial: dict[str, Any] = {}
    if campaign is not None and source_pk.isdigit():
        source = get_object_or_404(CampaignDeadline, pk=source_pk, campaign=campaign)
        prefill = services.data_from_campaign_deadline(source)
        initial = {
            "title": prefill.title,
            "kind": prefill.kind,
            "due_on": prefill.due_on,
            "period_start": prefill.period_start,
            "period_end": prefill.period_end,
            "sections": "\n".join(prefill.sections),
            "targets": prefill.targets,
            "required_attachments": "\n".join(prefill.required_attachments),
        }
    form = DeadlineForm(request.POST or None, initial=initial, **_choices_for(campaign, term))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deadline = services.deadline_create(
                by=request.user,
                campaign=campaign,
                cluster_term=term,
                source=source,
                data=services.DeadlineData(
                    title=data["title"],
                    kind=data["kind"],
                    due_on=data["due_on"],
                    due_time=data["due_time"],
                    period_start=data.get("period_start"),
                    period_end=data.get("period_end"),
                    **form.requirement_values(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _say_moved(request, deadline)
            messages.success(request, _("The report deadline was created and the units' reminders planned."))
            return redirect(deadline)
    context = {
        "form": form,
        "campaign": campaign,
        "term": term,
        "source": source,
        "suggestions": _suggestions(campaign) if campaign is not None and source is None else [],
    }
    return render(request, "reports/deadline_form.html", context)


def _suggestions(campaign: Campaign) -> list[CampaignDeadline]:
    """Report deadlines read from the directive that have no report deadline yet."""
    return list(campaign.deadlines.filter(is_report=True, report_deadline__isnull=True).order_by("due_on"))


def _say_moved(request: HttpRequest, deadline: ReportDeadline) -> None:
    if deadline.due_on != deadline.nominal_due_on:
        messages.info(
            request,
            _("%(date)s is not a working day: the report is due on %(due)s.")
            % {
                "date": deadline.nominal_due_on.strftime("%d/%m/%Y"),
                "due": deadline.due_on.strftime("%d/%m/%Y"),
            },
        )


@require_http_methods(["GET", "POST"])
def deadline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    deadline = _deadline(pk)
    form = DeadlineForm(
        request.POST or None,
        initial=DeadlineForm.initial_for(deadline),
        **_choices_for(deadline.campaign, deadline.cluster_term),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.deadline_update(
                deadline=deadline,
                by=request.user,
                data=services.DeadlineData(
                    title=data["title"],
                    kind=data["kind"],
                    due_on=data["due_on"],
                    due_time=data["due_time"],
                    period_start=data.get("period_start"),
                    period_end=data.get("period_end"),
                    **form.requirement_values(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _say_moved(request, deadline)
            messages.success(request, _("Saved."))
            return redirect(deadline)
    context = {
        "form": form,
        "deadline": deadline,
        "campaign": deadline.campaign,
        "term": deadline.cluster_term,
    }
    return render(request, "reports/deadline_form.html", context)


@require_POST
def deadline_lock(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    deadline = _deadline(pk)
    locked = request.POST.get("locked") == "1"
    services.deadline_lock(deadline=deadline, by=request.user, locked=locked)
    messages.success(
        request,
        _("The deadline is locked: no more reports are taken.")
        if locked
        else _("The deadline is open again for submissions."),
    )
    return redirect(deadline)


@require_http_methods(["GET", "POST"])
def schedule_create(request: HttpRequest) -> HttpResponse:
    """A recurring schedule: the deadlines of every month, quarter, half or year of the period."""
    _staff_only(request)
    campaign, term = _owner_from(request)
    if campaign is None and term is None:
        return render(request, "reports/deadline_owner.html", {"next": "schedule", **_owner_choices()})
    form = ScheduleForm(request.POST or None, **_choices_for(campaign, term))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.schedule_create(
                by=request.user,
                campaign=campaign,
                cluster_term=term,
                data=services.ScheduleData(
                    title=data.get("title", ""),
                    kind=data["kind"],
                    recurrence=data["recurrence"],
                    due_day=data["due_day"],
                    month_offset=data["month_offset"],
                    due_time=data["due_time"],
                    **form.requirement_values(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)d report deadlines were created.") % {"count": len(result.deadlines)},
            )
            if result.skipped:
                messages.info(
                    request,
                    _("%(count)d periods already past their due date were left out.")
                    % {"count": result.skipped},
                )
            query = f"?campaign={campaign.pk}" if campaign else f"?cluster={term.cluster_id}&year={term.year}"
            return redirect(reverse("reports:deadline_list") + query)
    return render(request, "reports/schedule_form.html", {"form": form, "campaign": campaign, "term": term})


@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    """The reminder policy of a campaign or a cluster's year, set once for all its deadlines."""
    _staff_only(request)
    campaign, term = _owner_from(request)
    if campaign is None and term is None:
        return render(request, "reports/deadline_owner.html", {"next": "policy", **_owner_choices()})
    owner = {"campaign": campaign} if campaign else {"cluster_term": term}
    from reports.models import ReminderPolicy

    current = reminders.Policy.of(ReminderPolicy.objects.filter(**owner).first())
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(by=request.user, **owner, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reminder policy was saved; pending reminders follow it."))
            query = f"?campaign={campaign.pk}" if campaign else f"?cluster={term.cluster_id}&year={term.year}"
            return redirect(reverse("reports:deadline_list") + query)
    return render(request, "reports/policy_form.html", {"form": form, "campaign": campaign, "term": term})


# --- The board -----------------------------------------------------------------------------------------


def _board_columns(deadline: ReportDeadline) -> list[Column]:
    def status_cell(unit: Any) -> str:
        return status_text(unit.board_status, unit.report_late_days, unit.report_submissions)

    return [
        Column("unit", gettext_lazy("Unit"), (Vietnamese("name"),), export=lambda u: u.name),
        Column(
            "cluster",
            gettext_lazy("Cluster or bloc"),
            ("cluster_name", Vietnamese("name")),
            export=lambda u: u.cluster_name or "",
            optional=True,
        ),
        Column("status", gettext_lazy("Status"), ("status_rank", Vietnamese("name")), export=status_cell),
        Column(
            "submitted",
            gettext_lazy("Submitted at"),
            ("report_submitted_at",),
            export=lambda u: u.report_submitted_at,
        ),
        Column(
            "late",
            gettext_lazy("Working days late"),
            ("report_late_days",),
            export=lambda u: u.report_late_days,
        ),
        Column(
            "reminders",
            gettext_lazy("Reminders sent"),
            ("reminders_sent",),
            export=lambda u: u.reminders_sent,
            optional=True,
        ),
        Column("actions", gettext_lazy("Actions"), (), export=None),
    ]


def _board_context(request: HttpRequest, deadline: ReportDeadline) -> dict[str, Any]:
    now = timezone.now()
    late = selectors.lateness(deadline, now)
    return {
        "deadline": deadline,
        "owner_label": owner_label(deadline),
        "can_manage": request.user.has_perm("reports.manage_deadlines"),
        "overdue_days": late.days if late.is_late else 0,
        "remind_after": now - services.MANUAL_REMINDER_GAP,
        "status_labels": STATUS_LABELS,
    }


@require_GET
def deadline_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Each unit's standing for one deadline: filter and sort by it, remind, export."""
    deadline = _deadline(pk)
    if not request.user.has_perm("reports.see_board", deadline):
        raise PermissionDenied
    visible = _visible_unit_ids(request, deadline)
    rows = selectors.board_rows(deadline, unit_ids=visible)
    clusters = sorted(
        set(
            ClusterMembership.objects.filter(year=deadline.year, unit__in=selectors.deadline_units(deadline))
            .values_list("term__cluster_id", "term__cluster__name")
            .distinct()
        ),
        key=lambda pair: pair[1],
    )
    context = _board_context(request, deadline)
    context["counts"] = selectors.board_counts(rows)
    return render_list(
        request,
        template="reports/deadline_board.html",
        partial="board-table",
        queryset=rows,
        filterset_class=BoardFilter,
        filterset_kwargs={"clusters": clusters, "overdue": context["overdue_days"] > 0},
        columns=_board_columns(deadline),
        default_sort="status",
        export_name=f"bang-theo-doi-bao-cao-{deadline.pk}",
        # Spreadsheet sheet names cannot hold / \\ ? * [ ] :
        export_title=re.sub(r"[\\/?*\[\]:]", "-", deadline.title),
        context=context,
    )


@require_POST
def remind_unit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """ "Nhắc": remind one unit now (at most once an hour)."""
    _staff_only(request)
    deadline = _deadline(pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    try:
        services.remind_unit(deadline=deadline, unit=unit, by=request.user)
    except ValidationError as error:
        level, text = messages.ERROR, " ".join(error.messages)
    else:
        level, text = messages.SUCCESS, _("A reminder is on its way to %(unit)s.") % {"unit": unit.name}
    if getattr(request, "htmx", None) and not request.htmx.boosted:
        row = selectors.board_rows(deadline).get(pk=unit.pk)
        context = {**_board_context(request, deadline), "unit": row, "row_message": text, "row_level": level}
        return render(request, "reports/deadline_board.html#board-row", context)
    messages.add_message(request, level, text)
    return redirect(deadline)


# --- The report -----------------------------------------------------------------------------------------


def _report_context(request: HttpRequest, deadline: ReportDeadline, unit: Unit) -> dict[str, Any]:
    user = request.user
    # Permission first: someone who may not see the unit's reports must not learn from a 404
    # which deadlines the unit owes.
    if not user.has_perm("reports.see_report", ReportRef(deadline, unit.pk)):
        raise PermissionDenied
    if not selectors.unit_owes(deadline, unit.pk):
        raise Http404
    report = selectors.report_with_content(deadline, unit.pk)
    targets = services.required_targets(deadline, unit.pk)
    can_write = user.has_perm("reports.write_report", unit)
    editable = can_write and (report is None or report.is_editable) and not deadline.is_locked
    can_review = user.has_perm("reports.review_reports")
    context: dict[str, Any] = {
        "deadline": deadline,
        "unit": unit,
        "report": report,
        "targets": targets,
        "owner_label": owner_label(deadline),
        "can_write": can_write,
        "editable": editable,
        "can_review": can_review,
        "missing": services.missing_items(report, deadline, targets),
        "lateness": selectors.lateness(deadline),
        "status_label": status_text(
            _status_of(report),
            report.late_days if report else None,
            report.submission_count if report else None,
        ),
        "values": {v.target_id: v for v in report.values.all()} if report else {},
        "last_transition": (list(report.transitions.all()) or [None])[-1] if report else None,
    }
    if editable:
        context["form"] = ReportForm(deadline=deadline, targets=targets, report=report)
        context["attachment_form"] = AttachmentForm(deadline=deadline)
    if can_review:
        context["review_form"] = ReviewForm()
        previous = selectors.previous_deadline(deadline)
        context["previous_deadline"] = previous
        if previous is not None:
            previous_report = selectors.report_with_content(previous, unit.pk)
            context["previous_report"] = previous_report
            context["previous_values"] = (
                {v.target_id: v for v in previous_report.values.all()} if previous_report else {}
            )
        context["reminder_rows"] = selectors.unit_reminders(deadline, unit.pk)
    context["sections"] = [
        (title, (report.narrative.get(str(i), "") if report else ""), _previous_section(context, i))
        for i, title in enumerate(deadline.sections)
    ]
    return context


def _previous_section(context: dict[str, Any], index: int) -> str | None:
    previous_report = context.get("previous_report")
    if previous_report is None:
        return None
    return previous_report.narrative.get(str(index), "")


def _status_of(report: Any) -> str:
    if report is None:
        return BoardStatus.NOT_STARTED
    if report.status == ReportStatus.SUBMITTED:
        return BoardStatus.LATE if report.late_days else BoardStatus.ON_TIME
    return report.status


def _unit(unit_pk: int) -> Unit:
    return get_object_or_404(Unit, pk=unit_pk)


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's report: the form while it may be edited (save, submit), else the submitted
    report; staff review it beside the previous period's."""
    deadline = _deadline(pk)
    unit = _unit(unit_pk)
    context = _report_context(request, deadline, unit)
    if request.method == "POST":
        if not context["editable"]:
            raise PermissionDenied
        form = ReportForm(
            request.POST, deadline=deadline, targets=context["targets"], report=context["report"]
        )
        submitting = "submit" in request.POST
        if form.is_valid():
            action = services.report_submit if submitting else services.report_save
            try:
                action(
                    deadline=deadline,
                    unit=unit,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    narrative=form.narrative(),
                    values=form.values(),
                )
            except services.StaleReportError as error:
                form = _stale_report_form(request, context, error.current_version)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if submitting:
                    messages.success(request, _("The report was submitted."))
                else:
                    messages.success(request, _("The draft was saved."))
                return redirect("reports:report_detail", pk=deadline.pk, unit_pk=unit.pk)
        context["form"] = form
    return render(request, "reports/report_detail.html", context)


def _stale_report_form(request: HttpRequest, context: dict[str, Any], current_version: int) -> ReportForm:
    """Someone saved the report meanwhile: show what is saved now beside what was typed, kept,
    with the current version, so saving again knowingly replaces it."""
    deadline, unit = context["deadline"], context["unit"]
    saved = selectors.report_with_content(deadline, unit.pk)
    data = request.POST.copy()
    data["version"] = str(current_version)
    form = ReportForm(data, deadline=deadline, targets=context["targets"], report=saved)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Someone saved this report after you opened it, so your changes were not saved. What "
            "you typed is kept below: compare it with what is saved now, then save again to replace it."
        ),
    )
    if saved is not None:
        values = {v.target_id: v for v in saved.values.all()}
        context["saved_report"] = saved
        context["saved_sections"] = [
            (title, saved.narrative.get(str(i), "")) for i, title in enumerate(deadline.sections)
        ]
        context["saved_values"] = [(target, values.get(target.pk)) for target in context["targets"]]
    return form


@require_POST
def report_autosave(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The page saves the draft as the officer types (htmx); answers with the save status."""
    deadline = _deadline(pk)
    unit = _unit(unit_pk)
    if not request.user.has_perm("reports.write_report", unit) or not selectors.unit_owes(deadline, unit.pk):
        raise PermissionDenied
    report = selectors.report_with_content(deadline, unit.pk)
    targets = services.required_targets(deadline, unit.pk)
    form = ReportForm(request.POST, deadline=deadline, targets=targets, report=report)
    form.is_valid()
    context: dict[str, Any] = {"saved_at": None, "problems": [], "version": request.POST.get("version", "0")}
    if "version" in form.errors:
        context["problems"] = [_("The page is out of date. Reload it before going on.")]
        return render(request, "reports/_autosave.html", context)
    try:
        saved = services.report_save(
            deadline=deadline,
            unit=unit,
            by=request.user,
            version=form.cleaned_data["version"],
            narrative=form.narrative(),
            values=form.values(),
        )
    except ValidationError as error:
        context["problems"] = error.messages
        context["stale"] = error.code == "stale" if hasattr(error, "code") else False
        return render(request, "reports/_autosave.html", context)
    context["saved_at"] = timezone.localtime(saved.updated_at)
    context["version"] = saved.version
    context["problems"] = [f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
    return render(request, "reports/_autosave.html", context)


@require_POST
def report_review(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Accept, return (with a reason) or reopen (with a reason) a unit's report."""
    if not request.user.has_perm("reports.review_reports"):
        raise PermissionDenied
    deadline = _deadline(pk)
    unit = _unit(unit_pk)
    report = selectors.report_with_content(deadline, unit.pk)
    if report is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the report."))
        return redirect(report)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    try:
        if action == "accept":
            services.report_accept(report=report, by=request.user, note=reason)
            text = _("The report was accepted and its figures recorded as progress.")
        elif action == "return":
            services.report_return(report=report, by=request.user, reason=reason)
            text = _("The report was returned to the unit.")
        else:
            services.report_reopen(report=report, by=request.user, reason=reason)
            text = _("The report was reopened; the unit can change and resubmit it.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, text)
    return redirect(report)


# --- Attachments ----------------------------------------------------------------------------------------


@require_POST
def attachment_upload(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    deadline = _deadline(pk)
    unit = _unit(unit_pk)
    if not request.user.has_perm("reports.write_report", unit):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES, deadline=deadline)
    if form.is_valid():
        try:
            services.attachment_add(
                deadline=deadline,
                unit=unit,
                by=request.user,
                file=form.cleaned_data["file"],
                requirement=form.cleaned_data.get("requirement"),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The file was attached."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("reports:report_detail", pk=deadline.pk, unit_pk=unit.pk)


def _attachment(request: HttpRequest, pk: int) -> ReportAttachment:
    attachment = get_object_or_404(ReportAttachment.objects.select_related("report__deadline"), pk=pk)
    ref = ReportRef(attachment.report.deadline, attachment.report.unit_id)
    if not request.user.has_perm("reports.see_report", ref):
        # Another unit's file is not disclosed, not even that it exists.
        raise Http404
    return attachment


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A report's file, only to those who may see the report."""
    attachment = _attachment(request, pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    report = attachment.report
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The file was removed."))
    return redirect(report)


# --- The unit's deadlines ---------------------------------------------------------------------------------

MY_COLUMNS = [
    Column("title", gettext_lazy("Report"), (Vietnamese("title"),), export=lambda d: d.title),
    Column(
        "owner",
        gettext_lazy("Campaign or cluster"),
        ("campaign__title", "cluster_term__cluster__name"),
        export=owner_label,
        optional=True,
    ),
    Column("due", gettext_lazy("Due"), ("due_at",), export=lambda d: timezone.localtime(d.due_at)),
    Column(
        "status",
        gettext_lazy("Status"),
        ("urgency", "due_at"),
        export=lambda d: status_text(d.board_status, d.report_late_days),
    ),
    Column("missing", gettext_lazy("Still missing"), (), export=None),
]


def _acting_unit(request: HttpRequest) -> Unit | None:
    user = request.user
    return user.unit if user.unit_id and user.unit_role else None


@require_GET
def my_deadlines(request: HttpRequest) -> HttpResponse:
    """The unit's deadlines, most urgent first, with what each report still lacks."""
    unit = _acting_unit(request)
    if unit is None:
        return redirect("reports:deadline_list")
    from clusters.selectors import unit_ids_led_by

    return render_list(
        request,
        template="reports/my_deadlines.html",
        partial="my-deadline-table",
        queryset=selectors.my_deadlines(unit),
        filterset_class=MyDeadlineFilter,
        columns=MY_COLUMNS,
        default_sort="status",
        export_name="bao-cao-cua-don-vi",
        export_title=gettext_lazy("My deadlines"),
        context={
            "unit": unit,
            "now": timezone.now(),
            "leads_cluster": bool(unit_ids_led_by(request.user)),
            "status_labels": STATUS_LABELS,
        },
    )


@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """A month of the unit's deadlines (?month=2026-06)."""
    unit = _acting_unit(request)
    if unit is None:
        return redirect("reports:deadline_list")
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-", 1))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    deadlines = selectors.deadlines_between(unit, first, last)
    by_day: dict[dt.date, list[ReportDeadline]] = {}
    for deadline in deadlines:
        by_day.setdefault(deadline.due_on, []).append(deadline)
    from reports import workdays

    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "working": workdays.is_working_day(day),
                "holiday": workdays.holiday_name(day) if day.month == first.month else "",
                "deadlines": by_day.get(day, []),
            }
            for day in week
        ]
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {
        "unit": unit,
        "month": first,
        "weeks": weeks,
        "previous_month": previous.strftime("%Y-%m"),
        "next_month": following.strftime("%Y-%m"),
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        "status_labels": STATUS_LABELS,
    }
    return render_page(request, "reports/my_calendar.html", "calendar-month", context)


@require_POST
def calendar_feed_manage(request: HttpRequest) -> HttpResponse:
    """Create or replace the personal calendar address (the old one stops working), or revoke it."""
    if _acting_unit(request) is None:
        raise PermissionDenied
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("The calendar address was revoked: calendar apps no longer receive it."))
    else:
        services.calendar_feed_renew(user=request.user)
        messages.success(
            request, _("A new calendar address was made. The previous one, if any, no longer works.")
        )
    return redirect("reports:my_calendar")


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret token, for calendar apps (no sign-in)."""
    feed = CalendarFeed.objects.select_related("user__unit").filter(token=token).first()
    user = feed.user if feed else None
    if user is None or not user.is_active or not user.unit_id or not user.unit_role:
        raise Http404
    since = timezone.now() - dt.timedelta(days=92)
    deadlines = list(
        selectors.my_deadlines(user.unit).filter(due_at__gte=since).order_by("due_at", "pk")[:500]
    )
    status_of = {d.pk: status_text(d.board_status, d.report_late_days) for d in deadlines}
    body = ical.calendar(
        deadlines,
        name=_("Reports of %(unit)s") % {"unit": user.unit.name},
        unit_id=user.unit_id,
        status_of=status_of,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bao-cao.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Notifications ------------------------------------------------------------------------------------

NOTIFICATION_COLUMNS = [
    Column("created", gettext_lazy("When"), ("created_at",), export=lambda n: n.created_at),
    Column("title", gettext_lazy("Notification"), ("title",), export=lambda n: n.title),
    Column(
        "kind",
        gettext_lazy("Kind"),
        ("kind", "-created_at"),
        export=lambda n: n.get_kind_display(),
        optional=True,
    ),
    Column("read", gettext_lazy("Read"), ("read_at",), export=lambda n: n.read_at),
]


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(user=request.user).first()
    return render_list(
        request,
        template="reports/notifications.html",
        partial="notification-table",
        queryset=selectors.notifications_for(request.user),
        filterset_class=NotificationFilter,
        columns=NOTIFICATION_COLUMNS,
        default_sort="-created",
        export_name="thong-bao",
        export_title=gettext_lazy("Notifications"),
        context={
            "unread": selectors.unread_count(request.user),
            "preference_form": PreferenceForm(
                initial={"channels": preference.channels if preference else ChannelChoice.BOTH}
            ),
        },
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification as read and open its link (or, for htmx, refresh its row)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    if getattr(request, "htmx", None) and not request.htmx.boosted:
        notification.refresh_from_db()
        response = render(
            request, "reports/notifications.html#notification-row", {"notification": notification}
        )
        response["HX-Trigger"] = "notifications-changed"
        return response
    # Only a path on this site: "//host/…" also starts with a slash.
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None, require_https=False
    ):
        return redirect(notification.url)
    return redirect("reports:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("reports:notifications")


@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell with the unread count; pages load it with htmx and refresh it on changes."""
    response = render(request, "reports/_bell.html", {"unread": selectors.unread_count(request.user)})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def notification_preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.preference_set(user=request.user, channels=form.cleaned_data["channels"])
        messages.success(request, _("Your reminder preference was saved."))
    else:
        messages.error(request, _("Choose how to receive reminders."))
    return redirect("reports:notifications")
