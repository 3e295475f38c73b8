"""Scoring services and reads: the table's totals, self-scores, cross-scores, the office check,
publication, visibility, and reads whose query counts stay flat."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import translation
from openpyxl import Workbook

from campaigns.targets import SheetErrors
from clusters.models import (
    ClusterMembership,
    ImmutableRowError,
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
from clusters.scoring import scores, selectors, sheets, tables
from clusters.scoring.scores import ScoreInput
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def evidence(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def set_stage(term, stage: str) -> None:
    TermScoring.objects.filter(term=term).update(stage=stage)
    term.refresh_from_db()
    if hasattr(term, "_state"):
        term._state.fields_cache.pop("scoring", None)


@pytest.fixture
def year(cluster_with_head, staff_user):
    """The cluster's year with the small table signed and self-scoring open."""
    table, criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    factories.sign_pledge(cluster_with_head.term, table, by=staff_user)
    set_stage(cluster_with_head.term, ScoringStage.SELF)
    table.refresh_from_db()
    cluster_with_head.table = table
    cluster_with_head.c = criteria
    return cluster_with_head


def self_score(year, unit, by, **points):
    inputs = []
    for code, value in points.items():
        criterion = year.c[code.replace("_", ".")]
        if isinstance(value, tuple):
            inputs.append(ScoreInput(criterion=criterion, actual=D(value[0]), target=D(value[1])))
        else:
            inputs.append(ScoreInput(criterion=criterion, points=D(value), explanation="Theo báo cáo"))
    return scores.self_scores_save(term=year.term, unit=unit, inputs=inputs, by=by)


# --- The table ----------------------------------------------------------------------------------


def test_a_table_whose_totals_add_up_has_no_problem(year):
    """The factory table: I 60 = 30 + 30 (2 = 10 + 20), II 40, bonus 5; declared 105."""
    assert tables.table_problems(tables.table_tree(year.table)) == []


def test_totals_that_do_not_add_up_are_reported(cluster_with_head, staff_user):
    """Wrong group sum, wrong sub-criteria sum and a declared total that differs are all listed."""
    table, c = factories.make_score_table(cluster_with_head.term, by=staff_user)
    c["2.2"].max_points = 15
    c["2.2"].save()
    table.declared_total = 100
    table.save()
    with translation.override("en"):
        problems = tables.table_problems(tables.table_tree(table))
    assert "Group I: its criteria add up to 60, not its maximum 60." not in problems
    assert "Criterion 2: its sub-criteria add up to 25, not 30." in problems
    assert "Content maximums (100) plus bonus caps (5) make 105, not the declared total 100." in problems


def test_a_table_can_start_as_a_copy_of_last_years(cluster_with_head, staff_user):
    """Groups, the criteria tree, bands and tie-breaks are copied into the new year's draft."""
    last_term = factories.ClusterTermFactory(
        cluster=cluster_with_head.cluster, year=cluster_with_head.term.year - 1
    )
    last, _ = factories.make_score_table(last_term, by=staff_user)
    table = tables.score_table_create(
        term=cluster_with_head.term,
        title="Bảng năm nay",
        declared_total=D(105),
        copy_from=last,
        by=staff_user,
    )
    tree = tables.table_tree(table)
    assert [g.code for g in tree.groups] == ["I", "II", "IV", "V"]
    assert [c.code for c in tree.groups[0].flat] == ["1", "2", "2.1", "2.2"]
    assert tree.groups[0].flat[2].parent.code == "2"
    assert [b.name for b in tree.bands][:1] == ["Xuất sắc"]
    assert tables.table_problems(tree) == []


def test_a_signed_table_cannot_be_edited(year, staff_user):
    """Groups, criteria, bands and the title are refused once the pledge is signed, even for staff."""
    group = year.table.groups.first()
    with pytest.raises(ValidationError):
        tables.criterion_group_save(
            table=year.table,
            by=staff_user,
            group=group,
            order=0,
            code="I",
            name="X",
            kind="content",
            max_points=D(60),
        )
    with pytest.raises(ValidationError):
        tables.criterion_delete(criterion=year.c["1"], by=staff_user)
    with pytest.raises(ValidationError):
        tables.band_delete(band=year.table.bands.first(), by=staff_user)
    with pytest.raises(ValidationError):
        tables.score_table_update(
            table=year.table, title="X", declared_total=D(105), tie_breaks=[], by=staff_user
        )


def test_a_revision_keeps_both_versions_and_moves_the_scores(year, staff_user):
    """A staff decision with a reason makes version 2; putting it in force keeps version 1 as
    replaced, and the self-scores already given follow to the copied criteria."""
    self_score(year, year.members[0], year.member_officer, **{"2_1": "9"})
    with pytest.raises(ValidationError):
        tables.score_table_revise(table=year.table, reason="", decision="", by=staff_user)
    revision = tables.score_table_revise(
        table=year.table,
        reason="Bổ sung tiêu chí chuyển đổi số",
        decision="Công văn 215/SNV-TĐKT",
        by=staff_user,
    )
    assert revision.version == 2
    assert revision.status == TableStatus.DRAFT
    tables.score_table_adopt(table=revision, by=staff_user)
    year.table.refresh_from_db()
    assert year.table.status == TableStatus.SUPERSEDED
    assert ScoreTable.objects.filter(term=year.term).count() == 2
    entry = ScoreEntry.objects.get(unit=year.members[0])
    assert entry.criterion.group.table_id == revision.pk


def test_xlsx_export_imports_back_to_the_same_table(year, cluster_with_head, staff_user):
    """The exported workbook, imported into an empty draft, gives the same tree and totals."""
    stream = io.BytesIO()
    sheets.write_table(year.table, stream)
    other_term = factories.ClusterTermFactory(cluster=cluster_with_head.cluster, year=year.term.year + 1)
    draft = tables.score_table_create(term=other_term, title="Nhập", declared_total=D(105), by=staff_user)
    upload = SimpleUploadedFile("bang.xlsx", stream.getvalue())
    assert sheets.score_table_import(table=draft, upload=upload, by=staff_user) == 8
    tree = tables.table_tree(draft)
    assert [(c.code, c.max_points, c.method, c.scorer) for g in tree.groups for c in g.flat] == [
        (c.code, c.max_points, c.method, c.scorer)
        for g in tables.table_tree(year.table).groups
        for c in g.flat
    ]
    assert tables.table_problems(tree) == []


def test_xlsx_import_reports_every_wrong_row_and_saves_nothing(cluster_with_head, staff_user):
    """A bad number, an unknown method and a criterion before any group: three errors, no change."""
    draft = tables.score_table_create(
        term=cluster_with_head.term, title="Nhập", declared_total=D(100), by=staff_user
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Nhóm", "Tiêu chí", "Thuộc", "Nội dung", "Điểm", "Loại", "Minh chứng", "Người chấm", "Hướng dẫn"]
    )
    sheet.append(["", "0", "", "Trước nhóm", 5, "", "", "", ""])
    sheet.append(["I", "", "", "Nhiệm vụ chính trị", 100, "nội dung", "", "", ""])
    sheet.append(["", "1", "", "Thu ngân sách", "nhiều", "định lượng", "", "", ""])
    sheet.append(["", "2", "", "Cải cách", 50, "bí ẩn", "", "", ""])
    sheet.append(["", "3", "", "Chuyển đổi số", 50, "định tính", "x", "đơn vị", ""])
    stream = io.BytesIO()
    workbook.save(stream)
    with pytest.raises(SheetErrors) as caught:
        sheets.score_table_import(
            table=draft, upload=SimpleUploadedFile("b.xlsx", stream.getvalue()), by=staff_user
        )
    assert [(e.row, e.column) for e in caught.value.rows] == [(2, "A"), (4, "E"), (5, "F")]
    assert not draft.groups.exists()


# --- Self-scores --------------------------------------------------------------------------------


def test_self_scores_compute_quantitative_points_and_log_changes(year):
    """120 against a target of 100 gives the full 30; a change later keeps old and new value."""
    unit, officer = year.members[0], year.member_officer
    self_score(year, unit, officer, **{"1": ("120", "100"), "2_1": "8"})
    assert ScoreEntry.objects.get(unit=unit, criterion=year.c["1"]).points == 30
    self_score(year, unit, officer, **{"2_1": "9.5"})
    changes = list(
        ScoreChange.objects.filter(entry__criterion=year.c["2.1"]).values_list("old_points", "new_points")
    )
    assert changes == [(None, D(8)), (D(8), D("9.5"))]


def test_self_scores_are_checked_all_or_nothing(year):
    """Above the maximum, a fixed criterion not at 0 or max, and missing evidence: nothing saved."""
    with translation.override("en"), pytest.raises(scores.ScoreErrors) as caught:
        self_score(year, year.members[0], year.member_officer, **{"2_1": "11", "3": "20", "2_2": "5"})
    assert caught.value.cells == {
        year.c["2.1"].pk: "At most 10 points.",
        year.c["3"].pk: "All or nothing: 0 or 40 points.",
    }
    assert not ScoreEntry.objects.exists()
    with translation.override("en"), pytest.raises(scores.ScoreErrors) as caught:
        self_score(year, year.members[0], year.member_officer, **{"3": "40"})
    assert caught.value.cells == {year.c["3"].pk: "Attach evidence for this criterion."}
    inputs = [ScoreInput(criterion=year.c["3"], points=D(40))]
    scores.self_scores_save(
        term=year.term,
        unit=year.members[0],
        inputs=inputs,
        files={year.c["3"].pk: [evidence()]},
        by=year.member_officer,
    )
    assert ScoreEntry.objects.get(criterion=year.c["3"]).evidence.count() == 1


def test_criteria_for_the_leaders_or_the_office_are_not_self_scored(year):
    """The unit cannot give itself the bonus (scored by the leaders) or touch an office penalty."""
    with pytest.raises(scores.ScoreErrors) as caught:
        self_score(year, year.members[0], year.member_officer, **{"4": "5", "5": "0"})
    assert set(caught.value.cells) == {year.c["4"].pk, year.c["5"].pk}


def test_self_scores_are_refused_after_the_due_date_except_for_staff(year, staff_user, time_machine):
    """Due 05/12: a unit saving on 06/12 is refused; staff may still correct."""
    TermScoring.objects.filter(term=year.term).update(self_score_due=dt.date(year.term.year, 12, 5))
    time_machine.move_to(dt.datetime(year.term.year, 12, 6, 9, 0, tzinfo=dt.UTC), tick=False)
    with translation.override("en"), pytest.raises(ValidationError, match="due on 05/12"):
        self_score(year, year.members[0], year.member_officer, **{"2_1": "9"})
    self_score(year, year.members[0], staff_user, **{"2_1": "9"})


def test_self_scores_only_while_self_scoring_is_open(year):
    set_stage(year.term, ScoringStage.CROSS)
    with pytest.raises(ValidationError):
        self_score(year, year.members[0], year.member_officer, **{"2_1": "9"})


# --- Cross-scores and the office check ----------------------------------------------------------


@pytest.fixture
def cross(year):
    for unit, officer in [
        (year.head_unit, year.head_officer),
        (year.deputy_unit, year.deputy_officer),
        (year.members[0], year.member_officer),
    ]:
        self_score(year, unit, officer, **{"1": ("100", "100"), "2_1": "9", "2_2": "18"})
    set_stage(year.term, ScoringStage.CROSS)
    return year


def review(year, unit, by, code, points, reason=""):
    criterion = year.c[code]
    return scores.review_score_save(
        term=year.term,
        unit=unit,
        criterion=criterion,
        typed=ScoreInput(criterion=criterion, points=D(points), reason=reason),
        by=by,
    )


def test_a_unit_never_scores_itself(cross):
    """The head cannot review the head's unit; the deputy can. The deputy cannot review itself."""
    with translation.override("en"), pytest.raises(ValidationError, match="never scores itself"):
        review(cross, cross.head_unit, cross.head_officer, "2.1", "8", "Thiếu minh chứng")
    with pytest.raises(ValidationError):
        review(cross, cross.deputy_unit, cross.deputy_officer, "2.1", "8", "Thiếu minh chứng")
    review(cross, cross.head_unit, cross.deputy_officer, "2.1", "8", "Thiếu minh chứng")
    review(cross, cross.deputy_unit, cross.head_officer, "2.1", "8", "Thiếu minh chứng")
    assert ScoreEntry.objects.filter(stage=ScoreStage.REVIEW).count() == 2


def test_a_plain_member_or_staff_does_not_cross_score(cross, staff_user):
    with pytest.raises(ValidationError):
        review(cross, cross.deputy_unit, cross.member_officer, "2.1", "9")
    with pytest.raises(ValidationError):
        review(cross, cross.deputy_unit, staff_user, "2.1", "9")


def test_a_reviewed_score_that_differs_needs_a_reason(cross):
    """Equal to the self-score needs none; a different one is refused without a reason."""
    review(cross, cross.members[0], cross.head_officer, "2.1", "9")
    with translation.override("en"), pytest.raises(ValidationError, match="give the reason"):
        review(cross, cross.members[0], cross.head_officer, "2.2", "15")
    entry = review(cross, cross.members[0], cross.head_officer, "2.2", "15", "Chưa có kế hoạch chuyển đổi số")
    change = entry.changes.get()
    assert (change.old_points, change.new_points, change.reason, change.by) == (
        None,
        D(15),
        "Chưa có kế hoạch chuyển đổi số",
        cross.head_officer,
    )


def test_office_scores_only_by_staff_on_office_criteria(cross, staff_user):
    set_stage(cross.term, ScoringStage.OFFICE)
    typed = ScoreInput(criterion=cross.c["5"], points=D(8), reason="Không ký giao ước")
    with pytest.raises(ValidationError):
        scores.office_score_save(
            term=cross.term, unit=cross.members[1], criterion=cross.c["5"], typed=typed, by=cross.head_officer
        )
    with pytest.raises(ValidationError):
        scores.office_score_save(
            term=cross.term,
            unit=cross.members[1],
            criterion=cross.c["2.1"],
            typed=ScoreInput(criterion=cross.c["2.1"], points=D(1)),
            by=staff_user,
        )
    scores.office_score_save(
        term=cross.term, unit=cross.members[1], criterion=cross.c["5"], typed=typed, by=staff_user
    )


def test_publishing_fixes_the_results(cross, staff_user):
    """Only staff publish; the rows are immutable in Python and in the database."""
    set_stage(cross.term, ScoringStage.OFFICE)
    with pytest.raises(ValidationError):
        scores.scoring_advance(term=cross.term, by=cross.head_officer)
    scores.scoring_advance(term=cross.term, by=staff_user)
    result = PublishedResult.objects.filter(term=cross.term).order_by("rank").first()
    assert result.final_points == 57  # 30 (100 % of the target) + 9 + 18, nothing in group II
    result.final_points = 100
    with pytest.raises(ImmutableRowError):
        result.save()
    with pytest.raises(ImmutableRowError):
        result.delete()
    with transaction.atomic(), pytest.raises(Exception, match="published_result_immutable"):
        PublishedResult.objects.filter(pk=result.pk).update(final_points=100)
    with pytest.raises(ValidationError):
        review(cross, cross.members[0], cross.head_officer, "2.1", "1", "x")


def test_an_open_hold_makes_a_unit_ineligible(cross, staff_user):
    """An open complaint blocks; once closed, the unit is eligible again; no pledge blocks too."""
    flag = scores.unit_flag_add(
        term=cross.term,
        unit=cross.members[0],
        kind="complaint",
        opened_on=dt.date(cross.term.year, 11, 1),
        by=staff_user,
    )
    members = [m.unit_id for m in ClusterMembership.objects.filter(term=cross.term)]
    with translation.override("en"):
        reasons = selectors.eligibility(cross.term, members)
    assert reasons[cross.members[0].pk] == ["complaint or denunciation"]
    scores.unit_flag_close(flag=flag, closed_on=dt.date(cross.term.year, 11, 20), by=staff_user)
    assert selectors.eligibility(cross.term, members)[cross.members[0].pk] == []
    assert UnitFlag.objects.get().closed_on == dt.date(cross.term.year, 11, 20)


def test_unregistered_units_are_ineligible_when_the_year_has_campaigns(cross):
    """With a launched campaign that year, a unit without a submitted registration fails the gate."""
    from campaigns.models import Registration

    campaign = factories.CampaignFactory()
    Registration.objects.create(campaign=campaign, unit=cross.head_unit, status="submitted")
    with translation.override("en"):
        reasons = selectors.eligibility(cross.term, [cross.head_unit.pk, cross.members[0].pk])
    assert reasons == {cross.head_unit.pk: [], cross.members[0].pk: ["did not register for emulation"]}


# --- Visibility ---------------------------------------------------------------------------------


def test_a_unit_cannot_see_other_units_self_scores(year, council_member, staff_user):
    """Members see only their own; the head and deputy see others' from cross-scoring on."""
    other = ClusterMembership.objects.select_related("term").get(term=year.term, unit=year.members[1])
    own = ClusterMembership.objects.select_related("term").get(term=year.term, unit=year.members[0])
    assert year.member_officer.has_perm("clusters.see_self_scores", own)
    assert not year.member_officer.has_perm("clusters.see_self_scores", other)
    assert not year.head_officer.has_perm("clusters.see_self_scores", other)
    assert staff_user.has_perm("clusters.see_self_scores", other)
    assert council_member.has_perm("clusters.see_self_scores", other)
    set_stage(year.term, ScoringStage.CROSS)
    other = ClusterMembership.objects.select_related("term").get(term=year.term, unit=year.members[1])
    head = factories.UserFactory._meta.model.objects.get(pk=year.head_officer.pk)
    assert head.has_perm("clusters.see_self_scores", other)
    member = factories.UserFactory._meta.model.objects.get(pk=year.member_officer.pk)
    assert not member.has_perm("clusters.see_self_scores", other)


def test_outsiders_see_nothing_of_the_year(year, officer_b, plain_user):
    """A unit of another cluster and a user without a role cannot open the year."""
    assert not officer_b.has_perm("clusters.see_term_scoring", year.term)
    assert not plain_user.has_perm("clusters.see_term_scoring", year.term)


# --- Query counts -------------------------------------------------------------------------------


def _grow(year, units: int) -> None:
    """Add `units` members with self-scores on every self-scored criterion."""
    new = factories.bulk_units(units, prefix="Xã Thêm", start=len(ClusterMembership.objects.all()) * 100)
    ClusterMembership.objects.bulk_create(
        ClusterMembership(term=year.term, unit=u, year=year.term.year) for u in new
    )
    leaves = [c for c in tables.table_tree(year.table).leaves if c.scorer == "unit"]
    ScoreEntry.objects.bulk_create(
        ScoreEntry(criterion=c, unit=u, stage=ScoreStage.SELF, points=0, updated_by=year.member_officer)
        for u in new
        for c in leaves
    )


@pytest.mark.parametrize("extra_units", [0, 30])
def test_score_sheet_and_ranking_queries_stay_flat(year, django_assert_num_queries, extra_units):
    """Memberships, table tree (3), entries: 5 queries with 4 members and 8 criteria as with 34
    members and 38 criteria."""
    from clusters.models import Criterion

    _grow(year, extra_units)
    group = year.table.groups.get(code="II")
    Criterion.objects.bulk_create(
        Criterion(group=group, order=10 + i, code=f"3.{i}", name=f"Thêm {i}", max_points=1)
        for i in range(extra_units)
    )
    with django_assert_num_queries(5):
        sheet = selectors.score_sheet(year.term, year.table)
        rows = selectors.compute_ranking(sheet)
    assert len(rows) == 4 + extra_units


@pytest.mark.parametrize("extra_units", [0, 30])
def test_provisional_ranking_queries_stay_flat(year, django_assert_num_queries, extra_units):
    """Signed table, content total, published rows, sheet (5), campaigns, pledge, holds: 11."""
    _grow(year, extra_units)
    with django_assert_num_queries(11):
        view = selectors.term_ranking(year.term)
    assert len(view.rows) == 4 + extra_units
    assert not view.published


def test_connection_vendor_is_postgresql():
    """The immutability trigger tests above need PostgreSQL."""
    assert connection.vendor == "postgresql"
