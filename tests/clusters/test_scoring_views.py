"""Scoring screens: full pages and htmx partials, who is refused, lists and exports, query counts."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from clusters.models import (
    ClusterMembership,
    ScoreEntry,
    ScoreStage,
    ScoreTable,
    ScoringStage,
    TermScoring,
    UnitFlag,
)
from clusters.scoring import scores
from clusters.scoring.scores import ScoreInput
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def set_stage(term, stage):
    TermScoring.objects.filter(term=term).update(stage=stage)


@pytest.fixture
def year(cluster_with_head, staff_user):
    table, criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    factories.sign_pledge(cluster_with_head.term, table, by=staff_user)
    set_stage(cluster_with_head.term, ScoringStage.SELF)
    cluster_with_head.table, cluster_with_head.c = table, criteria
    return cluster_with_head


def url(name, *args):
    return reverse(f"clusters:{name}", args=args)


def _sheet(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


# --- Workspace ----------------------------------------------------------------------------------


def test_workspace_full_page_and_partial(year, login_as):
    """A normal request gets the page; a plain htmx request only the section."""
    client = login_as(year.head_officer)
    page = client.get(url("score_workspace", year.term.pk))
    assert page.status_code == 200
    assert "<html" in page.text
    assert '<section id="score-workspace"' in page.text
    assert "Self-scoring by member" in page.text
    partial = client.get(url("score_workspace", year.term.pk), **HTMX)
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="score-workspace"')
    assert "HX-Request" in partial["Vary"]


def test_members_see_their_own_form_but_not_the_progress(year, login_as):
    page = login_as(year.member_officer).get(url("score_workspace", year.term.pk))
    assert page.status_code == 200
    assert url("score_self", year.term.pk, year.members[0].pk) in page.text
    assert "Self-scoring by member" not in page.text


@pytest.mark.parametrize("extra", [0, 20])
def test_workspace_queries_stay_flat(year, login_as, django_assert_num_queries, extra):
    """User, term, role, table versions, members, tree (3), entries, pledge (2), Django's own
    permissions (2, for a rule that refuses), the header's unit: 14 for 4 or 24 members."""
    for unit in factories.bulk_units(extra, prefix="Xã Mới"):
        ClusterMembership.objects.create(term=year.term, unit=unit)
    client = login_as(year.head_officer)
    with django_assert_num_queries(14):
        assert client.get(url("score_workspace", year.term.pk)).status_code == 200


def test_outsiders_are_refused_every_screen(year, login_as, officer_b, plain_user):
    term = year.term.pk
    for user in (officer_b, plain_user):
        client = login_as(user)
        for name, args in [
            ("score_workspace", (term,)),
            ("score_table", (year.table.pk,)),
            ("score_self", (term, year.members[0].pk)),
            ("score_grid", (term,)),
            ("score_compare", (term,)),
            ("ranking_view", (term,)),
            ("score_flags", (term,)),
            ("score_overview", ()),
            ("vote_proposals", ()),
        ]:
            assert client.get(url(name, *args)).status_code == 403, (user, name)


# --- Table --------------------------------------------------------------------------------------


def test_the_head_creates_a_table_from_an_excel_file(cluster_with_head, login_as, staff_user):
    """The uploaded workbook becomes the draft; a wrong file leaves no table behind."""
    other_term = factories.ClusterTermFactory(
        cluster=cluster_with_head.cluster, year=cluster_with_head.term.year - 1
    )
    source, _ = factories.make_score_table(other_term, by=staff_user)
    client = login_as(cluster_with_head.head_officer)
    export = login_as(staff_user).get(url("score_table", source.pk) + "?export=xlsx")
    content = b"".join(export.streaming_content)
    create = url("score_table_create", cluster_with_head.term.pk)
    bad = SimpleUploadedFile("bang.xlsx", b"not a workbook")
    response = client.post(create, {"title": "Bảng", "declared_total": "105", "file": bad})
    assert response.status_code == 200
    assert not ScoreTable.objects.filter(term=cluster_with_head.term).exists()
    response = client.post(
        create, {"title": "Bảng", "declared_total": "105", "file": SimpleUploadedFile("bang.xlsx", content)}
    )
    assert response.status_code == 302
    table = ScoreTable.objects.get(term=cluster_with_head.term)
    assert table.groups.count() == 4
    assert "All totals add up." in client.get(url("score_table", table.pk)).text


def test_table_export_lists_groups_and_criteria(year, login_as):
    rows = _sheet(login_as(year.member_officer).get(url("score_table", year.table.pk) + "?export=xlsx"))
    assert rows[1][:6] == ("I", None, None, "Nhiệm vụ chính trị, chuyên môn", 60, "nội dung")
    assert rows[4][:6] == (None, "2.1", "2", "Chỉ số cải cách hành chính", 10, "định tính")


def test_members_cannot_draft_the_table(cluster_with_head, login_as):
    response = login_as(cluster_with_head.member_officer).post(
        url("score_table_create", cluster_with_head.term.pk), {"title": "X", "declared_total": "100"}
    )
    assert response.status_code == 403


def test_staff_revise_a_signed_table_with_a_reason(year, login_as, staff_user):
    client = login_as(staff_user)
    response = client.post(
        url("score_table_revise", year.table.pk), {"decision": "CV 215/SNV", "reason": "Bổ sung"}
    )
    assert response.status_code == 302
    revision = ScoreTable.objects.get(term=year.term, version=2)
    assert client.post(url("score_table_adopt", revision.pk)).status_code == 302
    assert login_as(year.head_officer).get(url("score_table_revise", year.table.pk)).status_code == 403


# --- Self-scoring -------------------------------------------------------------------------------


def test_a_member_saves_its_scores_with_evidence(year, login_as):
    client = login_as(year.member_officer)
    form = url("score_self", year.term.pk, year.members[0].pk)
    c = year.c
    response = client.post(
        form,
        {
            f"actual-{c['1'].pk}": "110",
            f"target-{c['1'].pk}": "100",
            f"points-{c['2.1'].pk}": "9,5",
            f"explanation-{c['2.1'].pk}": "Theo báo cáo",
            f"points-{c['3'].pk}": "40",
            f"evidence-{c['3'].pk}": SimpleUploadedFile(
                "nghi-quyet.pdf", PDF, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    points = dict(ScoreEntry.objects.filter(unit=year.members[0]).values_list("criterion__code", "points"))
    assert points == {"1": D(30), "2.1": D("9.5"), "3": D(40)}
    evidence = ScoreEntry.objects.get(criterion=c["3"]).evidence.get()
    assert login_as(year.member_officer).get(url("score_evidence_file", evidence.pk)).status_code == 200
    other = factories.make_officer(year.members[1], username="khac")
    assert login_as(other).get(url("score_evidence_file", evidence.pk)).status_code == 403


def test_a_wrong_value_re_shows_the_form_with_what_was_typed(year, login_as):
    client = login_as(year.member_officer)
    response = client.post(
        url("score_self", year.term.pk, year.members[0].pk), {f"points-{year.c['2.1'].pk}": "12"}
    )
    assert response.status_code == 200
    assert "At most 10 points." in response.text
    assert 'value="12"' in response.text
    assert not ScoreEntry.objects.exists()


def test_a_unit_cannot_open_or_post_another_units_form(year, login_as):
    client = login_as(year.member_officer)
    other = url("score_self", year.term.pk, year.members[1].pk)
    assert client.get(other).status_code == 403
    assert client.post(other, {f"points-{year.c['2.1'].pk}": "1"}).status_code == 403
    assert login_as(year.head_officer).get(other).status_code == 403  # before cross-scoring


def test_the_form_is_read_only_outside_self_scoring(year, login_as):
    set_stage(year.term, ScoringStage.CROSS)
    client = login_as(year.member_officer)
    form = url("score_self", year.term.pk, year.members[0].pk)
    assert client.get(form).context["can_edit"] is False
    assert client.post(form, {f"points-{year.c['2.1'].pk}": "1"}).status_code == 403


# --- Cross-scoring grid -------------------------------------------------------------------------


@pytest.fixture
def cross(year, staff_user):
    for unit in [year.head_unit, year.deputy_unit, *year.members]:
        scores.self_scores_save(
            term=year.term,
            unit=unit,
            inputs=[ScoreInput(criterion=year.c["2.1"], points=D(8))],
            by=staff_user,
        )
    set_stage(year.term, ScoringStage.CROSS)
    return year


def test_grid_full_page_and_partial(cross, login_as):
    client = login_as(cross.head_officer)
    page = client.get(url("score_grid", cross.term.pk))
    assert page.status_code == 200
    assert '<section id="score-grid"' in page.text
    assert "<html" in page.text
    partial = client.get(url("score_grid", cross.term.pk), **HTMX)
    assert partial.text.lstrip().startswith('<section id="score-grid"')
    assert "<html" not in partial.text
    # The head's own column is read-only: no input named for it.
    assert f'name="p-{cross.head_unit.pk}-' not in page.text
    assert f'name="p-{cross.members[0].pk}-{cross.c["2.1"].pk}"' in page.text


def test_a_cell_saves_on_change_and_answers_with_the_cell(cross, login_as):
    client = login_as(cross.head_officer)
    name = f"{cross.members[0].pk}-{cross.c['2.1'].pk}"
    cell = url("score_grid_cell", cross.term.pk, cross.members[0].pk, cross.c["2.1"].pk)
    refused = client.post(cell, {f"p-{name}": "6"}, **HTMX)
    assert refused.status_code == 200
    assert "give the reason" in refused.text
    assert refused.text.lstrip().startswith(f'<td id="cell-{name}"')
    saved = client.post(cell, {f"p-{name}": "6", f"r-{name}": "Thiếu minh chứng"}, **HTMX)
    assert saved.status_code == 200
    assert "field-error" not in saved.text
    entry = ScoreEntry.objects.get(stage=ScoreStage.REVIEW)
    assert (entry.points, entry.explanation) == (D(6), "Thiếu minh chứng")


def test_save_all_works_without_javascript(cross, login_as):
    """The whole grid posts; good cells are saved, a wrong one is reported with its value kept."""
    client = login_as(cross.deputy_officer)
    c = cross.c["2.1"].pk
    response = client.post(
        url("score_grid", cross.term.pk),
        {
            f"p-{cross.head_unit.pk}-{c}": "8",
            f"p-{cross.members[0].pk}-{c}": "5",
            f"r-{cross.members[0].pk}-{c}": "",
        },
    )
    assert response.status_code == 200
    assert "One cell is wrong" in response.text
    assert ScoreEntry.objects.filter(stage=ScoreStage.REVIEW, unit=cross.head_unit).exists()
    assert not ScoreEntry.objects.filter(stage=ScoreStage.REVIEW, unit=cross.members[0]).exists()


def test_the_grid_refuses_members_and_own_cells(cross, login_as):
    assert login_as(cross.member_officer).get(url("score_grid", cross.term.pk)).status_code == 403
    own = url("score_grid_cell", cross.term.pk, cross.head_unit.pk, cross.c["2.1"].pk)
    assert login_as(cross.head_officer).post(own, {}, **HTMX).status_code == 403


@pytest.mark.parametrize("extra", [0, 20])
def test_grid_queries_stay_flat_as_members_and_criteria_grow(
    cross, login_as, django_assert_num_queries, extra
):
    """User, term, role, table, members, tree (3), entries, the header's unit: 10 for 4 units and
    5 criteria as for 24 units and 25 criteria."""
    from clusters.models import Criterion

    for unit in factories.bulk_units(extra, prefix="Xã Lưới"):
        ClusterMembership.objects.create(term=cross.term, unit=unit)
    group = cross.table.groups.get(code="II")
    Criterion.objects.bulk_create(
        Criterion(group=group, order=10 + i, code=f"3.{i}", name=f"Tiêu chí thêm {i}", max_points=1)
        for i in range(extra)
    )
    client = login_as(cross.head_officer)
    with django_assert_num_queries(10):
        response = client.get(url("score_grid", cross.term.pk))
    assert len(response.context["rows"]) == 5 + extra
    assert len(response.context["columns"]) == 4 + extra


def test_office_grid_is_for_staff(cross, login_as, staff_user):
    set_stage(cross.term, ScoringStage.OFFICE)
    page = login_as(staff_user).get(url("score_office", cross.term.pk))
    assert page.status_code == 200
    name = f"{cross.members[1].pk}-{cross.c['5'].pk}"
    assert f'name="p-{name}"' in page.text
    cell = url("score_office_cell", cross.term.pk, cross.members[1].pk, cross.c["5"].pk)
    assert login_as(cross.head_officer).post(cell, {f"p-{name}": "8"}, **HTMX).status_code == 403
    assert (
        login_as(staff_user)
        .post(cell, {f"p-{name}": "8", f"r-{name}": "Không ký giao ước"}, **HTMX)
        .status_code
        == 200
    )
    assert ScoreEntry.objects.get(stage=ScoreStage.OFFICE).points == 8


def test_compare_lists_the_changed_criteria(cross, login_as, staff_user):
    scores.review_score_save(
        term=cross.term,
        unit=cross.members[0],
        criterion=cross.c["2.1"],
        typed=ScoreInput(criterion=cross.c["2.1"], points=D(6), reason="Thiếu minh chứng"),
        by=cross.head_officer,
    )
    page = login_as(cross.head_officer).get(url("score_compare", cross.term.pk))
    assert "8 → 6 — Thiếu minh chứng" in page.text


# --- Ranking, holds, settings -------------------------------------------------------------------


def test_ranking_is_hidden_from_members_until_published(cross, login_as, staff_user):
    ranking = url("ranking_view", cross.term.pk)
    assert login_as(cross.member_officer).get(ranking).status_code == 403
    set_stage(cross.term, ScoringStage.OFFICE)
    scores.scoring_advance(term=cross.term, by=staff_user)
    page = login_as(cross.member_officer).get(ranking)
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Published results" in page.text
    rows = _sheet(login_as(cross.member_officer).get(ranking + "?export=xlsx"))
    assert rows[0][0] == "Rank"
    assert len(rows) == 5


def test_staff_record_and_close_holds(cross, login_as, staff_user):
    client = login_as(staff_user)
    flags = url("score_flags", cross.term.pk)
    response = client.post(
        flags,
        {
            "unit": cross.members[0].pk,
            "kind": "inspection",
            "opened_on": "01/11/2026",
            "source": "Thanh tra tỉnh",
        },
    )
    assert response.status_code == 302
    flag = UnitFlag.objects.get()
    assert (
        client.post(url("score_flag_close", cross.term.pk, flag.pk), {"closed_on": "20/11/2026"}).status_code
        == 302
    )
    flag.refresh_from_db()
    assert flag.closed_on is not None
    assert login_as(cross.head_officer).post(flags, {"unit": cross.members[0].pk}).status_code == 403


def test_only_staff_set_quotas(year, login_as, staff_user):
    head = login_as(year.head_officer).get(url("score_settings", year.term.pk))
    assert "flag_quota" not in head.context["form"].fields
    assert (
        login_as(staff_user)
        .post(
            url("score_settings", year.term.pk),
            {
                "self_score_due": "05/12/2026",
                "cross_score_due": "",
                "flag_quota": "2",
                "merit_quota": "3",
                "vote_threshold": "50",
            },
        )
        .status_code
        == 302
    )
    scoring = TermScoring.objects.get(term=year.term)
    assert (scoring.flag_quota, scoring.merit_quota) == (2, 3)
    assert login_as(year.member_officer).get(url("score_settings", year.term.pk)).status_code == 403


# --- Staff lists --------------------------------------------------------------------------------


def test_overview_lists_every_cluster_with_filters_and_export(year, login_as, staff_user):
    other = factories.ClusterTermFactory()
    client = login_as(staff_user)
    page = client.get(url("score_overview"))
    assert page.status_code == 200
    assert [t.pk for t in page.context["page_obj"]] == sorted([year.term.pk, other.pk], key=lambda pk: pk)
    only_self = client.get(url("score_overview"), {"stage": "self"}, **HTMX)
    assert [t.pk for t in only_self.context["page_obj"]] == [year.term.pk]
    assert only_self.text.lstrip().startswith('<section id="score-overview-table"')
    rows = _sheet(client.get(url("score_overview") + "?export=xlsx"))
    assert rows[0][:2] == ("Cluster or bloc", "Stage")
    assert "Self-scoring (tự chấm)" in [row[1] for row in rows[1:]]


@pytest.mark.parametrize("extra", [0, 10])
def test_overview_queries_stay_flat(year, login_as, staff_user, django_assert_num_queries, extra):
    for _ in range(extra):
        factories.ClusterTermFactory()
    client = login_as(staff_user)
    with django_assert_num_queries(3):  # user, count, page
        client.get(url("score_overview"), **HTMX)


def test_proposals_list_is_for_staff_and_the_council(year, login_as, council_member):
    response = login_as(council_member).get(url("vote_proposals"))
    assert response.status_code == 200
    assert login_as(year.head_officer).get(url("vote_proposals")).status_code == 403
