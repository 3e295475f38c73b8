from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignKind, CampaignScope, CampaignStatus
from core.listing import YearFilter, search_folded


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title, theme or document number")}),
    )
    year = YearFilter(method="filter_year")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CampaignKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CampaignStatus.choices, empty_label=_("All statuses")
    )
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=CampaignScope.choices, empty_label=_("All"))
    authority = django_filters.CharFilter(
        label=_("Launched by"), field_name="launching_authority", lookup_expr="icontains"
    )

    class Meta:
        model = Campaign
        fields = ["q", "year", "kind", "status", "scope", "authority"]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return search_folded(queryset, value)

    def filter_year(self, queryset: QuerySet[Campaign], name: str, value: int) -> QuerySet[Campaign]:
        # A campaign belongs to every year its period touches.
        return queryset.filter(start_date__year__lte=value, end_date__year__gte=value)
