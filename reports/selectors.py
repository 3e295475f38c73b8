"""Reads for report deadlines, reports, boards and notifications.

Each function runs a fixed number of queries whatever the number of units or deadlines:
per-row figures are subqueries of the one list query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, ParticipantMode
from campaigns.selectors import participant_units
from clusters.models import ClusterMembership, MemberRole, Unit
from reports import workdays
from reports.models import (
    POLICY_KINDS,
    Notification,
    Reminder,
    ReminderKind,
    ReminderStatus,
    Report,
    ReportDeadline,
    ReportStatus,
    UnitMode,
)


class BoardStatus:
    """A unit's standing for one deadline, as the board shows and filters it."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    ACCEPTED = "accepted"


# Urgency: what needs the unit's action first.
_RANK = {
    BoardStatus.RETURNED: 0,
    BoardStatus.NOT_STARTED: 1,
    BoardStatus.DRAFT: 2,
    BoardStatus.LATE: 3,
    BoardStatus.ON_TIME: 4,
    BoardStatus.ACCEPTED: 5,
}


def count_of(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of `queryset` as an integer expression (0 when empty)."""
    counted = queryset.order_by().annotate(_count=Func(F("pk"), function="COUNT")).values("_count")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Which units owe a deadline ------------------------------------------------------------------


def deadline_units(deadline: ReportDeadline) -> QuerySet[Unit]:
    """The units that must report: the chosen ones, else every participant of the campaign or
    every member of the cluster in that year."""
    if deadline.unit_mode == UnitMode.CHOSEN:
        return Unit.objects.filter(pk__in=deadline.units.values("pk"))
    if deadline.cluster_term_id:
        return Unit.objects.filter(
            pk__in=ClusterMembership.objects.filter(term_id=deadline.cluster_term_id).values("unit_id")
        )
    return participant_units(deadline.campaign)


def deadline_unit_ids(deadline: ReportDeadline) -> frozenset[int]:
    """Ids of the units that owe the deadline, cached on the deadline object."""
    cached = deadline.__dict__.get("_unit_ids")
    if cached is None:
        cached = frozenset(deadline_units(deadline).values_list("pk", flat=True))
        deadline.__dict__["_unit_ids"] = cached
    return cached


def unit_count_expression() -> Case:
    """The number of units each deadline concerns, as one expression of the deadline row."""
    chosen = count_of(ReportDeadline.units.through.objects.filter(reportdeadline_id=OuterRef("pk")))
    term = count_of(ClusterMembership.objects.filter(term_id=OuterRef("cluster_term_id")))
    every = count_of(
        Unit.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=OuterRef("campaign__start_date")))
    )
    chosen_units = count_of(
        Campaign.participant_units.through.objects.filter(campaign_id=OuterRef("campaign_id"))
    )
    cluster_members = count_of(
        ClusterMembership.objects.filter(
            year=ExtractYear(OuterRef("campaign__start_date")),
            term__cluster_id__in=Campaign.participant_clusters.through.objects.filter(
                campaign_id=OuterRef(OuterRef("campaign_id"))
            ).values("cluster_id"),
        )
    )
    return Case(
        When(unit_mode=UnitMode.CHOSEN, then=chosen),
        When(cluster_term__isnull=False, then=term),
        When(campaign__participant_mode=ParticipantMode.ALL_UNITS, then=every),
        When(campaign__participant_mode=ParticipantMode.UNITS, then=chosen_units),
        default=cluster_members,
        output_field=IntegerField(),
    )


def owed_by(unit: Unit) -> Q:
    """Deadlines `unit` owes a report for (of launched campaigns and of its clusters)."""
    chosen = ReportDeadline.units.through.objects.filter(unit_id=unit.pk).values("reportdeadline_id")
    terms = ClusterMembership.objects.filter(unit_id=unit.pk).values("term_id")
    campaign_units = Campaign.participant_units.through.objects.filter(unit_id=unit.pk).values("campaign_id")
    in_participating_cluster = Campaign.participant_clusters.through.objects.filter(
        campaign_id=OuterRef("campaign_id"),
        cluster__terms__memberships__unit_id=unit.pk,
        cluster__terms__year=ExtractYear(OuterRef("campaign__start_date")),
    )
    still_active = Q(campaign__start_date__lte=unit.active_to) if unit.active_to else Q()
    everyone = Q(unit_mode=UnitMode.ALL)
    return (
        Q(unit_mode=UnitMode.CHOSEN, pk__in=chosen)
        | (everyone & Q(cluster_term_id__in=terms))
        | (everyone & Q(campaign__participant_mode=ParticipantMode.ALL_UNITS) & still_active)
        | (everyone & Q(campaign__participant_mode=ParticipantMode.UNITS, campaign_id__in=campaign_units))
        | (
            everyone
            & Q(Exists(in_participating_cluster), campaign__participant_mode=ParticipantMode.CLUSTERS)
        )
    ) & (Q(campaign__isnull=True) | ~Q(campaign__status=CampaignStatus.DRAFT))


def unit_owes(deadline: ReportDeadline, unit_id: int | None) -> bool:
    return unit_id is not None and unit_id in deadline_unit_ids(deadline)


# --- Lists ---------------------------------------------------------------------------------------


def _reports_of(deadline_ref: Any, unit_ref: Any) -> QuerySet[Report]:
    return Report.objects.filter(deadline_id=deadline_ref, unit_id=unit_ref)


def status_expression(prefix: str = "report_") -> Case:
    """The board status from the annotated report status and lateness."""
    status, late = f"{prefix}status", f"{prefix}late_days"
    return Case(
        When(**{f"{status}__isnull": True}, then=Value(BoardStatus.NOT_STARTED)),
        When(**{status: ReportStatus.DRAFT}, then=Value(BoardStatus.DRAFT)),
        When(**{status: ReportStatus.RETURNED}, then=Value(BoardStatus.RETURNED)),
        When(**{status: ReportStatus.ACCEPTED}, then=Value(BoardStatus.ACCEPTED)),
        When(**{f"{late}__isnull": True}, then=Value(BoardStatus.ON_TIME)),
        default=Value(BoardStatus.LATE),
    )


def rank_expression(status_field: str = "board_status") -> Case:
    return Case(
        *[When(**{status_field: key}, then=Value(rank)) for key, rank in _RANK.items()],
        default=Value(9),
        output_field=IntegerField(),
    )


def deadline_list(user: Any) -> QuerySet[ReportDeadline]:
    """Deadlines with their owner, how many units owe them and how many have submitted."""
    submitted = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    reports = Report.objects.filter(deadline_id=OuterRef("pk"))
    return ReportDeadline.objects.select_related("campaign", "cluster_term__cluster").annotate(
        unit_count=unit_count_expression(),
        submitted_count=count_of(reports.filter(status__in=submitted)),
        late_count=count_of(reports.filter(status__in=submitted, late_days__isnull=False)),
        accepted_count=count_of(reports.filter(status=ReportStatus.ACCEPTED)),
        returned_count=count_of(reports.filter(status=ReportStatus.RETURNED)),
    )


def board_rows(deadline: ReportDeadline, *, unit_ids: frozenset[int] | None = None) -> QuerySet[Unit]:
    """Every unit owing the deadline with its cluster that year, its report and reminders,
    in one query. `unit_ids` narrows the rows to the units the viewer may see."""
    report = _reports_of(deadline.pk, OuterRef("pk"))
    reminders = Reminder.objects.filter(deadline_id=deadline.pk, unit_id=OuterRef("pk"))
    membership = ClusterMembership.objects.filter(unit_id=OuterRef("pk"), year=deadline.year)
    units = deadline_units(deadline)
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    return units.annotate(
        cluster_id=Subquery(membership.values("term__cluster_id")[:1]),
        cluster_name=Subquery(membership.values("term__cluster__name")[:1]),
        report_id=Subquery(report.values("pk")[:1]),
        report_status=Subquery(report.values("status")[:1]),
        report_submitted_at=Subquery(report.values("submitted_at")[:1]),
        report_late_days=Subquery(report.values("late_days")[:1]),
        report_submissions=Subquery(report.values("submission_count")[:1]),
        report_updated_at=Subquery(report.values("updated_at")[:1]),
        report_missing_sections=Subquery(report.values("missing_sections")[:1]),
        report_missing_values=Subquery(report.values("missing_values")[:1]),
        report_missing_attachments=Subquery(report.values("missing_attachments")[:1]),
        reminders_sent=count_of(reminders.filter(status=ReminderStatus.SENT)),
        last_reminded_at=Subquery(
            reminders.filter(status=ReminderStatus.SENT).order_by("-sent_at").values("sent_at")[:1]
        ),
        last_manual_at=Subquery(
            reminders.filter(kind=ReminderKind.MANUAL).order_by("-created_at").values("created_at")[:1]
        ),
        board_status=status_expression(),
    ).annotate(status_rank=rank_expression())


def board_counts(rows: QuerySet[Unit]) -> dict[str, int]:
    """How many units stand in each board status (one query)."""
    from django.db.models import Count

    counts = dict.fromkeys(_RANK, 0)
    for row in rows.order_by().values("board_status").annotate(total=Count("pk")):
        counts[row["board_status"]] = row["total"]
    counts["total"] = sum(counts.values())
    return counts


def my_deadlines(unit: Unit) -> QuerySet[ReportDeadline]:
    """The deadlines a unit owes, with its own report's standing, most urgent first."""
    report = _reports_of(OuterRef("pk"), unit.pk)
    return (
        ReportDeadline.objects.filter(owed_by(unit))
        .select_related("campaign", "cluster_term__cluster")
        .annotate(
            report_id=Subquery(report.values("pk")[:1]),
            report_status=Subquery(report.values("status")[:1]),
            report_late_days=Subquery(report.values("late_days")[:1]),
            report_submitted_at=Subquery(report.values("submitted_at")[:1]),
            report_missing_sections=Subquery(report.values("missing_sections")[:1]),
            report_missing_values=Subquery(report.values("missing_values")[:1]),
            report_missing_attachments=Subquery(report.values("missing_attachments")[:1]),
            target_count=count_of(
                ReportDeadline.targets.through.objects.filter(reportdeadline_id=OuterRef("pk"))
            ),
            board_status=status_expression(),
        )
        .annotate(
            status_rank=rank_expression(),
            # What the unit must act on first: a returned report, then whatever is not yet
            # submitted (by due date), then what staff still have to accept, then the rest.
            urgency=Case(
                When(board_status=BoardStatus.RETURNED, then=Value(0)),
                When(board_status__in=[BoardStatus.NOT_STARTED, BoardStatus.DRAFT], then=Value(1)),
                When(board_status__in=[BoardStatus.ON_TIME, BoardStatus.LATE], then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
    )


def deadlines_between(unit: Unit, start: dt.date, end: dt.date) -> list[ReportDeadline]:
    """The unit's deadlines due in [start, end] (local dates), for the calendar."""
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end_at = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    return list(my_deadlines(unit).filter(due_at__range=(start_at, end_at)).order_by("due_at", "pk"))


# --- One report ----------------------------------------------------------------------------------


def deadline_for_page(pk: int) -> ReportDeadline:
    return ReportDeadline.objects.select_related("campaign", "cluster_term__cluster").get(pk=pk)


def report_with_content(deadline: ReportDeadline, unit_id: int) -> Report | None:
    """The unit's report with its values, attachments and events (four queries)."""
    from reports.models import ReportTransition, ReportValue

    return (
        Report.objects.filter(deadline=deadline, unit_id=unit_id)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch("values", queryset=ReportValue.objects.all()),
            "attachments",
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("by")),
        )
        .first()
    )


def previous_deadline(deadline: ReportDeadline) -> ReportDeadline | None:
    """The same owner's deadline of the same kind just before this one."""
    owner = (
        {"campaign_id": deadline.campaign_id}
        if deadline.campaign_id
        else {"cluster_term_id": deadline.cluster_term_id}
    )
    return (
        ReportDeadline.objects.filter(kind=deadline.kind, due_at__lt=deadline.due_at, **owner)
        .order_by("-due_at", "-pk")
        .first()
    )


def unit_reminders(deadline: ReportDeadline, unit_id: int) -> list[Reminder]:
    """The unit's reminders for the deadline with their deliveries (two queries)."""
    return list(
        Reminder.objects.filter(deadline=deadline, unit_id=unit_id)
        .prefetch_related("deliveries__user")
        .order_by("due_at", "pk")
    )


def cluster_head_officer_ids(unit_id: int, year: int) -> list[int]:
    """Users acting for the unit that heads `unit_id`'s cluster in `year` (not the unit itself)."""
    from core.models import User

    head_units = ClusterMembership.objects.filter(
        role=MemberRole.HEAD, year=year, term__memberships__unit_id=unit_id
    ).exclude(unit_id=unit_id)
    return list(
        User.objects.filter(is_active=True, unit_id__in=head_units.values("unit_id"))
        .exclude(unit_role="")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Lateness:
    is_late: bool
    days: int


def lateness(deadline: ReportDeadline, at: dt.datetime | None = None) -> Lateness:
    """How late something done at `at` (default now) is for the deadline."""
    at = at or timezone.now()
    if at <= deadline.due_at:
        return Lateness(False, 0)
    return Lateness(True, workdays.late_working_days(deadline.due_on, timezone.localdate(at)))


def pending_policy_reminders(deadline_id: int, unit_id: int) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        deadline_id=deadline_id,
        unit_id=unit_id,
        status=ReminderStatus.PENDING,
        kind__in=[*POLICY_KINDS, ReminderKind.MANUAL],
    )


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
