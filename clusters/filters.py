from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, ClusterKind, Unit, UnitKind
from core.listing import search_folded


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, short name or code")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=[("active", _("Active")), ("inactive", _("No longer active"))],
        empty_label=_("All"),
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster or bloc"),
        queryset=Cluster.objects.filter(is_active=True).order_by("kind", "code"),
        method="filter_cluster",
        empty_label=_("All clusters and blocs"),
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "status", "cluster"]

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return search_folded(queryset, value)

    def filter_status(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(active_to__isnull=value == "active")

    def filter_cluster(self, queryset: QuerySet[Unit], name: str, value: Cluster) -> QuerySet[Unit]:
        # `cluster_id` is the annotation for the year being listed.
        return queryset.filter(cluster_id=value.pk)


class ClusterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or code")}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ClusterKind.choices, empty_label=_("Clusters and blocs")
    )
    active = django_filters.BooleanFilter(
        field_name="is_active",
        label=_("In use"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Cluster
        fields = ["q", "kind", "active"]

    def search(self, queryset: QuerySet[Cluster], name: str, value: str) -> QuerySet[Cluster]:
        return search_folded(queryset, value)
