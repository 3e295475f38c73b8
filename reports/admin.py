"""Admin: report deadlines and reminders for inspection; the screens are where work is done."""

from __future__ import annotations

from django.contrib import admin

from reports.models import Notification, Reminder, ReminderLog, ReminderPolicy, Report, ReportDeadline


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "due_at", "campaign", "cluster_term", "locked_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["campaign", "cluster_term", "schedule", "source_deadline", "locked_by", "created_by"]
    filter_horizontal = ["units", "targets"]
    date_hierarchy = "due_at"


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["deadline", "unit", "status", "submitted_at", "late_days"]
    list_filter = ["status"]
    search_fields = ["unit__name", "deadline__title"]
    raw_id_fields = ["deadline", "unit", "submitted_by", "reviewed_by"]
    readonly_fields = ["status"]


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "days_before", "on_due_day", "days_after", "escalate_late", "send_at"]
    raw_id_fields = ["campaign", "cluster_term", "updated_by"]


class ReminderLogInline(admin.TabularInline):
    model = ReminderLog
    extra = 0
    can_delete = False
    readonly_fields = ["at", "outcome", "detail", "delivery"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["deadline", "unit", "kind", "offset", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["unit__name", "deadline__title"]
    raw_id_fields = ["deadline", "unit", "requested_by"]
    readonly_fields = ["enqueued_at", "claimed_at", "claim_token", "attempts", "sent_at", "cancelled_at"]
    inlines = [ReminderLogInline]
    date_hierarchy = "due_at"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user", "reminder"]
