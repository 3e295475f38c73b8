"""The demo province's organisation: units, the 2025 restructuring, clusters and blocs.

Units are built level by level with `bulk_create` (parents first, so children can point to
them); the history of the 2025 reform is written as `UnitSuccession` rows and end dates:
departments merged on 01/3/2025, districts abolished and communes merged on 01/7/2025.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from clusters.models import (
    Cluster,
    ClusterDecision,
    ClusterKind,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
)
from core.demo import names
from core.text import fold, search_key

# The reform dates of 2025 (Resolution 1666/NQ-UBTVQH15; provincial resolution on departments).
DEPARTMENTS_REFORMED_ON = dt.date(2025, 3, 1)
COMMUNES_REFORMED_ON = dt.date(2025, 7, 1)
# Achievement years before this one were decided by the bodies as they were before the reform.
REFORM_YEAR = 2025
# How many former communes get a row of their own (the others live on only as names).
MATERIALISED_COMMUNES_PER_DISTRICT = 2


@dataclass(eq=False)
class UnitInfo:
    """A unit with what the seeding of people and awards needs to know about it."""

    unit: Unit
    profile: str
    doc: str  # issuing symbol: decisions are numbered "n/QĐ-<doc>"
    authority: str  # who signs its decisions: "Giám đốc Sở Nội vụ"
    bloc: str = ""
    place: str = ""  # communes: "Nghĩa Trụ"
    ward: bool = False
    district: UnitInfo | None = None  # communes: the district of their area before 2025
    old_names: list[str] = field(default_factory=list)  # communes: the communes merged into it
    parent: UnitInfo | None = None
    # Bodies merged into this one in 2025, with the share of today's staff who came from each.
    predecessors: list[tuple[UnitInfo, float]] = field(default_factory=list)
    head_gender: str = "male"
    head_birth_year: int = 1970

    @property
    def code(self) -> str:
        return self.unit.code

    def active_on(self, day: dt.date) -> bool:
        unit = self.unit
        return (unit.active_from is None or unit.active_from <= day) and (
            unit.active_to is None or unit.active_to >= day
        )


@dataclass
class Organisation:
    province: str
    root: UnitInfo
    units: dict[str, UnitInfo]
    active: list[UnitInfo]  # active today, root excluded
    communes: list[UnitInfo]  # today's communes and wards
    districts: list[UnitInfo]
    former_communes: list[UnitInfo]
    # Cluster code → its member units in the years before and after the reform.
    members_before: dict[str, list[UnitInfo]]
    members_after: dict[str, list[UnitInfo]]
    clusters: dict[str, Cluster]
    term_years: list[int]
    stats: dict[str, int] = field(default_factory=dict)

    def cluster_members(self, year: int) -> dict[str, list[UnitInfo]]:
        """Each cluster's members in `year`, active on 31/12 of that year."""
        source = self.members_before if year < REFORM_YEAR else self.members_after
        year_end = dt.date(year, 12, 31)
        result = {}
        for code, members in source.items():
            present = [info for info in members if info.active_on(year_end)]
            if len(present) >= 2:
                result[code] = present
        return result


def authority_of(head_title: str, name: str) -> str:
    """ "Giám đốc" + "Sở Nội vụ" → "Giám đốc Sở Nội vụ"; overlapping words are written once.

    "Chánh Văn phòng" + "Văn phòng Tỉnh ủy" → "Chánh Văn phòng Tỉnh ủy";
    "Chủ tịch UBND xã" + "UBND xã Nghĩa Trụ" → "Chủ tịch UBND xã Nghĩa Trụ".
    """
    title_words = head_title.split()
    name_words = name.split()
    for size in range(min(len(title_words), len(name_words)), 0, -1):
        if [w.lower() for w in title_words[-size:]] == [w.lower() for w in name_words[:size]]:
            return " ".join(title_words[:-size] + name_words)
    return f"{head_title} {name}"


def _phone(rng: random.Random) -> str:
    return f"{names.PHONE_PREFIX}.3{rng.randint(500_000, 899_999)}"


def _mail_domain(province: str) -> str:
    return fold(province).replace(" ", "") + ".gov.vn"


def _office_address(rng: random.Random, province: str) -> str:
    return (
        f"Số {rng.randint(1, 350)}, đường {rng.choice(names.STREETS)}, "
        f"phường {rng.choice(names.CAPITAL_WARDS)}, tỉnh {province}"
    )


def _new_unit(**fields: object) -> Unit:
    unit = Unit(**fields)
    # bulk_create skips save(): keep the search key exactly as Unit.save() computes it.
    unit.search_text = search_key(unit.name, unit.short_name, unit.code)
    return unit


def build_organisation(
    rng: random.Random, province: str, year: int, say: Callable[[str], None]
) -> Organisation:
    """Create every unit, succession, cluster, decision, term and membership of the province."""
    with transaction.atomic():
        say("Đang tạo đơn vị và lịch sử sắp xếp…")
        org = _create_units(rng, province)
    with transaction.atomic():
        say("Đang tạo cụm, khối thi đua…")
        _create_clusters(rng, org, year)
    return org


# --- Units --------------------------------------------------------------------------------------


def _head(rng: random.Random, info: UnitInfo, *, male_share: float = 0.8) -> None:
    gender = "male" if rng.random() < male_share else "female"
    birth_year = rng.randint(1966, 1982)
    info.head_gender, info.head_birth_year = gender, birth_year
    info.unit.head_name = names.person_name(rng, gender, birth_year)


def _create_units(rng: random.Random, province: str) -> Organisation:
    domain = _mail_domain(province)
    units: dict[str, UnitInfo] = {}

    def add(info: UnitInfo) -> UnitInfo:
        units[info.code] = info
        return info

    def spec_info(spec: names.UnitSpec | names.FormerUnit, **extra: object) -> UnitInfo:
        name = spec.name.format(p=province)
        short = spec.short.format(p=province)
        unit = _new_unit(
            name=name,
            short_name=short,
            code=spec.code,
            kind=spec.kind,
            head_title=spec.head_title,
            address=_office_address(rng, province),
            phone=_phone(rng),
            email=f"{spec.code.lower()}@{domain}",
            **extra,
        )
        info = UnitInfo(
            unit=unit,
            profile=spec.profile,
            doc=spec.doc,
            authority=authority_of(spec.head_title, name),
            bloc=spec.bloc,
        )
        _head(rng, info, male_share=0.7 if spec.kind != UnitKind.ARMED_FORCES else 1.0)
        return add(info)

    # Level 0: the provincial people's committee.
    root = spec_info(names.ROOT)
    root.authority = f"Chủ tịch UBND tỉnh {province}"
    Unit.objects.bulk_create([root.unit])

    # Level 1: bodies directly under the committee or standing alone, former ones included.
    level1 = [spec for spec in names.PROVINCIAL_UNITS if spec.parent in ("", "UBNDT")]
    infos = []
    for spec in level1:
        extra: dict[str, object] = {"parent": root.unit if spec.parent else None}
        if spec.code in names.NEW_IN_2025:
            extra["active_from"] = DEPARTMENTS_REFORMED_ON
        infos.append(spec_info(spec, **extra))
    former_infos = []
    for spec in names.FORMER_UNITS:
        info = spec_info(
            spec,
            parent=root.unit if spec.parent else None,
            active_to=DEPARTMENTS_REFORMED_ON - dt.timedelta(days=1),
        )
        former_infos.append(info)
    districts = []
    for district in names.DISTRICTS:
        place = district.name.format(p=province)
        unit = _new_unit(
            name=f"UBND {district.kind_label} {place}",
            short_name=f"{district.kind_label.capitalize()} {place}",
            code=district.code,
            kind=UnitKind.DISTRICT,
            parent=root.unit,
            head_title=f"Chủ tịch UBND {district.kind_label}",
            address=f"{district.kind_label.capitalize()} {place}, tỉnh {province}",
            phone=_phone(rng),
            email=f"ubnd.{fold(place).replace(' ', '')}@{domain}",
            active_to=COMMUNES_REFORMED_ON - dt.timedelta(days=1),
        )
        info = add(
            UnitInfo(
                unit=unit,
                profile="commune",
                doc="UBND",
                authority=authority_of(unit.head_title, unit.name),
                place=place,
            )
        )
        _head(rng, info)
        districts.append(info)
    Unit.objects.bulk_create([info.unit for info in [*infos, *former_infos, *districts]])

    # Level 2: units under a department or a mass organisation; today's communes and wards.
    level2 = [spec for spec in names.PROVINCIAL_UNITS if spec.parent not in ("", "UBNDT")]
    children = [spec_info(spec, parent=units[spec.parent].unit) for spec in level2]
    communes = []
    used_names = {commune.split(":", 1)[1] for district in names.DISTRICTS for commune in district.communes}
    number = 11950
    for district_info, district in zip(districts, names.DISTRICTS, strict=True):
        for entry in district.communes:
            prefix, place = entry.split(":", 1)
            ward = prefix == "P"
            level = "phường" if ward else "xã"
            number += 3
            street = rng.choice(names.STREETS)
            address = (
                f"Số {rng.randint(1, 200)}, đường {street}, phường {place}, tỉnh {province}"
                if ward
                else f"{names.village_name(rng, ward=False)}, xã {place}, tỉnh {province}"
            )
            unit = _new_unit(
                name=f"UBND {level} {place}",
                short_name=f"{level.capitalize()} {place}",
                code=str(number),
                kind=UnitKind.COMMUNE,
                parent=root.unit,
                head_title=f"Chủ tịch UBND {level}",
                address=address,
                phone=_phone(rng),
                email=f"{fold(level + place).replace(' ', '')}@{domain}",
                active_from=COMMUNES_REFORMED_ON,
            )
            info = add(
                UnitInfo(
                    unit=unit,
                    profile="commune",
                    doc="UBND",
                    authority=authority_of(unit.head_title, unit.name),
                    place=place,
                    ward=ward,
                    district=district_info,
                )
            )
            # The communes merged into it: two to four, named like the places of the area.
            for _ in range(rng.randint(2, 4)):
                old = names.place_name(rng)
                while old in used_names:
                    old = names.place_name(rng)
                used_names.add(old)
                info.old_names.append(old)
            _head(rng, info, male_share=0.85)
            communes.append(info)
    Unit.objects.bulk_create([info.unit for info in [*children, *communes]])

    # Level 3: the former communes that have a row of their own, under their district.
    former_communes = []
    by_district: dict[str, list[UnitInfo]] = {}
    for info in communes:
        if info.district is not None:
            by_district.setdefault(info.district.code, []).append(info)
    number = 12400
    materialised: list[tuple[UnitInfo, list[UnitInfo]]] = []
    for district_info in districts:
        chosen = rng.sample(by_district[district_info.code], MATERIALISED_COMMUNES_PER_DISTRICT)
        for new_info in chosen:
            olds = []
            for old in new_info.old_names[:3]:
                level = "phường" if new_info.ward and rng.random() < 0.5 else "xã"
                number += 7
                unit = _new_unit(
                    name=f"UBND {level} {old}",
                    short_name=f"{level.capitalize()} {old}",
                    code=str(number),
                    kind=UnitKind.COMMUNE,
                    parent=district_info.unit,
                    head_title=f"Chủ tịch UBND {level}",
                    address=f"{level.capitalize()} {old}, {names.lower_first(district_info.unit.short_name)}, tỉnh {province}",
                    phone=_phone(rng),
                    active_to=COMMUNES_REFORMED_ON - dt.timedelta(days=1),
                )
                info = add(
                    UnitInfo(
                        unit=unit,
                        profile="commune",
                        doc="UBND",
                        authority=authority_of(unit.head_title, unit.name),
                        place=old,
                        ward=level == "phường",
                        district=district_info,
                    )
                )
                _head(rng, info, male_share=0.85)
                olds.append(info)
            former_communes.extend(olds)
            materialised.append((new_info, olds))
    Unit.objects.bulk_create([info.unit for info in former_communes])

    for info in units.values():
        if info.unit.parent_id and info.unit.parent_id != root.unit.pk:
            info.parent = next(u for u in units.values() if u.unit.pk == info.unit.parent_id)

    successions = _successions(units, districts, communes, materialised, former_infos)
    UnitSuccession.objects.bulk_create(successions)

    active = [
        info
        for info in units.values()
        if info.unit.active_to is None and info is not root and info.unit.kind != UnitKind.DISTRICT
    ]
    return Organisation(
        province=province,
        root=root,
        units=units,
        active=active,
        communes=communes,
        districts=districts,
        former_communes=former_communes,
        members_before={},
        members_after={},
        clusters={},
        term_years=[],
        stats={"successions": len(successions)},
    )


def _successions(
    units: dict[str, UnitInfo],
    districts: list[UnitInfo],
    communes: list[UnitInfo],
    materialised: list[tuple[UnitInfo, list[UnitInfo]]],
    former_departments: list[UnitInfo],
) -> list[UnitSuccession]:
    commune_decision = names.COMMUNE_REFORM_RESOLUTION
    commune_decided = dt.date(2025, 6, 16)
    rows = []
    for district in districts:
        for commune in communes:
            if commune.district is district:
                rows.append(
                    UnitSuccession(
                        predecessor=district.unit,
                        successor=commune.unit,
                        kind=SuccessionKind.SPLIT,
                        effective_on=COMMUNES_REFORMED_ON,
                        decision_number=commune_decision,
                        decision_date=commune_decided,
                        note=(
                            f"Kết thúc hoạt động của đơn vị hành chính cấp huyện; địa bàn "
                            f"{names.lower_first(district.unit.short_name)} được tổ chức thành các xã, phường mới."
                        ),
                    )
                )
    for new_info, olds in materialised:
        listed = ", ".join(names.lower_first(old.unit.short_name) for old in olds)
        for old in olds:
            rows.append(
                UnitSuccession(
                    predecessor=old.unit,
                    successor=new_info.unit,
                    kind=SuccessionKind.MERGE,
                    effective_on=COMMUNES_REFORMED_ON,
                    decision_number=commune_decision,
                    decision_date=commune_decided,
                    note=f"Sắp xếp {listed} thành {names.lower_first(new_info.unit.short_name)}.",
                )
            )
    specs = {spec.code: spec for spec in names.FORMER_UNITS}
    # The share of today's staff who came from each merged department.
    shares = {"SNNMT": 0.5, "THUE": 1.0, "TKT": 1.0, "VPUBND": 0.15}
    for former in former_departments:
        spec = specs[former.code]
        successor = units[spec.successor]
        successor.predecessors.append((former, shares.get(successor.code, 0.35)))
        rename = spec.succession == "rename"
        rows.append(
            UnitSuccession(
                predecessor=former.unit,
                successor=successor.unit,
                kind=SuccessionKind.RENAME if rename else SuccessionKind.MERGE,
                effective_on=DEPARTMENTS_REFORMED_ON,
                decision_number="381/QĐ-BTC" if rename else names.DEPARTMENT_REFORM_RESOLUTION,
                decision_date=dt.date(2025, 2, 26) if rename else dt.date(2025, 2, 25),
                note=(
                    f"Tổ chức lại {former.unit.name} thành {successor.unit.name}."
                    if rename
                    else f"Hợp nhất {former.unit.name} vào {successor.unit.name}."
                ),
            )
        )
    # The new Sở Dân tộc và Tôn giáo took over the religious affairs of the Sở Nội vụ.
    if "SDTTG" in units:
        units["SDTTG"].predecessors.append((units["SNV"], 1.0))
    return rows


# --- Clusters and blocs -----------------------------------------------------------------------------


def _chunks(items: list[UnitInfo], count: int) -> list[list[UnitInfo]]:
    """`count` consecutive groups whose sizes differ by at most one (larger groups first)."""
    size, extra = divmod(len(items), count)
    groups, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        groups.append(items[start:end])
        start = end
    return groups


def _new_cluster(
    code: str, name: str, kind: str, description: str, decision: ClusterDecision, active: bool
) -> Cluster:
    cluster = Cluster(
        code=code, name=name, kind=kind, description=description, decision=decision, is_active=active
    )
    # bulk_create skips save(): keep the search key exactly as Cluster.save() computes it.
    cluster.search_text = search_key(cluster.name, cluster.code)
    return cluster


def _create_clusters(rng: random.Random, org: Organisation, year: int) -> None:
    province = org.province
    signer = org.root.unit.head_name
    decision_2024 = ClusterDecision.objects.create(
        number="126/QĐ-UBND",
        signed_on=dt.date(2024, 1, 22),
        effective_on=dt.date(2024, 1, 22),
        signer=signer,
        issuing_authority=f"Ủy ban nhân dân tỉnh {province}",
        summary=(
            "Về việc phân chia các cụm, khối thi đua thuộc tỉnh năm 2024: 2 cụm thi đua của các "
            "huyện, thị xã, thành phố và 15 khối thi đua của các sở, ban, ngành, đoàn thể, "
            "doanh nghiệp, đơn vị sự nghiệp."
        ),
    )
    decision_2025 = ClusterDecision.objects.create(
        number="2150/QĐ-UBND",
        signed_on=dt.date(2025, 8, 12),
        effective_on=dt.date(2025, 8, 12),
        signer=signer,
        issuing_authority=f"Ủy ban nhân dân tỉnh {province}",
        summary=(
            "Về việc kiện toàn, phân chia các cụm, khối thi đua thuộc tỉnh sau khi sắp xếp đơn "
            "vị hành chính và tổ chức chính quyền địa phương 2 cấp: 15 cụm thi đua của các xã, "
            "phường và 15 khối thi đua."
        ),
    )

    clusters: list[Cluster] = []
    before: dict[str, list[UnitInfo]] = {}
    after: dict[str, list[UnitInfo]] = {}

    # Khối: the same functions before and after the reform, with the bodies of each period.
    by_bloc: dict[str, list[UnitInfo]] = {}
    for info in org.units.values():
        if info.bloc:
            by_bloc.setdefault(info.bloc, []).append(info)
    reform_day = dt.date(REFORM_YEAR - 1, 12, 31)
    for spec in names.BLOCS:
        clusters.append(
            _new_cluster(spec.code, spec.name, ClusterKind.BLOC, spec.description, decision_2025, True)
        )
        members = sorted(by_bloc[spec.code], key=lambda info: info.code)
        before[spec.code] = [info for info in members if info.active_on(reform_day)]
        after[spec.code] = [info for info in members if info.unit.active_to is None]

    # Cụm before the reform: the districts, in two clusters.
    for index, group in enumerate(_chunks(org.districts, 2), start=1):
        code = f"CUMH{index:02d}"
        places = ", ".join(names.lower_first(info.unit.short_name) for info in group)
        clusters.append(
            _new_cluster(
                code,
                f"Cụm thi đua các huyện, thị xã, thành phố số {index}",
                ClusterKind.CLUSTER,
                f"Gồm {places} (đến 30/6/2025).",
                decision_2024,
                False,
            )
        )
        before[code] = group

    # Cụm after the reform: today's communes and wards by area, 15 groups of 7 or 8.
    for index, group in enumerate(_chunks(org.communes, 15), start=1):
        code = f"CUM{index:02d}"
        areas: list[str] = []
        for info in group:
            label = names.lower_first(info.district.unit.short_name) if info.district else ""
            if label and label not in areas:
                areas.append(label)
        clusters.append(
            _new_cluster(
                code,
                f"Cụm thi đua số {index}",
                ClusterKind.CLUSTER,
                f"Gồm {len(group)} xã, phường trên địa bàn {' và '.join(areas)} (cũ).",
                decision_2025,
                True,
            )
        )
        after[code] = group

    Cluster.objects.bulk_create(clusters)
    org.clusters = {cluster.code: cluster for cluster in clusters}
    org.members_before, org.members_after = before, after
    org.term_years = [year - 2, year - 1, year]

    terms: list[ClusterTerm] = []
    planned: list[tuple[ClusterTerm, list[UnitInfo]]] = []
    for term_year in org.term_years:
        for code, members in org.cluster_members(term_year).items():
            head, deputy = _leaders(members, term_year)
            term = ClusterTerm(
                cluster=org.clusters[code],
                year=term_year,
                note=(
                    f"Trưởng: {head.unit.name}; phó: {deputy.unit.name} "
                    f"(bầu luân phiên tại hội nghị tổng kết năm {term_year - 1})."
                ),
            )
            terms.append(term)
            planned.append((term, members))
    ClusterTerm.objects.bulk_create(terms)

    memberships = []
    for term, members in planned:
        head, deputy = _leaders(members, term.year)
        for info in members:
            role = (
                MemberRole.HEAD
                if info is head
                else MemberRole.DEPUTY
                if info is deputy
                else MemberRole.MEMBER
            )
            # bulk_create skips save(), which copies the year from the term.
            memberships.append(ClusterMembership(term=term, unit=info.unit, year=term.year, role=role))
    ClusterMembership.objects.bulk_create(memberships, batch_size=5000)
    org.stats.update(clusters=len(clusters), terms=len(terms), memberships=len(memberships))


def _leaders(members: list[UnitInfo], year: int) -> tuple[UnitInfo, UnitInfo]:
    """Head and deputy rotate through the members year by year (bầu luân phiên)."""
    index = year % len(members)
    return members[index], members[(index + 1) % len(members)]
