from __future__ import annotations

from typing import TYPE_CHECKING

import pghistory
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from clusters.models import Unit


class UnitRole(models.TextChoices):
    """The role a user holds at the unit they act for."""

    OFFICER = "officer", _("Emulation officer (cán bộ TĐKT)")
    HEAD = "head", _("Head of unit (thủ trưởng)")


# Role and account changes are audited; the password hash and login time are not history.
@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """Người dùng — a person who signs in, acting for at most one unit.

    Provincial roles are flags because one person often holds several (a staff member who
    also sits on the council). Administrators are Django superusers.
    """

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "clusters.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    unit_role = models.CharField(_("role at the unit"), max_length=20, choices=UnitRole.choices, blank=True)
    is_province_staff = models.BooleanField(
        _("provincial emulation staff"),
        default=False,
        help_text=_("Specialist of the Emulation and Commendation Office, Department of Home Affairs."),
    )
    is_office_head = models.BooleanField(_("office head"), default=False)
    is_council_member = models.BooleanField(_("council member"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_role="") | models.Q(unit__isnull=False),
                name="user_unit_role_needs_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("profile")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return (self.full_name.split()[-1] if self.full_name else "") or self.username

    @property
    def is_tdkt_staff(self) -> bool:
        """Staff of the provincial office (specialists, its head) or an administrator."""
        return self.is_active and (self.is_province_staff or self.is_office_head or self.is_superuser)

    @property
    def acting_unit(self) -> Unit | None:
        """The unit this user acts for, when they hold a role there."""
        return self.unit if self.unit_role else None

    def role_labels(self) -> list[str]:
        labels = []
        if self.is_superuser:
            labels.append(str(_("Administrator")))
        if self.is_office_head:
            labels.append(str(_("Office head")))
        if self.is_province_staff:
            labels.append(str(_("Provincial staff")))
        if self.is_council_member:
            labels.append(str(_("Council member")))
        if self.unit_role:
            labels.append(str(UnitRole(self.unit_role).label))
        return labels


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Writing the spreadsheet")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """Xuất Excel chạy nền — a large list export written by a worker, then downloaded by its owner.

    The job keeps the list's address and query string, not a query: the worker opens the same
    list view as the same user, so filters and permissions are those of the list at that time.
    """

    user = models.ForeignKey(
        "core.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    path = models.CharField(_("list address"), max_length=500)
    query = models.TextField(_("query string"), blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=150)
    language = models.CharField(_("language"), max_length=10, default="vi")
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Each run claims the job with a new token; a superseded run stops at its next write.
    run_token = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    progress_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["created_at"], name="exportjob_created_idx")]

    def __str__(self) -> str:
        return f"{self.title or self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("export_status", args=[self.pk])
