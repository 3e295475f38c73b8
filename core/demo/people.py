"""People, households and seven years of award history for the demo province.

Awards follow how a province actually grants them: grassroots titles (LĐTT, CSTĐCS, Giấy khen)
by the head of the unit — before 2025 by the district chairman for commune staff — and provincial
ones (CSTĐ tỉnh, Bằng khen, TTLĐXS, Cờ thi đua) by the provincial chairman, each batch under one
numbered decision dated at the turn of the year. A CSTĐ tỉnh always follows three consecutive
CSTĐCS, a Bằng khen two, as the law requires (Law 06/2022 Đ22, Đ74).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Model

from awards.models import (
    AwardCategory,
    AwardMethod,
    AwardRecord,
    AwardRevocation,
    Household,
    Person,
)
from clusters.models import UnitKind
from core.demo import names
from core.demo.organisation import REFORM_YEAR, Organisation, UnitInfo
from core.text import search_key

BATCH = 5000
REGULAR, THEMATIC, AD_HOC = AwardMethod.REGULAR, AwardMethod.THEMATIC, AwardMethod.AD_HOC
CODES = (
    "LDTT", "CSTT", "CSTDCS", "CSTDT", "BKCT.CN", "BKCT.TT", "BKCT.HGD", "BKTTG.CN", "BKTTG.TT",
    "GK.CN", "GK.TT", "GK.HGD", "GDVH", "TTLDTT", "TTLDXS", "DVTT", "DVQT", "COTINH", "COCP",
    "HCLD3.CN",
)  # fmt: skip


class Scale(NamedTuple):
    people: int
    households: int
    # Large provinces put the extra people where the masses are: communes, police, hospitals.
    large: bool
    # Chance that a civil servant or employee is rated Lao động tiên tiến in a year. Real rates
    # are higher; this keeps the history near the target size (small ~15,000, large ~500,000).
    advanced_rate: float


# --- Writing in batches -----------------------------------------------------------------------------


class Batch:
    """Collects unsaved rows and writes them with bulk_create, BATCH at a time."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.rows: list[Model] = []
        self.written = 0

    def add(self, row: Model) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.model.objects.bulk_create(self.rows, batch_size=BATCH)
            self.written += len(self.rows)
            self.rows = []


# --- Decisions ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """Who signs a decision, its issuing symbol, and how many decisions it numbers a day."""

    key: str
    authority: str
    symbol: str
    per_day: float


class Decisions:
    """Numbers and dates decisions: one per issuer, achievement year and batch.

    Numbers grow through the calendar year as in a real register ("2345/QĐ-UBND" in December,
    "45/QĐ-UBND" in January), unique per issuer and year.
    """

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.cache: dict[tuple[str, int, str], tuple[str, dt.date] | None] = {}
        self.used: dict[tuple[str, int], set[int]] = {}

    def get(
        self,
        issuer: Issuer,
        year: int,
        batch: str,
        timing: str,
        window: tuple[dt.date, dt.date] | None = None,
    ) -> tuple[str, dt.date] | None:
        """The (number, date) of the decision, or None when it would lie in the future."""
        key = (issuer.key, year, batch)
        if key in self.cache:
            return self.cache[key]
        day = self._date(year, timing, window)
        result = None
        if day <= self.today:
            result = (f"{self._number(issuer, day)}/{issuer.symbol}", day)
        self.cache[key] = result
        return result

    def _date(self, year: int, timing: str, window: tuple[dt.date, dt.date] | None) -> dt.date:
        rng = self.rng
        if window is not None:
            start, end = window
            return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
        if timing == "year_end":  # units review the year in December, some in early January
            if rng.random() < 0.7:
                return dt.date(year, 12, rng.randint(12, 31))
            return dt.date(year + 1, 1, rng.randint(3, 20))
        if timing == "province":  # the provincial council meets after the units' reviews
            if rng.random() < 0.3:
                return dt.date(year, 12, rng.randint(20, 31))
            return dt.date(year + 1, 1, rng.randint(5, 31))
        if timing == "prime_minister":  # dossiers travel through the Ministry of Home Affairs
            return dt.date(year + 1, rng.randint(4, 10), rng.randint(1, 28))
        raise ValueError(timing)

    def _number(self, issuer: Issuer, day: dt.date) -> int:
        used = self.used.setdefault((issuer.key, day.year), set())
        day_of_year = day.timetuple().tm_yday
        number = max(
            1, int(day_of_year * issuer.per_day) + self.rng.randint(0, max(1, int(issuer.per_day * 3)))
        )
        while number in used:
            number += 1
        used.add(number)
        return number


class Issuers:
    def __init__(self, org: Organisation) -> None:
        self.province = Issuer("UBNDT", org.root.authority, "QĐ-UBND", 9.0)
        self.prime_minister = Issuer("TTG", "Thủ tướng Chính phủ", "QĐ-TTg", 5.0)
        self.president = Issuer("CTN", "Chủ tịch nước", "QĐ-CTN", 4.0)
        self.police_ministry = Issuer("BCA", "Bộ trưởng Bộ Công an", "QĐ-BCA", 30.0)
        self.defence_ministry = Issuer("BQP", "Bộ trưởng Bộ Quốc phòng", "QĐ-BQP", 25.0)
        self._units: dict[str, Issuer] = {}

    def of(self, info: UnitInfo) -> Issuer:
        issuer = self._units.get(info.code)
        if issuer is None:
            kind = info.unit.kind
            per_day = {UnitKind.DISTRICT: 2.5, UnitKind.DEPARTMENT: 1.2, UnitKind.COMMUNE: 0.8}.get(kind, 0.5)
            issuer = self._units[info.code] = Issuer(info.code, info.authority, f"QĐ-{info.doc}", per_day)
        return issuer

    def old_commune(self, district: UnitInfo, place: str, ward: bool) -> Issuer:
        """A commune that ended on 30/6/2025 and exists only as a name."""
        key = f"{district.code}:{place}"
        issuer = self._units.get(key)
        if issuer is None:
            level = "phường" if ward else "xã"
            issuer = self._units[key] = Issuer(key, f"Chủ tịch UBND {level} {place}", "QĐ-UBND", 0.5)
        return issuer

    def ministry(self, info: UnitInfo) -> Issuer:
        return self.police_ministry if info.profile == "police" else self.defence_ministry


# --- People ----------------------------------------------------------------------------------------------


class Era(NamedTuple):
    """Where a person worked for the awards of one period: before or after the 2025 reform."""

    position: str
    unit_name: str
    grassroots: Issuer  # LĐTT, Giấy khen
    fighter: Issuer  # CSTĐCS (a department decides for its schools and hospitals)
    proposer: str  # who proposes provincial awards: groups them into one decision


@dataclass(slots=True)
class Staff:
    """A person as the award history needs them (kept light: there may be 150,000)."""

    person: Person
    info: UnitInfo
    before: Era
    after: Era
    earlier_position: str  # leaders held a lower post before `promoted`
    promoted: int
    first_year: int
    quality: float
    kind: str  # "staff", "farmer", "armed", "provincial"
    category: str


def _split_post(title: str) -> tuple[str, str]:
    """ "Giáo viên Trường Tiểu học X" → ("Giáo viên", "Trường Tiểu học X"); "Nông dân, Thôn Y" likewise."""
    if ", " in title:
        position, place = title.split(", ", 1)
        return position, place
    if " Trường " in title:
        position, place = title.split(" Trường ", 1)
        return position, f"Trường {place}"
    return title, ""


class PeopleMaker:
    def __init__(self, rng: random.Random, org: Organisation, scale: Scale, years: range) -> None:
        self.rng = rng
        self.org = org
        self.scale = scale
        self.years = years
        self.issuers = Issuers(org)
        self.ccvc_serial = 0
        self.citizen_ids: set[str] = set()

    # Identity -----------------------------------------------------------------------------

    def _citizen_id(self, gender: str, birth: dt.date) -> str:
        rng = self.rng
        century = 0 if birth.year < 2000 else 2
        prefix = names.weighted(rng, names.CITIZEN_ID_PROVINCES)
        while True:
            value = (
                f"{prefix}{century + (gender == 'female')}{birth.year % 100:02d}{rng.randint(0, 999_999):06d}"
            )
            if value not in self.citizen_ids:
                self.citizen_ids.add(value)
                return value

    def _ccvc(self, prefix: str) -> str:
        if not prefix:
            return ""
        self.ccvc_serial += 1
        return f"{prefix}33{self.ccvc_serial:06d}"

    def _person(
        self,
        info: UnitInfo,
        position: str,
        category: str,
        ccvc: str,
        gender: str,
        birth_year: int,
        full_name: str = "",
    ) -> Person:
        rng = self.rng
        birth = dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        full_name = full_name or names.person_name(rng, gender, birth_year)
        ccvc_code = self._ccvc(ccvc)
        return Person(
            full_name=full_name,
            gender=gender,
            birth_date=birth,
            position=position,
            unit=info.unit,
            category=category,
            ccvc_code=ccvc_code,
            citizen_id=self._citizen_id(gender, birth),
            # bulk_create skips save(): keep the search key exactly as Person.save() computes it.
            search_text=search_key(full_name, ccvc_code),
        )

    # Eras --------------------------------------------------------------------------------

    def _eras(self, info: UnitInfo, position: str, level: str) -> tuple[Era, Era, str]:
        """The two eras of someone at `info` holding `position`; `level` is head/deputy/manager/worker.

        Returns the eras and the person's own wording of the position (placeholders filled).
        """
        rng = self.rng
        issuers = self.issuers
        own = issuers.of(info)
        if info.unit.kind == UnitKind.COMMUNE and info.district is not None:
            return self._commune_eras(info, position, level)
        fighter = own
        proposer = info.code
        if info.parent is not None and info.parent.unit.kind == UnitKind.DEPARTMENT:
            fighter = issuers.of(info.parent)
            proposer = info.parent.code
        after = Era(position, info.unit.name, own, fighter, proposer)
        before = after
        if info.predecessors:
            roll = rng.random()
            for predecessor, share in info.predecessors:
                if roll < share:
                    other = issuers.of(predecessor)
                    before = Era(position, predecessor.unit.name, other, other, predecessor.code)
                    break
                roll -= share
        return before, after, position

    def _commune_eras(self, info: UnitInfo, position: str, level: str) -> tuple[Era, Era, str]:
        rng = self.rng
        district = info.district
        if district is None:
            raise ValueError(f"{info.code} has no district")
        issuers = self.issuers
        own = issuers.of(info)
        district_issuer = issuers.of(district)
        old = rng.choice(info.old_names)
        old_level = "phường" if info.ward else "xã"
        old_unit = f"UBND {old_level} {old}"
        old_issuer = issuers.old_commune(district, old, info.ward)
        district_name = names.lower_first(district.unit.short_name)
        level_word = "phường" if info.ward else "xã"
        new_place = f"{level_word} {info.place}"
        if "{old}" in position or "{village}" in position:
            village = names.village_name(rng, info.ward)
            position = position.format(old=old, village=village)
            title, place = _split_post(position)
            if position.startswith(("Nông dân", "Chủ hộ")):
                # Farmers were recognised by their own commune, staff by the district.
                before = Era(
                    title,
                    f"{place}, {old_level} {old}, {district_name}",
                    old_issuer,
                    old_issuer,
                    district.code,
                )
            else:
                before = Era(
                    title, f"{place}, {district_name}", district_issuer, district_issuer, district.code
                )
            after = Era(title, f"{place}, {new_place}", own, own, info.code)
            return before, after, position
        after = Era(position, info.unit.name, own, own, info.code)
        if level == "head":
            old_position = f"Phó Chủ tịch {district.unit.name}"
            before = Era(old_position, district.unit.name, district_issuer, district_issuer, district.code)
        elif level == "deputy":
            before = Era(f"Chủ tịch {old_unit}", old_unit, district_issuer, district_issuer, district.code)
        elif level == "manager":
            before = Era(
                f"Phó Chủ tịch {old_unit}", old_unit, district_issuer, district_issuer, district.code
            )
        else:
            old_titles = names.COMMUNE_POSTS_BEFORE_2025.get(position, [position])
            before = Era(rng.choice(old_titles), old_unit, district_issuer, district_issuer, district.code)
        return before, after, position

    # Units' staff -------------------------------------------------------------------------

    def headcounts(self) -> dict[str, int]:
        index = 1 if self.scale.large else 0
        weights = {info.code: names.PROFILES[info.profile].weight[index] for info in self.org.active}
        total = sum(weights.values())
        target = self.scale.people - 5  # the provincial chairman and four vice-chairmen
        return {code: max(3, round(target * weight / total)) for code, weight in weights.items()}

    def staff_of(self, info: UnitInfo, count: int) -> Iterator[Staff]:
        """The people of one unit: its head (named on the unit), deputies, managers, staff."""
        rng = self.rng
        profile = names.PROFILES[info.profile]
        head_title = info.unit.head_title
        deputy_title = f"Phó {head_title.replace('Chủ tịch kiêm Giám đốc', 'Giám đốc')}"
        deputies = (
            4 if info.profile == "root" else min(2 if info.profile == "commune" else 3, max(1, count // 12))
        )
        managers = min(len(profile.managers) * 3, round(count * 0.08)) if profile.managers else 0
        armed = info.unit.kind == UnitKind.ARMED_FORCES
        worker_posts = [post for post, _weight in profile.workers]
        worker_weights = [weight for _post, weight in profile.workers]
        # The post leaders held before promotion: the commonest office post of the unit.
        office = [(weight, post.title) for post, weight in profile.workers if "{" not in post.title]
        common_worker = max(office)[1] if office else ""
        for index in range(count):
            if index == 0:
                level, post = "head", names.Post(head_title, profile.head_category, profile.head_ccvc)
                earlier = deputy_title
            elif index <= deputies:
                level, post = "deputy", names.Post(deputy_title, profile.deputy_category, profile.head_ccvc)
                earlier = profile.managers[0].title if profile.managers else common_worker or post.title
            elif index <= deputies + managers:
                level, post = "manager", profile.managers[(index - deputies - 1) % len(profile.managers)]
                earlier = common_worker or post.title
            else:
                level = "worker"
                post = rng.choices(worker_posts, weights=worker_weights)[0]
                earlier = post.title
            leader = level != "worker"
            if index == 0:
                gender, birth_year, full_name = info.head_gender, info.head_birth_year, info.unit.head_name
            else:
                male_share = max(profile.male_share, 0.7) if leader else profile.male_share
                if "Mầm non" in post.title:
                    male_share = 0.03
                gender = "male" if rng.random() < male_share else "female"
                birth_year = rng.randint(1965, 1985) if leader else rng.randint(1965, 2000)
                full_name = ""
            before, after, position = self._eras(info, post.title, level)
            if armed:
                senior = leader
                ranks = (
                    (names.POLICE_RANKS_SENIOR if senior else names.POLICE_RANKS)
                    if info.profile == "police"
                    else (names.MILITARY_RANKS_SENIOR if senior else names.MILITARY_RANKS)
                )
                if post.title == "Chiến sĩ":
                    ranks = names.ENLISTED_RANKS
                rank = ranks[0] if index == 0 else rng.choice(ranks)
                position = f"{rank}, {position}"
                before = before._replace(position=position)
                after = after._replace(position=position)
            person = self._person(info, position, post.category, post.ccvc, gender, birth_year, full_name)
            kind = (
                "provincial"
                if info.profile == "root"
                else "armed"
                if armed
                else "farmer"
                if post.title.startswith(("Nông dân", "Chủ hộ"))
                else "staff"
            )
            quality = rng.random() ** 1.5
            if leader:
                quality = max(quality, rng.random())
            yield Staff(
                person=person,
                info=info,
                before=before,
                after=after,
                earlier_position=earlier if not armed else after.position,
                promoted=rng.randint(self.years.start - 3, self.years.stop) if leader else 0,
                first_year=birth_year + rng.randint(23, 27),
                quality=quality,
                kind=kind,
                category=post.category,
            )


def create_people(
    rng: random.Random, org: Organisation, scale: Scale, years: range, say: Callable[[str], None]
) -> tuple[PeopleMaker, list[Staff], list[Household]]:
    """Create the people of every active unit and the households of the communes."""
    maker = PeopleMaker(rng, org, scale, years)
    counts = maker.headcounts()
    staff: list[Staff] = []
    total = scale.people
    step = max(1000, total // 10)
    next_report = step
    with transaction.atomic():
        batch: list[Staff] = []

        def write() -> None:
            nonlocal next_report
            Person.objects.bulk_create([member.person for member in batch], batch_size=BATCH)
            staff.extend(batch)
            batch.clear()
            if len(staff) >= next_report:
                say(f"Đang tạo cá nhân: {min(len(staff), total)}/{total}")
                next_report += step

        for info in [org.root, *org.active]:
            count = 5 if info is org.root else counts[info.code]
            for member in maker.staff_of(info, count):
                batch.append(member)
                if len(batch) >= BATCH:
                    write()
        write()
        say(f"Đã tạo {len(staff)} cá nhân.")

    with transaction.atomic():
        households = []
        for _ in range(scale.households):
            commune = rng.choice(org.communes)
            gender = "male" if rng.random() < 0.85 else "female"
            head = names.person_name(rng, gender, rng.randint(1945, 1985))
            village = names.village_name(rng, commune.ward)
            level = "phường" if commune.ward else "xã"
            households.append(
                Household(
                    head_name=head,
                    address=f"{village}, {level} {commune.place}, tỉnh {org.province}",
                    unit=commune.unit,
                )
            )
        Household.objects.bulk_create(households, batch_size=BATCH)
        say(f"Đã tạo {len(households)} hộ gia đình.")
    return maker, staff, households


# --- Awards -----------------------------------------------------------------------------------------------


@dataclass
class AwardWriter:
    rng: random.Random
    org: Organisation
    maker: PeopleMaker
    categories: dict[str, AwardCategory]
    decisions: Decisions
    batch: Batch = field(default_factory=lambda: Batch(AwardRecord))
    # Units with an excellent title last year: two in a row earn a certificate of merit (Đ74).
    _excellent_last_year: set[str] = field(default_factory=set)
    _excellent_this_year: set[str] = field(default_factory=set)

    @property
    def issuers(self) -> Issuers:
        return self.maker.issuers

    def record(
        self,
        code: str,
        year: int,
        decision: tuple[str, dt.date] | None,
        issuer: Issuer,
        method: str,
        citation: str,
        *,
        person: Person | None = None,
        unit: UnitInfo | None = None,
        household: Household | None = None,
        position: str = "",
        unit_name: str = "",
    ) -> bool:
        if decision is None:
            return False
        number, day = decision
        category = self.categories[code]
        self.batch.add(
            AwardRecord(
                recipient_kind=category.recipient_kind,
                person_id=person.pk if person else None,
                unit_id=unit.unit.pk if unit else None,
                household_id=household.pk if household else None,
                category_id=category.pk,
                year=year,
                decision_number=number,
                decision_date=day,
                issuing_authority=issuer.authority,
                method=method,
                position_at_award=position,
                unit_at_award=unit_name or (unit.unit.name if unit else ""),
                citation=citation,
            )
        )
        return True

    # Individuals --------------------------------------------------------------------------

    def individual(self, member: Staff, years: range, current_year: int) -> None:
        rng = self.rng
        decisions = self.decisions
        province = self.issuers.province
        person = member.person
        streak = 0
        first_merit: int | None = None
        last_merit = -10
        has_national = False
        for year in years:
            if year < member.first_year:
                continue
            before_reform = year < REFORM_YEAR
            era = member.before if before_reform else member.after
            # Commune posts before 2025 already tell the career (see PeopleMaker._commune_eras).
            promoted = year >= member.promoted or (
                before_reform and member.info.unit.kind == UnitKind.COMMUNE
            )
            position = era.position if promoted else member.earlier_position
            if member.kind == "provincial":
                self._provincial_leader(member, year, era, position)
                continue
            where = {"person": person, "position": position, "unit_name": era.unit_name}
            advanced_rate = {"farmer": 0.25, "armed": 0.75}.get(member.kind, self.maker.scale.advanced_rate)
            if member.category != names.WORK:
                advanced_rate = min(0.97, advanced_rate * 1.15)
            fighter = False
            if rng.random() < advanced_rate:
                code = "CSTT" if member.kind == "armed" else "LDTT"
                citation = (
                    f"Đạt danh hiệu Lao động tiên tiến năm {year}: sản xuất, kinh doanh hiệu quả, chấp hành tốt "
                    "chủ trương của Đảng, chính sách, pháp luật của Nhà nước"
                    if member.kind == "farmer"
                    else f"Đã hoàn thành tốt nhiệm vụ năm {year}"
                )
                self.record(
                    code, year, decisions.get(era.grassroots, year, code, "year_end"), era.grassroots, REGULAR,
                    citation, **where,
                )  # fmt: skip
                chance = 0.02 if member.kind == "farmer" else 0.04 + 0.33 * member.quality
                if rng.random() < chance:
                    fighter = self.record(
                        "CSTDCS", year, decisions.get(era.fighter, year, "CSTDCS", "year_end"), era.fighter, REGULAR,
                        f"Đã hoàn thành xuất sắc nhiệm vụ năm {year}"
                        + rng.choice([
                            "; có sáng kiến được Hội đồng sáng kiến cơ sở công nhận và áp dụng hiệu quả",
                            "; có giải pháp công tác được công nhận, áp dụng tại đơn vị",
                            "; có đề tài nghiên cứu khoa học được nghiệm thu",
                        ]),
                        **where,
                    )  # fmt: skip
                elif rng.random() < 0.05:
                    self.record(
                        "GK.CN", year, decisions.get(era.grassroots, year, "GK", "year_end"), era.grassroots, REGULAR,
                        f"Đã có thành tích tốt trong thực hiện nhiệm vụ năm {year}", **where,
                    )  # fmt: skip
            streak = streak + 1 if fighter else 0
            if fighter and streak >= 3 and rng.random() < 0.5:
                # Law Đ22: three consecutive CSTĐCS, then the provincial title; counting restarts.
                if self.record(
                    "CSTDT", year, decisions.get(province, year, f"CSTDT:{era.proposer}", "province"), province,
                    REGULAR,
                    f"Đã 03 năm liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở ({year - 2} - {year}); có sáng kiến "
                    "được Hội đồng Khoa học, Công nghệ và Đổi mới sáng tạo tỉnh công nhận có hiệu quả, phạm vi "
                    "ảnh hưởng trong toàn tỉnh",
                    **where,
                ):  # fmt: skip
                    streak = 0
            elif fighter and streak >= 2 and year - last_merit >= 2 and rng.random() < 0.3:
                # Đ74: two consecutive years of CSTĐCS earn the chairman's certificate of merit.
                if self.record(
                    "BKCT.CN", year, decisions.get(province, year, f"BKCT:{era.proposer}", "province"), province,
                    REGULAR,
                    f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ 02 năm liên tục ({year - 1} - {year})",
                    **where,
                ):  # fmt: skip
                    last_merit = year
                    first_merit = first_merit if first_merit is not None else year
            elif (
                fighter
                and not has_national
                and first_merit is not None
                and year - first_merit >= 3
                and rng.random() < 0.12
            ):
                pm = self.issuers.prime_minister
                has_national = self.record(
                    "BKTTG.CN", year, decisions.get(pm, year, f"BKTTG:{era.proposer}", "prime_minister"), pm,
                    REGULAR,
                    f"Đã có thành tích xuất sắc trong công tác từ năm {year - 4} đến năm {year}, góp phần vào sự "
                    "nghiệp xây dựng chủ nghĩa xã hội và bảo vệ Tổ quốc",
                    **where,
                )  # fmt: skip
            self._occasional(member, year, era, where)
        if current_year not in years:
            self._occasional(member, current_year, member.after, {
                "person": person, "position": member.after.position, "unit_name": member.after.unit_name,
            })  # fmt: skip

    def _occasional(self, member: Staff, year: int, era: Era, where: dict[str, Any]) -> None:
        """Thematic and ad hoc awards: movements, epidemics, storms, the 2025 reorganisation."""
        rng = self.rng
        decisions = self.decisions
        province = self.issuers.province
        if member.kind == "farmer":
            if year >= 2021 and rng.random() < 0.012:
                self.record(
                    "BKCT.CN", year, decisions.get(province, year, f"BKCT-ND:{era.proposer}", "",
                                                   (dt.date(year, 9, 1), dt.date(year, 11, 30))),
                    province, THEMATIC, f"Đã có thành tích xuất sắc trong {names.FARMER_MOVEMENT} năm {year}", **where,
                )  # fmt: skip
            return
        if rng.random() < 0.004:
            movement = rng.choice(names.THEMATIC_MOVEMENTS).format(p=self.org.province)
            self.record(
                "BKCT.CN", year, decisions.get(province, year, f"CD:{movement}", "",
                                               (dt.date(year, 8, 15), dt.date(year, 12, 10))),
                province, THEMATIC, f"Đã có thành tích xuất sắc trong {movement}", **where,
            )  # fmt: skip
        events = names.AD_HOC_EVENTS.get(year)
        if not events:
            return
        event = rng.choice(events)
        chance = 0.008
        if "COVID" in event and member.info.profile == "hospital":
            chance = 0.08
        elif "bão" in event and member.info.unit.kind in (UnitKind.COMMUNE, UnitKind.ARMED_FORCES):
            chance = 0.02
        if rng.random() >= chance:
            return
        window = _event_window(year, event)
        if rng.random() < 0.5:
            self.record(
                "BKCT.CN", year, decisions.get(province, year, f"DX:{event}:{era.proposer}", "", window), province,
                AD_HOC, f"Đã có thành tích xuất sắc trong {event}", **where,
            )  # fmt: skip
        else:
            issuer = era.grassroots
            self.record(
                "GK.CN", year, decisions.get(issuer, year, f"DX:{event}", "", window), issuer, AD_HOC,
                f"Đã có thành tích tốt trong {event}", **where,
            )  # fmt: skip

    def _provincial_leader(self, member: Staff, year: int, era: Era, position: str) -> None:
        rng = self.rng
        where = {"person": member.person, "position": position, "unit_name": era.unit_name}
        if year >= 2022 and rng.random() < 0.06:
            pm = self.issuers.prime_minister
            self.record(
                "BKTTG.CN", year, self.decisions.get(pm, year, "BKTTG:UBNDT", "prime_minister"), pm, REGULAR,
                f"Đã có thành tích xuất sắc trong công tác từ năm {year - 4} đến năm {year}, góp phần vào sự nghiệp "
                "xây dựng chủ nghĩa xã hội và bảo vệ Tổ quốc",
                **where,
            )  # fmt: skip
        elif year == 2023 and member.person.position.startswith("Chủ tịch"):
            president = self.issuers.president
            self.record(
                "HCLD3.CN", year, self.decisions.get(president, year, "HCLD", "prime_minister"), president, REGULAR,
                "Đã có thành tích xuất sắc trong công tác, góp phần vào sự nghiệp xây dựng chủ nghĩa xã hội và bảo "
                "vệ Tổ quốc",
                **where,
            )  # fmt: skip

    # Collectives --------------------------------------------------------------------------

    def collectives(self, year: int) -> None:
        """The titles of every unit active at the end of `year`, and each cluster's flag."""
        rng = self.rng
        org = self.org
        decisions = self.decisions
        province = self.issuers.province
        pm = self.issuers.prime_minister
        units = [info for info in org.units.values() if info is not org.root]
        year_end = dt.date(year, 12, 31)
        excellent: set[str] = set()
        # The leader of each cluster and bloc gets the provincial flag (Law Đ26).
        for code, members in org.cluster_members(year).items():
            cluster = org.clusters[code]
            leader = rng.choice(members)
            excellent.add(leader.code)
            self.record(
                "COTINH", year, decisions.get(province, year, "COTINH", "province"), province, REGULAR,
                f"Đã hoàn thành xuất sắc toàn diện nhiệm vụ công tác năm {year}, dẫn đầu phong trào thi đua "
                f"{cluster.name}",
                unit=leader,
            )  # fmt: skip
            if rng.random() < 0.08:
                self.record(
                    "COCP", year, decisions.get(pm, year, "COCP", "prime_minister"), pm, REGULAR,
                    f"Đã hoàn thành xuất sắc toàn diện nhiệm vụ công tác năm {year}, dẫn đầu phong trào thi "
                    f"đua {cluster.name} tỉnh {org.province}",
                    unit=leader,
                )  # fmt: skip
        for info in units:
            if not info.active_on(year_end):
                continue
            self._collective_year(info, year, leading=info.code in excellent)
        self._excellent_last_year, self._excellent_this_year = self._excellent_this_year, set()

    def _collective_year(self, info: UnitInfo, year: int, *, leading: bool) -> None:
        rng = self.rng
        decisions = self.decisions
        province = self.issuers.province
        armed = info.unit.kind == UnitKind.ARMED_FORCES
        parent = info.parent
        if armed:
            grassroots = top = self.issuers.ministry(info)
        elif parent is not None and parent.unit.kind in (UnitKind.DISTRICT, UnitKind.DEPARTMENT):
            # A commune before 2025 (its district decides) or a school, hospital… (its department).
            grassroots, top = self.issuers.of(parent), province
        else:
            grassroots = top = province
        proposer = parent.code if parent is not None else info.code
        roll = rng.random()
        # Party bodies and central agencies get their titles from the Party or their ministry;
        # the province only gives them its flag and certificates of merit.
        own_system = info.profile in ("party", "central")
        excellent = leading or (roll < 0.3 and not own_system)
        previous = info.code in self._excellent_last_year
        if excellent and not own_system:
            code = "DVQT" if armed else "TTLDXS"
            self.record(
                code, year, decisions.get(top, year, code, "province"), top, REGULAR,
                f"Đã hoàn thành xuất sắc nhiệm vụ năm {year}", unit=info,
            )  # fmt: skip
        if excellent:
            self._excellent_this_year.add(info.code)
            if previous and rng.random() < 0.45:
                self.record(
                    "BKCT.TT", year, decisions.get(province, year, f"BKCT-TT:{proposer}", "province"), province,
                    REGULAR,
                    f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ 02 năm liên tục ({year - 1} - {year})",
                    unit=info,
                )  # fmt: skip
        elif roll < 0.85 and not own_system:
            code = "DVTT" if armed else "TTLDTT"
            self.record(
                code, year, decisions.get(grassroots, year, code, "year_end"), grassroots, REGULAR,
                f"Đã hoàn thành tốt nhiệm vụ năm {year}", unit=info,
            )  # fmt: skip
        if info.unit.kind == UnitKind.COMMUNE and rng.random() < 0.06:
            self.record(
                "BKCT.TT", year, decisions.get(province, year, "NTM", "", (dt.date(year, 10, 1), dt.date(year, 12, 15))),
                province, THEMATIC,
                "Đã có thành tích xuất sắc trong phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới”",
                unit=info,
            )  # fmt: skip
        events = names.AD_HOC_EVENTS.get(year, [])
        for event in events:
            chance = 0.0
            if "COVID" in event and info.profile == "hospital":
                chance = 0.6
            elif "bão" in event and info.unit.kind in (
                UnitKind.COMMUNE,
                UnitKind.DISTRICT,
                UnitKind.ARMED_FORCES,
            ):
                chance = 0.15
            elif "sắp xếp" in event and info.unit.kind in (UnitKind.COMMUNE, UnitKind.DEPARTMENT):
                chance = 0.1
            if rng.random() < chance:
                self.record(
                    "BKCT.TT", year, decisions.get(province, year, f"DX-TT:{event}", "", _event_window(year, event)),
                    province, AD_HOC, f"Đã có thành tích xuất sắc trong {event}", unit=info,
                )  # fmt: skip

    # Households ---------------------------------------------------------------------------

    def household(self, household: Household, commune: UnitInfo, years: range) -> None:
        rng = self.rng
        decisions = self.decisions
        province = self.issuers.province
        if commune.district is None:
            return
        old = rng.choice(commune.old_names)
        old_issuer = self.issuers.old_commune(commune.district, old, commune.ward)
        own = self.issuers.of(commune)
        level = "phường" if commune.ward else "xã"
        for year in years:
            issuer, place = (
                (old_issuer, f"{level} {old}") if year < REFORM_YEAR else (own, f"{level} {commune.place}")
            )
            where = {"household": household, "unit_name": f"UBND {place}"}
            roll = rng.random()
            if roll < 0.08 and year >= 2021:
                area = rng.choice([50, 80, 100, 120, 150, 200, 250, 300, 500])
                self.record(
                    "BKCT.HGD", year, decisions.get(province, year, f"HGD:{issuer.key}", "",
                                                    (dt.date(year, 9, 1), dt.date(year, 12, 20))),
                    province, THEMATIC,
                    f"Đã có thành tích tự nguyện hiến {area} m² đất để mở rộng đường giao thông nông thôn, góp "
                    "phần xây dựng nông thôn mới",
                    **where,
                )  # fmt: skip
            elif roll < 0.2:
                self.record(
                    "GK.HGD", year, decisions.get(issuer, year, "GK-HGD", "year_end"), issuer, REGULAR,
                    f"Đã có thành tích tiêu biểu trong phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” "
                    f"năm {year}",
                    **where,
                )  # fmt: skip
            elif roll < 0.27:
                self.record(
                    "GDVH", year, decisions.get(issuer, year, "GDVH", "year_end"), issuer, REGULAR,
                    f"Đạt danh hiệu “Gia đình văn hóa” năm {year}", **where,
                )  # fmt: skip


def _event_window(year: int, event: str) -> tuple[dt.date, dt.date]:
    if "bão" in event:
        return dt.date(year, 9, 20), dt.date(year, 11, 30)
    if "sắp xếp" in event:
        return dt.date(year, 7, 10), dt.date(year, 9, 30)
    if "bầu cử" in event:
        return dt.date(year, 4, 1), dt.date(year, 6, 30)
    return dt.date(year, 3, 1), dt.date(year, 12, 15)


def create_awards(
    rng: random.Random,
    org: Organisation,
    maker: PeopleMaker,
    staff: list[Staff],
    households: list[Household],
    years: range,
    today: dt.date,
    say: Callable[[str], None],
) -> int:
    """Write the award history of every person, unit and household; returns the record count."""
    categories = AwardCategory.objects.in_bulk(list(CODES), field_name="code")
    missing = sorted(set(CODES) - set(categories))
    if missing:
        raise LookupError(f"Danh mục khen thưởng thiếu các mã: {', '.join(missing)}")
    writer = AwardWriter(rng, org, maker, categories, Decisions(rng, today))
    current_year = today.year
    with transaction.atomic():
        total = len(staff)
        step = max(1000, total // 10)
        for index, member in enumerate(staff, start=1):
            writer.individual(member, years, current_year)
            if index % step == 0 or index == total:
                say(
                    f"Đang tạo khen thưởng cá nhân: {index}/{total} người, "
                    f"{writer.batch.written + len(writer.batch.rows)} bản ghi"
                )
        for year in years:  # in order: two excellent years in a row earn a certificate of merit
            writer.collectives(year)
        communes = {info.unit.pk: info for info in org.communes}
        for household in households:
            writer.household(household, communes[household.unit_id], years)
        writer.batch.flush()
        say(f"Đã tạo {writer.batch.written} bản ghi khen thưởng.")
    with transaction.atomic():
        revocations = _revocations(today)
        say(f"Đã tạo {revocations} quyết định hủy bỏ, đính chính.")
    return writer.batch.written


def _later_number(record: AwardRecord, day: dt.date) -> str:
    """A number of the same register as `record`'s decision, issued on `day`."""
    symbol = record.decision_number.split("/", 1)[1]
    per_day = 9 if symbol == "QĐ-UBND" else 1.2
    return f"{int(day.timetuple().tm_yday * per_day) + 1}/{symbol}"


def _revocations(today: dt.date) -> int:
    """Two corrections (a replacement record) and two pure revocations (Law Đ93)."""
    created = 0
    # The most recent match from the chosen year back, so a small province still has one.
    records = AwardRecord.objects.select_related("person", "unit", "category").order_by("-year", "pk")
    used: set[int] = set()

    def first(queryset: Any) -> AwardRecord | None:
        for record in queryset.exclude(pk__in=used)[:50]:
            if record.decision_date + dt.timedelta(days=60) <= today:
                used.add(record.pk)
                return record
        return None

    year = today.year
    for code, wrong, right, ago in (
        ("BKCT.CN", "Chuyên viên", "Chuyên viên chính", 3),
        ("CSTDCS", "Chuyên viên", "Chuyên viên chính", 2),
    ):
        record = first(
            records.filter(category__code=code, position_at_award=wrong, method=REGULAR, year__lte=year - ago)
        )
        if record is None:
            continue
        day = record.decision_date + dt.timedelta(days=40)
        number = _later_number(record, day)
        replacement = AwardRecord.objects.create(
            recipient_kind=record.recipient_kind,
            person=record.person,
            category=record.category,
            year=record.year,
            decision_number=number,
            decision_date=day,
            issuing_authority=record.issuing_authority,
            method=record.method,
            position_at_award=right,
            unit_at_award=record.unit_at_award,
            citation=record.citation,
        )
        AwardRevocation.objects.create(
            record=record,
            replacement=replacement,
            decision_number=number,
            decision_date=day,
            reason=(
                f"Đính chính chức vụ của cá nhân tại Quyết định số {record.decision_number} ngày "
                f"{record.decision_date:%d/%m/%Y}: đã ghi “{wrong}”, nay sửa lại là “{right}”."
            ),
        )
        created += 1

    # A fighter title won with an initiative the council later found copied.
    fighter = first(
        records.filter(category__code="CSTDCS", year__lte=year - 4).exclude(
            person__awards__category__code__in=["CSTDT", "BKCT.CN"]
        )
    )
    if fighter is not None:
        day = fighter.decision_date + dt.timedelta(days=95)
        AwardRevocation.objects.create(
            record=fighter,
            decision_number=_later_number(fighter, day),
            decision_date=day,
            reason=(
                "Hủy bỏ quyết định công nhận danh hiệu do cá nhân kê khai không trung thực: sáng kiến làm căn cứ "
                "đề nghị là sao chép, không được Hội đồng sáng kiến công nhận (Điều 93 Luật Thi đua, khen thưởng)."
            ),
        )
        created += 1
    # A collective title given while a member was under a warning (not allowed, Law Đ28).
    collective = first(records.filter(category__code="TTLDTT", year__lte=year - 5))
    if collective is not None:
        day = collective.decision_date + dt.timedelta(days=75)
        AwardRevocation.objects.create(
            record=collective,
            decision_number=_later_number(collective, day),
            decision_date=day,
            reason=(
                "Thu hồi danh hiệu Tập thể lao động tiên tiến: trong năm xét tặng tập thể có cá nhân bị kỷ luật "
                "hình thức cảnh cáo, không đủ tiêu chuẩn theo quy định."
            ),
        )
        created += 1
    return created
