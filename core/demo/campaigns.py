"""Demo campaigns modelled on the real documents in shared/domain/seeds: the year's campaign
launched by a directive (Chỉ thị 02/CT-UBND), a five-month sprint with a report due before
15/12, and a special campaign for the province's anniversary — with targets, registrations
and progress for most units, some late and some behind."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from awards.models import AwardCategory
from campaigns.models import (
    Campaign,
    CampaignDeadline,
    CampaignStatus,
    CampaignTransition,
    ContentItem,
    ProgressEntry,
    Registration,
    RegistrationStatus,
    RegistrationTarget,
    RegistrationTitle,
    Target,
    TargetAssignment,
)
from clusters.models import Unit, UnitKind
from core.models import User

ANNUAL_CONTENT = [
    "Tiếp tục tuyên truyền, quán triệt sâu sắc tư tưởng thi đua ái quốc của Chủ tịch Hồ Chí Minh",
    "Tổ chức các phong trào thi đua thiết thực, hiệu quả, hoàn thành vượt mức các chỉ tiêu kinh tế - xã hội",
    "Đẩy mạnh phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới”",
    "Thi đua đẩy mạnh cải cách hành chính, chuyển đổi số, nâng cao chỉ số năng lực cạnh tranh cấp tỉnh",
    "Thi đua bảo đảm an sinh xã hội, giảm nghèo bền vững, “Vì người nghèo - Không để ai bị bỏ lại phía sau”",
    "Thi đua bảo đảm quốc phòng - an ninh, giữ vững trật tự, an toàn xã hội",
    "Phát hiện, bồi dưỡng, tuyên truyền và nhân rộng các điển hình tiên tiến",
    "Đổi mới, nâng cao chất lượng công tác khen thưởng, bảo đảm chính xác, công khai, minh bạch, kịp thời",
]
SPRINT_CONTENT = [
    "Tập trung hoàn thành vượt mức các chỉ tiêu kinh tế - xã hội năm",
    "Đẩy nhanh tiến độ giải ngân vốn đầu tư công",
    "Bảo đảm an ninh chính trị, trật tự an toàn xã hội dịp cuối năm và Tết",
]
ANNIVERSARY_CONTENT = [
    "Một là, tuyên truyền sâu rộng truyền thống lịch sử, văn hóa của tỉnh",
    "Hai là, thi đua lập thành tích thiết thực chào mừng ngày kỷ niệm thành lập tỉnh",
    "Ba là, thi đua xây dựng nông thôn mới, đô thị văn minh",
    "Bốn là, thi đua đổi mới, sáng tạo trong quản lý nhà nước và cải cách hành chính",
    "Năm là, phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến",
]
# (group, name, unit of measure, baseline, province-wide value, direction, who takes it on, how it grows)
# "rate" targets are levels reached at any time (a growth rate, a coverage share); "cumulative" ones
# build up over the year (revenue collected, funds disbursed); "done" ones are finished early.
ANNUAL_TARGETS = [
    ("economy", "Tốc độ tăng trưởng kinh tế (GRDP)", "%", Decimal("7.2"), Decimal("8.0"), "at_least", "all", "rate"),
    ("economy", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", None, Decimal("1500"), "at_least", "communes", "cumulative"),
    ("economy", "Giải ngân vốn đầu tư công", "%", None, Decimal("95"), "at_least", "others", "cumulative"),
    ("society", "Tỷ lệ hộ nghèo", "%", Decimal("2.1"), Decimal("1.5"), "at_most", "communes", "rate"),
    ("society", "Tỷ lệ người dân tham gia bảo hiểm y tế", "%", Decimal("92"), Decimal("95"), "at_least", "communes", "rate"),
    ("defence", "Hoàn thành chỉ tiêu tuyển quân", "%", None, Decimal("100"), "at_least", "communes", "done"),
    ("governance", "Hồ sơ thủ tục hành chính giải quyết trực tuyến", "%", Decimal("60"), Decimal("80"), "at_least", "others", "rate"),
]  # fmt: skip


def _campaign(created_by: User, **fields) -> Campaign:
    campaign = Campaign(created_by=created_by, **fields)
    if campaign.status != CampaignStatus.DRAFT:
        campaign.launch_notice_sent_at = timezone.now()  # the demo sends no launch e-mails
    campaign.save()
    return campaign


def _lifecycle(campaign: Campaign, steps: list[tuple[str, str, dt.datetime]], by: User) -> None:
    """Record the transitions a real campaign would have gone through."""
    CampaignTransition.objects.bulk_create(
        CampaignTransition(campaign=campaign, source=source, target=target, by=by, note="")
        for source, target, _ in steps
    )
    for (_, _, at), transition in zip(steps, campaign.transitions.order_by("pk"), strict=True):
        CampaignTransition.objects.filter(pk=transition.pk).update(at=at)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def create_campaigns(rng: random.Random, year: int, today: dt.date, say: Callable[[str], None]) -> None:
    staff = User.objects.get(username="chuyenvien")
    active = list(Unit.objects.filter(active_to__isnull=True).exclude(code="UBNDT").order_by("code"))
    communes = [unit for unit in active if unit.kind == UnitKind.COMMUNE]
    say(f"Tạo phong trào thi đua mẫu cho {len(active)} đơn vị.")

    annual = _campaign(
        staff,
        title=f"Phong trào thi đua yêu nước thực hiện thắng lợi kế hoạch phát triển kinh tế - xã hội năm {year}",
        theme="Đoàn kết, kỷ cương, đổi mới, sáng tạo, thi đua hoàn thành xuất sắc các mục tiêu, nhiệm vụ",
        kind="regular",
        scope="province",
        launching_authority="Ủy ban nhân dân tỉnh",
        document_kind="Chỉ thị",
        document_number="02/CT-UBND",
        document_date=dt.date(year, 3, 6),
        document_signer="Chủ tịch UBND tỉnh",
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        purposes="Phát huy những kết quả, thành tích đạt được trong phong trào thi đua yêu nước năm trước; "
        "quyết tâm thi đua thực hiện thắng lợi mục tiêu, nhiệm vụ phát triển kinh tế - xã hội.",
        requirements="Các cơ quan, đơn vị, địa phương xây dựng kế hoạch, đăng ký thi đua và báo cáo kết quả đúng hạn.",
        participant_mode="all",
        registration_opens=dt.date(year, 3, 6),
        registration_closes=dt.date(year, 3, 31),
        dossier_opens=dt.date(year, 11, 15),
        dossier_closes=dt.date(year, 12, 10),
        status=CampaignStatus.UNDER_WAY,
    )
    _lifecycle(
        annual,
        [
            ("draft", "launched", _at(dt.date(year, 3, 6))),
            ("launched", "under_way", _at(dt.date(year, 4, 1))),
            ("under_way", "midterm_review", _at(dt.date(year, 7, 10))),
            ("midterm_review", "under_way", _at(dt.date(year, 7, 20))),
        ],
        staff,
    )
    ContentItem.objects.bulk_create(
        ContentItem(campaign=annual, order=number, title=title)
        for number, title in enumerate(ANNUAL_CONTENT, 1)
    )
    CampaignDeadline.objects.bulk_create(
        [
            CampaignDeadline(
                campaign=annual, title="Báo cáo sơ kết 6 tháng", due_on=dt.date(year, 6, 20), is_report=True
            ),
            CampaignDeadline(
                campaign=annual, title="Báo cáo tổng kết năm", due_on=dt.date(year, 12, 15), is_report=True
            ),
            CampaignDeadline(
                campaign=annual,
                title="Gửi hồ sơ đề nghị khen thưởng",
                due_on=dt.date(year, 12, 10),
                is_report=False,
            ),
        ]
    )
    targets = Target.objects.bulk_create(
        Target(
            campaign=annual,
            group=group,
            order=number,
            name=name,
            unit_of_measure=measure,
            baseline=baseline,
            target_value=value,
            direction=direction,
        )
        for number, (group, name, measure, baseline, value, direction, *_) in enumerate(ANNUAL_TARGETS, 1)
    )
    targets.append(
        Target.objects.create(
            campaign=annual, group="governance", order=99, name="Ký kết giao ước thi đua", kind="qualitative"
        )
    )
    specs = {target.pk: spec for target, spec in zip(targets, ANNUAL_TARGETS, strict=False)}
    commune_targets = [t for t in targets if t.pk in specs and specs[t.pk][6] in {"all", "communes"}]
    other_targets = [t for t in targets if t.pk in specs and specs[t.pk][6] in {"all", "others"}]
    assignments = []
    for unit in communes:
        for target in commune_targets:
            share = Decimal(rng.uniform(0.6, 1.4)).quantize(Decimal("0.01"))
            value = (
                (target.target_value / len(communes) * share).quantize(Decimal("0.01"))
                if target.unit_of_measure == "tỷ đồng"
                else target.target_value
            )
            assignments.append(TargetAssignment(target=target, unit=unit, value=value))
    TargetAssignment.objects.bulk_create(assignments)
    assigned = {(a.target_id, a.unit_id): a.value for a in assignments}

    titles = {code: AwardCategory.objects.get(code=code) for code in ("TTLDXS", "TTLDTT", "COTINH")}
    registrations, commitments, registered_titles, entries = [], [], [], []
    elapsed = (today - annual.start_date).days / (annual.end_date - annual.start_date).days
    for unit in active:
        roll = rng.random()
        if roll < 0.08:
            continue  # has not registered: staff see it on the board
        status = RegistrationStatus.DRAFT if roll < 0.15 else RegistrationStatus.SUBMITTED
        registration = Registration(
            campaign=annual,
            unit=unit,
            status=status,
            submitted_at=_at(dt.date(year, 3, rng.randint(10, 31)))
            if status == RegistrationStatus.SUBMITTED
            else None,
        )
        registrations.append(registration)
    Registration.objects.bulk_create(registrations)
    for registration in registrations:
        unit_targets = commune_targets if registration.unit.kind == UnitKind.COMMUNE else other_targets
        taken = {target.pk for target in unit_targets} | {targets[-1].pk}
        for target in targets:
            base = assigned.get((target.pk, registration.unit_id), target.target_value)
            commitments.append(
                RegistrationTarget(
                    registration=registration,
                    target=target,
                    value=base if target.is_measurable and target.pk in taken else None,
                    # A unit is measured only against the targets it took on.
                    committed=target.pk in taken,
                )
            )
        category = (
            titles["COTINH"]
            if rng.random() < 0.15
            else titles["TTLDXS"]
            if rng.random() < 0.5
            else titles["TTLDTT"]
        )
        registered_titles.append(RegistrationTitle(registration=registration, category=category))
        if registration.status != RegistrationStatus.SUBMITTED or rng.random() < 0.1:
            continue  # some registered units are late with their figures
        pace = rng.choice([0.6, 0.8, 0.92, 1.0, 1.03, 1.08])  # some behind, most on track
        as_of = today - dt.timedelta(days=rng.randint(3, 40))
        for target in unit_targets:
            goal = assigned.get((target.pk, registration.unit_id), target.target_value)
            growth = specs[target.pk][7]
            if growth == "rate" and target.baseline is not None:
                value = target.baseline + (goal - target.baseline) * Decimal(str(min(1.2, pace)))
            elif growth == "rate":
                value = goal * Decimal(str(min(1.1, pace)))
            elif growth == "done":
                value = goal * Decimal(str(min(1.0, pace + 0.1)))
            else:
                value = goal * Decimal(str(min(1.3, elapsed * pace)))
            entries.append(
                ProgressEntry(
                    target=target,
                    unit=registration.unit,
                    as_of=as_of,
                    value=value.quantize(Decimal("0.01")),
                    recorded_by=staff,
                )
            )
        entries.append(
            ProgressEntry(
                target=targets[-1], unit=registration.unit, as_of=as_of, done=pace >= 0.8, recorded_by=staff
            )
        )
    RegistrationTarget.objects.bulk_create(commitments)
    RegistrationTitle.objects.bulk_create(registered_titles)
    ProgressEntry.objects.bulk_create(entries)

    sprint = _campaign(
        staff,
        title=f"Phát động phong trào thi đua nước rút 05 tháng cuối năm {year}",
        theme="Nước rút về đích, hoàn thành vượt mức các chỉ tiêu năm",
        kind="sprint",
        scope="clusters",
        launching_authority="Ủy ban nhân dân tỉnh",
        document_kind="Kế hoạch",
        document_date=dt.date(year, 7, 28),
        start_date=dt.date(year, 8, 1),
        end_date=dt.date(year, 12, 31),
        participant_mode="all",
        status=CampaignStatus.UNDER_WAY,
    )
    _lifecycle(
        sprint,
        [
            ("draft", "launched", _at(dt.date(year, 7, 28))),
            ("launched", "under_way", _at(dt.date(year, 8, 1))),
        ],
        staff,
    )
    ContentItem.objects.bulk_create(
        ContentItem(campaign=sprint, order=number, title=title)
        for number, title in enumerate(SPRINT_CONTENT, 1)
    )
    CampaignDeadline.objects.create(
        campaign=sprint,
        title="Báo cáo kết quả triển khai thực hiện",
        due_on=dt.date(year, 12, 15),
        is_report=True,
        context="Báo cáo kết quả triển khai thực hiện về UBND tỉnh qua Thường trực Hội đồng Thi đua - Khen thưởng "
        f"trước ngày 15/12/{year} để làm cơ sở đánh giá, bình xét thi đua, khen thưởng năm {year}.",
    )

    anniversary = _campaign(
        staff,
        title="Thi đua lập thành tích chào mừng kỷ niệm 195 năm thành lập tỉnh",
        theme="Đoàn kết, đột phá, phát triển, thi đua lập thành tích chào mừng kỷ niệm 195 năm thành lập tỉnh",
        kind="special",
        scope="province",
        launching_authority="Chủ tịch UBND tỉnh",
        document_kind="Kế hoạch",
        document_date=dt.date(year, 1, 15),
        start_date=dt.date(year, 1, 15),
        end_date=dt.date(year, 10, 31),
        participant_mode="all",
        status=CampaignStatus.FINAL_REVIEW,
    )
    _lifecycle(
        anniversary,
        [
            ("draft", "launched", _at(dt.date(year, 1, 15))),
            ("launched", "under_way", _at(dt.date(year, 2, 1))),
            ("under_way", "final_review", _at(dt.date(year, 11, 5))),
        ],
        staff,
    )
    ContentItem.objects.bulk_create(
        ContentItem(campaign=anniversary, order=number, title=title)
        for number, title in enumerate(ANNIVERSARY_CONTENT, 1)
    )
    _campaign(
        staff,
        title=f"Phong trào thi đua yêu nước năm {year + 1} (dự thảo)",
        kind="regular",
        scope="province",
        launching_authority="Ủy ban nhân dân tỉnh",
        start_date=dt.date(year + 1, 1, 1),
        end_date=dt.date(year + 1, 12, 31),
        participant_mode="all",
    )
    say(
        f"Đã tạo 4 phong trào, {len(targets)} chỉ tiêu, {len(registrations)} đăng ký, "
        f"{len(entries)} kết quả thực hiện."
    )


def campaigns_exist() -> bool:
    return Campaign.objects.filter(Q(document_number="02/CT-UBND") | Q(kind="special")).exists()
