"""factory_boy factories for the organisation, users, people and award history.

Catalogue items (`AwardCategory`) and legal bases are not built here: the data migration seeds
them, and tests look them up by code (`AwardCategory.objects.get(code="LDTT")`).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from awards.models import (
    AwardCategory,
    AwardMethod,
    AwardRecord,
    Gender,
    Household,
    Person,
    PersonCategory,
    RecipientKind,
)
from clusters.models import (
    Cluster,
    ClusterDecision,
    ClusterKind,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    Unit,
    UnitKind,
)
from core.models import UnitRole, User
from core.text import search_key

PASSWORD = "Mật-khẩu-thử-2025"

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Phùng"]
MIDDLE_NAMES = ["Văn", "Thị", "Đức", "Thu", "Hữu", "Minh", "Quốc", "Ngọc"]
GIVEN_NAMES = ["Ân", "Bình", "Cường", "Dũng", "Đạt", "Hạnh", "Hưng", "Lộc", "Nguyệt", "Thủy", "Yến"]
COMMUNE_NAMES = ["Phụng Công", "Văn Giang", "Tân Hưng", "Đông Tảo", "Mễ Sở", "Liên Nghĩa", "Thắng Lợi"]


def vietnamese_name(n: int) -> str:
    """A deterministic Vietnamese full name with diacritics for sequence number `n`."""
    return " ".join(
        [
            FAMILY_NAMES[n % len(FAMILY_NAMES)],
            MIDDLE_NAMES[(n // 3) % len(MIDDLE_NAMES)],
            GIVEN_NAMES[(n // 7) % len(GIVEN_NAMES)],
        ]
    )


def this_year() -> int:
    return timezone.localdate().year


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Xã {COMMUNE_NAMES[n % len(COMMUNE_NAMES)]} {n}")
    code = factory.Sequence(lambda n: f"DV{n:05d}")
    kind = UnitKind.COMMUNE
    head_title = "Chủ tịch"
    head_name = factory.Sequence(vietnamese_name)

    class Params:
        department = factory.Trait(
            kind=UnitKind.DEPARTMENT,
            name=factory.Sequence(lambda n: f"Sở Nội vụ {n}"),
            head_title="Giám đốc",
        )


class ClusterDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterDecision

    number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    signed_on = dt.date(2025, 7, 10)
    effective_on = dt.date(2025, 7, 10)
    signer = "Chủ tịch UBND tỉnh"
    issuing_authority = "Ủy ban nhân dân tỉnh Hưng Yên"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cụm thi đua số {n + 1}")
    code = factory.Sequence(lambda n: f"CUM{n:04d}")
    kind = ClusterKind.CLUSTER
    decision = factory.SubFactory(ClusterDecisionFactory)

    class Params:
        bloc = factory.Trait(
            kind=ClusterKind.BLOC,
            name=factory.Sequence(lambda n: f"Khối thi đua các sở {n + 1}"),
        )


class ClusterTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterTerm
        django_get_or_create = ("cluster", "year")

    cluster = factory.SubFactory(ClusterFactory)
    year = factory.LazyFunction(this_year)


class ClusterMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    term = factory.SubFactory(ClusterTermFactory)
    unit = factory.SubFactory(UnitFactory)
    role = MemberRole.MEMBER


class UserFactory(factory.django.DjangoModelFactory):
    """A plain signed-in user with no role; the traits give each role of the app."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(vietnamese_name)
    email = factory.LazyAttribute(lambda o: f"{o.username}@thidua.example.vn")
    password = factory.django.Password(PASSWORD)

    class Params:
        province_staff = factory.Trait(is_province_staff=True, position="Chuyên viên Ban TĐKT")
        office_head = factory.Trait(is_province_staff=True, is_office_head=True, position="Trưởng ban")
        council_member = factory.Trait(is_council_member=True, position="Ủy viên Hội đồng TĐKT")
        unit_officer = factory.Trait(
            unit=factory.SubFactory(UnitFactory), unit_role=UnitRole.OFFICER, position="Cán bộ TĐKT"
        )
        unit_head = factory.Trait(
            unit=factory.SubFactory(UnitFactory), unit_role=UnitRole.HEAD, position="Chủ tịch UBND"
        )
        superuser = factory.Trait(is_superuser=True, is_staff=True)


def make_staff(**kwargs) -> User:
    return UserFactory(province_staff=True, **kwargs)


def make_office_head(**kwargs) -> User:
    return UserFactory(office_head=True, **kwargs)


def make_council_member(**kwargs) -> User:
    return UserFactory(council_member=True, **kwargs)


def make_officer(unit: Unit | None = None, **kwargs) -> User:
    """A unit's emulation officer (cán bộ TĐKT); a new unit when none is given."""
    return UserFactory(unit_officer=True, **({"unit": unit} if unit else {}), **kwargs)


def make_unit_head(unit: Unit | None = None, **kwargs) -> User:
    """A unit's head (thủ trưởng); a new unit when none is given."""
    return UserFactory(unit_head=True, **({"unit": unit} if unit else {}), **kwargs)


def make_superuser(**kwargs) -> User:
    return UserFactory(superuser=True, **kwargs)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(vietnamese_name)
    gender = factory.Sequence(lambda n: Gender.FEMALE if n % 2 else Gender.MALE)
    birth_date = factory.Sequence(lambda n: dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28))
    position = "Chuyên viên"
    unit = factory.SubFactory(UnitFactory)
    category = PersonCategory.DIRECT_WORKER
    ccvc_code = factory.Sequence(lambda n: f"CC{n:06d}")
    citizen_id = factory.Sequence(lambda n: f"0331{n:08d}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    head_name = factory.Sequence(vietnamese_name)
    address = factory.Sequence(lambda n: f"Thôn Đông, số {n}")
    unit = factory.SubFactory(UnitFactory)


def category(code: str) -> AwardCategory:
    """A catalogue item seeded by the data migration."""
    return AwardCategory.objects.get(code=code)


class AwardRecordFactory(factory.django.DjangoModelFactory):
    """An individual's Lao động tiên tiến by default; `collective=True` or `household_award=True`
    give the other recipient kinds with a matching catalogue item."""

    class Meta:
        model = AwardRecord

    recipient_kind = RecipientKind.INDIVIDUAL
    person = factory.SubFactory(PersonFactory)
    unit = None
    household = None
    category = factory.LazyFunction(lambda: category("LDTT"))
    year = factory.LazyFunction(lambda: this_year() - 1)
    decision_number = factory.Sequence(lambda n: f"{n + 1}/QĐ-UBND")
    decision_date = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 1, 15))
    issuing_authority = "Chủ tịch UBND tỉnh"
    method = AwardMethod.REGULAR

    class Params:
        collective = factory.Trait(
            recipient_kind=RecipientKind.COLLECTIVE,
            person=None,
            unit=factory.SubFactory(UnitFactory),
            category=factory.LazyFunction(lambda: category("TTLDTT")),
        )
        household_award = factory.Trait(
            recipient_kind=RecipientKind.HOUSEHOLD,
            person=None,
            household=factory.SubFactory(HouseholdFactory),
            category=factory.LazyFunction(lambda: category("BKCT.HGD")),
        )


def bulk_units(count: int, *, prefix: str = "Xã Bắc", start: int = 0) -> list[Unit]:
    """Many units in one INSERT (bulk_create skips save(), so the search key is set here)."""
    units = []
    for i in range(start, start + count):
        name = f"{prefix} {i:05d}"
        code = f"BK{prefix[-3:]}{i:05d}"
        units.append(
            Unit(
                name=name,
                code=code,
                kind=UnitKind.COMMUNE,
                head_title="Chủ tịch",
                head_name=vietnamese_name(i),
                search_text=search_key(name, "", code),
            )
        )
    return Unit.objects.bulk_create(units)


def bulk_people(count: int, *, units: list[Unit], start: int = 0) -> list[Person]:
    """Many people in one INSERT, spread over `units`, with their search key."""
    people = []
    for i in range(start, start + count):
        name = vietnamese_name(i)
        code = f"BP{i:06d}"
        people.append(
            Person(
                full_name=name,
                gender=Gender.MALE if i % 2 else Gender.FEMALE,
                birth_date=dt.date(1980, 1 + i % 12, 1 + i % 28),
                position="Chuyên viên",
                unit=units[i % len(units)],
                category=PersonCategory.DIRECT_WORKER,
                ccvc_code=code,
                citizen_id=f"0019{i:08d}",
                search_text=search_key(name, code),
            )
        )
    return Person.objects.bulk_create(people)


def bulk_awards(people: list[Person], *, code: str = "LDTT", year: int | None = None) -> list[AwardRecord]:
    """One individual award per entry of `people` (a person may appear several times)."""
    cat = category(code)
    year = year or this_year() - 1
    return AwardRecord.objects.bulk_create(
        AwardRecord(
            recipient_kind=RecipientKind.INDIVIDUAL,
            person=person,
            category=cat,
            year=year,
            decision_number=f"{i + 1}/QĐ-UBND",
            decision_date=dt.date(year + 1, 1, 15),
            issuing_authority="Chủ tịch UBND tỉnh",
            method=AwardMethod.REGULAR,
        )
        for i, person in enumerate(people)
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    """A launched, province-wide annual campaign for the current year by default."""

    class Meta:
        model = "campaigns.Campaign"

    title = factory.Sequence(lambda n: f"Phong trào thi đua số {n} năm {this_year()}")
    theme = "Đoàn kết, kỷ cương, đổi mới, sáng tạo"
    kind = "regular"
    scope = "province"
    launching_authority = "Ủy ban nhân dân tỉnh"
    start_date = factory.LazyFunction(lambda: dt.date(this_year(), 1, 1))
    end_date = factory.LazyFunction(lambda: dt.date(this_year(), 12, 31))
    status = "launched"
    # Launched without going through the service: its e-mails count as sent.
    launch_notice_sent_at = factory.LazyAttribute(lambda o: None if o.status == "draft" else timezone.now())


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Target"

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    group = "economy"
    unit_of_measure = "%"
    target_value = 100


# --- Cluster scoring (chấm điểm cụm, khối) ---------------------------------------------------


def make_score_table(term, *, by=None, title: str = "Bảng tiêu chí chấm điểm thi đua"):
    """A small draft table whose totals add up (declared 105 = content 100 + bonus 5):

    I. Nhiệm vụ chính trị (60): 1 quantitative 30 (unit); 2 (30) = 2.1 qualitative 10 + 2.2 qualitative 20
    II. Xây dựng Đảng, đoàn thể (40): 3 fixed 40 with evidence (unit)
    IV. Điểm thưởng (cap 5): 4 bonus 5 (leaders)
    V. Điểm trừ (cap 10): 5 penalty 8 (office); 6 penalty 10 (agency)
    Returns (table, criteria by code).
    """
    from clusters.models import (
        ClassificationBand,
        Criterion,
        CriterionGroup,
        ScoreTable,
        TermScoring,
    )

    by = by or make_staff()
    TermScoring.objects.get_or_create(term=term)
    table = ScoreTable.objects.create(term=term, title=title, declared_total=105, created_by=by)
    g1 = CriterionGroup.objects.create(
        table=table, order=0, code="I", name="Nhiệm vụ chính trị, chuyên môn", kind="content", max_points=60
    )
    g2 = CriterionGroup.objects.create(
        table=table, order=1, code="II", name="Xây dựng Đảng, đoàn thể", kind="content", max_points=40
    )
    g4 = CriterionGroup.objects.create(
        table=table, order=3, code="IV", name="Điểm thưởng", kind="bonus", max_points=5
    )
    g5 = CriterionGroup.objects.create(
        table=table, order=4, code="V", name="Điểm trừ", kind="penalty", max_points=10
    )
    c = {}
    c["1"] = Criterion.objects.create(
        group=g1,
        order=0,
        code="1",
        name="Thu ngân sách so với chỉ tiêu đăng ký",
        max_points=30,
        method="quantitative",
    )
    c["2"] = Criterion.objects.create(
        group=g1, order=1, code="2", name="Cải cách hành chính", max_points=30, method="qualitative"
    )
    c["2.1"] = Criterion.objects.create(
        group=g1,
        parent=c["2"],
        order=0,
        code="2.1",
        name="Chỉ số cải cách hành chính",
        max_points=10,
        method="qualitative",
    )
    c["2.2"] = Criterion.objects.create(
        group=g1,
        parent=c["2"],
        order=1,
        code="2.2",
        name="Chuyển đổi số",
        max_points=20,
        method="qualitative",
    )
    c["3"] = Criterion.objects.create(
        group=g2,
        order=0,
        code="3",
        name="Tổ chức đảng trong sạch, vững mạnh",
        max_points=40,
        method="fixed",
        evidence_required=True,
    )
    c["4"] = Criterion.objects.create(
        group=g4,
        order=0,
        code="4",
        name="Mô hình mới, cách làm hay",
        max_points=5,
        method="bonus",
        scorer="leaders",
    )
    c["5"] = Criterion.objects.create(
        group=g5,
        order=0,
        code="5",
        name="Không ký giao ước, không đăng ký thi đua",
        max_points=8,
        method="penalty",
        scorer="office",
    )
    c["6"] = Criterion.objects.create(
        group=g5,
        order=1,
        code="6",
        name="Vi phạm do cơ quan kiểm tra phát hiện",
        max_points=10,
        method="penalty",
        scorer="agency",
    )
    ClassificationBand.objects.bulk_create(
        [
            ClassificationBand(
                table=table, order=0, name="Xuất sắc", min_percent=90, min_criterion_percent=85
            ),
            ClassificationBand(table=table, order=1, name="Tốt", min_percent=80, min_criterion_percent=80),
            ClassificationBand(
                table=table, order=2, name="Hoàn thành", min_percent=70, min_criterion_percent=70
            ),
            ClassificationBand(table=table, order=3, name="Không hoàn thành", min_percent=0),
        ]
    )
    return table, c


def sign_pledge(term, table, *, by=None):
    """Record the pledge signed by every member (locks the table)."""
    from clusters.scoring.tables import Signatory, pledge_sign

    units = [m.unit for m in term.memberships.select_related("unit")]
    return pledge_sign(
        term=term,
        signed_on=dt.date(term.year, 3, 23),
        place="Hội trường UBND xã Mễ Sở",
        signatories=[Signatory(unit=u, signer_name=u.head_name, signer_title=u.head_title) for u in units],
        by=by or make_staff(),
    )
