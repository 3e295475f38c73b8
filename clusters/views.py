from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from awards.selectors import unit_award_history
from clusters import selectors
from clusters.filters import ClusterFilter, UnitFilter
from clusters.models import Cluster, Unit
from core.db import Vietnamese
from core.listing import Column, render_list, render_page
from core.views import parse_year

UNIT_COLUMNS = [
    Column("name", _("Name"), (Vietnamese("name"),), export=lambda u: u.name),
    Column(
        "short_name",
        _("Short name"),
        (Vietnamese("short_name"),),
        export=lambda u: u.short_name,
        optional=True,
    ),
    Column("code", _("Code"), ("code",), export=lambda u: u.code, optional=True),
    Column(
        "kind", _("Kind"), ("kind", Vietnamese("name")), export=lambda u: u.get_kind_display(), optional=True
    ),
    Column(
        "cluster", _("Cluster or bloc"), (Vietnamese("cluster_name"),), export=lambda u: u.cluster_name or ""
    ),
    Column(
        "head",
        _("Head"),
        (Vietnamese("head_name"),),
        export=lambda u: " ".join(filter(None, [u.head_title, u.head_name])),
        optional=True,
    ),
    Column("active_to", _("Active until"), ("active_to",), export=lambda u: u.active_to),
]

CLUSTER_COLUMNS = [
    Column("code", _("Code"), ("code",), export=lambda c: c.code),
    Column("name", _("Name"), (Vietnamese("name"),), export=lambda c: c.name),
    Column("kind", _("Kind"), ("kind", "code"), export=lambda c: c.get_kind_display(), optional=True),
    Column("member_count", _("Members"), ("member_count",), export=lambda c: c.member_count or 0),
    Column("head", _("Head unit"), (Vietnamese("head_unit_name"),), export=lambda c: c.head_unit_name or ""),
    Column(
        "deputy",
        _("Deputy unit"),
        (Vietnamese("deputy_unit_name"),),
        export=lambda c: c.deputy_unit_name or "",
    ),
]


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    year = selectors.current_year()
    return render_list(
        request,
        template="clusters/unit_list.html",
        partial="unit-table",
        queryset=selectors.unit_list(year=year),
        filterset_class=UnitFilter,
        columns=UNIT_COLUMNS,
        default_sort="name",
        export_name="don-vi",
        export_title=_("Units"),
        context={"year": year},
    )


@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    lineage = selectors.unit_lineage(unit)
    include_predecessors = request.GET.get("history") != "own"
    history_ids = {unit.pk} | (lineage.ancestor_ids if include_predecessors else set())
    context = {
        "unit": unit,
        "lineage": lineage,
        "memberships": selectors.unit_memberships(unit),
        "children": list(unit.children.all()),
        "awards": unit_award_history(unit_ids=history_ids),
        "include_predecessors": include_predecessors,
        "can_see_work": request.user.has_perm("clusters.see_unit_work", unit),
        "people_count": unit.people.count(),
    }
    return render(request, "clusters/unit_detail.html", context)


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    year = parse_year(request.GET.get("year")) or selectors.current_year()
    return render_list(
        request,
        template="clusters/cluster_list.html",
        partial="cluster-table",
        queryset=selectors.cluster_list(year=year),
        filterset_class=ClusterFilter,
        columns=CLUSTER_COLUMNS,
        default_sort="code",
        export_name=f"cum-khoi-{year}",
        export_title=_("Clusters and blocs"),
        context={
            "year": year,
            "years": range(selectors.current_year() + 1, selectors.current_year() - 10, -1),
        },
    )


@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster.objects.select_related("decision"), pk=pk)
    data = selectors.cluster_year(cluster, parse_year(request.GET.get("year")))
    return render_page(
        request, "clusters/cluster_detail.html", "cluster-year", {"data": data, "cluster": cluster}
    )
