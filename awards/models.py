from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.db import Vietnamese
from core.text import mask_identifier, search_key


class AwardKind(models.TextChoices):
    """Loại danh mục — the groups of Law 06/2022 Đ9 and Đ19–20 (codes as in the LIFE system)."""

    EMULATION_TITLE = "danh_hieu_td", _("Emulation title (danh hiệu thi đua)")
    ORDER = "huan_chuong", _("Order (huân chương)")
    MEDAL = "huy_chuong", _("Medal (huy chương)")
    STATE_HONOUR = "danh_hieu_nn", _("State honorary title (danh hiệu vinh dự nhà nước)")
    PRIZE = "giai_thuong", _("Prize (giải thưởng)")
    COMMEMORATIVE = "ky_niem_chuong", _("Commemorative medal (kỷ niệm chương)")
    CERTIFICATE_OF_MERIT = "bang_khen", _("Certificate of merit (bằng khen)")
    CERTIFICATE = "giay_khen", _("Certificate (giấy khen)")


class RecipientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual (cá nhân)")
    COLLECTIVE = "collective", _("Collective (tập thể)")
    HOUSEHOLD = "household", _("Household (hộ gia đình)")


class AwardLevel(models.TextChoices):
    GRASSROOTS = "co_so", _("Grassroots (cơ sở)")
    PROVINCE = "tinh", _("Province (tỉnh)")
    STATE = "nha_nuoc", _("State (nhà nước)")


class DecidingAuthority(models.TextChoices):
    PRESIDENT = "president", _("State President (Chủ tịch nước)")
    PRIME_MINISTER = "prime_minister", _("Prime Minister (Thủ tướng Chính phủ)")
    PROVINCE_CHAIR = "province_chair", _("Chairman of the Provincial People's Committee")
    UNIT_HEAD = "unit_head", _("Head of unit or commune chairman")
    OTHER = "other", _("Other authority")


@pghistory.track()
class AwardCategory(models.Model):
    """Danh mục danh hiệu thi đua và hình thức khen thưởng (Law 06/2022, Decree 152/2025).

    One row per form and recipient kind, because the bonus multiplier differs between an
    individual's and a collective's certificate of the same name.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    recipient_kind = models.CharField(_("recipient kind"), max_length=12, choices=RecipientKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=AwardLevel.choices)
    deciding_authority = models.CharField(
        _("deciding authority"), max_length=20, choices=DecidingAuthority.choices
    )
    bonus_multiplier = models.DecimalField(
        _("bonus multiplier"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Multiple of the statutory base salary; empty where the decree sets none."),
    )
    legal_reference = models.CharField(_("legal reference"), max_length=255, blank=True)
    requires_council_vote = models.BooleanField(_("requires a council vote"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("award catalogue item")
        verbose_name_plural = _("award catalogue")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_recipient_kind_display()})"


@pghistory.track()
class LegalBasis(models.Model):
    """Căn cứ pháp lý — the rule parameters in force from a date.

    Thresholds change with the law (see the domain notes, section 0): rules read the version
    in force on the date they judge, and record which one they applied.
    """

    name = models.CharField(_("name"), max_length=255)
    documents = models.TextField(_("legal documents"), help_text=_("One document per line."))
    effective_from = models.DateField(_("effective from"), unique=True)
    cstd_province_consecutive_cstdcs = models.PositiveSmallIntegerField(
        _("consecutive grassroots emulation fighter titles for the provincial title"), default=3
    )
    cstd_national_consecutive_province = models.PositiveSmallIntegerField(
        _("consecutive provincial emulation fighter titles for the national title"), default=2
    )
    province_merit_consecutive_years = models.PositiveSmallIntegerField(
        _("consecutive years for the provincial certificate of merit"), default=2
    )
    pm_merit_consecutive_years = models.PositiveSmallIntegerField(
        _("consecutive years for the Prime Minister's certificate of merit"), default=5
    )
    excellent_collective_advanced_percent = models.PositiveSmallIntegerField(
        _("excellent collective: minimum share of members with Advanced Worker, in percent"), default=70
    )
    advanced_collective_advanced_percent = models.PositiveSmallIntegerField(
        _("advanced collective: minimum share of members with Advanced Worker, in percent"), default=70
    )
    vote_threshold_high_percent = models.PositiveSmallIntegerField(
        _("council vote threshold for the highest titles (%)"), default=90
    )
    vote_threshold_percent = models.PositiveSmallIntegerField(
        _("council vote threshold for other titles (%)"), default=80
    )
    council_quorum_percent = models.PositiveSmallIntegerField(_("council quorum (%)"), default=67)
    cstdcs_cap_percent = models.PositiveSmallIntegerField(
        _("cap on grassroots emulation fighters, in percent of Advanced Workers"),
        null=True,
        blank=True,
        help_text=_("Empty: no cap (the 2022 law dropped the cap of 15 percent)."),
    )
    government_flag_cap_percent = models.PositiveSmallIntegerField(
        _("cap on Government emulation flags, in percent of provincial flag holders"), null=True, blank=True
    )
    direct_labour_share_province_percent = models.PositiveSmallIntegerField(
        _("target share of provincial awards to direct labourers (%)"), default=70
    )
    direct_labour_share_state_percent = models.PositiveSmallIntegerField(
        _("target share of Prime Minister's awards and above to direct labourers (%)"), default=45
    )
    base_salary = models.PositiveIntegerField(_("statutory base salary (VND)"), default=2_340_000)
    household_bonus_factor = models.DecimalField(
        _("household bonus factor"), max_digits=4, decimal_places=2, default=1.5
    )
    public_posting_working_days = models.PositiveSmallIntegerField(
        _("public posting period (working days)"), default=7
    )
    women_preference_percent = models.PositiveSmallIntegerField(
        _("share of women that gives a collective priority in a tie (%)"), default=70
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PersonCategory(models.TextChoices):
    """The individual categories of the statistics forms 0602/0603 (TT 02/2023/TT-BNV)."""

    PROVINCIAL_LEADER = "provincial_leader", _("Provincial leader or above")
    DEPARTMENT_LEADER = "department_leader", _("Department-level leader")
    BUSINESSPERSON = "businessperson", _("Businessperson")
    OTHER_LEADER = "other_leader", _("Other leader (deputy head of office and above)")
    DIRECT_WORKER = "direct_worker", _("Direct worker (workers, farmers, direct labourers)")


@pghistory.track(exclude=["search_text"])
class Person(models.Model):
    """Cá nhân — an individual who can be nominated and holds an award history."""

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "clusters.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    category = models.CharField(_("statistical category"), max_length=20, choices=PersonCategory.choices)
    ccvc_code = models.CharField(_("civil servant code (CCVC)"), max_length=30, blank=True)
    citizen_id = models.CharField(
        _("citizen ID number"),
        max_length=12,
        blank=True,
        help_text=_("Shown masked; searchable by provincial staff only."),
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = [Vietnamese("full_name"), "pk"]
        indexes = [
            models.Index(fields=["unit", "full_name"]),
            models.Index(fields=["citizen_id"], condition=~Q(citizen_id=""), name="person_citizen_id_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_key(self.full_name, self.ccvc_code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("awards:person_detail", args=[self.pk])

    @property
    def citizen_id_masked(self) -> str:
        return mask_identifier(self.citizen_id)


@pghistory.track()
class Household(models.Model):
    """Hộ gia đình — a household recipient, such as a family that donated land."""

    head_name = models.CharField(_("head of household"), max_length=150)
    address = models.CharField(_("address"), max_length=255)
    unit = models.ForeignKey(
        "clusters.Unit",
        verbose_name=_("commune or ward"),
        on_delete=models.PROTECT,
        related_name="households",
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = [Vietnamese("head_name")]

    def __str__(self) -> str:
        return str(_("Household of %(name)s")) % {"name": self.head_name}


class AwardMethod(models.TextChoices):
    """Loại hình khen thưởng (Law Đ8), as counted by the statistics forms."""

    REGULAR = "thuong_xuyen", _("Regular (thường xuyên)")
    THEMATIC = "chuyen_de", _("Thematic (chuyên đề)")
    AD_HOC = "dot_xuat", _("Ad hoc (đột xuất)")
    CONTRIBUTION = "cong_hien", _("Career contribution (cống hiến)")
    SERVICE_LENGTH = "nien_han", _("Length of service (niên hạn)")
    FOREIGN = "doi_ngoai", _("Foreign relations (đối ngoại)")
    RESISTANCE = "khang_chien", _("Resistance war (kháng chiến)")


@pghistory.track()
class AwardRecord(models.Model):
    """Lịch sử khen thưởng — one award granted by a numbered decision.

    Immutable once saved (a database trigger refuses updates and deletes on PostgreSQL); a
    correction is a new record plus an `AwardRevocation` of the old one.
    """

    recipient_kind = models.CharField(_("recipient kind"), max_length=12, choices=RecipientKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    unit = models.ForeignKey(
        "clusters.Unit",
        verbose_name=_("collective"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    category = models.ForeignKey(
        AwardCategory, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="records"
    )
    year = models.PositiveSmallIntegerField(_("year of achievement"))
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    issuing_authority = models.CharField(_("issuing authority"), max_length=255)
    method = models.CharField(_("commendation type"), max_length=15, choices=AwardMethod.choices)
    # The recipient's position and unit when awarded, as the national CBCCVC database requires.
    position_at_award = models.CharField(_("position when awarded"), max_length=255, blank=True)
    unit_at_award = models.CharField(_("unit when awarded"), max_length=255, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("award record")
        verbose_name_plural = _("award history")
        ordering = ["-year", "-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        recipient_kind="individual",
                        person__isnull=False,
                        unit__isnull=True,
                        household__isnull=True,
                    )
                    | Q(
                        recipient_kind="collective",
                        person__isnull=True,
                        unit__isnull=False,
                        household__isnull=True,
                    )
                    | Q(
                        recipient_kind="household",
                        person__isnull=True,
                        unit__isnull=True,
                        household__isnull=False,
                    )
                ),
                name="award_record_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "-year"]),
            models.Index(fields=["unit", "-year"]),
            models.Index(fields=["year", "category"]),
            models.Index(fields=["decision_number"]),
            # The home page's "recently recorded" list; without it PostgreSQL sorts every record.
            models.Index(fields=["-created_at", "-id"], name="award_record_recent_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="award_record_immutable", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.category.name} — {self.recipient_name} ({self.year})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("An award record cannot be changed. Record a correction instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.person_id:
            return reverse("awards:person_detail", args=[self.person_id])
        if self.unit_id:
            return reverse("clusters:unit_detail", args=[self.unit_id])
        return reverse("awards:person_list")

    def clean(self) -> None:
        if self.category_id and self.category.recipient_kind != self.recipient_kind:
            raise ValidationError(
                {
                    "category": _("%(category)s is not awarded to this kind of recipient.")
                    % {"category": self.category.name}
                }
            )

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An award record cannot be deleted. Revoke it instead."))

    @property
    def recipient(self) -> Person | Household | models.Model | None:
        return self.person or self.unit or self.household

    @property
    def recipient_name(self) -> str:
        return str(self.recipient) if self.recipient else ""


@pghistory.track()
class AwardRevocation(models.Model):
    """Hủy bỏ, thu hồi (Law Đ93) — a record revoked, optionally replaced by a corrected one."""

    record = models.OneToOneField(
        AwardRecord, verbose_name=_("revoked record"), on_delete=models.PROTECT, related_name="revocation"
    )
    replacement = models.OneToOneField(
        AwardRecord,
        verbose_name=_("replacement record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("award revocation or correction")
        verbose_name_plural = _("award revocations and corrections")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(record=models.F("replacement")), name="revocation_not_self"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="award_revocation_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return str(_("Revocation of %(record)s")) % {"record": self.record}
