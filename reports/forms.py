"""Forms for deadlines, schedules, reminder policies, reports and reviews.

Forms only read what was typed; the rules are in `reports.services`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Target
from campaigns.progress_views import NumberField, number_text
from clusters.models import Unit
from core.db import Vietnamese
from reports.models import (
    DEFAULT_DUE_TIME,
    ChannelChoice,
    NonWorkingDayRule,
    Recurrence,
    Report,
    ReportDeadline,
    ReportKind,
    UnitMode,
)
from reports.reminders import DEFAULT_DAYS_AFTER, DEFAULT_DAYS_BEFORE, DEFAULT_SEND_AT, Policy

DATE_INPUT = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
)
TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm", "inputmode": "numeric"})
_DAYS = re.compile(r"[\s,;]+")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class _Requirements(forms.Form):
    """Units, sections, targets and attachments: shared by deadlines and schedules."""

    non_working_day_rule = forms.ChoiceField(
        label=_("When the due date is not a working day"),
        choices=NonWorkingDayRule.choices,
        initial=NonWorkingDayRule.PREVIOUS,
    )
    unit_mode = forms.ChoiceField(
        label=_("Units that must report"),
        choices=UnitMode.choices,
        initial=UnitMode.ALL,
        widget=forms.RadioSelect,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Chosen units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only when “Chosen units” is selected."),
    )
    sections = forms.CharField(
        label=_("Narrative sections"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One section title per line."),
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets to report with actual values"),
        queryset=Target.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_attachments = forms.CharField(
        label=_("Required attachments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, for example: the signed and stamped report (PDF)."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], targets: QuerySet[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units.order_by(Vietnamese("name"))
        self.fields["targets"].queryset = targets
        if not targets.exists():
            del self.fields["targets"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("unit_mode") == UnitMode.CHOSEN and not data.get("units"):
            self.add_error("units", _("Choose the units that must report."))
        return data

    def requirement_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "non_working_day_rule": data["non_working_day_rule"],
            "unit_mode": data["unit_mode"],
            "units": list(data.get("units") or []),
            "sections": _lines(data.get("sections", "")),
            "targets": list(data.get("targets") or []),
            "required_attachments": _lines(data.get("required_attachments", "")),
        }


class DeadlineForm(_Requirements):
    title = forms.CharField(label=_("Title"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    due_on = forms.DateField(label=_("Due date"), widget=DATE_INPUT)
    due_time = forms.TimeField(label=_("Due time"), initial=DEFAULT_DUE_TIME, widget=TIME_INPUT)
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DATE_INPUT)

    field_order = [
        "title",
        "kind",
        "due_on",
        "due_time",
        "non_working_day_rule",
        "period_start",
        "period_end",
        "unit_mode",
        "units",
        "sections",
        "targets",
        "required_attachments",
    ]

    @classmethod
    def initial_for(cls, deadline: ReportDeadline) -> dict[str, Any]:
        return {
            "title": deadline.title,
            "kind": deadline.kind,
            "due_on": deadline.nominal_due_on,
            "due_time": _local_time(deadline),
            "period_start": deadline.period_start,
            "period_end": deadline.period_end,
            "non_working_day_rule": deadline.non_working_day_rule,
            "unit_mode": deadline.unit_mode,
            "units": list(deadline.units.all()),
            "sections": "\n".join(deadline.sections),
            "targets": list(deadline.targets.all()),
            "required_attachments": "\n".join(deadline.required_attachments),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


def _local_time(deadline: ReportDeadline) -> dt.time:
    return timezone.localtime(deadline.due_at).time().replace(second=0, microsecond=0)


class ScheduleForm(_Requirements):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("The period is added: “Báo cáo kết quả” becomes “Báo cáo kết quả quý I/2026”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices, initial=ReportKind.MONTHLY)
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Recurrence.choices, initial=Recurrence.MONTHLY)
    due_day = forms.IntegerField(
        label=_("Due day of the month"),
        min_value=1,
        max_value=31,
        initial=20,
        help_text=_("31 means the last day of the month, whatever its length."),
    )
    month_offset = forms.TypedChoiceField(
        label=_("Due month"),
        coerce=int,
        choices=[(0, _("The period's last month")), (1, _("The month after the period"))],
        initial=0,
    )
    due_time = forms.TimeField(label=_("Due time"), initial=DEFAULT_DUE_TIME, widget=TIME_INPUT)

    field_order = [
        "title",
        "kind",
        "recurrence",
        "due_day",
        "month_offset",
        "due_time",
        "non_working_day_rule",
        "unit_mode",
        "units",
        "sections",
        "targets",
        "required_attachments",
    ]


def _parse_days(text: str) -> list[int]:
    days = []
    for part in _DAYS.split(text.strip()):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 60:
            raise ValidationError(_("Write working days as numbers from 1 to 60, separated by commas."))
        days.append(int(part))
    return sorted(set(days))


class PolicyForm(forms.Form):
    days_before = forms.CharField(
        label=_("Working days before the due date"),
        required=False,
        initial=", ".join(str(d) for d in DEFAULT_DAYS_BEFORE),
        help_text=_("For example: 7, 3, 1"),
    )
    on_due_day = forms.BooleanField(label=_("On the due date"), required=False, initial=True)
    days_after = forms.CharField(
        label=_("Working days late"),
        required=False,
        initial=", ".join(str(d) for d in DEFAULT_DAYS_AFTER),
        help_text=_("For example: 1, 3, 7"),
    )
    escalate_late = forms.BooleanField(
        label=_("Late reminders also go to the unit head and the cluster head"), required=False, initial=True
    )
    send_at = forms.TimeField(label=_("Time of day to send"), initial=DEFAULT_SEND_AT, widget=TIME_INPUT)

    @classmethod
    def initial_for(cls, policy: Policy) -> dict[str, Any]:
        return {
            "days_before": ", ".join(str(d) for d in policy.days_before),
            "on_due_day": policy.on_due_day,
            "days_after": ", ".join(str(d) for d in policy.days_after),
            "escalate_late": policy.escalate_late,
            "send_at": policy.send_at,
        }

    def clean_days_before(self) -> list[int]:
        return _parse_days(self.cleaned_data["days_before"])

    def clean_days_after(self) -> list[int]:
        return _parse_days(self.cleaned_data["days_after"])


DONE_CHOICES = [("", _("Not said yet")), ("1", _("Done")), ("0", _("Not done"))]


class ReportForm(forms.Form):
    """The unit's report: one text per section, one actual value per target."""

    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "report-version"}), min_value=0)

    def __init__(
        self,
        *args: Any,
        deadline: ReportDeadline,
        targets: Sequence[Target],
        report: Report | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self.targets = list(targets)
        narrative = report.narrative if report else {}
        values = {v.target_id: v for v in report.values.all()} if report else {}
        self.fields["version"].initial = report.version if report else 0
        for index, title in enumerate(deadline.sections):
            self.fields[f"section_{index}"] = forms.CharField(
                label=title,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=narrative.get(str(index), ""),
            )
        for target in self.targets:
            value = values.get(target.pk)
            if target.is_measurable:
                label = f"{target.name} ({target.unit_of_measure})" if target.unit_of_measure else target.name
                self.fields[f"value_{target.pk}"] = NumberField(
                    label=label, required=False, initial=number_text(value.value) if value else ""
                )
            else:
                initial = "" if value is None or value.done is None else ("1" if value.done else "0")
                self.fields[f"done_{target.pk}"] = forms.ChoiceField(
                    label=target.name, choices=DONE_CHOICES, required=False, initial=initial
                )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label=gettext("Note on “%(target)s”") % {"target": target.name},
                max_length=500,
                required=False,
                initial=value.note if value else "",
            )

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{i}"] for i in range(len(self.deadline.sections))]

    def target_rows(self) -> list[tuple[Target, forms.BoundField, forms.BoundField]]:
        rows = []
        for target in self.targets:
            name = f"value_{target.pk}" if target.is_measurable else f"done_{target.pk}"
            rows.append((target, self[name], self[f"note_{target.pk}"]))
        return rows

    def _typed_or_saved(self, name: str) -> Any:
        """The typed value, or the saved one when what was typed is not valid (a NUL byte, too
        long): an autosave must not wipe a section or a note because of one bad character."""
        if name in self.errors:
            return self.fields[name].initial or ""
        return getattr(self, "cleaned_data", {}).get(name, "") or ""

    def narrative(self) -> dict[str, str]:
        return {str(i): self._typed_or_saved(f"section_{i}") for i in range(len(self.deadline.sections))}

    def values(self) -> list[Any]:
        """Typed values; a field that did not parse keeps what is saved (it is left out)."""
        from reports.services import ValueData

        data = getattr(self, "cleaned_data", {})
        values = []
        for target in self.targets:
            note = self._typed_or_saved(f"note_{target.pk}")
            if target.is_measurable:
                key = f"value_{target.pk}"
                if key in self.errors:
                    continue
                values.append(ValueData(target_id=target.pk, value=data.get(key), note=note))
            else:
                done = self._typed_or_saved(f"done_{target.pk}")
                values.append(
                    ValueData(target_id=target.pk, done=None if done == "" else done == "1", note=note)
                )
        return values


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return to the unit")), ("reopen", _("Reopen"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or reopening a report."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, Word (.docx), Excel (.xlsx) or an image; at most 20 MB.")
    )
    requirement = forms.TypedChoiceField(
        label=_("This file is"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, deadline: ReportDeadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Another document"))]
        choices += [(str(i), label) for i, label in enumerate(deadline.required_attachments)]
        self.fields["requirement"].choices = choices


class PreferenceForm(forms.Form):
    channels = forms.ChoiceField(
        label=_("Receive reminders"),
        choices=ChannelChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Reminders about a late report always come by e-mail and in the app."),
    )
