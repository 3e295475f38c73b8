from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from clusters.models import Cluster
from core.listing import YearFilter, search_folded
from reports.models import NotificationKind, ReportKind
from reports.selectors import BoardStatus

BOARD_STATUS_CHOICES = [
    (BoardStatus.NOT_STARTED, _("Not started")),
    (BoardStatus.DRAFT, _("Draft")),
    (BoardStatus.ON_TIME, _("Submitted on time")),
    (BoardStatus.LATE, _("Submitted late")),
    (BoardStatus.RETURNED, _("Returned")),
    (BoardStatus.ACCEPTED, _("Accepted")),
    ("missing", _("Not submitted yet")),
    ("late_any", _("Late (submitted late or overdue)")),
]
_NOT_SUBMITTED = [BoardStatus.NOT_STARTED, BoardStatus.DRAFT, BoardStatus.RETURNED]


class DeadlineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title of the report")}),
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=_("All campaigns")
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster or bloc"),
        queryset=Cluster.objects.none(),
        field_name="cluster_term__cluster",
        empty_label=_("All clusters and blocs"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReportKind.choices, empty_label=_("All kinds")
    )
    year = YearFilter(field_name="due_at", lookup_expr="year")
    when = django_filters.ChoiceFilter(
        label=_("Due"),
        method="filter_when",
        empty_label=_("Any time"),
        choices=[
            ("upcoming", _("Upcoming")),
            ("past", _("Past")),
            ("locked", _("Locked")),
        ],
    )

    class Meta:
        model = None
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["campaign"].queryset = Campaign.objects.only("pk", "title").order_by(
            "-start_date", "-pk"
        )
        self.filters["cluster"].queryset = Cluster.objects.only("pk", "name", "kind", "code")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_folded(queryset, value)

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(due_at__gte=now)
        if value == "past":
            return queryset.filter(due_at__lt=now)
        return queryset.filter(locked_at__isnull=False)


class BoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or code of the unit")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=BOARD_STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )
    cluster = django_filters.ChoiceFilter(
        label=_("Cluster or bloc"), method="filter_cluster", empty_label=_("All")
    )

    class Meta:
        model = None
        fields: list[str] = []

    def __init__(
        self, *args: Any, clusters: list[tuple[int, str]] = (), overdue: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.filters["cluster"].extra["choices"] = [(str(pk), name) for pk, name in clusters] + [
            ("0", _("Not in a cluster"))
        ]
        self.overdue = overdue

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_folded(queryset, value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "missing":
            return queryset.filter(board_status__in=_NOT_SUBMITTED)
        if value == "late_any":
            late = Q(report_late_days__isnull=False)
            return queryset.filter(late | Q(board_status__in=_NOT_SUBMITTED) if self.overdue else late)
        return queryset.filter(board_status=value)

    def filter_cluster(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "0":
            return queryset.filter(cluster_id__isnull=True)
        return queryset.filter(cluster_id=int(value)) if value.isdigit() else queryset


class MyDeadlineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Title of the report")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=BOARD_STATUS_CHOICES[:7],
        method="filter_status",
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReportKind.choices, empty_label=_("All kinds")
    )
    year = YearFilter(field_name="due_at", lookup_expr="year")

    class Meta:
        model = None
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_folded(queryset, value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "missing":
            return queryset.filter(board_status__in=_NOT_SUBMITTED)
        return queryset.filter(board_status=value)


class NotificationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        method="filter_state",
        empty_label=_("All"),
        choices=[("unread", _("Unread")), ("read", _("Read"))],
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=NotificationKind.choices, empty_label=_("All kinds")
    )
    since = django_filters.DateFilter(
        label=_("Since"),
        field_name="created_at",
        method="filter_since",
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )

    class Meta:
        model = None
        fields: list[str] = []

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(read_at__isnull=value == "unread")

    def filter_since(self, queryset: QuerySet, name: str, value: dt.date) -> QuerySet:
        return queryset.filter(created_at__gte=timezone.make_aware(dt.datetime.combine(value, dt.time.min)))
