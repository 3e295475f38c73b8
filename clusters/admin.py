from __future__ import annotations

from django.contrib import admin

from clusters.models import Cluster, ClusterDecision, ClusterMembership, ClusterTerm, Unit, UnitSuccession


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
