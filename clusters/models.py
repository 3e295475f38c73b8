from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.db import Vietnamese
from core.text import search_key


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Department, board or sector (sở, ban, ngành)")
    COMMUNE = "commune", _("Commune or ward people's committee (UBND xã, phường)")
    DISTRICT = "district", _("District people's committee (UBND huyện, before 1/7/2025)")
    MASS_ORGANISATION = "mass_org", _("Mass organisation (đoàn thể)")
    ENTERPRISE = "enterprise", _("Enterprise (doanh nghiệp)")
    PUBLIC_SERVICE = "public_service", _("Public service unit (đơn vị sự nghiệp)")
    ARMED_FORCES = "armed_forces", _("Armed forces (lực lượng vũ trang)")
    OTHER = "other", _("Other")


@pghistory.track()
class Unit(models.Model):
    """Cơ quan, đơn vị, địa phương — a body that takes part in emulation.

    Units are never deleted: after administrative restructuring a unit gets an end date and
    successor units through `UnitSuccession`, and its history stays attached to it.
    """

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head_name = models.CharField(_("head's name"), max_length=150, blank=True)
    head_title = models.CharField(_("head's title"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(
        _("active until"),
        null=True,
        blank=True,
        help_text=_("Last day of activity, e.g. the day before a merger takes effect."),
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = [Vietnamese("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="unit_active_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The folded search key must always match the name, whoever saves the row.
        self.search_text = search_key(self.name, self.short_name, self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("clusters:unit_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.active_to is None


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed or reorganised as")


@pghistory.track()
class UnitSuccession(models.Model):
    """Sắp xếp, sáp nhập — one predecessor→successor link of a restructuring.

    A merger of three communes is three rows with one successor; a split is one predecessor
    with several successors.
    """

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="successions_in"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["-effective_on", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


@pghistory.track()
class ClusterDecision(models.Model):
    """Quyết định phân cụm, khối thi đua — the decision that divides units into clusters."""

    number = models.CharField(_("number"), max_length=100, help_text=_("For example 123/QĐ-UBND"))
    signed_on = models.DateField(_("signing date"))
    effective_on = models.DateField(_("effective date"))
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("cluster division decision")
        verbose_name_plural = _("cluster division decisions")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return str(_("Decision %(number)s of %(date)s")) % {
            "number": self.number,
            "date": self.signed_on.strftime("%d/%m/%Y"),
        }


class ClusterKind(models.TextChoices):
    CLUSTER = "cum", _("Cluster (cụm) — territorial units")
    BLOC = "khoi", _("Bloc (khối) — units of like function")


@pghistory.track()
class Cluster(models.Model):
    """Cụm, khối thi đua — a standing group of units that emulate each other."""

    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ClusterKind.choices)
    description = models.TextField(_("description"), blank=True)
    decision = models.ForeignKey(
        ClusterDecision,
        verbose_name=_("division decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clusters",
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("cluster or bloc")
        verbose_name_plural = _("clusters and blocs")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(self.name, self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("clusters:cluster_detail", args=[self.pk])


@pghistory.track()
class ClusterTerm(models.Model):
    """One year of a cluster: its members, head (trưởng) and deputy (phó)."""

    cluster = models.ForeignKey(
        Cluster, verbose_name=_("cluster or bloc"), on_delete=models.PROTECT, related_name="terms"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("cluster year")
        verbose_name_plural = _("cluster years")
        ordering = ["-year", "cluster__code"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="cluster_term_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.year}"

    def get_absolute_url(self) -> str:
        return f"{self.cluster.get_absolute_url()}?year={self.year}"


class MemberRole(models.TextChoices):
    HEAD = "head", _("Head (trưởng cụm, khối)")
    DEPUTY = "deputy", _("Deputy (phó cụm, khối)")
    MEMBER = "member", _("Member")


@pghistory.track()
class ClusterMembership(models.Model):
    """A unit's place in a cluster for one year.

    Head and deputy are memberships with a role, so they are members by construction, and the
    database enforces one head, one deputy and one cluster per unit per year.
    """

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    # Copied from the term so the database can enforce one cluster per unit per year.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        ordering = ["term", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="membership_one_cluster_per_year"),
            models.UniqueConstraint(
                fields=["term"], condition=Q(role="head"), name="membership_one_head_per_term"
            ),
            models.UniqueConstraint(
                fields=["term"], condition=Q(role="deputy"), name="membership_one_deputy_per_term"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.term}"

    def save(self, *args, **kwargs) -> None:
        self.year = self.term.year
        super().save(*args, **kwargs)


# --- The scoring year of a cluster (chấm điểm, xếp hạng, bình xét, suy tôn) -----------------------
# Section 3 of the domain notes: a scoring table signed with the emulation pledge, self-scores,
# cross-scores by the head and deputy, the office check, the ranking and the year-end vote.


def cluster_file_path(instance: models.Model, filename: str) -> str:
    """Pledge documents and evidence are served through permission checks, never by path."""
    from core.uploads import unguessable_name

    return f"clusters/{unguessable_name(filename)}"


class ScoringStage(models.TextChoices):
    PLANNING = "planning", _("Scoring table and pledge")
    SELF = "self", _("Self-scoring (tự chấm)")
    CROSS = "cross", _("Cross-scoring by the head and deputy (thẩm định)")
    OFFICE = "office", _("Office check (Phòng TĐKT kiểm tra)")
    VOTING = "voting", _("Results published; year-end vote (bình xét, suy tôn)")
    CLOSED = "closed", _("Closed")


SCORING_STAGE_ORDER = [stage.value for stage in ScoringStage]


@pghistory.track()
class TermScoring(models.Model):
    """Tổng kết thi đua năm — where a cluster year stands in scoring, ranking and the vote.

    Created with the year's first scoring table; the stage only moves forward.
    """

    term = models.OneToOneField(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="scoring"
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=ScoringStage.choices, default=ScoringStage.PLANNING
    )
    self_score_due = models.DateField(_("self-scores due"), null=True, blank=True)
    cross_score_due = models.DateField(_("cross-scores due"), null=True, blank=True)
    flag_quota = models.PositiveSmallIntegerField(
        _("emulation flags to propose"),
        default=1,
        help_text=_("How many units the cluster may propose for the provincial emulation flag."),
    )
    merit_quota = models.PositiveSmallIntegerField(
        _("certificates of merit to propose"),
        default=2,
        help_text=_("How many units the cluster may propose for the certificate of merit."),
    )
    vote_threshold = models.DecimalField(
        _("vote threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text=_("A unit is proposed only with votes from more than this share of the member units."),
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=255, blank=True)
    chair_name = models.CharField(_("chaired by"), max_length=150, blank=True)
    secretary_name = models.CharField(_("minutes taken by"), max_length=150, blank=True)
    next_head = models.ForeignKey(
        Unit,
        verbose_name=_("next year's head"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_deputy = models.ForeignKey(
        Unit,
        verbose_name=_("next year's deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster year scoring")
        verbose_name_plural = _("cluster year scorings")
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_threshold__gte=0) & Q(vote_threshold__lte=100),
                name="scoring_vote_threshold_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} — {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("clusters:score_workspace", args=[self.term_id])

    def reached(self, stage: str) -> bool:
        """The stage is `stage` or a later one."""
        return SCORING_STAGE_ORDER.index(self.stage) >= SCORING_STAGE_ORDER.index(stage)


class TableStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed with the pledge (locked)")
    SUPERSEDED = "superseded", _("Replaced by a later version")


class TieBreak(models.TextChoices):
    FEWER_PENALTIES = "penalty", _("Fewer penalty points")
    FIRST_GROUP = "first_group", _("Higher score in the first criterion group")
    VOTE = "vote", _("More votes at the year-end meeting")


DEFAULT_TIE_BREAKS = [TieBreak.FEWER_PENALTIES.value, TieBreak.FIRST_GROUP.value, TieBreak.VOTE.value]


def default_tie_breaks() -> list[str]:
    return list(DEFAULT_TIE_BREAKS)


@pghistory.track()
class ScoreTable(models.Model):
    """Bảng tiêu chí, thang điểm — one version of a cluster year's scoring table.

    Signing the pledge locks it. A later change is a new version made on a staff decision with
    a reason; the earlier version stays, marked as replaced.
    """

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="score_tables"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255)
    declared_total = models.DecimalField(
        _("declared total"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Content points plus the bonus cap, e.g. 1000 = 950 + 50."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TableStatus.choices, default=TableStatus.DRAFT
    )
    tie_breaks = models.JSONField(_("tie-break order"), default=default_tie_breaks)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revision_reason = models.TextField(_("reason for the change"), blank=True)
    revision_decision = models.CharField(_("staff decision"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring table")
        verbose_name_plural = _("scoring tables")
        ordering = ["term", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["term", "version"], name="score_table_unique_version"),
            models.UniqueConstraint(
                fields=["term"], condition=Q(status="signed"), name="score_table_one_signed_per_term"
            ),
            models.UniqueConstraint(
                fields=["term"], condition=Q(status="draft"), name="score_table_one_draft_per_term"
            ),
            models.CheckConstraint(condition=Q(declared_total__gt=0), name="score_table_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("clusters:score_table", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status != TableStatus.DRAFT


class GroupKind(models.TextChoices):
    CONTENT = "content", _("Content (scored up to its maximum)")
    BONUS = "bonus", _("Bonus points (capped)")
    PENALTY = "penalty", _("Penalty points (capped)")


@pghistory.track()
class CriterionGroup(models.Model):
    """Nhóm tiêu chí — I. Nhiệm vụ chính trị, chuyên môn; …; IV. Điểm thưởng; V. Điểm trừ."""

    table = models.ForeignKey(
        ScoreTable, verbose_name=_("scoring table"), on_delete=models.CASCADE, related_name="groups"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=10, help_text=_("For example I, II, III"))
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices, default=GroupKind.CONTENT)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=8,
        decimal_places=2,
        help_text=_("For content, the sum of its criteria; for bonus and penalty, the cap."),
    )

    class Meta:
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        ordering = ["table", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_group_max_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class CriterionMethod(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative: in proportion to the registered target")
    QUALITATIVE = "qualitative", _("Qualitative: by judgement up to the maximum")
    FIXED = "fixed", _("Fixed: all or nothing")
    BONUS = "bonus", _("Bonus")
    PENALTY = "penalty", _("Penalty")


class CriterionScorer(models.TextChoices):
    UNIT = "unit", _("The unit itself, reviewed by the head and deputy")
    LEADERS = "leaders", _("The head and deputy")
    OFFICE = "office", _("The provincial office")
    AGENCY = "agency", _("A cross-checking agency, entered by the office")


@pghistory.track()
class Criterion(models.Model):
    """Tiêu chí — a criterion or sub-criterion with its maximum and how it is scored."""

    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent criterion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=20, help_text=_("For example 1, 1.2, a"))
    name = models.CharField(_("name"), max_length=1000)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2)
    method = models.CharField(
        _("scoring method"),
        max_length=12,
        choices=CriterionMethod.choices,
        default=CriterionMethod.QUALITATIVE,
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    scorer = models.CharField(
        _("scored by"), max_length=10, choices=CriterionScorer.choices, default=CriterionScorer.UNIT
    )
    guidance = models.TextField(_("how to score"), blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


@pghistory.track()
class ClassificationBand(models.Model):
    """Mức xếp loại — e.g. Xuất sắc: at least 90 % of the content total, no criterion below 85 %."""

    table = models.ForeignKey(
        ScoreTable, verbose_name=_("scoring table"), on_delete=models.CASCADE, related_name="bands"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    min_percent = models.DecimalField(
        _("from (% of the content total)"), max_digits=5, decimal_places=2, default=0
    )
    min_criterion_percent = models.DecimalField(
        _("no criterion below (% of its maximum)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["table", "-min_percent", "order"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Pledge(models.Model):
    """Giao ước thi đua — signed by the members at the start of the year; it locks the table."""

    term = models.OneToOneField(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="pledge"
    )
    table = models.ForeignKey(
        ScoreTable, verbose_name=_("scoring table"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("signing date"))
    place = models.CharField(_("place"), max_length=255)
    document = models.FileField(_("signed document"), upload_to=cluster_file_path, blank=True)
    # The name it was uploaded under; the stored name is random and unaccented.
    document_original_name = models.CharField(_("file name"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("emulation pledge")
        verbose_name_plural = _("emulation pledges")

    def __str__(self) -> str:
        return f"{self.term} ({self.signed_on:%d/%m/%Y})"


@pghistory.track()
class PledgeSignature(models.Model):
    """A member unit that signed the pledge, and who signed for it."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("pledge signatory")
        verbose_name_plural = _("pledge signatories")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "unit"], name="pledge_signature_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.pledge}"


class ScoreStage(models.TextChoices):
    SELF = "self", _("Self-score")
    REVIEW = "review", _("Reviewed score")
    OFFICE = "office", _("Office score")


@pghistory.track()
class ScoreEntry(models.Model):
    """The points one unit gets on one criterion at one stage, with the explanation."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="entries"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="score_entries"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ScoreStage.choices)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    actual = models.DecimalField(_("actual value"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(
        _("registered target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion", "unit", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit", "stage"], name="score_entry_unique_stage"),
        ]
        indexes = [models.Index(fields=["unit", "stage"], name="score_entry_unit_stage_idx")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.criterion.code}: {self.points} ({self.stage})"


@pghistory.track()
class ScoreChange(models.Model):
    """Every change of a score: the old and new value, who and why. Never edited."""

    entry = models.ForeignKey(ScoreEntry, on_delete=models.CASCADE, related_name="changes")
    old_points = models.DecimalField(_("old points"), max_digits=8, decimal_places=2, null=True, blank=True)
    new_points = models.DecimalField(_("new points"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["entry", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.old_points} → {self.new_points}"


@pghistory.track()
class ScoreEvidence(models.Model):
    """Minh chứng — a file attached to a score."""

    entry = models.ForeignKey(ScoreEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=cluster_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["entry", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FlagKind(models.TextChoices):
    DISCIPLINE = "discipline", _("Disciplinary review")
    INSPECTION = "inspection", _("Inspection, investigation or audit")
    COMPLAINT = "complaint", _("Complaint or denunciation")


@pghistory.track()
class UnitFlag(models.Model):
    """A hold on a unit (NĐ 152/2025 Đ4.4): while open, it cannot be proposed as a leader."""

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="unit_flags"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=FlagKind.choices)
    source = models.CharField(
        _("reported by"), max_length=255, blank=True, help_text=_("For example Thanh tra tỉnh")
    )
    note = models.TextField(_("note"), blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("eligibility hold")
        verbose_name_plural = _("eligibility holds")
        ordering = ["term", "unit", "-opened_on"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ImmutableRowError(Exception):
    """A published result or a ballot cannot be changed once written."""


@pghistory.track()
class PublishedResult(models.Model):
    """Kết quả chấm điểm công bố — a unit's published scores and rank; immutable."""

    term = models.ForeignKey(
        ClusterTerm,
        verbose_name=_("cluster year"),
        on_delete=models.CASCADE,
        related_name="published_results",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))
    content_points = models.DecimalField(_("content points"), max_digits=8, decimal_places=2)
    bonus_points = models.DecimalField(_("bonus points"), max_digits=8, decimal_places=2)
    penalty_points = models.DecimalField(_("penalty points"), max_digits=8, decimal_places=2)
    first_group_points = models.DecimalField(_("first group points"), max_digits=8, decimal_places=2)
    final_points = models.DecimalField(_("final score"), max_digits=8, decimal_places=2)
    percent = models.DecimalField(_("% of the content total"), max_digits=6, decimal_places=2)
    band = models.CharField(_("classification"), max_length=100)
    eligible = models.BooleanField(_("may be proposed as a leader"))
    ineligible_reasons = models.JSONField(_("why not"), default=list, blank=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["term", "rank", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["term", "unit"], name="published_result_unique_unit")]
        triggers = [
            pgtrigger.Protect(
                name="published_result_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit} — {self.final_points}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRowError("Published results are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("Published results are immutable.")


class BallotCategory(models.TextChoices):
    FLAG = "flag", _("Provincial emulation flag (Cờ thi đua của UBND tỉnh)")
    MERIT = "merit", _("Certificate of merit of the provincial chair (Bằng khen của Chủ tịch UBND tỉnh)")


@pghistory.track()
class BallotCast(models.Model):
    """Who has voted: one ballot per member unit. What it chose is in BallotChoice, unlinked."""

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="ballots_cast"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("voting unit"), on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot cast")
        verbose_name_plural = _("ballots cast")
        constraints = [models.UniqueConstraint(fields=["term", "unit"], name="ballot_cast_once_per_unit")]
        triggers = [pgtrigger.Protect(name="ballot_cast_immutable", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.unit} — {self.term}"


class BallotChoice(models.Model):
    """One anonymous choice on a secret ballot (bỏ phiếu kín).

    Deliberately without a voter, a timestamp, a sequential id or change history: nothing in
    the database links a choice to the unit that made it. Never tracked by pghistory.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    term = models.ForeignKey(ClusterTerm, on_delete=models.CASCADE, related_name="ballot_choices")
    category = models.CharField(_("proposed for"), max_length=10, choices=BallotCategory.choices)
    candidate = models.ForeignKey(
        Unit, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        # Never in insertion order: by the random key.
        ordering = ["id"]
        triggers = [pgtrigger.Protect(name="ballot_choice_immutable", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.candidate}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRowError("A ballot cannot be changed.")
        super().save(*args, **kwargs)


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the cluster")
    TAKEN_UP = "taken_up", _("Taken into a nomination dossier")


@pghistory.track()
class AwardProposal(models.Model):
    """Đề nghị khen thưởng of the cluster, from the year-end vote; the nominations module
    takes these up as the cluster's dossier."""

    term = models.ForeignKey(
        ClusterTerm, verbose_name=_("cluster year"), on_delete=models.CASCADE, related_name="award_proposals"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cluster_award_proposals"
    )
    category = models.ForeignKey(
        "awards.AwardCategory", verbose_name=_("award"), on_delete=models.PROTECT, related_name="+"
    )
    ballot_category = models.CharField(_("proposed for"), max_length=10, choices=BallotCategory.choices)
    votes = models.PositiveSmallIntegerField(_("votes"))
    voters = models.PositiveSmallIntegerField(_("member units"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    final_points = models.DecimalField(_("final score"), max_digits=8, decimal_places=2)
    band = models.CharField(_("classification"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cluster award proposal")
        verbose_name_plural = _("cluster award proposals")
        ordering = ["term", "ballot_category", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["term", "unit", "category"], name="award_proposal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.category.name}"
