"""Report deadlines (kỳ báo cáo), the units' reports, reminders and in-app notifications.

A deadline belongs to a campaign or to one year of a cluster (ClusterTerm). Each unit it
concerns has at most one report for it. Reminders are rows with a due time and a sent time;
a beat task sends the due ones (see `reports.reminders`).
"""

from __future__ import annotations

import datetime as dt
import secrets

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.audit import track_many_to_many
from core.text import search_key
from core.uploads import unguessable_name


def report_file_path(instance: models.Model, filename: str) -> str:
    """Attachments are served through permission checks, never by a guessable path."""
    return f"reports/{unguessable_name(filename)}"


def _default_sections() -> list[str]:
    return []


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly (tháng)")
    QUARTERLY = "quarterly", _("Quarterly (quý)")
    HALF_YEAR = "half_year", _("Six-month review (sơ kết 6 tháng)")
    ANNUAL = "annual", _("Year-end review (tổng kết năm)")
    THEMATIC = "thematic", _("Thematic (chuyên đề)")
    AD_HOC = "ad_hoc", _("Ad hoc (đột xuất)")


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Every year")


class NonWorkingDayRule(models.TextChoices):
    PREVIOUS = "previous", _("Move to the previous working day")
    NEXT = "next", _("Move to the next working day")
    KEEP = "keep", _("Keep the date")


class UnitMode(models.TextChoices):
    ALL = "all", _("All participants")
    CHOSEN = "chosen", _("Chosen units")


DEFAULT_DUE_TIME = dt.time(17, 0)
_ONE_OWNER = Q(campaign__isnull=False, cluster_term__isnull=True) | Q(
    campaign__isnull=True, cluster_term__isnull=False
)


class ReportRequirements(models.Model):
    """What a report must contain: narrative sections, targets with actual values, attachments."""

    sections = models.JSONField(
        _("narrative sections"), default=_default_sections, blank=True, help_text=_("One title per section.")
    )
    required_attachments = models.JSONField(
        _("required attachments"),
        default=_default_sections,
        blank=True,
        help_text=_("For example: the signed report (PDF)."),
    )
    non_working_day_rule = models.CharField(
        _("when the due date is not a working day"),
        max_length=10,
        choices=NonWorkingDayRule.choices,
        default=NonWorkingDayRule.PREVIOUS,
    )
    unit_mode = models.CharField(
        _("units that must report"), max_length=10, choices=UnitMode.choices, default=UnitMode.ALL
    )

    class Meta:
        abstract = True


@pghistory.track()
class ReportSchedule(ReportRequirements):
    """Lịch báo cáo — a rule that generates the deadlines of a campaign's or cluster's period.

    Recurring schedules fall due on `due_day` of the period's last month (or of the month after
    it with `month_offset` 1); a day past the month's end means its last day (31 → 28/02).
    """

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_schedules",
    )
    cluster_term = models.ForeignKey(
        "clusters.ClusterTerm",
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_schedules",
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    recurrence = models.CharField(_("recurrence"), max_length=12, choices=Recurrence.choices)
    due_day = models.PositiveSmallIntegerField(_("due day of the month"), default=20)
    month_offset = models.PositiveSmallIntegerField(
        _("due month"),
        default=0,
        choices=[(0, _("The period's last month")), (1, _("The month after the period"))],
    )
    due_time = models.TimeField(_("due time"), default=DEFAULT_DUE_TIME)
    targets = models.ManyToManyField(
        "campaigns.Target", verbose_name=_("targets to report"), blank=True, related_name="+"
    )
    units = models.ManyToManyField("clusters.Unit", verbose_name=_("units"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=_ONE_OWNER, name="report_schedule_one_owner")]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


@pghistory.track(exclude=["search_text"])
class ReportDeadline(ReportRequirements):
    """Kỳ báo cáo — a report the units of a campaign or of a cluster's year owe by a date and time."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_deadlines",
    )
    cluster_term = models.ForeignKey(
        "clusters.ClusterTerm",
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_deadlines",
    )
    schedule = models.ForeignKey(
        ReportSchedule,
        verbose_name=_("schedule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    source_deadline = models.OneToOneField(
        "campaigns.CampaignDeadline",
        verbose_name=_("deadline in the document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_deadline",
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    nominal_due_on = models.DateField(
        _("due date as set"), help_text=_("Before moving off a non-working day.")
    )
    due_at = models.DateTimeField(_("due"))
    targets = models.ManyToManyField(
        "campaigns.Target", verbose_name=_("targets to report"), blank=True, related_name="report_deadlines"
    )
    units = models.ManyToManyField(
        "clusters.Unit", verbose_name=_("units"), blank=True, related_name="report_deadlines"
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=_ONE_OWNER, name="report_deadline_one_owner"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="report_deadline_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "due_at"]),
            models.Index(fields=["cluster_term", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d/%m/%Y})"

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:deadline_board", args=[self.pk])

    @property
    def due_on(self) -> dt.date:
        """The due date in the province's time zone."""
        return timezone.localdate(self.due_at)

    @property
    def year(self) -> int:
        """The year whose cluster memberships apply (the cluster's year, else the due year)."""
        if self.cluster_term_id:
            return self.cluster_term.year
        return self.due_on.year

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def owner(self):
        return self.campaign if self.campaign_id else self.cluster_term


@pghistory.track()
class ReminderPolicy(models.Model):
    """Chính sách nhắc việc — when units are reminded, set once for a campaign or a cluster's year.

    Days count working days. Late steps (after the due date) can also go to the unit's head
    and to the head of its cluster.
    """

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_policy",
    )
    cluster_term = models.OneToOneField(
        "clusters.ClusterTerm",
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminder_policy",
    )
    days_before = models.JSONField(_("working days before"), default=list, blank=True)
    on_due_day = models.BooleanField(_("on the due day"), default=True)
    days_after = models.JSONField(_("working days late"), default=list, blank=True)
    escalate_late = models.BooleanField(
        _("late reminders also to the unit head and the cluster head"), default=True
    )
    send_at = models.TimeField(_("time of day to send"), default=dt.time(8, 0))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [models.CheckConstraint(condition=_ONE_OWNER, name="reminder_policy_one_owner")]

    def __str__(self) -> str:
        return str(self.campaign or self.cluster_term)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


@pghistory.track(
    exclude=[
        "narrative",
        "version",
        "updated_at",
        "missing_sections",
        "missing_values",
        "missing_attachments",
    ]
)
class Report(models.Model):
    """Báo cáo — one unit's report for one deadline.

    draft → submitted → returned (with a reason) → submitted again → accepted (locked). Staff
    reopen an accepted report only with a reason; every step is a `ReportTransition`.
    """

    deadline = models.ForeignKey(ReportDeadline, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("clusters.Unit", on_delete=models.PROTECT, related_name="reports")
    status = FSMField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("submissions"), default=0)
    late_days = models.PositiveSmallIntegerField(
        _("working days late"), null=True, blank=True, help_text=_("Empty when submitted on time.")
    )
    # What is still missing, kept up to date by every write so lists need no extra query.
    missing_sections = models.PositiveSmallIntegerField(_("sections missing"), default=0)
    missing_values = models.PositiveSmallIntegerField(_("values missing"), default=0)
    missing_attachments = models.PositiveSmallIntegerField(_("attachments missing"), default=0)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Optimistic locking: an autosave from a stale page is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["deadline", "unit"]
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"], name="report_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.deadline}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.deadline_id, self.unit_id])

    @property
    def is_editable(self) -> bool:
        return self.status in {ReportStatus.DRAFT, ReportStatus.RETURNED}

    # Lifecycle (django-fsm-2). Call through reports.services, which checks the rules and
    # records who did what and why.
    @transition(
        field=status, source=[ReportStatus.DRAFT, ReportStatus.RETURNED], target=ReportStatus.SUBMITTED
    )
    def submit(self) -> None:
        """Nộp báo cáo."""

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.RETURNED)
    def return_to_unit(self) -> None:
        """Trả lại để bổ sung, chỉnh sửa."""

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED)
    def accept(self) -> None:
        """Tiếp nhận (khóa)."""

    @transition(field=status, source=ReportStatus.ACCEPTED, target=ReportStatus.RETURNED)
    def reopen(self) -> None:
        """Mở lại báo cáo đã tiếp nhận."""


@pghistory.track()
class ReportValue(models.Model):
    """The actual value of one campaign target in a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey("campaigns.Target", on_delete=models.CASCADE, related_name="report_values")
    value = models.DecimalField(_("actual value"), max_digits=16, decimal_places=2, null=True, blank=True)
    done = models.BooleanField(_("done"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(fields=["report", "target"], name="report_value_one_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.target}"

    @property
    def is_filled(self) -> bool:
        return self.value is not None or self.done is not None


class ReportAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", _("Reopened")


class ReportTransition(models.Model):
    """What happened to a report, by whom, when and why; submissions keep what was sent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=10, choices=ReportAction.choices)
    # Empty for records brought in from elsewhere (a unit without an account).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    late_days = models.PositiveSmallIntegerField(_("working days late"), null=True, blank=True)
    snapshot = models.JSONField(_("content as submitted"), default=dict, blank=True)

    class Meta:
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_action_display()}"


@pghistory.track()
class ReportAttachment(models.Model):
    """A file attached to a report: the signed PDF, tables, photos."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.PositiveSmallIntegerField(
        _("required attachment"), null=True, blank=True, help_text=_("Which required attachment this is.")
    )
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["requirement", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("reports:attachment_download", args=[self.pk])


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the due date")
    DUE = "due", _("On the due date")
    AFTER = "after", _("Late")
    MANUAL = "manual", _("Sent by staff")
    RETURNED = "returned", _("Report returned")


# Steps of the policy: a unit gets each at most once per deadline.
POLICY_KINDS = (ReminderKind.BEFORE, ReminderKind.DUE, ReminderKind.AFTER)


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """Lời nhắc — one message to one unit about one deadline, due at a time, sent once.

    `enqueued_at` is when the beat sweep last handed it to a worker; `claimed_at` and
    `claim_token` are the lease of the worker sending it (see `reports.reminders`).
    """

    deadline = models.ForeignKey(ReportDeadline, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("clusters.Unit", on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    offset = models.PositiveSmallIntegerField(_("working days"), default=0)
    escalate = models.BooleanField(_("also to the unit head and the cluster head"), default=False)
    note = models.TextField(_("note"), blank=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    enqueued_at = models.DateTimeField(_("handed to a worker at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "unit", "kind", "offset"],
                condition=Q(kind__in=["before", "due", "after"]),
                name="reminder_one_per_step",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_pending_due_idx"),
            models.Index(fields=["deadline", "unit", "kind"], name="reminder_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.deadline} — {self.step_label}"

    @property
    def step_label(self) -> str:
        from django.utils.translation import gettext, ngettext

        if self.kind == ReminderKind.BEFORE:
            return ngettext("%(count)d working day before", "%(count)d working days before", self.offset) % {
                "count": self.offset
            }
        if self.kind == ReminderKind.AFTER:
            return ngettext("%(count)d working day late", "%(count)d working days late", self.offset) % {
                "count": self.offset
            }
        if self.kind == ReminderKind.DUE:
            return gettext("On the due date")
        return str(self.get_kind_display())


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    APP = "app", _("In the app")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ReminderDelivery(models.Model):
    """One reminder to one person through one channel: sent once, or failed with a reason."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["reminder", "user", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "user", "channel"], name="delivery_one_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} → {self.user_id} ({self.channel})"


class LogOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    RETRY = "retry", _("Will retry")
    CANCELLED = "cancelled", _("Cancelled")
    GAVE_UP = "gave_up", _("Gave up")


class ReminderLog(models.Model):
    """The delivery log of a reminder: each send, failure (with its reason) and retry."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="log")
    delivery = models.ForeignKey(
        ReminderDelivery, on_delete=models.CASCADE, null=True, blank=True, related_name="log"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=LogOutcome.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.reminder_id}: {self.outcome}"


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    RETURNED = "returned", _("Report returned")
    ACCEPTED = "accepted", _("Report accepted")


class Notification(models.Model):
    """Thông báo — an in-app notification: the bell, the notifications page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    reminder = models.ForeignKey(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "user"], condition=Q(reminder__isnull=False), name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class ChannelChoice(models.TextChoices):
    BOTH = "both", _("E-mail and in the app")
    EMAIL = "email", _("E-mail only")
    APP = "app", _("In the app only")


class NotificationPreference(models.Model):
    """How a person wants reminders. Late reminders always come both ways."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.CharField(
        _("receive reminders"), max_length=5, choices=ChannelChoice.choices, default=ChannelChoice.BOTH
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.channels}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal iCalendar address: a secret token in the URL, revoked by replacing it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("reports:calendar_feed", args=[self.token])


# Which units owe a deadline or a schedule and which targets they report on: additions and
# removals are history too.
ReportDeadlineUnit = track_many_to_many(
    ReportDeadline.units, "ReportDeadlineUnit", _("unit owing the report"), _("units owing the report")
)
ReportDeadlineTarget = track_many_to_many(
    ReportDeadline.targets, "ReportDeadlineTarget", _("target to report"), _("targets to report")
)
ReportScheduleUnit = track_many_to_many(
    ReportSchedule.units,
    "ReportScheduleUnit",
    _("unit on the report schedule"),
    _("units on the report schedule"),
)
ReportScheduleTarget = track_many_to_many(
    ReportSchedule.targets,
    "ReportScheduleTarget",
    _("target on the report schedule"),
    _("targets on the report schedule"),
)
