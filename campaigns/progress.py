"""Đăng ký thi đua and tiến độ thực hiện: units' registrations and the progress of targets.

Writes (`registration_save`, `registration_submit`, `progress_record`) are keyword-only
services, one transaction each, audited. Reads run a fixed number of queries whatever the
number of units, targets or entries; achievement and status are computed in Python.

Status rule: the share of the campaign period that has elapsed is what a unit should have
achieved by now. A ratio at or above it is on track, at or above 80 % of it at risk, below
that behind. Ratios are `Fraction`s so the boundaries are exact.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardCategory, AwardKind, Person, RecipientKind
from campaigns.models import (
    Campaign,
    CampaignStatus,
    ProgressEntry,
    Registration,
    RegistrationStatus,
    RegistrationTarget,
    RegistrationTitle,
    Target,
    TargetAssignment,
    TargetDirection,
)
from campaigns.selectors import campaign_participant_ids, participant_units
from clusters.models import ClusterMembership, Unit
from core.audit import audit_context
from core.db import Vietnamese

OPEN_STATUSES = frozenset(
    {
        CampaignStatus.LAUNCHED,
        CampaignStatus.UNDER_WAY,
        CampaignStatus.MIDTERM_REVIEW,
        CampaignStatus.FINAL_REVIEW,
    }
)
# "At risk" is a shortfall of at most a fifth of what the elapsed time calls for.
AT_RISK_SHARE = Fraction(4, 5)
ZERO, ONE = Fraction(0), Fraction(1)
NOT_REGISTERED = "none"


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", gettext_lazy("On track")
    AT_RISK = "at_risk", gettext_lazy("At risk")
    BEHIND = "behind", gettext_lazy("Behind")
    NOT_REPORTED = "not_reported", gettext_lazy("Not reported")


# --- Status arithmetic ------------------------------------------------------------------------


def elapsed_share(campaign: Campaign, today: dt.date) -> Fraction:
    """Days elapsed over days in the period, both counting whole days, clipped to 0..1.

    The first day counts as elapsed at the end of that day, so on the last day the share is 1.
    """
    period_days = (campaign.end_date - campaign.start_date).days + 1
    elapsed_days = (today - campaign.start_date).days + 1
    return Fraction(min(max(elapsed_days, 0), period_days), period_days)


def unit_goal(
    target: Target, *, committed: Decimal | None = None, assigned: Decimal | None = None
) -> Decimal | None:
    """A unit's target: the value it committed to, else the value assigned to it, else the
    province-wide value."""
    for value in (committed, assigned, target.target_value):
        if value is not None:
            return value
    return None


def achievement_ratio(
    target: Target, *, goal: Decimal | None, value: Decimal | None, done: bool | None
) -> Fraction | None:
    """How much of the goal is achieved (1 = met); None when there is nothing to judge.

    Qualitative targets are 1 when done and 0 when not. With a baseline the ratio measures the
    way travelled from the baseline to the goal, in either direction; without one, "at least"
    is actual/goal and "at most" is goal/actual.
    """
    if not target.is_measurable:
        return None if done is None else Fraction(int(done))
    if value is None or goal is None:
        return None
    actual, goal_f = Fraction(value), Fraction(goal)
    at_least = target.direction != TargetDirection.AT_MOST
    met = actual >= goal_f if at_least else actual <= goal_f
    baseline = target.baseline
    # A baseline only measures the way to the goal when it lies on the far side of it; a unit's
    # own goal can be on the wrong side of the province's baseline.
    if baseline is not None and (Fraction(baseline) < goal_f if at_least else Fraction(baseline) > goal_f):
        return (actual - Fraction(baseline)) / (goal_f - Fraction(baseline))
    if at_least:
        return actual / goal_f if goal_f > 0 else Fraction(int(met))
    # Nothing at all (or less) against an "at most" goal cannot be divided by; it is met.
    return goal_f / actual if actual > 0 else Fraction(int(met))


@functools.lru_cache(maxsize=64)
def _at_risk_bound(elapsed: Fraction) -> Fraction:
    # A campaign page compares thousands of ratios with the same elapsed share.
    return AT_RISK_SHARE * elapsed


def progress_status(ratio: Fraction | None, elapsed: Fraction) -> ProgressStatus:
    if ratio is None:
        return ProgressStatus.NOT_REPORTED
    if ratio >= elapsed:
        return ProgressStatus.ON_TRACK
    if ratio >= _at_risk_bound(elapsed):
        return ProgressStatus.AT_RISK
    return ProgressStatus.BEHIND


def _clipped(ratio: Fraction | None) -> Fraction:
    """Averages count a target as met at most once: a surplus on one target does not hide a
    shortfall on another; within a unit, a target it has not reported counts as nothing achieved."""
    # Compared with ints, which Fraction does without building a new Fraction.
    if ratio is None or ratio <= 0:
        return ZERO
    return ONE if ratio >= 1 else ratio


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, ZERO) / len(values) if values else None


def percent(ratio: Fraction | None) -> float | None:
    return None if ratio is None else float(ratio * 100)


# --- Who takes part, when ---------------------------------------------------------------------


def is_staff(user: Any) -> bool:
    return bool(user.has_perm("campaigns.manage_campaigns"))


def registration_window_open(campaign: Campaign, today: dt.date | None = None) -> bool:
    """Open between the window's dates (either may be unset) while the campaign is open."""
    today = today or timezone.localdate()
    if campaign.status not in OPEN_STATUSES:
        return False
    if campaign.registration_opens and today < campaign.registration_opens:
        return False
    return not (campaign.registration_closes and today > campaign.registration_closes)


def _check_acts_for(campaign: Campaign, unit: Unit, by: Any) -> None:
    if not by.has_perm("campaigns.act_for_unit", unit):
        raise PermissionDenied
    if unit.pk not in campaign_participant_ids(campaign):
        raise ValidationError(
            _("%(unit)s does not take part in this campaign.") % {"unit": unit.name}, code="not_participant"
        )
    if campaign.status == CampaignStatus.DRAFT:
        raise ValidationError(_("The campaign has not been launched yet."), code="draft")
    if not is_staff(by) and campaign.status not in OPEN_STATUSES:
        raise ValidationError(_("The campaign is closed."), code="closed")


# --- Registration (đăng ký thi đua) -----------------------------------------------------------


@dataclass(frozen=True)
class Commitment:
    """A unit's commitment to one target. `value` is for measurable targets; None commits to
    the assigned (else the province-wide) value."""

    target_id: int
    value: Decimal | None = None
    committed: bool = True


@dataclass(frozen=True)
class TitleChoice:
    """A title aimed for: for the unit itself when `person_id` is None, else for that person."""

    category_id: int
    person_id: int | None = None


class StaleRegistrationError(ValidationError):
    """The registration changed after the form was opened (optimistic locking)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "Someone else saved this registration after you opened it, so your changes were "
                "not saved. What you typed is kept below: compare it with the saved registration "
                "(reload the page in another tab), then save again to replace it."
            ),
            code="stale",
        )
        self.current_version = current_version


def _registration_errors(
    *,
    campaign: Campaign,
    unit: Unit,
    commitments: Sequence[Commitment],
    titles: Sequence[TitleChoice],
    submitting: bool,
) -> list[str]:
    errors: list[str] = []
    targets = {target.pk: target for target in campaign.targets.all()}
    seen_targets: set[int] = set()
    for commitment in commitments:
        target = targets.get(commitment.target_id)
        if target is None or commitment.target_id in seen_targets:
            errors.append(_("A target does not belong to this campaign."))
            continue
        seen_targets.add(target.pk)
        # No value means the unit commits to its assigned (else the province-wide) value.
        if not (target.is_measurable and commitment.committed) or commitment.value is None:
            continue
        if not commitment.value.is_finite() or commitment.value < 0:
            errors.append(
                _("The committed value for “%(target)s” must be a number of 0 or more.")
                % {"target": target.name}
            )

    categories = AwardCategory.objects.in_bulk({title.category_id for title in titles})
    people = Person.objects.in_bulk({title.person_id for title in titles if title.person_id})
    seen_titles: set[tuple[int, int | None]] = set()
    for title in titles:
        category = categories.get(title.category_id)
        if (
            category is None
            or category.kind != AwardKind.EMULATION_TITLE
            or category.recipient_kind not in {RecipientKind.COLLECTIVE, RecipientKind.INDIVIDUAL}
            or not category.is_active
        ):
            errors.append(
                _(
                    "Only emulation titles (danh hiệu thi đua) in use, for the unit or its people, can be registered."
                )
            )
            continue
        if title.person_id is None:
            if category.recipient_kind != RecipientKind.COLLECTIVE:
                errors.append(
                    _("“%(title)s” is a title for individuals: choose a person of the unit.")
                    % {"title": category.name}
                )
                continue
        else:
            person = people.get(title.person_id)
            if category.recipient_kind != RecipientKind.INDIVIDUAL:
                errors.append(
                    _("“%(title)s” is a title for collectives, not for a person.") % {"title": category.name}
                )
                continue
            if person is None or person.unit_id != unit.pk:
                errors.append(_("Titles for individuals can only be registered for people of the unit."))
                continue
        key = (category.pk, title.person_id)
        if key in seen_titles:
            holder = people[title.person_id].full_name if title.person_id else unit.name
            errors.append(
                _("“%(title)s” is registered twice for %(name)s.") % {"title": category.name, "name": holder}
            )
        seen_titles.add(key)

    if submitting and not errors and not any(c.committed for c in commitments) and not titles:
        errors.append(_("Commit to at least one target or title before registering."))
    return errors


def _registration_write(
    *,
    campaign: Campaign,
    unit: Unit,
    by: Any,
    version: int,
    commitments: Sequence[Commitment],
    titles: Sequence[TitleChoice],
    note: str,
    status: RegistrationStatus,
) -> Registration:
    _check_acts_for(campaign, unit, by)
    if not is_staff(by) and not registration_window_open(campaign):
        raise ValidationError(_("Registration for this campaign is closed."), code="window")
    errors = _registration_errors(
        campaign=campaign,
        unit=unit,
        commitments=commitments,
        titles=titles,
        submitting=status == RegistrationStatus.SUBMITTED,
    )
    if errors:
        raise ValidationError(errors)

    submitted = status == RegistrationStatus.SUBMITTED
    fields = {
        "status": status,
        "note": note,
        "submitted_at": timezone.now() if submitted else None,
        "submitted_by": by if submitted else None,
    }
    reason = "registration submitted" if submitted else "registration saved"
    with audit_context(user=getattr(by, "pk", None), reason=reason):
        existing = (
            Registration.objects.filter(campaign=campaign, unit=unit).order_by().values_list("pk", flat=True)
        )
        registration_pk = next(iter(existing), None)
        if registration_pk is None:
            if version != 0:
                raise StaleRegistrationError(0)
            try:
                # A savepoint, so a concurrent first save that loses the race rolls back alone.
                with transaction.atomic():
                    registration = Registration.objects.create(
                        campaign=campaign, unit=unit, version=1, **fields
                    )
            except IntegrityError:
                current = Registration.objects.get(campaign=campaign, unit=unit)
                raise StaleRegistrationError(current.version) from None
        else:
            # The conditional UPDATE is the lock: of two saves from the same version, the
            # second finds the version already moved on and changes nothing.
            changed = Registration.objects.filter(pk=registration_pk, version=version).update(
                version=F("version") + 1, **fields
            )
            if not changed:
                current = Registration.objects.get(pk=registration_pk)
                raise StaleRegistrationError(current.version)
            registration = Registration.objects.get(pk=registration_pk)
            registration.target_commitments.all().delete()
            registration.titles.all().delete()
        RegistrationTarget.objects.bulk_create(
            RegistrationTarget(
                registration=registration,
                target_id=c.target_id,
                value=c.value if c.committed else None,
                committed=c.committed,
            )
            for c in commitments
        )
        RegistrationTitle.objects.bulk_create(
            RegistrationTitle(registration=registration, category_id=t.category_id, person_id=t.person_id)
            for t in titles
        )
    return registration


@transaction.atomic
def registration_save(
    *,
    campaign: Campaign,
    unit: Unit,
    by: Any,
    version: int,
    commitments: Sequence[Commitment],
    titles: Sequence[TitleChoice] = (),
    note: str = "",
) -> Registration:
    """Save the unit's registration as a draft. Saving a registered one takes it back to draft
    until it is registered again.

    `version` is the version the form was opened with (0 when there was no registration); a
    save from an older version raises `StaleRegistrationError` and changes nothing.
    """
    return _registration_write(
        campaign=campaign,
        unit=unit,
        by=by,
        version=version,
        commitments=commitments,
        titles=titles,
        note=note,
        status=RegistrationStatus.DRAFT,
    )


@transaction.atomic
def registration_submit(
    *,
    campaign: Campaign,
    unit: Unit,
    by: Any,
    version: int,
    commitments: Sequence[Commitment],
    titles: Sequence[TitleChoice] = (),
    note: str = "",
) -> Registration:
    """Save and register (đăng ký): the unit's commitments are then those counted in progress."""
    return _registration_write(
        campaign=campaign,
        unit=unit,
        by=by,
        version=version,
        commitments=commitments,
        titles=titles,
        note=note,
        status=RegistrationStatus.SUBMITTED,
    )


# --- Progress (tiến độ) -----------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    unit: Unit,
    target: Target,
    as_of: dt.date,
    value: Decimal | None = None,
    done: bool | None = None,
    note: str = "",
    by: Any,
) -> ProgressEntry:
    """Record the actual value of a target for a unit as of a date; the latest date counts.

    Measurable targets take a `value` (it may be negative: growth rates can fall), qualitative
    ones `done`. Until report deadlines exist a unit records values directly.
    """
    campaign = target.campaign
    _check_acts_for(campaign, unit, by)
    if not campaign.start_date <= as_of <= min(campaign.end_date, timezone.localdate()):
        raise ValidationError(
            _("The date must be within the campaign period (%(start)s – %(end)s) and not in the future.")
            % {
                "start": campaign.start_date.strftime("%d/%m/%Y"),
                "end": campaign.end_date.strftime("%d/%m/%Y"),
            },
            code="as_of",
        )
    if target.is_measurable:
        if value is None or not value.is_finite():
            raise ValidationError(
                _("Enter the actual value for “%(target)s”.") % {"target": target.name}, code="value"
            )
        done = False
    else:
        if done is None:
            raise ValidationError(
                _("Say whether “%(target)s” is done.") % {"target": target.name}, code="done"
            )
        value = None
    with audit_context(user=getattr(by, "pk", None), reason="progress recorded"):
        return ProgressEntry.objects.create(
            target=target, unit=unit, as_of=as_of, value=value, done=done, note=note[:500], recorded_by=by
        )


# --- Reads: registrations ---------------------------------------------------------------------


def _cluster_in(year: int, field_name: str) -> Subquery:
    return Subquery(ClusterMembership.objects.filter(unit=OuterRef("pk"), year=year).values(field_name)[:1])


def registration_board(campaign: Campaign) -> QuerySet[Unit]:
    """Every participant with its cluster in the campaign's start year and its registration,
    in one query."""
    registration = Registration.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    title_count = (
        RegistrationTitle.objects.filter(registration__campaign=campaign, registration__unit=OuterRef("pk"))
        .values("registration_id")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    return participant_units(campaign).annotate(
        cluster_id=_cluster_in(campaign.year, "term__cluster_id"),
        cluster_name=_cluster_in(campaign.year, "term__cluster__name"),
        registration_status=Subquery(registration.values("status")[:1]),
        registered_at=Subquery(registration.values("submitted_at")[:1]),
        registered_by=Subquery(registration.values("submitted_by__full_name")[:1]),
        title_count=Subquery(title_count, output_field=models.IntegerField()),
    )


def registration_counts(campaign: Campaign) -> dict[str, int]:
    """Participants by registration status: submitted, draft, none, and the total."""
    counts = dict(
        Registration.objects.filter(campaign=campaign, unit__in=participant_units(campaign))
        .order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    total = len(campaign_participant_ids(campaign))
    submitted = counts.get(RegistrationStatus.SUBMITTED, 0)
    draft = counts.get(RegistrationStatus.DRAFT, 0)
    return {
        RegistrationStatus.SUBMITTED.value: submitted,
        RegistrationStatus.DRAFT.value: draft,
        NOT_REGISTERED: total - submitted - draft,
        "total": total,
    }


def unit_registration(campaign: Campaign, unit: Unit | int) -> Registration | None:
    """The unit's registration with its commitments and titles (three queries)."""
    return (
        Registration.objects.filter(campaign=campaign, unit=unit)
        .select_related("unit", "submitted_by")
        .prefetch_related(
            models.Prefetch(
                "target_commitments", queryset=RegistrationTarget.objects.select_related("target")
            ),
            models.Prefetch(
                "titles", queryset=RegistrationTitle.objects.select_related("category", "person")
            ),
        )
        .first()
    )


def registrable_titles() -> tuple[list[AwardCategory], list[AwardCategory]]:
    """Emulation titles in use: (for collectives, for individuals), in one query."""
    categories = AwardCategory.objects.filter(
        kind=AwardKind.EMULATION_TITLE,
        is_active=True,
        recipient_kind__in=[RecipientKind.COLLECTIVE, RecipientKind.INDIVIDUAL],
    )
    collective = [c for c in categories if c.recipient_kind == RecipientKind.COLLECTIVE]
    individual = [c for c in categories if c.recipient_kind == RecipientKind.INDIVIDUAL]
    return collective, individual


def assigned_values(campaign: Campaign, unit: Unit | int) -> dict[int, Decimal]:
    """Target id → the value assigned to the unit."""
    return dict(
        TargetAssignment.objects.filter(target__campaign=campaign, unit=unit).values_list(
            "target_id", "value"
        )
    )


# --- Reads: progress --------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestEntry:
    as_of: dt.date
    value: Decimal | None
    done: bool


def latest_entries(
    campaign: Campaign, *, unit: Unit | int | None = None
) -> dict[tuple[int, int], LatestEntry]:
    """The latest entry per (target, unit) of the campaign, in one query.

    PostgreSQL picks them with DISTINCT ON; SQLite (the demo) with a correlated subquery.
    """
    entries = ProgressEntry.objects.filter(target__campaign=campaign)
    if unit is not None:
        entries = entries.filter(unit=unit)
    if connection.features.can_distinct_on_fields:
        entries = entries.order_by("target_id", "unit_id", "-as_of", "-id").distinct("target_id", "unit_id")
    else:
        newest = (
            ProgressEntry.objects.filter(target_id=OuterRef("target_id"), unit_id=OuterRef("unit_id"))
            .order_by("-as_of", "-id")
            .values("pk")[:1]
        )
        entries = entries.filter(pk=Subquery(newest)).order_by()
    return {
        (row["target_id"], row["unit_id"]): LatestEntry(
            as_of=row["as_of"], value=row["value"], done=row["done"]
        )
        for row in entries.values("target_id", "unit_id", "as_of", "value", "done")
    }


def submitted_commitments(
    campaign: Campaign, *, unit: Unit | int | None = None
) -> dict[tuple[int, int], tuple[Decimal | None, bool]]:
    """(target id, unit id) → (committed value, committed) from registered (not draft)
    registrations: a draft is not yet a commitment."""
    rows = RegistrationTarget.objects.filter(
        registration__campaign=campaign, registration__status=RegistrationStatus.SUBMITTED
    )
    if unit is not None:
        rows = rows.filter(registration__unit=unit)
    return {
        (target_id, unit_id): (value, committed)
        for target_id, unit_id, value, committed in rows.values_list(
            "target_id", "registration__unit_id", "value", "committed"
        )
    }


@dataclass
class TargetProgress:
    """One target for one unit."""

    target: Target
    goal: Decimal | None
    entry: LatestEntry | None
    ratio: Fraction | None
    status: ProgressStatus
    applies: bool = True

    @property
    def percent(self) -> float | None:
        return percent(self.ratio)


@dataclass
class UnitProgress:
    """One unit: each target and the weighted overall achievement."""

    unit_id: int
    name: str
    cluster_id: int | None
    cluster_name: str
    cells: list[TargetProgress]
    ratio: Fraction | None
    status: ProgressStatus
    reported: int
    last_as_of: dt.date | None

    @property
    def percent(self) -> float | None:
        return percent(self.ratio)


@dataclass
class GroupProgress:
    """A target province-wide, a cluster, or the whole province."""

    key: Any
    label: str
    ratio: Fraction | None
    status: ProgressStatus
    unit_count: int
    reported_count: int
    status_counts: dict[str, int] = field(default_factory=dict)
    target: Target | None = None

    @property
    def percent(self) -> float | None:
        return percent(self.ratio)


@dataclass
class CampaignProgress:
    campaign: Campaign
    today: dt.date
    elapsed: Fraction
    targets: list[Target]
    units: list[UnitProgress]
    by_target: list[GroupProgress]
    by_cluster: list[GroupProgress]
    province: GroupProgress
    clusters: list[tuple[int, str]]

    @property
    def elapsed_percent(self) -> float:
        return float(self.elapsed * 100)


def _unit_progress(
    unit: Any,
    targets: Sequence[Target],
    *,
    assigned: dict[tuple[int, int], Decimal],
    committed: dict[tuple[int, int], tuple[Decimal | None, bool]],
    entries: dict[tuple[int, int], LatestEntry],
    elapsed: Fraction,
) -> UnitProgress:
    cells = []
    weighted, weights, reported = Fraction(0), Fraction(0), 0
    last_as_of = None
    for target in targets:
        key = (target.pk, unit.pk)
        committed_value, applies = committed.get(key, (None, True))
        goal = unit_goal(target, committed=committed_value, assigned=assigned.get(key))
        entry = entries.get(key)
        ratio = achievement_ratio(target, goal=goal, value=entry.value, done=entry.done) if entry else None
        cells.append(
            TargetProgress(
                target=target,
                goal=goal,
                entry=entry,
                ratio=ratio,
                status=progress_status(ratio, elapsed),
                applies=applies,
            )
        )
        if not applies:
            continue
        weight = Fraction(target.weight)
        weighted += weight * _clipped(ratio)
        weights += weight
        if entry is not None:
            reported += 1
            last_as_of = max(last_as_of or entry.as_of, entry.as_of)
    ratio = weighted / weights if weights and reported else None
    return UnitProgress(
        unit_id=unit.pk,
        name=unit.name,
        cluster_id=unit.cluster_id,
        cluster_name=unit.cluster_name or "",
        cells=cells,
        ratio=ratio,
        status=progress_status(ratio, elapsed),
        reported=reported,
        last_as_of=last_as_of,
    )


def _group(
    key: Any, label: str, ratios: list[Fraction | None], elapsed: Fraction, target: Target | None = None
) -> GroupProgress:
    counts: dict[str, int] = defaultdict(int)
    for ratio in ratios:
        counts[progress_status(ratio, elapsed)] += 1
    reported = sum(1 for ratio in ratios if ratio is not None)
    # A group's figure is the mean of the units that reported; the units that have not are
    # counted beside it (reported_count), so late reports do not read as poor results.
    mean = _mean([_clipped(ratio) for ratio in ratios if ratio is not None]) if reported else None
    return GroupProgress(
        key=key,
        label=label,
        ratio=mean,
        status=progress_status(mean, elapsed),
        unit_count=len(ratios),
        reported_count=reported,
        status_counts=dict(counts),
        target=target,
    )


def target_summaries(
    targets: Sequence[Target], units: Iterable[UnitProgress], elapsed: Fraction
) -> list[GroupProgress]:
    """Each target over the given units (a unit that does not commit to it is left out)."""
    units = list(units)
    return [
        _group(
            target.pk,
            target.name,
            [unit.cells[index].ratio for unit in units if unit.cells[index].applies],
            elapsed,
            target=target,
        )
        for index, target in enumerate(targets)
    ]


def campaign_progress(
    campaign: Campaign, *, today: dt.date | None = None, cluster_id: int | None = None
) -> CampaignProgress:
    """Progress of every participant on every target, and its aggregates, in five queries:
    targets, participants with their cluster, assignments, commitments, latest entries.

    With `cluster_id` the units and the per-target table cover that cluster only (0: units in
    no cluster); the per-cluster table and the province-wide figure always cover everyone.
    """
    today = today or timezone.localdate()
    elapsed = elapsed_share(campaign, today)
    targets = list(campaign.targets.all())
    units = list(
        participant_units(campaign)
        .annotate(
            cluster_id=_cluster_in(campaign.year, "term__cluster_id"),
            cluster_name=_cluster_in(campaign.year, "term__cluster__name"),
        )
        .only("pk", "name")
        .order_by(Vietnamese("name"), "pk")
    )
    assigned = {
        (target_id, unit_id): value
        for target_id, unit_id, value in TargetAssignment.objects.filter(
            target__campaign=campaign
        ).values_list("target_id", "unit_id", "value")
    }
    committed = submitted_commitments(campaign)
    entries = latest_entries(campaign)

    progress = [
        _unit_progress(
            unit, targets, assigned=assigned, committed=committed, entries=entries, elapsed=elapsed
        )
        for unit in units
    ]
    clusters = sorted(
        {(u.cluster_id, u.cluster_name) for u in progress if u.cluster_id is not None},
        key=lambda pair: pair[1],
    )
    by_cluster = [
        _group(cid, name, [u.ratio for u in progress if u.cluster_id == cid], elapsed)
        for cid, name in clusters
    ]
    outside = [u.ratio for u in progress if u.cluster_id is None]
    if outside:
        by_cluster.append(_group(0, _("Not in a cluster"), outside, elapsed))
    province = _group(None, _("Whole province"), [u.ratio for u in progress], elapsed)
    if cluster_id is not None:
        progress = [u for u in progress if (u.cluster_id or 0) == cluster_id]
    return CampaignProgress(
        campaign=campaign,
        today=today,
        elapsed=elapsed,
        targets=targets,
        units=progress,
        by_target=target_summaries(targets, progress, elapsed),
        by_cluster=by_cluster,
        province=province,
        clusters=clusters,
    )


def visible_unit_ids(campaign: Campaign, user: Any) -> frozenset[int] | None:
    """Units whose own figures the user may see; None means all of them.

    Staff and council members see every unit; a unit sees itself and, when it heads or
    deputises a cluster in the campaign's year, that cluster's units. Aggregates are public to
    everyone who sees the campaign.
    """
    from clusters.selectors import unit_ids_led_by

    if user.has_perm("campaigns.see_all_registrations"):
        return None
    own = {user.unit_id} if getattr(user, "unit_id", None) and getattr(user, "unit_role", "") else set()
    return frozenset(own | unit_ids_led_by(user, year=campaign.year))


def unit_entry_history(campaign: Campaign, unit: Unit | int, *, limit: int = 20) -> list[ProgressEntry]:
    """The unit's most recent entries, newest first."""
    return list(
        ProgressEntry.objects.filter(target__campaign=campaign, unit=unit)
        .select_related("target", "recorded_by")
        .order_by("-recorded_at", "-pk")[:limit]
    )


# --- The campaign page's sections -------------------------------------------------------------


def section_context(campaign: Campaign, section: str, *, user: Any) -> dict[str, Any]:
    """Data for the "registrations" and "progress" sections of the campaign page."""
    from campaigns import charts

    acting_unit_id = user.unit_id if getattr(user, "unit_id", None) and user.unit_role else None
    takes_part = acting_unit_id is not None and acting_unit_id in campaign_participant_ids(campaign)
    sees_all = user.has_perm("campaigns.see_all_registrations")
    if section == "registrations":
        context: dict[str, Any] = {
            "sees_all_registrations": sees_all,
            "takes_part": takes_part,
            "registration_window_open": registration_window_open(campaign),
        }
        if sees_all:
            context["registration_counts"] = registration_counts(campaign)
        if takes_part:
            context["own_registration"] = unit_registration(campaign, acting_unit_id)
        return context
    if section == "progress":
        report = campaign_progress(campaign)
        own = next((u for u in report.units if u.unit_id == acting_unit_id), None)
        return {
            "progress": report,
            "own_progress": own,
            "takes_part": takes_part,
            "can_record_progress": takes_part and campaign.status in OPEN_STATUSES,
            "cluster_chart": charts.achievement_chart(
                [charts.ChartRow(g.label, g.ratio, g.status) for g in report.by_cluster],
                elapsed=report.elapsed,
                title=_("Achievement by cluster"),
            )
            if report.by_cluster
            else "",
            "target_rows": [
                (g, charts.target_bar(g.ratio, elapsed=report.elapsed, status=g.status, label=g.label))
                for g in report.by_target
            ],
        }
    return {}
