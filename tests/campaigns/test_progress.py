"""Status arithmetic, aggregation and the progress service (campaigns.progress)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation

from campaigns.models import (
    CampaignStatus,
    ParticipantMode,
    ProgressEntry,
    Registration,
    RegistrationTarget,
    TargetAssignment,
)
from campaigns.progress import (
    ProgressStatus,
    achievement_ratio,
    campaign_progress,
    elapsed_share,
    latest_entries,
    progress_record,
    progress_status,
    unit_goal,
    visible_unit_ids,
)
from tests import factories

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 4, 10)  # 100 days
HALFWAY = dt.date(2025, 2, 19)  # the 50th day: half of the period has elapsed
HALF = Fraction(1, 2)
NOW = dt.datetime(2025, 2, 19, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english():
    """Labels are asserted in English, the msgids, whatever the catalogue says."""
    with translation.override("en"):
        yield


def _campaign(**kwargs):
    return factories.CampaignFactory(
        start_date=START, end_date=END, status=CampaignStatus.UNDER_WAY, **kwargs
    )


def _target(campaign, **kwargs):
    return factories.TargetFactory(campaign=campaign, **kwargs)


def _ratio(target, value=None, done=None, goal=None):
    goal = goal if goal is not None else target.target_value
    return achievement_ratio(target, goal=goal, value=value, done=done)


def _entry(target, unit, as_of, value=None, done=False, by=None):
    return ProgressEntry.objects.create(
        target=target,
        unit=unit,
        as_of=as_of,
        value=value,
        done=done,
        recorded_by=by or factories.make_staff(),
    )


# --- Elapsed share ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "share"),
    [
        (dt.date(2024, 12, 15), Fraction(0)),  # before the start
        (START, Fraction(1, 100)),  # the first day counts once it is over
        (HALFWAY, HALF),
        (END, Fraction(1)),
        (dt.date(2025, 6, 1), Fraction(1)),  # after the end
    ],
)
def test_elapsed_share_counts_whole_days_and_is_clipped(today, share):
    """Days elapsed over the 100 days of the period, never below 0 nor above 1."""
    campaign = factories.CampaignFactory.build(start_date=START, end_date=END)
    assert elapsed_share(campaign, today) == share


def test_one_day_campaign_is_fully_elapsed_on_its_day():
    """A campaign of a single day has no zero-length period to divide by."""
    campaign = factories.CampaignFactory.build(start_date=START, end_date=START)
    assert elapsed_share(campaign, START) == 1
    assert elapsed_share(campaign, START - dt.timedelta(days=1)) == 0


# --- Achievement ratio and status -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ratio", "status"),
    [
        ("100", HALF, ProgressStatus.ON_TRACK),  # 100/200 = 0.5 ≥ 0.5
        ("80", Fraction(2, 5), ProgressStatus.AT_RISK),  # 0.4 = 0.8 × 0.5
        ("79", Fraction(79, 200), ProgressStatus.BEHIND),
        ("250", Fraction(5, 4), ProgressStatus.ON_TRACK),
    ],
)
def test_at_least_target_halfway(value, ratio, status):
    """ "At least 200": the ratio is actual/target, compared with the elapsed half."""
    target = factories.TargetFactory.build(target_value=Decimal(200), direction="at_least")
    assert _ratio(target, Decimal(value)) == ratio
    assert progress_status(ratio, HALF) == status


@pytest.mark.parametrize(
    ("value", "ratio", "status"),
    [
        ("10", HALF, ProgressStatus.ON_TRACK),  # 5/10
        ("12.5", Fraction(2, 5), ProgressStatus.AT_RISK),  # 5/12.5
        ("20", Fraction(1, 4), ProgressStatus.BEHIND),
        ("0", Fraction(1), ProgressStatus.ON_TRACK),  # nothing happened: met
    ],
)
def test_at_most_target_halfway(value, ratio, status):
    """ "At most 5 accidents": the ratio is target/actual."""
    target = factories.TargetFactory.build(target_value=Decimal(5), direction="at_most")
    assert _ratio(target, Decimal(value)) == ratio
    assert progress_status(ratio, HALF) == status


def test_baseline_measures_the_way_from_baseline_to_target():
    """Poverty from 10 % (baseline) to at most 5 %: at 8 % two fifths of the way are done;
    a rate from 60 to at least 80: at 70 half, at 55 less than nothing."""
    poverty = factories.TargetFactory.build(
        target_value=Decimal(5), baseline=Decimal(10), direction="at_most"
    )
    assert _ratio(poverty, Decimal(8)) == Fraction(2, 5)
    assert progress_status(Fraction(2, 5), HALF) == ProgressStatus.AT_RISK

    rate = factories.TargetFactory.build(target_value=Decimal(80), baseline=Decimal(60), direction="at_least")
    assert _ratio(rate, Decimal(70)) == HALF
    assert _ratio(rate, Decimal(55)) == Fraction(-1, 4)
    assert progress_status(Fraction(-1, 4), HALF) == ProgressStatus.BEHIND


def test_baseline_on_the_wrong_side_of_a_units_goal_is_ignored():
    """A unit's goal of 50 below the province's baseline of 60 is judged as actual/goal."""
    rate = factories.TargetFactory.build(target_value=Decimal(80), baseline=Decimal(60), direction="at_least")
    assert _ratio(rate, Decimal(25), goal=Decimal(50)) == HALF


def test_qualitative_target_is_one_when_done_and_zero_when_not():
    """Done or not done: halfway, not done is behind; before the start it is still on track."""
    target = factories.TargetFactory.build(kind="qualitative", target_value=None)
    assert _ratio(target, done=True) == 1
    assert _ratio(target, done=False) == 0
    assert _ratio(target, done=None) is None
    assert progress_status(Fraction(0), HALF) == ProgressStatus.BEHIND
    assert progress_status(Fraction(0), Fraction(0)) == ProgressStatus.ON_TRACK


def test_before_start_and_after_end():
    """Before the start any progress is on track; after the end the whole target is due."""
    campaign = factories.CampaignFactory.build(start_date=START, end_date=END)
    target = factories.TargetFactory.build(target_value=Decimal(200))
    before = elapsed_share(campaign, dt.date(2024, 12, 1))
    after = elapsed_share(campaign, dt.date(2025, 5, 1))
    assert progress_status(_ratio(target, Decimal(0)), before) == ProgressStatus.ON_TRACK
    assert progress_status(_ratio(target, Decimal(190)), after) == ProgressStatus.AT_RISK  # 0.95
    assert progress_status(_ratio(target, Decimal(150)), after) == ProgressStatus.BEHIND  # 0.75 < 0.8
    assert progress_status(_ratio(target, Decimal(200)), after) == ProgressStatus.ON_TRACK


def test_nothing_reported_has_its_own_status():
    assert progress_status(None, HALF) == ProgressStatus.NOT_REPORTED


def test_unit_goal_prefers_commitment_then_assignment_then_province_value():
    target = factories.TargetFactory.build(target_value=Decimal(100))
    assert unit_goal(target, committed=Decimal(150), assigned=Decimal(120)) == 150
    assert unit_goal(target, committed=None, assigned=Decimal(120)) == 120
    assert unit_goal(target) == 100


# --- Aggregation ------------------------------------------------------------------------------


@pytest.fixture
def scenario(db):
    """Two clusters (A, B in the first; C in the second), D in none, two targets.

    T1 "at least 100", weight 2; T2 done or not, weight 1. A has T1 assigned at 200; B
    registered a commitment of 50; C only drafted 10 (a draft does not count); D registered
    without T2.
    """
    campaign = _campaign(participant_mode=ParticipantMode.UNITS)
    staff = factories.make_staff()
    first = factories.ClusterTermFactory(cluster=factories.ClusterFactory(name="Cụm 1"), year=2025)
    second = factories.ClusterTermFactory(cluster=factories.ClusterFactory(name="Cụm 2"), year=2025)
    a = factories.UnitFactory(name="Xã A")
    b = factories.UnitFactory(name="Xã B")
    c = factories.UnitFactory(name="Xã C")
    d = factories.UnitFactory(name="Xã D")
    outsider = factories.UnitFactory(name="Xã Ngoài")
    campaign.participant_units.set([a, b, c, d])
    for term, unit in [(first, a), (first, b), (second, c)]:
        factories.ClusterMembershipFactory(term=term, unit=unit)
    t1 = _target(campaign, name="Nhà ở", target_value=100, weight=2, order=1)
    t2 = _target(campaign, name="Ban hành kế hoạch", kind="qualitative", target_value=None, weight=1, order=2)
    TargetAssignment.objects.create(target=t1, unit=a, value=200)
    registered_b = Registration.objects.create(campaign=campaign, unit=b, status="submitted")
    RegistrationTarget.objects.create(registration=registered_b, target=t1, value=50)
    draft_c = Registration.objects.create(campaign=campaign, unit=c, status="draft")
    RegistrationTarget.objects.create(registration=draft_c, target=t1, value=10)
    registered_d = Registration.objects.create(campaign=campaign, unit=d, status="submitted")
    RegistrationTarget.objects.create(registration=registered_d, target=t2, committed=False)

    _entry(t1, a, dt.date(2025, 1, 10), Decimal(50), by=staff)
    _entry(t1, a, dt.date(2025, 2, 1), Decimal(100), by=staff)  # the latest counts
    _entry(t2, a, dt.date(2025, 2, 1), done=True, by=staff)
    _entry(t1, b, dt.date(2025, 2, 1), Decimal(50), by=staff)
    _entry(t1, c, dt.date(2025, 2, 1), Decimal(30), by=staff)
    _entry(t2, c, dt.date(2025, 2, 1), done=False, by=staff)
    _entry(t1, d, dt.date(2025, 2, 1), Decimal(120), by=staff)
    _entry(t1, outsider, dt.date(2025, 2, 1), Decimal(999), by=staff)  # not a participant
    return {"campaign": campaign, "units": {"a": a, "b": b, "c": c, "d": d}, "t1": t1, "t2": t2}


def test_units_targets_and_goals(scenario):
    """Each unit is judged against its own goal; the surplus of D on T1 is capped at 100 %."""
    report = campaign_progress(scenario["campaign"], today=HALFWAY)
    units = {u.name: u for u in report.units}
    assert list(units) == ["Xã A", "Xã B", "Xã C", "Xã D"]
    a, b, c, d = (units[name] for name in ["Xã A", "Xã B", "Xã C", "Xã D"])
    assert [cell.goal for cell in a.cells] == [Decimal(200), None]
    assert a.cells[0].ratio == HALF
    assert a.cells[1].ratio == 1
    assert a.ratio == Fraction(2, 3)  # (2 × 1/2 + 1 × 1) / 3
    assert b.cells[0].goal == 50
    assert b.ratio == Fraction(2, 3)
    assert c.cells[0].goal == 100
    assert c.ratio == Fraction(1, 5)
    assert d.cells[1].applies is False
    assert d.cells[0].ratio == Fraction(6, 5)
    assert d.ratio == 1
    assert [a.status, c.status] == [ProgressStatus.ON_TRACK, ProgressStatus.BEHIND]
    assert a.reported == 2
    assert a.last_as_of == dt.date(2025, 2, 1)


def test_aggregates_per_target_cluster_and_province(scenario):
    """Per target, per cluster (cluster of the start year) and province-wide means."""
    report = campaign_progress(scenario["campaign"], today=HALFWAY)
    t1, t2 = report.by_target
    assert t1.ratio == Fraction(7, 10)  # (1/2 + 1 + 3/10 + 1) / 4
    assert t1.status == ProgressStatus.ON_TRACK
    # D does not commit to t2; of the three others two reported: the mean covers those two.
    assert (t2.ratio, t2.unit_count, t2.reported_count) == (Fraction(1, 2), 3, 2)
    assert t2.status == ProgressStatus.ON_TRACK
    clusters = {g.label: g for g in report.by_cluster}
    assert clusters["Cụm 1"].ratio == Fraction(2, 3)
    assert clusters["Cụm 2"].ratio == Fraction(1, 5)
    assert clusters["Not in a cluster"].ratio == 1
    assert report.province.ratio == Fraction(19, 30)
    assert report.province.status == ProgressStatus.ON_TRACK
    assert report.province.status_counts == {ProgressStatus.ON_TRACK: 3, ProgressStatus.BEHIND: 1}


def test_cluster_filter_narrows_units_and_targets_not_clusters(scenario):
    """Filtered by a cluster, the unit and target tables cover it; clusters and province all."""
    report = campaign_progress(scenario["campaign"], today=HALFWAY)
    second = next(g.key for g in report.by_cluster if g.label == "Cụm 2")
    filtered = campaign_progress(scenario["campaign"], today=HALFWAY, cluster_id=second)
    assert [u.name for u in filtered.units] == ["Xã C"]
    assert filtered.by_target[0].ratio == Fraction(3, 10)
    assert len(filtered.by_cluster) == 3
    assert filtered.province.ratio == report.province.ratio
    outside = campaign_progress(scenario["campaign"], today=HALFWAY, cluster_id=0)
    assert [u.name for u in outside.units] == ["Xã D"]


def test_a_silent_unit_is_not_reported_and_counted_apart(scenario):
    """A participant with no entry shows "not reported"; averages cover the units that reported,
    so a late report does not read as a poor result."""
    silent = factories.UnitFactory(name="Xã E")
    scenario["campaign"].participant_units.add(silent)
    report = campaign_progress(scenario["campaign"], today=HALFWAY)
    e = next(u for u in report.units if u.name == "Xã E")
    assert (e.ratio, e.status) == (None, ProgressStatus.NOT_REPORTED)
    assert report.province.ratio == Fraction(19, 30)
    assert (report.province.unit_count, report.province.reported_count) == (5, 4)
    assert report.province.status_counts[ProgressStatus.NOT_REPORTED] == 1


def test_nothing_reported_at_all():
    """A campaign without entries reports nothing rather than 0 % behind."""
    campaign = _campaign()
    _target(campaign)
    report = campaign_progress(campaign, today=HALFWAY)
    assert report.province.ratio is None
    assert report.province.status == ProgressStatus.NOT_REPORTED


def test_latest_entry_per_target_and_unit(scenario):
    """The newest date wins; on the same date the later entry wins."""
    t1, a = scenario["t1"], scenario["units"]["a"]
    _entry(t1, a, dt.date(2025, 2, 1), Decimal(110))
    latest = latest_entries(scenario["campaign"])
    assert latest[(t1.pk, a.pk)].value == 110
    assert len(latest) == 7


def test_latest_entries_portable_fallback_gives_the_same_answer(
    scenario, monkeypatch, django_assert_num_queries
):
    """Without DISTINCT ON (SQLite, the demo) a correlated subquery finds the same rows."""
    expected = latest_entries(scenario["campaign"])
    monkeypatch.setattr(connection.features, "can_distinct_on_fields", False)
    with django_assert_num_queries(1):
        assert latest_entries(scenario["campaign"]) == expected


def _grow(campaign, *, units: int, targets: list, start: int, entries_per_pair: int = 2) -> None:
    """Participants in a cluster, each with assignments, a registration and several entries."""
    staff = factories.make_staff()
    term = factories.ClusterTermFactory(year=2025)
    new_units = factories.bulk_units(units, prefix=f"Xã Mới {start}", start=start)
    from clusters.models import ClusterMembership

    ClusterMembership.objects.bulk_create(ClusterMembership(term=term, unit=u, year=2025) for u in new_units)
    TargetAssignment.objects.bulk_create(
        TargetAssignment(target=t, unit=u, value=50) for u in new_units for t in targets if t.is_measurable
    )
    registrations = Registration.objects.bulk_create(
        Registration(campaign=campaign, unit=u, status="submitted") for u in new_units
    )
    RegistrationTarget.objects.bulk_create(
        RegistrationTarget(registration=r, target=t, value=60 if t.is_measurable else None)
        for r in registrations
        for t in targets
    )
    ProgressEntry.objects.bulk_create(
        ProgressEntry(
            target=t,
            unit=u,
            as_of=dt.date(2025, 1, 5 + day),
            value=Decimal(10 * day) if t.is_measurable else None,
            done=bool(day % 2),
            recorded_by=staff,
        )
        for u in new_units
        for t in targets
        for day in range(entries_per_pair)
    )


PROGRESS_QUERIES = 5  # targets, participants with cluster, assignments, commitments, latest entries


def test_campaign_progress_query_count_is_flat_under_tenfold_data(django_assert_num_queries):
    """Five queries for 3 units and for 30 units with ten times the entries."""
    campaign = _campaign()
    targets = [_target(campaign, order=1), _target(campaign, kind="qualitative", target_value=None, order=2)]
    _grow(campaign, units=3, targets=targets, start=0)
    with django_assert_num_queries(PROGRESS_QUERIES):
        small = campaign_progress(campaign, today=HALFWAY)
    _grow(campaign, units=27, targets=targets, start=100, entries_per_pair=20)
    with django_assert_num_queries(PROGRESS_QUERIES):
        large = campaign_progress(campaign, today=HALFWAY)
    assert len(large.units) == 10 * len(small.units)


# --- Who sees which unit ----------------------------------------------------------------------


def test_visible_units(scenario, staff_user, council_member, cluster_with_head):
    """Staff and council see every unit; a unit itself; a cluster head its cluster's units."""
    campaign = scenario["campaign"]
    a = scenario["units"]["a"]
    assert visible_unit_ids(campaign, staff_user) is None
    assert visible_unit_ids(campaign, council_member) is None
    assert visible_unit_ids(campaign, factories.make_officer(a)) == {a.pk}
    assert visible_unit_ids(campaign, factories.UserFactory()) == frozenset()
    head = cluster_with_head.head_officer
    led = visible_unit_ids(factories.CampaignFactory(), head)  # this year's cluster
    assert cluster_with_head.members[0].pk in led
    assert head.unit_id in led


# --- progress_record --------------------------------------------------------------------------


@pytest.fixture
def open_campaign(db):
    campaign = _campaign(participant_mode=ParticipantMode.UNITS)
    a, b = factories.UnitFactory(name="Xã A"), factories.UnitFactory(name="Xã B")
    campaign.participant_units.set([a, b])
    target = _target(campaign, target_value=100)
    qualitative = _target(campaign, kind="qualitative", target_value=None)
    return {"campaign": campaign, "a": a, "b": b, "target": target, "qualitative": qualitative}


@time_machine.travel(NOW, tick=False)
def test_officer_records_progress_of_their_unit(open_campaign):
    """A unit's officer records a value and a done target; the entries carry who and when."""
    officer = factories.make_officer(open_campaign["a"])
    entry = progress_record(
        unit=open_campaign["a"],
        target=open_campaign["target"],
        as_of=HALFWAY,
        value=Decimal("45.5"),
        note="Đã khởi công",
        by=officer,
    )
    assert (entry.value, entry.done, entry.recorded_by, entry.note) == (
        Decimal("45.5"),
        False,
        officer,
        "Đã khởi công",
    )
    done = progress_record(
        unit=open_campaign["a"], target=open_campaign["qualitative"], as_of=HALFWAY, done=True, by=officer
    )
    assert (done.value, done.done) == (None, True)


@time_machine.travel(NOW, tick=False)
def test_officer_cannot_record_for_another_unit(open_campaign):
    """The officer of unit B is refused on unit A's progress."""
    with pytest.raises(PermissionDenied):
        progress_record(
            unit=open_campaign["a"],
            target=open_campaign["target"],
            as_of=HALFWAY,
            value=Decimal(1),
            by=factories.make_officer(open_campaign["b"]),
        )
    assert not ProgressEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_non_participant_cannot_record(open_campaign):
    """A unit that does not take part is refused, even by staff."""
    outsider = factories.UnitFactory()
    for by in [factories.make_officer(outsider), factories.make_staff()]:
        with pytest.raises(ValidationError) as error:
            progress_record(
                unit=outsider, target=open_campaign["target"], as_of=HALFWAY, value=Decimal(1), by=by
            )
        assert error.value.code == "not_participant"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("as_of", "value", "done", "code"),
    [
        (dt.date(2024, 12, 31), Decimal(1), None, "as_of"),  # before the start
        (dt.date(2025, 2, 20), Decimal(1), None, "as_of"),  # tomorrow
        (HALFWAY, None, None, "value"),
    ],
)
def test_progress_record_refuses_bad_input(open_campaign, as_of, value, done, code):
    officer = factories.make_officer(open_campaign["a"])
    with pytest.raises(ValidationError) as error:
        progress_record(
            unit=open_campaign["a"],
            target=open_campaign["target"],
            as_of=as_of,
            value=value,
            done=done,
            by=officer,
        )
    assert error.value.code == code


@time_machine.travel(NOW, tick=False)
def test_qualitative_target_needs_done_or_not(open_campaign):
    officer = factories.make_officer(open_campaign["a"])
    with pytest.raises(ValidationError) as error:
        progress_record(
            unit=open_campaign["a"], target=open_campaign["qualitative"], as_of=HALFWAY, by=officer
        )
    assert error.value.code == "done"


@time_machine.travel(NOW, tick=False)
def test_closed_campaign_refuses_units_but_not_staff(open_campaign):
    """After the campaign closes only staff can still correct progress; nobody on a draft."""
    campaign = open_campaign["campaign"]
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    args = {
        "unit": open_campaign["a"],
        "target": open_campaign["target"],
        "as_of": HALFWAY,
        "value": Decimal(1),
    }
    with pytest.raises(ValidationError) as error:
        progress_record(**args, by=factories.make_officer(open_campaign["a"]))
    assert error.value.code == "closed"
    assert progress_record(**args, by=factories.make_staff()).pk
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    with pytest.raises(ValidationError) as error:
        progress_record(**args, by=factories.make_staff())
    assert error.value.code == "draft"


@time_machine.travel(NOW, tick=False)
def test_progress_is_audited_with_who_and_why(open_campaign):
    from core.audit import audit_enabled

    if not audit_enabled():
        pytest.skip("history is recorded by PostgreSQL triggers")
    officer = factories.make_officer(open_campaign["a"])
    entry = progress_record(
        unit=open_campaign["a"], target=open_campaign["target"], as_of=HALFWAY, value=Decimal(1), by=officer
    )
    assert entry.events.get().pgh_context.metadata == {"user": officer.pk, "reason": "progress recorded"}
