"""Demo scoring years of the clusters and blocs (chấm điểm, xếp hạng, bình xét, suy tôn).

Last year is complete everywhere: signed tables and pledges, self-, cross- and office scores,
published results, secret ballots, award proposals and the meeting details for the minutes.
This year the clusters are spread over the stages, so every screen has something to show; the
demo logins' cluster is at self-scoring with the demo commune (`canbo`) still to score, so the
rest of the year can be walked through the screens: self-score, cross-score, office check,
publish, vote, minutes and next year's head and deputy.

The scoring table follows the shape of Thừa Thiên Huế's guidance (1000 = 950 content + 50
bonus; −8 for not signing the pledge) and the Nghệ An classification bands.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from awards.models import AwardCategory
from clusters.models import (
    AwardProposal,
    BallotCast,
    BallotCategory,
    BallotChoice,
    ClassificationBand,
    ClusterKind,
    ClusterMembership,
    ClusterTerm,
    Criterion,
    CriterionGroup,
    MemberRole,
    Pledge,
    PledgeSignature,
    PublishedResult,
    ScoreChange,
    ScoreEntry,
    ScoreStage,
    ScoreTable,
    ScoringStage,
    TableStatus,
    TermScoring,
    UnitFlag,
)
from clusters.scoring import ranking, selectors
from clusters.scoring.tables import DEFAULT_BANDS
from core.models import User

HALF = Decimal("0.5")
# (group code, group name, kind, cap or None for the sum of its criteria)
GROUPS = [
    ("I", "Thực hiện nhiệm vụ chính trị, chuyên môn được giao", "content"),
    ("II", "Xây dựng Đảng, chính quyền, đoàn thể trong sạch, vững mạnh", "content"),
    ("III", "Công tác thi đua, khen thưởng", "content"),
    ("IV", "Điểm thưởng", "bonus"),
    ("V", "Điểm trừ", "penalty"),
]
GROUP_CAPS = {"IV": Decimal(50), "V": Decimal(50)}
# (group, code, parent, name, max, method, scorer, evidence)
CLUSTER_CRITERIA = [
    ("I", "1", "", "Thực hiện các chỉ tiêu kinh tế - xã hội được giao", 200, "qualitative", "unit", False),
    (
        "I",
        "1.1",
        "1",
        "Thu ngân sách nhà nước trên địa bàn so với dự toán được giao",
        100,
        "quantitative",
        "unit",
        True,
    ),
    ("I", "1.2", "1", "Tỷ lệ giải ngân vốn đầu tư công so với kế hoạch", 100, "quantitative", "unit", False),
    (
        "I",
        "2",
        "",
        "Cải cách hành chính, chuyển đổi số, giải quyết thủ tục hành chính đúng hạn",
        150,
        "qualitative",
        "unit",
        True,
    ),
    (
        "I",
        "3",
        "",
        "Bảo đảm an sinh xã hội, giảm nghèo bền vững, xây dựng nông thôn mới",
        150,
        "qualitative",
        "unit",
        False,
    ),
    ("II", "4", "", "Tổ chức đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên", 100, "fixed", "unit", True),
    (
        "II",
        "5",
        "",
        "Thực hành tiết kiệm, phòng, chống tham nhũng, lãng phí, tiêu cực",
        100,
        "qualitative",
        "unit",
        False,
    ),
    (
        "III",
        "6",
        "",
        "Phát động thi đua, ký kết giao ước và đăng ký thi đua đầy đủ, đúng hạn",
        50,
        "fixed",
        "unit",
        False,
    ),
    (
        "III",
        "7",
        "",
        "Tham gia đầy đủ các hoạt động của cụm, khối; gửi báo cáo đúng thời hạn",
        80,
        "qualitative",
        "leaders",
        False,
    ),
    (
        "III",
        "8",
        "",
        "Phát hiện, bồi dưỡng, tuyên truyền, nhân rộng điển hình tiên tiến",
        70,
        "qualitative",
        "unit",
        True,
    ),
    (
        "III",
        "9",
        "",
        "Hồ sơ đề nghị khen thưởng đúng quy định, đúng thời hạn",
        50,
        "qualitative",
        "office",
        False,
    ),
    ("IV", "10", "", "Được Chính phủ, bộ, ngành trung ương khen thưởng trong năm", 30, "bonus", "unit", True),
    (
        "IV",
        "11",
        "",
        "Có mô hình mới, cách làm sáng tạo được cụm, khối nhân rộng",
        20,
        "bonus",
        "leaders",
        False,
    ),
    (
        "V",
        "12",
        "",
        "Không phát động thi đua, không ký giao ước, không đăng ký thi đua",
        8,
        "penalty",
        "office",
        False,
    ),
    (
        "V",
        "13",
        "",
        "Có cán bộ, công chức bị kỷ luật từ khiển trách trở lên (theo Sở Nội vụ)",
        20,
        "penalty",
        "agency",
        False,
    ),
    ("V", "14", "", "Gửi hồ sơ, báo cáo chậm so với quy định", 10, "penalty", "office", False),
]
BLOC_GROUP_I = [
    (
        "I",
        "1",
        "",
        "Hoàn thành các nhiệm vụ chuyên môn theo chức năng, nhiệm vụ được giao",
        200,
        "qualitative",
        "unit",
        False,
    ),
    (
        "I",
        "1.1",
        "1",
        "Tỷ lệ nhiệm vụ được Ủy ban nhân dân tỉnh giao hoàn thành đúng hạn",
        100,
        "quantitative",
        "unit",
        True,
    ),
    ("I", "1.2", "1", "Tỷ lệ giải ngân vốn được giao", 100, "quantitative", "unit", False),
]
REVIEW_REASONS = [
    "Minh chứng chưa đầy đủ theo bảng tiêu chí đã ký kết",
    "Số liệu chưa khớp với báo cáo tổng kết năm của đơn vị",
    "Chưa hoàn thành chỉ tiêu đăng ký đầu năm",
    "Kết quả thẩm định thực tế tại đơn vị",
]
EXPLANATIONS = [
    "Theo báo cáo tổng kết năm và số liệu của Chi cục Thống kê",
    "Có văn bản, kế hoạch triển khai và báo cáo kết quả kèm theo",
    "Đạt và vượt chỉ tiêu đăng ký đầu năm",
    "Kèm theo quyết định, biên bản kiểm tra của cấp có thẩm quyền",
]
# This year's stage of each cluster, in code order (the demo logins' cluster is set apart).
STAGE_CYCLE = [
    ScoringStage.VOTING,
    ScoringStage.CROSS,
    ScoringStage.OFFICE,
    ScoringStage.SELF,
    ScoringStage.PLANNING,
    ScoringStage.CROSS,
]


def scoring_demo_exists() -> bool:
    return ScoreTable.objects.exists()


def _points(max_points: Decimal, share: float) -> Decimal:
    """A share of the maximum, in half points, within 0..max."""
    raw = Decimal(str(max(0.0, min(1.0, share)))) * max_points
    return min(max_points, (raw / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF)


def _table(term: ClusterTerm, staff: User, *, status: str, signed_at: dt.datetime | None) -> ScoreTable:
    kind = "khối" if term.cluster.kind == ClusterKind.BLOC else "cụm"
    table = ScoreTable.objects.create(
        term=term,
        title=f"Bảng tiêu chí chấm điểm thi đua {kind} năm {term.year}",
        declared_total=Decimal(1000),
        status=status,
        signed_at=signed_at,
        created_by=staff,
    )
    groups = CriterionGroup.objects.bulk_create(
        CriterionGroup(
            table=table,
            order=order,
            code=code,
            name=name,
            kind=kind_,
            max_points=GROUP_CAPS.get(code, Decimal(0)),
        )
        for order, (code, name, kind_) in enumerate(GROUPS)
    )
    by_code = {g.code: g for g in groups}
    rows = list(CLUSTER_CRITERIA)
    if term.cluster.kind == ClusterKind.BLOC:
        rows = BLOC_GROUP_I + [row for row in rows if row[0] != "I" or row[1] not in {"1", "1.1", "1.2"}]
    made: dict[str, Criterion] = {}
    for depth in (0, 1):
        batch = []
        for order, (group, code, parent, name, points, method, scorer, evidence) in enumerate(rows):
            if bool(parent) != bool(depth):
                continue
            batch.append(
                Criterion(
                    group=by_code[group],
                    parent=made.get(parent),
                    order=order,
                    code=code,
                    name=name,
                    max_points=Decimal(points),
                    method=method,
                    scorer=scorer,
                    evidence_required=evidence,
                )
            )
        for criterion in Criterion.objects.bulk_create(batch):
            made[criterion.code] = criterion
    for group in groups:
        if group.kind == "content":
            group.max_points = sum(
                (c.max_points for c in made.values() if c.group_id == group.pk and c.parent_id is None),
                Decimal(0),
            )
            group.save(update_fields=["max_points"])
    ClassificationBand.objects.bulk_create(
        ClassificationBand(table=table, order=i, name=name, min_percent=low, min_criterion_percent=floor)
        for i, (name, low, floor) in enumerate(DEFAULT_BANDS)
    )
    table.leaves = [c for c in made.values() if not any(o.parent_id == c.pk for o in made.values())]
    return table


def _pledge(term: ClusterTerm, table: ScoreTable, members: list[ClusterMembership], staff: User) -> None:
    head = next((m for m in members if m.role == MemberRole.HEAD), members[0])
    pledge = Pledge.objects.create(
        term=term,
        table=table,
        signed_on=dt.date(term.year, 3, 20),
        place=f"Hội trường {head.unit.name}",
        note="Các đơn vị thành viên ký kết giao ước thi đua tại Hội nghị triển khai nhiệm vụ năm.",
        recorded_by=staff,
    )
    PledgeSignature.objects.bulk_create(
        PledgeSignature(
            pledge=pledge, unit=m.unit, signer_name=m.unit.head_name, signer_title=m.unit.head_title
        )
        for m in members
    )


def _scores(
    rng: random.Random,
    table: ScoreTable,
    members: list[ClusterMembership],
    stage: str,
    users: dict[int, User],
    staff: User,
    *,
    skip_self: set[int] = frozenset(),
) -> None:
    """Entries up to `stage`: self-scores, then reviews (some lowered, with a reason), then office."""
    entries: list[ScoreEntry] = []
    quality = {m.unit_id: rng.uniform(0.72, 1.0) for m in members}
    leaders = [m for m in members if m.role in {MemberRole.HEAD, MemberRole.DEPUTY}]
    reached = _reached_by(stage)
    for m in members:
        q = quality[m.unit_id]
        officer = users.get(m.unit_id, staff)
        reviewer = next((lead for lead in leaders if lead.unit_id != m.unit_id), leaders[0] if leaders else m)
        reviewer_user = users.get(reviewer.unit_id, staff)
        for c in table.leaves:
            if c.scorer == "unit" and reached(ScoringStage.SELF) and m.unit_id not in skip_self:
                actual = target = None
                if c.method == "quantitative":
                    target = Decimal(100)
                    actual = Decimal(str(round(100 * q * rng.uniform(0.92, 1.12), 1)))
                    points = ranking.quantitative_points(c.max_points, actual, target)
                elif c.method == "fixed":
                    points = c.max_points if q > 0.78 else Decimal(0)
                elif c.method == "bonus":
                    points = c.max_points if rng.random() < 0.25 else Decimal(0)
                else:
                    points = _points(c.max_points, q + rng.uniform(-0.05, 0.06))
                entries.append(
                    ScoreEntry(
                        criterion=c, unit_id=m.unit_id, stage=ScoreStage.SELF, points=points, actual=actual,
                        target=target, explanation=rng.choice(EXPLANATIONS), updated_by=officer,
                    )
                )  # fmt: skip
                if (
                    reached(ScoringStage.OFFICE)
                    and c.method in {"qualitative", "quantitative"}
                    and rng.random() < 0.2
                ):
                    lowered = max(Decimal(0), points - _points(c.max_points, rng.uniform(0.03, 0.1)))
                    entries.append(
                        ScoreEntry(
                            criterion=c, unit_id=m.unit_id, stage=ScoreStage.REVIEW, points=lowered,
                            explanation=rng.choice(REVIEW_REASONS), updated_by=reviewer_user,
                        )
                    )  # fmt: skip
            elif c.scorer == "leaders" and reached(ScoringStage.OFFICE):
                points = (
                    _points(c.max_points, q + rng.uniform(-0.05, 0.05))
                    if c.method != "bonus"
                    else (c.max_points if rng.random() < 0.3 else Decimal(0))
                )
                entries.append(
                    ScoreEntry(
                        criterion=c, unit_id=m.unit_id, stage=ScoreStage.REVIEW, points=points,
                        explanation="Theo dõi, đánh giá của Trưởng, Phó cụm trong năm", updated_by=reviewer_user,
                    )
                )  # fmt: skip
            elif c.scorer in {"office", "agency"} and reached(ScoringStage.VOTING):
                if c.method == "penalty":
                    if rng.random() < 0.15:
                        entries.append(
                            ScoreEntry(
                                criterion=c, unit_id=m.unit_id, stage=ScoreStage.OFFICE, points=c.max_points,
                                explanation="Theo danh sách của cơ quan kiểm tra gửi Hội đồng trước ngày 10/12",
                                updated_by=staff,
                            )
                        )  # fmt: skip
                else:
                    entries.append(
                        ScoreEntry(
                            criterion=c, unit_id=m.unit_id, stage=ScoreStage.OFFICE,
                            points=_points(c.max_points, q), explanation="Phòng TĐKT kiểm tra hồ sơ", updated_by=staff,
                        )
                    )  # fmt: skip
    made = ScoreEntry.objects.bulk_create(entries)
    ScoreChange.objects.bulk_create(
        ScoreChange(
            entry=e,
            old_points=None,
            new_points=e.points,
            reason=e.explanation if e.stage != ScoreStage.SELF else "Tự chấm",
            by=e.updated_by,
        )
        for e in made
    )


def _reached_by(stage: str) -> Callable[[str], bool]:
    order = [s.value for s in ScoringStage]
    return lambda wanted: order.index(stage) >= order.index(wanted)


def _publish(term: ClusterTerm, table: ScoreTable) -> list[PublishedResult]:
    sheet = selectors.score_sheet(term, table)
    rows = selectors.compute_ranking(sheet)
    reasons = selectors.eligibility(term, [r.unit_id for r in rows])
    return PublishedResult.objects.bulk_create(
        PublishedResult(
            term=term,
            unit_id=r.unit_id,
            rank=r.rank,
            content_points=r.content,
            bonus_points=r.bonus,
            penalty_points=r.penalty,
            first_group_points=r.first_group,
            final_points=r.final,
            percent=r.percent,
            band=r.band,
            eligible=not reasons.get(r.unit_id),
            ineligible_reasons=[str(x) for x in reasons.get(r.unit_id, [])],
        )
        for r in rows
    )


def _ballots(
    rng: random.Random,
    term: ClusterTerm,
    scoring: TermScoring,
    results: list[PublishedResult],
    turnout: float,
) -> None:
    """Ballots that mostly follow the ranking, cast by `turnout` of the members."""
    eligible = [r.unit_id for r in results if r.eligible]
    everyone = [r.unit_id for r in results]
    casts, choices = [], []
    for voter in everyone:
        if rng.random() > turnout:
            continue
        casts.append(BallotCast(term=term, unit_id=voter))
        flag_pool = [u for u in eligible if u != voter][:3]
        flag = [flag_pool[0]] if flag_pool and rng.random() < 0.85 else flag_pool[1:2]
        merit_pool = [u for u in everyone if u != voter and u not in flag][:5]
        merit = rng.sample(merit_pool, min(scoring.merit_quota, len(merit_pool)))
        choices += [BallotChoice(term=term, category=BallotCategory.FLAG, candidate_id=u) for u in flag]
        choices += [BallotChoice(term=term, category=BallotCategory.MERIT, candidate_id=u) for u in merit]
    rng.shuffle(choices)
    BallotCast.objects.bulk_create(casts)
    BallotChoice.objects.bulk_create(choices)


def _close(term: ClusterTerm, scoring: TermScoring, members: list[ClusterMembership]) -> None:
    from clusters.scoring import votes

    outcome = votes.vote_results(term, scoring)
    categories = {c.code: c for c in AwardCategory.objects.filter(code__in=votes.AWARD_CODES.values())}
    AwardProposal.objects.bulk_create(
        AwardProposal(
            term=term,
            unit_id=line.result.unit_id,
            category=categories[votes.AWARD_CODES[category]],
            ballot_category=category,
            votes=line.votes,
            voters=outcome.members,
            rank=line.result.rank,
            final_points=line.result.final_points,
            band=line.result.band,
        )
        for category in (BallotCategory.FLAG, BallotCategory.MERIT)
        for line in outcome.chosen(category)
    )
    following = {
        m.role: m.unit
        for m in ClusterMembership.objects.filter(
            term__cluster_id=term.cluster_id,
            year=term.year + 1,
            role__in=[MemberRole.HEAD, MemberRole.DEPUTY],
        ).select_related("unit")
    }
    head = next((m for m in members if m.role == MemberRole.HEAD), members[0])
    scoring.meeting_on = dt.date(term.year, 12, 18)
    scoring.meeting_place = f"Hội trường {head.unit.name}"
    scoring.chair_name = head.unit.head_name
    scoring.secretary_name = "Nguyễn Thị Thanh Huyền"
    scoring.next_head = following.get(MemberRole.HEAD)
    scoring.next_deputy = following.get(MemberRole.DEPUTY)
    scoring.closed_at = dt.datetime(term.year, 12, 18, 16, 30, tzinfo=dt.UTC)
    scoring.save()


def create_scoring(rng: random.Random, year: int, say: Callable[[str], None]) -> None:
    """Scoring years for last year (closed) and this year (stages spread over the clusters)."""
    staff = User.objects.get(username="chuyenvien")
    demo_unit = User.objects.filter(username="canbo").values_list("unit_id", flat=True).first()
    users = {u.unit_id: u for u in User.objects.filter(unit__isnull=False, unit_role="officer")}
    terms = list(
        ClusterTerm.objects.filter(year__in=[year - 1, year], cluster__is_active=True)
        .select_related("cluster")
        .order_by("year", "cluster__kind", "cluster__code")
    )
    memberships: dict[int, list[ClusterMembership]] = {}
    for m in ClusterMembership.objects.filter(term__in=terms).select_related("unit").order_by("unit__code"):
        memberships.setdefault(m.term_id, []).append(m)
    say(f"Tạo chấm điểm, xếp hạng và bình xét của {len(terms)} năm cụm, khối thi đua.")
    position = 0
    for term in terms:
        members = memberships.get(term.pk, [])
        if len(members) < 2:
            continue
        with transaction.atomic():
            if term.year < year:
                stage = ScoringStage.CLOSED
            elif demo_unit in {m.unit_id for m in members}:
                stage = ScoringStage.SELF
            else:
                stage = STAGE_CYCLE[position % len(STAGE_CYCLE)]
                position += 1
            _term_year(rng, term, members, stage, users, staff, demo_unit=demo_unit)


def _term_year(
    rng: random.Random,
    term: ClusterTerm,
    members: list[ClusterMembership],
    stage: str,
    users: dict[int, User],
    staff: User,
    *,
    demo_unit: int | None,
) -> None:
    signed = stage != ScoringStage.PLANNING
    signed_at = dt.datetime(term.year, 3, 20, 10, 0, tzinfo=dt.UTC) if signed else None
    scoring = TermScoring.objects.create(
        term=term,
        stage=stage,
        self_score_due=dt.date(term.year, 12, 5),
        cross_score_due=dt.date(term.year, 12, 12),
        flag_quota=1,
        merit_quota=2 if len(members) < 10 else 3,
    )
    table = _table(
        term, staff, status=TableStatus.SIGNED if signed else TableStatus.DRAFT, signed_at=signed_at
    )
    if not signed:
        return
    _pledge(term, table, members, staff)
    skip = {demo_unit} if stage == ScoringStage.SELF and demo_unit else set()
    if stage == ScoringStage.SELF:
        # Some units have not finished yet.
        skip |= {m.unit_id for m in members[-2:]}
    _scores(rng, table, members, stage, users, staff, skip_self=skip)
    if stage in {ScoringStage.VOTING, ScoringStage.CLOSED}:
        if rng.random() < 0.3:
            flagged = rng.choice(members)
            UnitFlag.objects.create(
                term=term,
                unit=flagged.unit,
                kind="complaint",
                source="Thanh tra tỉnh",
                note="Đơn thư khiếu nại đang được xem xét, giải quyết",
                opened_on=dt.date(term.year, 11, 20),
                recorded_by=staff,
            )
        results = _publish(term, table)
        scoring.published_at = dt.datetime(term.year, 12, 15, 9, 0, tzinfo=dt.UTC)
        scoring.save(update_fields=["published_at"])
        _ballots(rng, term, scoring, results, turnout=1.0 if stage == ScoringStage.CLOSED else 0.6)
        if stage == ScoringStage.CLOSED:
            _close(term, scoring, members)
