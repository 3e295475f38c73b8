"""A whole cluster year through the screens: table, pledge, self-scores, cross-scores, office
check, ranking, vote, minutes, proposals, and next year's head and deputy."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from clusters.models import (
    AwardProposal,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    PublishedResult,
    ScoreEntry,
    ScoringStage,
    TableStatus,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_a_whole_cluster_year_runs_through_the_screens(cluster_with_head, login_as, staff_user, settings):
    """From an empty year to the minutes PDF, the proposals and next year's term."""
    settings.LANGUAGE_CODE = "en"
    c = cluster_with_head
    term = c.term
    head = login_as(c.head_officer)
    deputy = login_as(c.deputy_officer)
    member = login_as(c.member_officer)
    staff = login_as(staff_user)
    other_officer = factories.make_officer(c.members[1], username="thanhvien2")
    other = login_as(other_officer)
    workspace = reverse("clusters:score_workspace", args=[term.pk])

    # The head starts the table, builds it and the pledge locks it.
    _ok(head.get(workspace), 200)
    response = _ok(
        head.post(
            reverse("clusters:score_table_create", args=[term.pk]),
            {"title": "Bảng tiêu chí năm", "declared_total": "105"},
        )
    )
    table_url = response["Location"]
    table = term.score_tables.get()
    add_group = reverse("clusters:score_group_add", args=[table.pk])
    add_criterion = reverse("clusters:score_criterion_add", args=[table.pk])
    _ok(
        head.post(
            add_group,
            {"order": 0, "code": "I", "name": "Nhiệm vụ chính trị", "kind": "content", "max_points": "100"},
        )
    )
    _ok(
        head.post(
            add_group, {"order": 1, "code": "IV", "name": "Điểm thưởng", "kind": "bonus", "max_points": "5"}
        )
    )
    _ok(
        head.post(
            add_group, {"order": 2, "code": "V", "name": "Điểm trừ", "kind": "penalty", "max_points": "10"}
        )
    )
    g1, g4, g5 = table.groups.order_by("order")
    for code, name, points, method, scorer, group in [
        ("1", "Thu ngân sách", "60", "quantitative", "unit", g1),
        ("2", "Cải cách hành chính", "40", "qualitative", "unit", g1),
        ("3", "Mô hình hay", "5", "bonus", "leaders", g4),
        ("4", "Không đăng ký thi đua", "8", "penalty", "office", g5),
    ]:
        _ok(
            head.post(
                add_criterion,
                {
                    "group": group.pk,
                    "order": 0,
                    "code": code,
                    "name": name,
                    "max_points": points,
                    "method": method,
                    "scorer": scorer,
                },
            )
        )
    assert "All totals add up." in _ok(head.get(table_url), 200).text
    signatories = [m.unit_id for m in term.memberships.all()]
    _ok(
        head.post(
            reverse("clusters:pledge_sign", args=[term.pk]),
            {"signed_on": "23/03/2026", "place": "Hội trường xã Mễ Sở", "signatories": signatories},
        )
    )
    table.refresh_from_db()
    assert table.status == TableStatus.SIGNED
    _ok(
        head.post(
            reverse("clusters:score_settings", args=[term.pk]), {"self_score_due": "", "cross_score_due": ""}
        )
    )
    _ok(head.post(reverse("clusters:score_advance", args=[term.pk])))

    # Every member scores itself.
    crit = {c_.code: c_ for c_ in table.groups.get(code="I").criteria.all()}
    for client, unit, actual, quality in [
        (head, c.head_unit, "120", "38"),
        (deputy, c.deputy_unit, "90", "35"),
        (member, c.members[0], "100", "40"),
        (other, c.members[1], "50", "20"),
    ]:
        _ok(
            client.post(
                reverse("clusters:score_self", args=[term.pk, unit.pk]),
                {
                    f"actual-{crit['1'].pk}": actual,
                    f"target-{crit['1'].pk}": "100",
                    f"points-{crit['2'].pk}": quality,
                    f"explanation-{crit['2'].pk}": "Theo báo cáo",
                },
            )
        )
    assert ScoreEntry.objects.filter(stage="self").count() == 8
    _ok(head.post(reverse("clusters:score_advance", args=[term.pk])))

    # Cross-scoring: the head lowers a member, the deputy reviews the head, a bonus for the deputy.
    cell = reverse("clusters:score_grid_cell", args=[term.pk, c.members[0].pk, crit["2"].pk])
    name = f"{c.members[0].pk}-{crit['2'].pk}"
    with translation.override("en"):
        response = _ok(head.post(cell, {f"p-{name}": "36", f"r-{name}": ""}, HTTP_HX_REQUEST="true"), 200)
    assert "give the reason" in response.text
    _ok(
        head.post(
            cell, {f"p-{name}": "36", f"r-{name}": "Thiếu minh chứng chuyển đổi số"}, HTTP_HX_REQUEST="true"
        ),
        200,
    )
    own = reverse("clusters:score_grid_cell", args=[term.pk, c.head_unit.pk, crit["2"].pk])
    _ok(head.post(own, {f"p-{c.head_unit.pk}-{crit['2'].pk}": "30"}, HTTP_HX_REQUEST="true"), 403)
    bonus = table.groups.get(code="IV").criteria.get()
    _ok(
        head.post(
            reverse("clusters:score_grid_cell", args=[term.pk, c.deputy_unit.pk, bonus.pk]),
            {f"p-{c.deputy_unit.pk}-{bonus.pk}": "5"},
            HTTP_HX_REQUEST="true",
        ),
        200,
    )
    _ok(
        deputy.post(
            reverse("clusters:score_grid_cell", args=[term.pk, c.head_unit.pk, crit["2"].pk]),
            {f"p-{c.head_unit.pk}-{crit['2'].pk}": "38"},
            HTTP_HX_REQUEST="true",
        ),
        200,
    )
    _ok(head.get(reverse("clusters:score_compare", args=[term.pk])), 200)
    _ok(head.post(reverse("clusters:score_advance", args=[term.pk])))

    # The office checks: −8 for the member that did not register.
    penalty = table.groups.get(code="V").criteria.get()
    office_cell = reverse("clusters:score_office_cell", args=[term.pk, c.members[1].pk, penalty.pk])
    _ok(
        staff.post(
            office_cell,
            {
                f"p-{c.members[1].pk}-{penalty.pk}": "8",
                f"r-{c.members[1].pk}-{penalty.pk}": "Không đăng ký thi đua",
            },
            HTTP_HX_REQUEST="true",
        ),
        200,
    )
    _ok(head.post(reverse("clusters:score_advance", args=[term.pk])))  # the head cannot publish
    assert term.scoring.__class__.objects.get(term=term).stage == ScoringStage.OFFICE
    _ok(staff.post(reverse("clusters:score_advance", args=[term.pk])))

    # Head 60 (120 % of target, capped) + 38 = 98; member 60 + 36 = 96; deputy 54 + 35 + bonus 5 = 94;
    # the last member 30 + 20 − 8 = 42.
    results = list(PublishedResult.objects.filter(term=term).order_by("rank"))
    assert [(r.unit_id, r.final_points) for r in results] == [
        (c.head_unit.pk, 98),
        (c.members[0].pk, 96),
        (c.deputy_unit.pk, 94),
        (c.members[1].pk, 42),
    ]
    assert [r.band for r in results] == ["Xuất sắc", "Xuất sắc", "Xuất sắc", "Không hoàn thành"]
    ranking = _ok(member.get(reverse("clusters:ranking_view", args=[term.pk])), 200)
    assert "<svg" in ranking.text

    # The vote: the head wins the flag (3 of 4), the deputy a certificate (3 of 4); 2 of 4 is not enough.
    vote = reverse("clusters:vote_page", args=[term.pk])
    ballots = [
        (head, [c.members[0]], [c.deputy_unit, c.members[1]]),
        (deputy, [c.head_unit], [c.members[0]]),
        (member, [c.head_unit], [c.deputy_unit]),
        (other, [c.head_unit], [c.deputy_unit, c.members[0]]),
    ]
    for client, flag, merit in ballots:
        _ok(client.post(vote, {"flag": [u.pk for u in flag], "merit": [u.pk for u in merit]}))
    page = _ok(staff.get(vote), 200)
    assert "Ballots cast: 4 of 4" in page.text
    _ok(
        head.post(
            reverse("clusters:vote_close", args=[term.pk]),
            {
                "meeting_on": "18/12/2026",
                "meeting_place": "Hội trường UBND xã Mễ Sở",
                "chair_name": "Nguyễn Văn Hùng",
                "secretary_name": "Trần Thị Mai",
                "next_head": c.deputy_unit.pk,
                "next_deputy": c.members[0].pk,
            },
        )
    )
    proposals = {
        (p.unit_id, p.category.code, p.votes) for p in AwardProposal.objects.select_related("category")
    }
    assert proposals == {(c.head_unit.pk, "COTINH", 3), (c.deputy_unit.pk, "BKCT.TT", 3)}
    next_term = ClusterTerm.objects.get(cluster=term.cluster, year=term.year + 1)
    roles = dict(ClusterMembership.objects.filter(term=next_term).values_list("unit_id", "role"))
    assert roles[c.deputy_unit.pk] == MemberRole.HEAD
    assert roles[c.members[0].pk] == MemberRole.DEPUTY
    assert len(roles) == 4

    pdf = _ok(member.get(reverse("clusters:vote_minutes", args=[term.pk])), 200)
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho: Xã Mễ Sở" in " ".join(text.split())
