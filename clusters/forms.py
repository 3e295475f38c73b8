from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Unit


class RestructureForm(forms.Form):
    """Sáp nhập / chia tách: the successor unit(s), the effective date and the decision."""

    MERGE, SPLIT = "merge", "split"

    operation = forms.ChoiceField(
        label=_("Operation"),
        choices=[(MERGE, _("Merge the selected units into one unit")), (SPLIT, _("Split the selected unit"))],
        widget=forms.RadioSelect,
    )
    successors = forms.ModelMultipleChoiceField(
        label=_("Successor unit(s)"),
        queryset=Unit.objects.filter(active_to__isnull=True).order_by("name"),
        help_text=_("For a merger choose exactly one; for a split choose every new unit."),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    effective_on = forms.DateField(label=_("Effective date"), help_text=_("dd/mm/yyyy"))
    decision_number = forms.CharField(
        label=_("Decision or resolution number"), max_length=100, required=False
    )
    decision_date = forms.DateField(label=_("Decision date"), required=False)

    def __init__(self, *args, selected: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.selected = selected

    def clean(self) -> dict:
        data = super().clean()
        operation, successors = data.get("operation"), list(data.get("successors") or [])
        if operation == self.MERGE and len(successors) != 1:
            self.add_error("successors", _("A merger has exactly one successor unit."))
        if operation == self.SPLIT:
            if len(self.selected) != 1:
                self.add_error("operation", _("Select exactly one unit to split."))
            if any(unit.pk in {s.pk for s in self.selected} for unit in successors):
                self.add_error("successors", _("A unit cannot be split into itself."))
        return data
