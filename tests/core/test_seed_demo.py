from __future__ import annotations

import datetime as dt
import io
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardMethod, AwardRecord, AwardRevocation, Household, Person, PersonCategory
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
from clusters.selectors import current_year
from core.demo import MARKER_CODE, DemoCredentials, DemoSeedError, load_credentials, seed_demo
from core.models import UnitRole
from core.text import search_key

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)
DEPARTMENT_REFORM = dt.date(2025, 3, 1)
ROLES = ["admin", "chuyenvien", "truongphong", "hoidong", "canbo", "thutruong", "truongcum", "phocum"]


@dataclass
class Demo:
    credentials: DemoCredentials
    output: str
    var_dir: Path


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Demo]:
    """The small demo province, seeded once for the module and rolled back at its end."""
    var_dir = tmp_path_factory.mktemp("var")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(VAR_DIR=var_dir, PASSWORD_HASHERS=hashers):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = io.StringIO()
            credentials = seed_demo(scale="small", stdout=output)
            yield Demo(credentials, output.getvalue(), var_dir)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _counts() -> dict[str, int]:
    models = [
        Unit, UnitSuccession, ClusterDecision, Cluster, ClusterTerm, ClusterMembership, Person, Household,
        AwardRecord, AwardRevocation, get_user_model(),
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def _signs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


# --- Units and restructuring ----------------------------------------------------------------


def test_about_two_hundred_active_units_with_the_province_at_the_root(demo):
    """The province has ~200 active units of every kind, ~110 of them communes and wards."""
    active = Unit.objects.filter(active_to__isnull=True)
    assert 190 <= active.count() <= 230
    root = Unit.objects.get(code=MARKER_CODE)
    assert root.parent is None
    assert root.name == "Ủy ban nhân dân tỉnh Hưng Yên"
    kinds = Counter(active.values_list("kind", flat=True))
    assert 100 <= kinds[UnitKind.COMMUNE] <= 120
    assert kinds[UnitKind.DEPARTMENT] >= 15
    assert kinds[UnitKind.ARMED_FORCES] == 3
    assert kinds[UnitKind.MASS_ORGANISATION] >= 6
    assert kinds[UnitKind.ENTERPRISE] >= 5
    assert kinds[UnitKind.PUBLIC_SERVICE] >= 10
    assert kinds[UnitKind.DISTRICT] == 0
    names = set(active.values_list("name", flat=True))
    for expected in [
        "Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ",
        "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tư pháp", "Sở Công Thương",
        "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Dân tộc và Tôn giáo", "Liên đoàn Lao động tỉnh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Tỉnh đoàn Hưng Yên", "Hội Liên hiệp Phụ nữ tỉnh",
        "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh", "Công an tỉnh Hưng Yên", "Bộ Chỉ huy Quân sự tỉnh Hưng Yên",
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hưng Yên", "Bệnh viện Đa khoa tỉnh Hưng Yên",
        "Đài Phát thanh và Truyền hình Hưng Yên", "Trường THPT chuyên Hưng Yên",
    ]:  # fmt: skip
        assert expected in names, expected
    communes = active.filter(kind=UnitKind.COMMUNE)
    assert all(
        name.startswith(("UBND xã ", "UBND phường ")) for name in communes.values_list("name", flat=True)
    )
    assert not active.exclude(pk=root.pk).filter(head_name="").exists()
    assert Unit.objects.get(code="SNV").head_title == "Giám đốc"


def test_units_keep_their_search_key_as_save_would(demo):
    """Bulk-created units carry the same search key that Unit.save() would compute."""
    for unit in Unit.objects.all():
        assert unit.search_text == search_key(unit.name, unit.short_name, unit.code)
    for cluster in Cluster.objects.all():
        assert cluster.search_text == search_key(cluster.name, cluster.code)


def test_districts_ended_and_split_into_the_new_communes(demo):
    """Eight districts ended on 30/6/2025; each new commune succeeds exactly one of them."""
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT)
    assert districts.count() == 8
    assert set(districts.values_list("active_to", flat=True)) == {REFORM - dt.timedelta(days=1)}
    splits = UnitSuccession.objects.filter(kind=SuccessionKind.SPLIT, effective_on=REFORM)
    new_communes = Unit.objects.filter(kind=UnitKind.COMMUNE, active_to__isnull=True)
    assert set(new_communes.values_list("active_from", flat=True)) == {REFORM}
    per_commune = Counter(splits.values_list("successor_id", flat=True))
    assert set(per_commune) == set(new_communes.values_list("pk", flat=True))
    assert set(per_commune.values()) == {1}


def test_former_communes_merged_into_new_ones(demo):
    """About forty former communes ended on 30/6/2025, merged by Resolution 1666/NQ-UBTVQH15."""
    former = Unit.objects.filter(kind=UnitKind.COMMUNE, active_to__isnull=False)
    assert 30 <= former.count() <= 50
    assert set(former.values_list("active_to", flat=True)) == {REFORM - dt.timedelta(days=1)}
    assert set(former.values_list("parent__kind", flat=True)) == {UnitKind.DISTRICT}
    merges = UnitSuccession.objects.filter(predecessor__in=former)
    assert merges.count() == former.count()
    assert set(merges.values_list("kind", "decision_number")) == {(SuccessionKind.MERGE, "1666/NQ-UBTVQH15")}
    assert not merges.filter(successor__active_to__isnull=False).exists()


def test_departments_merged_on_1_march_2025(demo):
    """The 2025 department mergers are recorded, and each former department has an end date."""
    expected = {
        ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
        ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
    }
    links = UnitSuccession.objects.filter(effective_on=DEPARTMENT_REFORM)
    assert expected <= set(links.values_list("predecessor__name", "successor__name"))
    for link in links.select_related("predecessor", "successor"):
        assert link.predecessor.active_to == DEPARTMENT_REFORM - dt.timedelta(days=1)
        assert link.successor.active_to is None
    assert Unit.objects.get(code="SNNMT").active_from == DEPARTMENT_REFORM
    # Every predecessor of every succession has ended.
    assert not UnitSuccession.objects.filter(predecessor__active_to__isnull=True).exists()


# --- Clusters and blocs -----------------------------------------------------------------------


def test_fifteen_cum_and_fifteen_khoi_of_realistic_size(demo):
    """15 active cụm of 6–9 communes and 15 active khối of 5–11 units, by the 2025 decision."""
    year = current_year()
    cum = Cluster.objects.filter(kind=ClusterKind.CLUSTER, is_active=True)
    khoi = Cluster.objects.filter(kind=ClusterKind.BLOC, is_active=True)
    assert cum.count() == 15
    assert khoi.count() == 15
    assert set(cum.values_list("code", flat=True)) == {f"CUM{n:02d}" for n in range(1, 16)}
    decision = ClusterDecision.objects.get(number="2150/QĐ-UBND")
    assert decision.signed_on > REFORM
    assert ClusterDecision.objects.filter(signed_on__year=2024).count() == 1
    assert not Cluster.objects.filter(is_active=True).exclude(decision=decision).exists()
    for cluster in cum:
        members = ClusterMembership.objects.filter(term__cluster=cluster, year=year)
        assert 6 <= members.count() <= 9, cluster.code
        assert not members.exclude(unit__kind=UnitKind.COMMUNE).exists()
    for cluster in khoi:
        for term in cluster.terms.all():
            assert 5 <= term.memberships.count() <= 11, (cluster.code, term.year)


def test_terms_cover_three_years_with_communes_only_from_2025(demo):
    """Khối have terms for the last three years; commune cụm start in 2025, district cụm before."""
    year = current_year()
    years = {year - 2, year - 1, year}
    for cluster in Cluster.objects.filter(kind=ClusterKind.BLOC):
        assert set(cluster.terms.values_list("year", flat=True)) == years
    for cluster in Cluster.objects.filter(kind=ClusterKind.CLUSTER, is_active=True):
        assert set(cluster.terms.values_list("year", flat=True)) == {y for y in years if y >= 2025}
    district_cum = Cluster.objects.filter(kind=ClusterKind.CLUSTER, is_active=False)
    assert 2 <= district_cum.count() <= 4
    district_members = ClusterMembership.objects.filter(term__cluster__in=district_cum)
    assert set(district_members.values_list("unit__kind", flat=True)) == {UnitKind.DISTRICT}
    assert set(district_members.values_list("year", flat=True)) == {y for y in years if y < 2025}


def test_every_term_has_one_head_and_one_deputy_who_are_members(demo):
    """Each term of the current year (and every year) has exactly one head and one deputy."""
    year = current_year()
    terms = ClusterTerm.objects.all()
    assert terms.filter(year=year).count() == 30
    for term in terms:
        roles = Counter(term.memberships.values_list("role", flat=True))
        assert roles[MemberRole.HEAD] == 1, term
        assert roles[MemberRole.DEPUTY] == 1, term
        assert roles[MemberRole.MEMBER] >= 0


def test_heads_rotate_year_by_year(demo):
    """The head of a bloc changes from one year to the next (bầu luân phiên)."""
    year = current_year()
    for cluster in Cluster.objects.filter(kind=ClusterKind.BLOC):
        heads = {
            m.year: m.unit_id
            for m in ClusterMembership.objects.filter(term__cluster=cluster, role=MemberRole.HEAD)
        }
        assert heads[year] != heads[year - 1], cluster.code


def test_no_unit_is_in_two_clusters_in_a_year(demo):
    """A unit belongs to at most one cluster per year, and each membership carries its term's year."""
    doubles = ClusterMembership.objects.values("unit", "year").annotate(n=Count("id")).filter(n__gt=1)
    assert not doubles.exists()
    for membership in ClusterMembership.objects.select_related("term"):
        assert membership.year == membership.term.year


def test_members_are_active_in_their_year(demo):
    """Former departments sit in 2024 blocs only; their successors from 2025."""
    year = current_year()
    later = ClusterMembership.objects.filter(year__gte=2025)
    assert not later.filter(unit__active_to__lt=dt.date(2025, 12, 31)).exists()
    if year - 2 <= 2024:
        earlier = ClusterMembership.objects.filter(year=2024)
        assert earlier.filter(unit__code="SKHDT").exists()
        assert not earlier.filter(unit__code="SNNMT").exists()


# --- People and households --------------------------------------------------------------------


def test_about_three_thousand_people_with_realistic_details(demo):
    """~3,000 people: Vietnamese names matching the gender, 12-digit citizen IDs, CCVC codes."""
    people = Person.objects.all()
    assert 2500 <= people.count() <= 3500
    female_middle = people.filter(full_name__contains=" Thị ")
    assert female_middle.count() > 300
    assert not female_middle.filter(gender="male").exists()
    assert not people.filter(full_name__contains=" Văn ", gender="female").exists()
    categories = Counter(people.values_list("category", flat=True))
    assert categories.most_common(2)[0][0] == PersonCategory.DIRECT_WORKER
    assert (
        categories[PersonCategory.DIRECT_WORKER] + categories[PersonCategory.OTHER_LEADER]
        > 0.8 * people.count()
    )
    for category in PersonCategory.values:
        assert categories[category] > 0, category
    ids = list(people.values_list("citizen_id", flat=True))
    assert len(set(ids)) == len(ids)
    assert all(len(value) == 12 and value.isdigit() and value.startswith("0") for value in ids)
    assert people.exclude(ccvc_code="").count() > people.count() // 2
    born = people.values_list("birth_date__year", flat=True)
    assert min(born) >= 1965
    assert max(born) <= 2000
    for person in people:
        assert person.search_text == search_key(person.full_name, person.ccvc_code)
    assert (
        people.filter(position="Giám đốc", unit__code="SNV").get().full_name
        == Unit.objects.get(code="SNV").head_name
    )


def test_households_belong_to_communes(demo):
    """A few hundred households, each in a commune or ward of today."""
    households = Household.objects.all()
    assert 100 <= households.count() <= 1000
    assert set(households.values_list("unit__kind", flat=True)) == {UnitKind.COMMUNE}
    assert not households.filter(unit__active_to__isnull=False).exists()


# --- Award history ------------------------------------------------------------------------------


def test_award_history_of_seven_years_by_numbered_decisions(demo):
    """~15,000 records over seven years, each under a numbered decision no later than today."""
    records = AwardRecord.objects.all()
    assert 10_000 <= records.count() <= 20_000
    year = current_year()
    years = set(records.values_list("year", flat=True))
    assert set(range(year - 7, year)) <= years <= set(range(year - 7, year + 1))
    assert not records.filter(decision_date__gt=timezone.localdate()).exists()
    assert not records.filter(decision_number="").exists()
    assert not records.filter(issuing_authority="").exists()
    assert records.filter(
        decision_number__endswith="/QĐ-UBND", issuing_authority="Chủ tịch UBND tỉnh Hưng Yên"
    ).exists()
    assert records.filter(
        decision_number__endswith="/QĐ-SNV", issuing_authority="Giám đốc Sở Nội vụ"
    ).exists()
    assert records.filter(issuing_authority__startswith="Chủ tịch UBND xã ").exists()
    assert records.filter(decision_number__endswith="/QĐ-TTg").exists()
    methods = Counter(records.values_list("method", flat=True))
    assert methods.most_common(1)[0][0] == AwardMethod.REGULAR
    assert methods[AwardMethod.THEMATIC] > 0
    assert methods[AwardMethod.AD_HOC] > 0
    regular = records.filter(
        method=AwardMethod.REGULAR, category__code__in=["LDTT", "CSTDCS", "TTLDTT"], replaces__isnull=True
    )
    assert set(regular.values_list("decision_date__month", flat=True)) <= {12, 1}
    individual = records.filter(person__isnull=False)
    assert not individual.filter(position_at_award="").exists()
    assert not individual.filter(unit_at_award="").exists()
    assert not records.filter(citation="").exists()


def test_award_mix_follows_practice(demo):
    """Many LĐTT, fewer CSTĐCS, some Bằng khen, a few of the Prime Minister's, household awards."""
    counts = Counter(AwardRecord.objects.values_list("category__code", flat=True))
    assert counts["LDTT"] > counts["CSTDCS"] > counts["BKCT.CN"] > counts["CSTDT"] > 0
    assert counts["BKTTG.CN"] > 0
    assert counts["TTLDTT"] > 0
    assert counts["TTLDXS"] > 0
    assert counts["BKCT.TT"] > 0
    assert counts["COCP"] > 0
    assert counts["BKCT.HGD"] + counts["GK.HGD"] > 0


def test_provincial_fighter_follows_three_consecutive_grassroots_fighters(demo):
    """Every CSTĐ cấp tỉnh follows CSTĐCS in that year and the two before (Law Đ22)."""
    fighters = set(AwardRecord.objects.filter(category__code="CSTDCS").values_list("person_id", "year"))
    provincial = AwardRecord.objects.filter(category__code="CSTDT")
    assert provincial.exists()
    for person_id, year in provincial.values_list("person_id", "year"):
        assert {(person_id, year - 2), (person_id, year - 1), (person_id, year)} <= fighters


def test_one_provincial_flag_per_cluster_and_year(demo):
    """Each cluster or bloc year of the award history has one Cờ thi đua for a member unit."""
    year = current_year()
    for term in ClusterTerm.objects.filter(year__lt=year):
        flags = AwardRecord.objects.filter(
            category__code="COTINH", year=term.year, citation__endswith=term.cluster.name
        )
        assert flags.count() == 1, term
        assert term.memberships.filter(unit=flags.get().unit).exists()


def test_revocations_include_a_correction_and_a_pure_revocation(demo):
    """3–5 revocations: at least one replaced by a corrected record, one with a reason only."""
    revocations = AwardRevocation.objects.all()
    assert 3 <= revocations.count() <= 5
    assert revocations.filter(replacement__isnull=False).exists()
    assert revocations.filter(replacement__isnull=True).exists()
    assert not revocations.filter(reason="").exists()


# --- Logins and credentials ---------------------------------------------------------------------


def test_every_demo_role_has_a_login_with_the_right_flags(demo):
    """One login per role, with full names, demo e-mails and the flags of the role."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    assert set(users) == set(ROLES)
    assert [username for username, _role in demo.credentials.users] == ROLES
    for user in users.values():
        assert user.full_name
        assert user.email == f"{user.username}@thidua.demo"
    assert users["admin"].is_superuser
    assert users["admin"].is_staff
    assert users["chuyenvien"].is_province_staff
    assert users["truongphong"].is_office_head
    assert users["hoidong"].is_council_member
    for username in ["chuyenvien", "truongphong", "hoidong", "canbo", "thutruong", "truongcum", "phocum"]:
        assert not users[username].is_superuser


def test_unit_logins_sit_in_one_cluster_of_this_year(demo):
    """canbo and thutruong act for a plain member commune; truongcum and phocum for its head and deputy."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ROLES)}
    canbo, thutruong = users["canbo"], users["thutruong"]
    assert (canbo.unit_role, thutruong.unit_role) == (UnitRole.OFFICER, UnitRole.HEAD)
    assert canbo.unit == thutruong.unit
    assert canbo.unit.kind == UnitKind.COMMUNE
    assert thutruong.full_name == thutruong.unit.head_name
    membership = ClusterMembership.objects.get(unit=canbo.unit, year=current_year())
    assert membership.role == MemberRole.MEMBER
    assert membership.term.cluster.kind == ClusterKind.CLUSTER
    term = membership.term
    assert users["truongcum"].unit_role == UnitRole.OFFICER
    assert term.memberships.get(unit=users["truongcum"].unit).role == MemberRole.HEAD
    assert users["phocum"].unit_role == UnitRole.OFFICER
    assert term.memberships.get(unit=users["phocum"].unit).role == MemberRole.DEPUTY


def test_demo_logins_sign_in_with_the_stored_password(demo):
    """Every demo login signs in through the login page with the password in the credentials file."""
    stored = load_credentials()
    assert stored == demo.credentials
    assert len(stored.password) >= 16
    for username in ROLES:
        assert _signs_in(username, stored.password), username
    assert not _signs_in("canbo", stored.password + "x")


def test_credentials_file_is_private(demo):
    """The credentials file lives in VAR_DIR and only its owner can read it."""
    path = demo.var_dir / "demo-credentials.json"
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- Running again ------------------------------------------------------------------------------


def test_second_run_creates_nothing_and_keeps_the_password(demo):
    """Seeding again adds no row and returns the same password."""
    before = _counts()
    output = io.StringIO()
    again = seed_demo(scale="small", stdout=output)
    assert _counts() == before
    assert again == demo.credentials
    assert "đã có" in output.getvalue()


def test_lost_credentials_file_gives_the_existing_users_a_new_password(demo):
    """Without the file, the demo users get a new password and the file is written again."""
    path = demo.var_dir / "demo-credentials.json"
    saved = path.read_bytes()
    try:
        path.unlink()
        renewed = seed_demo(scale="small")
        assert renewed.password != demo.credentials.password
        assert load_credentials() == renewed
        assert _signs_in("truongcum", renewed.password)
        assert not _signs_in("phocum", demo.credentials.password)
    finally:
        path.write_bytes(saved)


def test_a_database_with_other_units_is_refused(demo):
    """Units without the demo province's marker mean real data: the seed refuses to mix in."""
    Unit.objects.filter(code=MARKER_CODE).update(code="UBND-THAT")
    before = _counts()
    with pytest.raises(DemoSeedError):
        seed_demo(scale="small")
    assert _counts() == before


def test_command_prints_a_summary_and_the_logins(demo):
    """`manage.py seed_demo` on a seeded database prints the counts, the password and every login."""
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    text = output.getvalue()
    assert "Bản ghi khen thưởng" in text
    assert demo.credentials.password in text
    for username in ROLES:
        assert username in text


# --- Campaigns ------------------------------------------------------------------------------


def test_demo_campaigns_follow_the_seed_documents(demo):
    """The year's directive campaign, a sprint with a 15/12 report, an anniversary and a draft."""
    from campaigns.models import Campaign, CampaignDeadline

    year = current_year()
    assert sorted(Campaign.objects.values_list("kind", "status")) == [
        ("regular", "draft"),
        ("regular", "under_way"),
        ("special", "final_review"),
        ("sprint", "under_way"),
    ]
    annual = Campaign.objects.get(document_number="02/CT-UBND")
    assert annual.status == "under_way"
    assert annual.targets.count() >= 5
    assert annual.content_items.count() == 8
    assert list(annual.transitions.values_list("target", flat=True))[:2] == ["launched", "under_way"]
    sprint = Campaign.objects.get(kind="sprint")
    assert CampaignDeadline.objects.filter(
        campaign=sprint, due_on=dt.date(year, 12, 15), is_report=True
    ).exists()


def test_most_units_registered_and_reported_some_late_or_behind(demo):
    """Most units registered and recorded progress; some did not register, some have no figures."""
    from campaigns.models import Campaign, ProgressEntry

    annual = Campaign.objects.get(document_number="02/CT-UBND")
    active = Unit.objects.filter(active_to__isnull=True).exclude(code="UBNDT").count()
    registered = annual.registrations.filter(status="submitted").count()
    assert 0.7 * active < registered < active
    reporting = ProgressEntry.objects.filter(target__campaign=annual).values("unit").distinct().count()
    assert 0.5 * active < reporting < registered


def test_reseeding_does_not_duplicate_campaigns(demo):
    """A second run adds no campaign."""
    from campaigns.models import Campaign

    before = Campaign.objects.count()
    seed_demo(scale="small")
    assert Campaign.objects.count() == before
