from __future__ import annotations

import pghistory
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
