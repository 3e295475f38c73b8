from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from awards.models import AwardCategory, AwardRecord, Gender, Person, PersonCategory, RecipientKind
from clusters.models import Unit
from core.listing import YearFilter, search_folded


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Full name or civil servant code")}),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.order_by("name"), empty_label=_("All units")
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=PersonCategory.choices, empty_label=_("All categories")
    )
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices, empty_label=_("All"))
    award = django_filters.ModelChoiceFilter(
        label=_("Has award"),
        queryset=AwardCategory.objects.filter(recipient_kind=RecipientKind.INDIVIDUAL),
        method="filter_award",
        empty_label=_("Any or none"),
    )
    award_year = YearFilter(label=_("Award year"), method="filter_award_year")

    class Meta:
        model = Person
        fields = ["q", "unit", "category", "gender", "award", "award_year"]

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and not user.has_perm("awards.see_all_people"):
            # Officers choose among the units they may see, not the whole province.
            self.filters["unit"].queryset = Unit.objects.filter(
                pk__in=self.queryset.values("unit_id")
            ).order_by("name")

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        # Citizen IDs are looked up by POST (CitizenIdLookupForm), never through the URL.
        return search_folded(queryset, value)

    def _awards(self) -> QuerySet[AwardRecord]:
        records = AwardRecord.objects.filter(person=OuterRef("pk"), revocation__isnull=True)
        data = self.form.cleaned_data
        if data.get("award"):
            records = records.filter(category=data["award"])
        if data.get("award_year"):
            records = records.filter(year=data["award_year"])
        return records

    def filter_award(self, queryset: QuerySet[Person], name: str, value: AwardCategory) -> QuerySet[Person]:
        return queryset.filter(Exists(self._awards()))

    def filter_award_year(self, queryset: QuerySet[Person], name: str, value: int) -> QuerySet[Person]:
        if self.form.cleaned_data.get("award"):
            return queryset  # already applied together with the award
        return queryset.filter(Exists(self._awards()))


class CitizenIdLookupForm(forms.Form):
    """Staff look a person up by citizen ID; sent by POST so the number stays out of URLs and logs."""

    citizen_id = forms.RegexField(
        label=_("Citizen ID number"),
        regex=r"^\d{9}(\d{3})?$",
        error_messages={
            "invalid": _("Enter the 12 digits of a citizen ID card (or 9 digits of an old ID card).")
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 12}),
    )
