from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "full_name",
        "email",
        "unit",
        "unit_role",
        "is_province_staff",
        "is_council_member",
        "is_active",
    )
    list_filter = (
        "is_province_staff",
        "is_office_head",
        "is_council_member",
        "unit_role",
        "is_superuser",
        "is_active",
    )
    search_fields = ("username", "full_name", "email", "unit__name")
    autocomplete_fields = ("unit",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone", "position")}),
        (_("Unit"), {"fields": ("unit", "unit_role")}),
        (
            _("Roles"),
            {
                "fields": (
                    "is_province_staff",
                    "is_office_head",
                    "is_council_member",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                )
            },
        ),
        (_("Groups and permissions"), {"fields": ("groups", "user_permissions"), "classes": ("collapse",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "unit", "unit_role", "password1", "password2"),
            },
        ),
    )
