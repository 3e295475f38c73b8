from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusters.forms import RestructureForm
from clusters.models import Cluster, ClusterDecision, ClusterMembership, ClusterTerm, Unit, UnitSuccession
from clusters.services import unit_merge, unit_split


class SuccessionOutInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ("successor",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "code", "kind", "parent", "active_from", "active_to")
    list_filter = ("kind", ("active_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "short_name", "code", "search_text")
    autocomplete_fields = ("parent",)
    inlines = [SuccessionOutInline]
    list_per_page = 50
    actions = ["restructure_units"]

    @admin.action(description=_("Merge or split the selected units"))
    def restructure_units(self, request: HttpRequest, queryset: QuerySet[Unit]) -> HttpResponse | None:
        selected = list(queryset.order_by("name"))
        form = RestructureForm(request.POST if "apply" in request.POST else None, selected=selected)
        if form.is_valid():
            data = form.cleaned_data
            decision = {"decision_number": data["decision_number"], "decision_date": data["decision_date"]}
            try:
                if data["operation"] == RestructureForm.MERGE:
                    links = unit_merge(
                        units=selected,
                        into=data["successors"][0],
                        effective_on=data["effective_on"],
                        by=request.user,
                        **decision,
                    )
                else:
                    links = unit_split(
                        unit=selected[0],
                        into=list(data["successors"]),
                        effective_on=data["effective_on"],
                        by=request.user,
                        **decision,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d succession link recorded.",
                        "%(count)d succession links recorded.",
                        len(links),
                    )
                    % {"count": len(links)},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "selected": selected,
        }
        return TemplateResponse(request, "admin/clusters/unit/restructure.html", context)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "kind", "successor", "effective_on", "decision_number")
    list_filter = ("kind", "effective_on")
    search_fields = ("predecessor__name", "successor__name", "decision_number")
    autocomplete_fields = ("predecessor", "successor")
    date_hierarchy = "effective_on"


@admin.register(ClusterDecision)
class ClusterDecisionAdmin(admin.ModelAdmin):
    list_display = ("number", "signed_on", "effective_on", "signer", "issuing_authority")
    search_fields = ("number", "summary")
    date_hierarchy = "signed_on"


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "decision", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "search_text")


class MembershipInline(admin.TabularInline):
    model = ClusterMembership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(ClusterTerm)
class ClusterTermAdmin(admin.ModelAdmin):
    list_display = ("cluster", "year")
    list_filter = ("year", "cluster__kind")
    search_fields = ("cluster__name", "cluster__code")
    list_select_related = ("cluster",)
    inlines = [MembershipInline]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(admin.ModelAdmin):
    list_display = ("unit", "term", "role", "year")
    list_filter = ("year", "role", "term__cluster__kind")
    search_fields = ("unit__name", "term__cluster__name")
    list_select_related = ("unit", "term__cluster")
    autocomplete_fields = ("unit", "term")
