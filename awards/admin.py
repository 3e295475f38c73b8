from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from awards.models import AwardCategory, AwardRecord, AwardRevocation, Household, LegalBasis, Person


@admin.register(AwardCategory)
class AwardCategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "recipient_kind",
        "level",
        "deciding_authority",
        "bonus_multiplier",
        "is_active",
    )
    list_filter = ("kind", "recipient_kind", "level", "deciding_authority", "is_active")
    search_fields = ("code", "name")
    list_editable = ("is_active",)


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "effective_from",
        "base_salary",
        "vote_threshold_percent",
        "vote_threshold_high_percent",
    )
    date_hierarchy = "effective_from"


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "gender", "birth_date", "position", "unit", "category")
    list_filter = ("gender", "category", "unit__kind")
    # Not by citizen ID: the admin searches with GET, which would put the number in URLs and
    # access logs; the people list has a POST look-up for it.
    search_fields = ("full_name", "search_text", "ccvc_code")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    list_per_page = 50
    show_full_result_count = False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("head_name", "address", "unit")
    search_fields = ("head_name", "address")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)


class ImmutableAdmin(admin.ModelAdmin):
    """Award records and revocations are written once: no change or delete, even in admin."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AwardRecord)
class AwardRecordAdmin(ImmutableAdmin):
    list_display = (
        "category",
        "recipient_kind",
        "person",
        "unit",
        "household",
        "year",
        "decision_number",
        "decision_date",
        "method",
    )
    list_filter = ("recipient_kind", "method", "year", "category__level", "category")
    search_fields = (
        "decision_number",
        "person__full_name",
        "person__search_text",
        "unit__name",
        "household__head_name",
    )
    autocomplete_fields = ("person", "unit", "household")
    list_select_related = ("category", "person", "unit", "household")
    exclude = ("created_by",)
    date_hierarchy = "decision_date"
    list_per_page = 50
    show_full_result_count = False


@admin.register(AwardRevocation)
class AwardRevocationAdmin(ImmutableAdmin):
    list_display = ("record", "replacement", "decision_number", "decision_date", "created_at", "created_by")
    search_fields = ("record__decision_number", "decision_number", "reason")
    raw_id_fields = ("record", "replacement")
    exclude = ("created_by",)
    list_select_related = ("record__category", "record__person", "record__unit", "replacement__category")
