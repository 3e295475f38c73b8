"""Query budgets of the key pages: the same number of queries for a small and a tenfold province.

The benchmark (`make bench`) times these pages on the large demo province; this test is its
part that runs in CI. Each key page is opened as the role that uses it on a small data set and
again after every table behind it has grown tenfold, and must run exactly its pinned number of
queries both times. A page that grows a query per row (N+1) or loses a `select_related` fails
here. New key pages (deadline board, scoring grid, dossiers, council, decisions, public
posting) get an entry in PAGES as they land.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from awards.models import AwardMethod, AwardRecord, Person, RecipientKind
from campaigns.models import (
    Campaign,
    CampaignDeadline,
    CampaignStatus,
    ContentItem,
    ParticipantMode,
    ProgressEntry,
    Registration,
    RegistrationStatus,
    RegistrationTarget,
    Target,
    TargetAssignment,
)
from clusters.models import ClusterMembership, ClusterTerm, MemberRole, SuccessionKind, Unit, UnitSuccession
from core.models import User
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 9, 15, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hưng Yên
YEAR = 2025
SMALL = 3  # rows of each kind in the small province; the large one has ten times as many


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@dataclass
class Province:
    """The people and objects the key pages are opened with; `grow` adds rows behind them."""

    staff: User
    officer: User  # unit A's emulation officer
    cluster_head: User  # officer of the head unit of unit A's cluster
    unit: Unit  # unit A
    term: ClusterTerm  # unit A's cluster this year
    person: Person  # a person of unit A whose award history grows
    campaign: Campaign  # under way, every unit takes part
    targets: list[Target]


@pytest.fixture
def province(staff_user, officer_a, unit_a, cluster_with_head) -> Province:
    ClusterMembership.objects.create(term=cluster_with_head.term, unit=unit_a, year=YEAR)
    campaign = factories.CampaignFactory(
        title="Phong trào thi đua “Hưng Yên chung sức xây dựng nông thôn mới”",
        start_date=dt.date(YEAR, 1, 1),
        end_date=dt.date(YEAR, 12, 31),
        status=CampaignStatus.UNDER_WAY,
        participant_mode=ParticipantMode.ALL_UNITS,
        registration_opens=dt.date(YEAR, 1, 1),
        registration_closes=dt.date(YEAR, 12, 20),
    )
    targets = [
        factories.TargetFactory(campaign=campaign, name="Tỷ lệ hộ nghèo giảm", target_value=100, order=1),
        factories.TargetFactory(
            campaign=campaign,
            name="Xây dựng nhà văn hóa thôn",
            kind="qualitative",
            target_value=None,
            order=2,
        ),
    ]
    return Province(
        staff=staff_user,
        officer=officer_a,
        cluster_head=cluster_with_head.head_officer,
        unit=unit_a,
        term=cluster_with_head.term,
        person=factories.PersonFactory(unit=unit_a, full_name="Nguyễn Thị Hoa"),
        campaign=campaign,
        targets=targets,
    )


def _collective_awards(units: list[Unit], *, start: int) -> None:
    category = factories.category("TTLDTT")
    AwardRecord.objects.bulk_create(
        AwardRecord(
            recipient_kind=RecipientKind.COLLECTIVE,
            unit=unit,
            category=category,
            year=YEAR - 1 - i % 5,
            decision_number=f"{start + i + 1}/QĐ-UBND",
            decision_date=dt.date(YEAR, 1, 15),
            issuing_authority="Chủ tịch UBND tỉnh",
            method=AwardMethod.REGULAR,
        )
        for i, unit in enumerate(units)
    )


def grow(province: Province, n: int, *, start: int) -> None:
    """Add n of everything behind the key pages: units (children of unit A, in its cluster),
    clusters, predecessors, people and awards, campaigns with deadlines, and the main campaign's
    assignments, registrations and progress entries."""
    units = factories.bulk_units(n, prefix="Xã Ngân Sách", start=start)
    for unit in units:
        unit.parent = province.unit
    Unit.objects.bulk_update(units, ["parent"])
    ClusterMembership.objects.bulk_create(
        ClusterMembership(term=province.term, unit=unit, year=YEAR) for unit in units
    )
    # Other clusters of the year, each with a head unit.
    heads = factories.bulk_units(n, prefix="Xã Cụm Khác", start=start)
    for head in heads:
        term = factories.ClusterTermFactory(year=YEAR)
        ClusterMembership.objects.create(term=term, unit=head, year=YEAR, role=MemberRole.HEAD)
    # Units merged into unit A, with their own collective awards (the unit page's history).
    predecessors = factories.bulk_units(n, prefix="Xã Tiền Thân", start=start)
    UnitSuccession.objects.bulk_create(
        UnitSuccession(
            predecessor=p,
            successor=province.unit,
            kind=SuccessionKind.MERGE,
            effective_on=dt.date(YEAR, 7, 1),
        )
        for p in predecessors
    )
    _collective_awards([*predecessors, *[province.unit] * n, *units], start=start * 10)
    # People of unit A and the new units, each with an award; the chosen person's history grows.
    people = factories.bulk_people(2 * n, units=[province.unit, *units], start=start)
    factories.bulk_awards(people)
    factories.bulk_awards([province.person] * n, code="CSTDCS", year=YEAR - 2)
    # Open campaigns (every unit takes part) with upcoming deadlines and content items.
    campaigns = factories.CampaignFactory.create_batch(n, start_date=dt.date(YEAR, 3, 1))
    CampaignDeadline.objects.bulk_create(
        CampaignDeadline(campaign=c, title="Báo cáo sơ kết", due_on=dt.date(YEAR, 10, 1 + i % 28))
        for i, c in enumerate(campaigns)
    )
    ContentItem.objects.bulk_create(
        ContentItem(campaign=province.campaign, order=start + i + 1, title=f"Nội dung {start + i + 1}")
        for i in range(n)
    )
    # The main campaign: assignments, registrations with commitments, progress entries.
    takers = [province.unit, *units] if start == 0 else units
    measurable = [t for t in province.targets if t.is_measurable]
    TargetAssignment.objects.bulk_create(
        TargetAssignment(target=t, unit=u, value=Decimal(50)) for u in takers for t in measurable
    )
    registrations = Registration.objects.bulk_create(
        Registration(campaign=province.campaign, unit=u, status=RegistrationStatus.SUBMITTED) for u in takers
    )
    RegistrationTarget.objects.bulk_create(
        RegistrationTarget(registration=r, target=t, value=Decimal(60) if t.is_measurable else None)
        for r in registrations
        for t in province.targets
    )
    ProgressEntry.objects.bulk_create(
        ProgressEntry(
            target=t,
            unit=u,
            as_of=dt.date(YEAR, 6, 1 + day),
            value=Decimal(10 * day) if t.is_measurable else None,
            done=bool(day % 2),
            recorded_by=province.staff,
        )
        for u in takers
        for t in province.targets
        for day in range(3)
    )


@dataclass(frozen=True)
class KeyPage:
    """A key page of the benchmark (core/bench/pages.py), its login and its query budget."""

    name: str
    login: str  # attribute of Province
    url: Callable[[Province], str]
    queries: int
    # False for pages that show figures of the grown tables rather than their rows.
    lists_rows: bool = True


def _progress(p: Province) -> str:
    return reverse("campaigns:progress_view", args=[p.campaign.pk])


# Budgets, each with the queries it allows; every request first loads the signed-in user.
PAGES = [
    # user, counts of units, clusters, people and last year's awards, and the 8 latest awards
    # joined with their revocation and corrected record
    KeyPage("home", "staff", lambda p: reverse("home"), 6),
    KeyPage(
        "home_officer", "officer", lambda p: reverse("home"), 3, lists_rows=False
    ),  # unit, this year's cluster
    KeyPage("campaign_list", "staff", lambda p: reverse("campaigns:campaign_list"), 3),  # count, page
    # campaign, lifecycle transitions, deadlines, participants
    KeyPage("campaign_detail", "staff", lambda p: p.campaign.get_absolute_url(), 5, lists_rows=False),
    # campaign, targets, participants with their cluster, assignments, commitments, latest entries
    KeyPage("campaign_progress", "staff", _progress, 7),
    # the same, Django permissions (2), the units the officer's cluster leads, participants, unit
    KeyPage("campaign_progress_officer", "officer", _progress, 12),
    # campaign, counts by status, participants, cluster choices, count, page
    KeyPage(
        "registration_board",
        "staff",
        lambda p: reverse("campaigns:registration_board", args=[p.campaign.pk]),
        7,
    ),
    # the unit's clusters, open campaigns with their participant clusters and units (3),
    # registrations, deadlines, the user's unit
    KeyPage("my_campaigns", "officer", lambda p: reverse("campaigns:my_campaigns"), 8),
    KeyPage("cluster_list", "staff", lambda p: reverse("clusters:cluster_list"), 3),  # count, page
    # cluster, its years, the term, memberships with units, the user's unit
    KeyPage(
        "cluster_detail",
        "cluster_head",
        lambda p: reverse("clusters:cluster_detail", args=[p.term.cluster_id]),
        6,
    ),
    # count, cluster choices, page
    KeyPage("unit_list", "staff", lambda p: reverse("clusters:unit_list"), 4),
    KeyPage("unit_search", "staff", lambda p: reverse("clusters:unit_list") + "?q=xa", 4),
    # unit, succession links (2), memberships, children, awards of the unit and its
    # predecessors, people count
    KeyPage("unit_detail", "staff", lambda p: p.unit.get_absolute_url(), 8),
    # count, unit and award choices, page
    KeyPage("person_list", "staff", lambda p: reverse("awards:person_list"), 5),
    KeyPage("person_search", "staff", lambda p: reverse("awards:person_list") + "?q=nguyen", 5),
    # Django permissions (2), the units the officer leads, count, the user's unit, unit and
    # award choices, page
    KeyPage("person_list_officer", "officer", lambda p: reverse("awards:person_list"), 9),
    KeyPage("person_detail", "staff", lambda p: p.person.get_absolute_url(), 3),  # person, awards
    # the row count (small: written now, large: a background job), one server-side cursor
    KeyPage("unit_export", "staff", lambda p: reverse("clusters:unit_list") + "?export=xlsx", 3),
    KeyPage("person_export", "staff", lambda p: reverse("awards:person_list") + "?export=xlsx", 3),
]


def _open(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return len(b"".join(response.streaming_content))
    return len(response.content)


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_key_page_runs_the_same_queries_for_a_tenfold_province(
    page, province, login_as, django_assert_num_queries
):
    """Each key page runs exactly its budget of queries, for the small and the tenfold province."""
    client = login_as(getattr(province, page.login))
    grow(province, SMALL, start=0)
    url = page.url(province)
    _open(client, url)  # the session and the content types are cached from here on
    with django_assert_num_queries(page.queries):
        small = _open(client, url)
    grow(province, 9 * SMALL, start=1000)
    with django_assert_num_queries(page.queries):
        large = _open(client, url)
    if page.lists_rows:
        # The page shows the grown province, not the same rows again.
        assert large != small


def test_every_benchmarked_page_has_a_budget():
    """Every page `make bench` times has a query budget here."""
    from core.bench.pages import KEY_PAGE_NAMES

    assert set(KEY_PAGE_NAMES) <= {page.name for page in PAGES}
