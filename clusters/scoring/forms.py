"""Forms of the scoring screens. Numbers are read the way people type them ("12,5" or "12.5")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusters.models import (
    ClassificationBand,
    ClusterTerm,
    Criterion,
    CriterionGroup,
    FlagKind,
    ScoreTable,
    TermScoring,
    TieBreak,
    Unit,
)
from core.numbers import NumberField


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})


class TableCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    declared_total = NumberField(
        label=_("Declared total"), help_text=_("Content points plus the bonus cap, e.g. 1000 = 950 + 50.")
    )
    copy_from = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=ScoreTable.objects.none(),
        required=False,
        empty_label=_("An empty table"),
        help_text=_("Last year's table of this cluster, copied with its groups, criteria and bands."),
    )
    file = forms.FileField(
        label=_("Or import an Excel table (.xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, term: ClusterTerm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = (
            ScoreTable.objects.filter(term__cluster_id=term.cluster_id, term__year__lt=term.year)
            .select_related("term")
            .order_by("-term__year", "-version")
        )
        self.fields["copy_from"].label_from_instance = lambda t: f"{t.term.year} — {t.title} (v{t.version})"

    def clean_declared_total(self) -> Any:
        value = self.cleaned_data["declared_total"]
        if value is None or value <= 0:
            raise ValidationError(_("The total must be greater than zero."))
        return value


class TableEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    declared_total = NumberField(label=_("Declared total"))
    tie_breaks = forms.MultipleChoiceField(
        label=_("Tie-breaks, in this order"),
        choices=TieBreak.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Units with the same final score are ordered by the checked rules, top to bottom."),
    )

    # As on creation: the table's check constraint refuses a total of zero or less (was a 500).
    clean_declared_total = TableCreateForm.clean_declared_total


class GroupForm(forms.ModelForm):
    class Meta:
        model = CriterionGroup
        fields = ["order", "code", "name", "kind", "max_points"]
        field_classes = {"max_points": NumberField}
        widgets = {"kind": forms.RadioSelect}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "group",
            "parent",
            "order",
            "code",
            "name",
            "max_points",
            "method",
            "scorer",
            "evidence_required",
            "guidance",
        ]
        field_classes = {"max_points": NumberField}
        widgets = {"name": forms.Textarea(attrs={"rows": 2}), "guidance": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, table: ScoreTable, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = table.groups.order_by("order", "pk")
        parents = (
            Criterion.objects.filter(group__table=table)
            .select_related("group")
            .order_by("group__order", "order")
        )
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda c: f"{c.group.code}.{c.code} {c.name[:60]}"
        self.fields["parent"].empty_label = _("None (a criterion of the group)")


class BandForm(forms.ModelForm):
    class Meta:
        model = ClassificationBand
        fields = ["order", "name", "min_percent", "min_criterion_percent"]
        field_classes = {"min_percent": NumberField, "min_criterion_percent": NumberField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["min_criterion_percent"].required = False


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel table (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


class RevisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Staff decision"),
        max_length=255,
        help_text=_("For example Công văn số 215/SNV-TĐKT ngày 12/5"),
    )
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3}))


class PledgeForm(forms.Form):
    signed_on = forms.DateField(label=_("Signing date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=255)
    signatories = forms.ModelMultipleChoiceField(
        label=_("Member units that signed"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each unit signs through its head, recorded with the name and title on file."),
    )
    document = forms.FileField(
        label=_("Signed document (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, term: ClusterTerm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(memberships__term=term).order_by("name")
        self.fields["signatories"].queryset = units
        if not self.is_bound:
            self.initial.setdefault("signatories", list(units))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = TermScoring
        fields = ["self_score_due", "cross_score_due", "flag_quota", "merit_quota", "vote_threshold"]
        field_classes = {"vote_threshold": NumberField}
        widgets = {"self_score_due": DateInput(), "cross_score_due": DateInput()}

    def __init__(self, *args: Any, staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_score_due"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        self.fields["cross_score_due"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        if not staff:
            # The province sets the quotas and the threshold.
            for name in ("flag_quota", "merit_quota", "vote_threshold"):
                del self.fields[name]


class FlagForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=FlagKind.choices)
    source = forms.CharField(label=_("Reported by"), max_length=255, required=False)
    opened_on = forms.DateField(
        label=_("Opened on"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, term: ClusterTerm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(memberships__term=term).order_by("name")


class CloseVoteForm(forms.Form):
    meeting_on = forms.DateField(
        label=_("Meeting date"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    meeting_place = forms.CharField(label=_("Meeting place"), max_length=255)
    chair_name = forms.CharField(label=_("Chaired by"), max_length=150)
    secretary_name = forms.CharField(label=_("Minutes taken by"), max_length=150)
    next_head = forms.ModelChoiceField(label=_("Next year's head (elected)"), queryset=Unit.objects.none())
    next_deputy = forms.ModelChoiceField(
        label=_("Next year's deputy (elected)"), queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, term: ClusterTerm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(memberships__term=term, active_to__isnull=True).order_by("name")
        self.fields["next_head"].queryset = units
        self.fields["next_deputy"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("next_head") and data.get("next_head") == data.get("next_deputy"):
            self.add_error("next_deputy", _("The head and the deputy must be different units."))
        return data
