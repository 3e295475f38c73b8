from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.audit import track_many_to_many
from core.db import Vietnamese
from core.text import search_key
from core.uploads import unguessable_name


def campaign_file_path(instance: models.Model, filename: str) -> str:
    """Files are served through permission checks, never by a guessable path."""
    return f"campaigns/{unguessable_name(filename)}"


class CampaignKind(models.TextChoices):
    REGULAR = "regular", _("Regular or annual (thường xuyên, hằng năm)")
    THEMATIC = "thematic", _("Thematic (chuyên đề)")
    SPRINT = "sprint", _("Sprint or phase (theo đợt, nước rút)")
    SPECIAL = "special", _("Special (đặc biệt)")


class CampaignScope(models.TextChoices):
    PROVINCE = "province", _("Whole province")
    CLUSTERS = "clusters", _("Clusters and blocs")
    UNIT = "unit", _("Single agency or unit")


class ParticipantMode(models.TextChoices):
    ALL_UNITS = "all", _("All active units")
    CLUSTERS = "clusters", _("Members of chosen clusters and blocs")
    UNITS = "units", _("Chosen units")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHED = "launched", _("Launched")
    UNDER_WAY = "under_way", _("Under way")
    MIDTERM_REVIEW = "midterm_review", _("Mid-term review (sơ kết)")
    FINAL_REVIEW = "final_review", _("Final review (tổng kết)")
    CLOSED = "closed", _("Closed")


@pghistory.track(exclude=["search_text"])
class Campaign(models.Model):
    """Phong trào thi đua — launched by a directive or plan, with content, targets and participants."""

    title = models.CharField(_("title"), max_length=500)
    theme = models.TextField(_("theme or slogan"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CampaignKind.choices)
    scope = models.CharField(
        _("scope"), max_length=10, choices=CampaignScope.choices, default=CampaignScope.PROVINCE
    )
    launching_authority = models.CharField(_("launching authority"), max_length=255)
    document_kind = models.CharField(_("document type"), max_length=50, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    document_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    document_file = models.FileField(_("signed document"), upload_to=campaign_file_path, blank=True)
    # The name staff uploaded it under ("Kế hoạch ….pdf"); the stored name is random and unaccented.
    document_original_name = models.CharField(_("file name"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The national campaign this one implements in the province, if any."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    purposes = models.TextField(_("purposes"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    participant_mode = models.CharField(
        _("participants"), max_length=10, choices=ParticipantMode.choices, default=ParticipantMode.ALL_UNITS
    )
    participant_clusters = models.ManyToManyField(
        "clusters.Cluster", verbose_name=_("participating clusters and blocs"), blank=True, related_name="+"
    )
    participant_units = models.ManyToManyField(
        "clusters.Unit", verbose_name=_("participating units"), blank=True, related_name="+"
    )
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    dossier_opens = models.DateField(_("award dossiers from"), null=True, blank=True)
    dossier_closes = models.DateField(_("award dossiers until"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Set when the launch e-mails went out; a launched campaign without it is picked up again by
    # the beat sweep, so a broker outage at launch time delays the e-mails but never loses them.
    launch_notice_sent_at = models.DateTimeField(_("launch e-mails sent at"), null=True, editable=False)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("emulation campaign")
        verbose_name_plural = _("emulation campaigns")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="campaign_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True)
                | Q(registration_opens__isnull=True)
                | Q(registration_closes__gte=F("registration_opens")),
                name="campaign_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(dossier_closes__isnull=True)
                | Q(dossier_opens__isnull=True)
                | Q(dossier_closes__gte=F("dossier_opens")),
                name="campaign_dossier_window_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-start_date"]),
            models.Index(fields=["kind", "-start_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(self.title, self.theme, self.document_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.pk])

    @property
    def year(self) -> int:
        return self.start_date.year

    # Lifecycle (django-fsm-2). Call through campaigns.services.campaign_transition, which checks
    # the rules and records who moved the campaign and why.
    @transition(field=status, source=CampaignStatus.DRAFT, target=CampaignStatus.LAUNCHED)
    def launch(self) -> None:
        """Phát động."""

    @transition(field=status, source=CampaignStatus.LAUNCHED, target=CampaignStatus.UNDER_WAY)
    def start(self) -> None:
        """Triển khai."""

    @transition(
        field=status,
        source=[CampaignStatus.LAUNCHED, CampaignStatus.UNDER_WAY],
        target=CampaignStatus.MIDTERM_REVIEW,
    )
    def review_midterm(self) -> None:
        """Sơ kết."""

    @transition(field=status, source=CampaignStatus.MIDTERM_REVIEW, target=CampaignStatus.UNDER_WAY)
    def resume(self) -> None:
        """Tiếp tục sau sơ kết."""

    @transition(
        field=status,
        source=[CampaignStatus.UNDER_WAY, CampaignStatus.MIDTERM_REVIEW],
        target=CampaignStatus.FINAL_REVIEW,
    )
    def review_final(self) -> None:
        """Tổng kết."""

    @transition(field=status, source=CampaignStatus.FINAL_REVIEW, target=CampaignStatus.CLOSED)
    def close(self) -> None:
        """Kết thúc."""


@pghistory.track()
class CampaignTransition(models.Model):
    """Who moved a campaign from one status to another, when and why."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="transitions")
    source = models.CharField(_("from"), max_length=20, choices=CampaignStatus.choices)
    target = models.CharField(_("to"), max_length=20, choices=CampaignStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("campaign status change")
        verbose_name_plural = _("campaign status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.source} → {self.target}"


@pghistory.track()
class ContentItem(models.Model):
    """Nội dung thi đua — one numbered content item of the campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="content_items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["campaign", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


@pghistory.track()
class CampaignDocument(models.Model):
    """An attached document: the plan, guidance, forms for units."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=campaign_file_path)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign document")
        verbose_name_plural = _("campaign documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


@pghistory.track()
class CampaignDeadline(models.Model):
    """Mốc thời hạn — a dated deadline of the campaign, such as "báo cáo trước ngày 15/12".

    Report deadlines are the seed of the reporting periods (kỳ báo cáo) with reminders.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(_("title"), max_length=255)
    due_on = models.DateField(_("due date"))
    is_report = models.BooleanField(_("report due"), default=True)
    context = models.TextField(_("sentence in the document"), blank=True)

    class Meta:
        verbose_name = _("campaign deadline")
        verbose_name_plural = _("campaign deadlines")
        ordering = ["campaign", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d/%m/%Y})"


class TargetGroup(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    SOCIETY = "society", _("Culture and society")
    DEFENCE = "defence", _("Defence and security")
    GOVERNANCE = "governance", _("Party building and government")
    OTHER = "other", _("Other")


class TargetKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Measurable")
    QUALITATIVE = "qualitative", _("Done or not done")


class TargetDirection(models.TextChoices):
    AT_LEAST = "at_least", _("At least")
    AT_MOST = "at_most", _("At most")


@pghistory.track()
class Target(models.Model):
    """Chỉ tiêu — a province-wide target of the campaign, measurable or qualitative."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    group = models.CharField(
        _("group"), max_length=12, choices=TargetGroup.choices, default=TargetGroup.OTHER
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=12, choices=TargetKind.choices, default=TargetKind.QUANTITATIVE
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=TargetDirection.choices, default=TargetDirection.AT_LEAST
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign", "group", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="qualitative") | Q(target_value__isnull=False),
                name="target_measurable_has_value",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="target_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_measurable(self) -> bool:
        return self.kind == TargetKind.QUANTITATIVE


@pghistory.track()
class TargetAssignment(models.Model):
    """The value of a target assigned to one unit (giao chỉ tiêu)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("clusters.Unit", on_delete=models.PROTECT, related_name="target_assignments")
    value = models.DecimalField(_("assigned value"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("assigned target")
        verbose_name_plural = _("assigned targets")
        constraints = [models.UniqueConstraint(fields=["target", "unit"], name="assignment_unique_unit")]

    def __str__(self) -> str:
        return f"{self.target} — {self.unit}: {self.value}"


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Registered")


@pghistory.track()
class Registration(models.Model):
    """Đăng ký thi đua — a unit's commitments and the titles it aims for in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey("clusters.Unit", on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # Optimistic locking: a save from a stale form is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["campaign", Vietnamese("unit__name")]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="registration_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.campaign}"


@pghistory.track()
class RegistrationTarget(models.Model):
    """The value a unit commits to for one target (may exceed the assigned value)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="target_commitments"
    )
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="commitments")
    value = models.DecimalField(_("committed value"), max_digits=16, decimal_places=2, null=True, blank=True)
    committed = models.BooleanField(_("committed"), default=True)

    class Meta:
        verbose_name = _("committed target")
        verbose_name_plural = _("committed targets")
        constraints = [
            models.UniqueConstraint(fields=["registration", "target"], name="commitment_unique_target"),
        ]

    def __str__(self) -> str:
        return f"{self.registration}: {self.target}"


@pghistory.track()
class RegistrationTitle(models.Model):
    """Danh hiệu đăng ký — a title the unit aims for, as a collective or for a named person."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="titles")
    category = models.ForeignKey(
        "awards.AwardCategory", verbose_name=_("title"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "awards.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registered title")
        verbose_name_plural = _("registered titles")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "category"],
                condition=Q(person__isnull=True),
                name="registered_collective_title_unique",
            ),
            models.UniqueConstraint(
                fields=["registration", "category", "person"],
                condition=Q(person__isnull=False),
                name="registered_person_title_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} — {self.person or self.registration.unit}"


@pghistory.track()
class ProgressEntry(models.Model):
    """An actual value of a target for a unit, as of a date; the latest one counts."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="progress_entries")
    unit = models.ForeignKey("clusters.Unit", on_delete=models.PROTECT, related_name="progress_entries")
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("actual value"), max_digits=16, decimal_places=2, null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["target", "unit", "-as_of", "-pk"]
        indexes = [models.Index(fields=["target", "unit", "-as_of", "-id"], name="progress_latest_idx")]

    def __str__(self) -> str:
        return f"{self.target} — {self.unit} ({self.as_of:%d/%m/%Y})"


# Who takes part is part of what is launched: every addition and removal of a participant is
# history too.
CampaignParticipantUnit = track_many_to_many(
    Campaign.participant_units, "CampaignParticipantUnit", _("participating unit"), _("participating units")
)
CampaignParticipantCluster = track_many_to_many(
    Campaign.participant_clusters,
    "CampaignParticipantCluster",
    _("participating cluster or bloc"),
    _("participating clusters and blocs"),
)
