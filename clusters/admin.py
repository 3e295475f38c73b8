from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusters.forms import RestructureForm
from clusters.models import (
    AwardProposal,
    BallotCast,
    Cluster,
    ClusterDecision,
    ClusterMembership,
    ClusterTerm,
    Criterion,
    CriterionGroup,
    Pledge,
    PublishedResult,
    ScoreChange,
    ScoreEntry,
    ScoreTable,
    TermScoring,
    Unit,
    UnitFlag,
    UnitSuccession,
)
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


# --- Scoring year (chấm điểm, xếp hạng, bình xét) ----------------------------------------------
# Scores and results are changed through the screens, which check the stages and keep the change
# log; the admin shows them read-only. Ballot choices are not registered at all: they are secret.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TermScoring)
class TermScoringAdmin(admin.ModelAdmin):
    list_display = ("term", "stage", "self_score_due", "flag_quota", "merit_quota", "vote_threshold")
    list_filter = ("stage", "term__year")
    search_fields = ("term__cluster__name", "term__cluster__code")
    list_select_related = ("term__cluster",)
    autocomplete_fields = ("term", "next_head", "next_deputy")
    readonly_fields = ("stage", "published_at", "closed_at")


class CriterionGroupInline(admin.TabularInline):
    model = CriterionGroup
    extra = 0


@admin.register(ScoreTable)
class ScoreTableAdmin(ReadOnlyAdmin):
    list_display = ("title", "term", "version", "status", "declared_total", "signed_at")
    list_filter = ("status", "term__year")
    search_fields = ("title", "term__cluster__name")
    list_select_related = ("term__cluster",)
    inlines = [CriterionGroupInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "group", "max_points", "method", "scorer", "evidence_required")
    list_filter = ("method", "scorer", "group__table__term__year")
    search_fields = ("name", "code")
    list_select_related = ("group__table",)


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ("term", "signed_on", "place", "table")
    list_filter = ("term__year",)
    list_select_related = ("term__cluster", "table")


@admin.register(ScoreEntry)
class ScoreEntryAdmin(ReadOnlyAdmin):
    list_display = ("unit", "criterion", "stage", "points", "updated_by", "updated_at")
    list_filter = ("stage", "criterion__group__table__term__year")
    search_fields = ("unit__name", "criterion__name")
    list_select_related = ("unit", "criterion", "updated_by")


@admin.register(ScoreChange)
class ScoreChangeAdmin(ReadOnlyAdmin):
    list_display = ("entry", "old_points", "new_points", "reason", "by", "at")
    list_select_related = ("entry__unit", "entry__criterion", "by")
    date_hierarchy = "at"


@admin.register(UnitFlag)
class UnitFlagAdmin(ReadOnlyAdmin):
    list_display = ("unit", "term", "kind", "source", "opened_on", "closed_on")
    list_filter = ("kind", "term__year")
    search_fields = ("unit__name", "source")
    list_select_related = ("unit", "term__cluster")


@admin.register(PublishedResult)
class PublishedResultAdmin(ReadOnlyAdmin):
    list_display = ("term", "rank", "unit", "final_points", "band", "eligible")
    list_filter = ("term__year", "band", "eligible")
    search_fields = ("unit__name", "term__cluster__name")
    list_select_related = ("term__cluster", "unit")


@admin.register(BallotCast)
class BallotCastAdmin(ReadOnlyAdmin):
    list_display = ("term", "unit", "cast_at")
    list_filter = ("term__year",)
    list_select_related = ("term__cluster", "unit")


@admin.register(AwardProposal)
class AwardProposalAdmin(ReadOnlyAdmin):
    list_display = ("unit", "term", "category", "votes", "voters", "rank", "status")
    list_filter = ("ballot_category", "status", "term__year")
    search_fields = ("unit__name", "term__cluster__name")
    list_select_related = ("unit", "term__cluster", "category")
