"""The minutes of the year-end meeting as a PDF in the state format, in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal as D

import pytest
from django.urls import reverse
from pypdf import PdfReader

from clusters.models import ScoringStage, TermScoring
from clusters.pdf import _date_line, minutes_pdf
from clusters.scoring import scores, votes
from clusters.scoring.scores import ScoreInput
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(cluster_with_head, staff_user):
    term = cluster_with_head.term
    table, c = factories.make_score_table(term, by=staff_user)
    factories.sign_pledge(term, table, by=staff_user)
    TermScoring.objects.filter(term=term).update(stage=ScoringStage.SELF)
    units = [cluster_with_head.head_unit, cluster_with_head.deputy_unit, *cluster_with_head.members]
    for points, unit in zip(["10", "9.5", "8", "7"], units, strict=True):
        scores.self_scores_save(
            term=term, unit=unit, inputs=[ScoreInput(criterion=c["2.1"], points=D(points))], by=staff_user
        )
    TermScoring.objects.filter(term=term).update(stage=ScoringStage.OFFICE)
    scores.scoring_advance(term=term, by=staff_user)
    head, deputy, m1, m2 = units
    for voter in (deputy, m1, m2):
        votes.ballot_cast(
            term=term,
            unit=voter,
            flag=[head],
            merit=[u for u in (deputy, m1) if u != voter][:1],
            by=staff_user,
        )
    votes.vote_close(
        term=term,
        meeting_on=dt.date(term.year, 1, 5),
        meeting_place="Hội trường UBND xã Mễ Sở",
        chair_name="Nguyễn Văn Hùng",
        secretary_name="Trần Thị Mai",
        next_head=deputy,
        next_deputy=m1,
        by=staff_user,
    )
    return cluster_with_head


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_the_minutes_contain_the_exact_vietnamese_text(closed):
    """Header, title, scores (decimal comma), the vote, the proposals and next year's leaders."""
    text = _text(minutes_pdf(closed.term))
    year = closed.term.year
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Hưng Yên, ngày 05 tháng 01 năm {year}",
        "BIÊN BẢN",
        f"Họp bình xét, suy tôn thi đua năm {year} của Cụm thi đua số 1 — các xã phía Bắc",
        "Chủ trì: Nguyễn Văn Hùng, đại diện Xã Mễ Sở (Trưởng cụm)",
        "I. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG",
        "Xã Tân Hưng 9,5",
        "số phiếu thu về: 3",
        "Tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho: Xã Mễ Sở.",
        f"bầu Xã Tân Hưng làm Trưởng cụm và Xã Đông Tảo làm Phó cụm thi đua năm {year + 1}",
        "Trần Thị Mai",
    ]:
        assert expected in text, expected


def test_the_minutes_are_a4_in_a_serif_with_vietnamese_glyphs(closed):
    """A4 portrait pages; the font embedded is a Times-compatible serif, not a fallback sans."""
    reader = PdfReader(io.BytesIO(minutes_pdf(closed.term)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name in font for font in fonts for name in ("Times", "Liberation-Serif", "Tinos")), fonts


def test_date_line_has_leading_zeros_for_small_days_and_january_february():
    assert _date_line(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert _date_line(dt.date(2026, 12, 18)) == "ngày 18 tháng 12 năm 2026"
    assert _date_line(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_the_pdf_is_served_after_closing_to_members_and_refused_to_outsiders(closed, login_as, officer_b):
    url = reverse("clusters:vote_minutes", args=[closed.term.pk])
    response = login_as(closed.member_officer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "bien-ban-CUM-01" in response["Content-Disposition"]
    assert login_as(officer_b).get(url).status_code == 403


def test_no_minutes_before_the_vote_closes(cluster_with_head, login_as, staff_user):
    factories.make_score_table(cluster_with_head.term, by=staff_user)
    response = login_as(staff_user).get(reverse("clusters:vote_minutes", args=[cluster_with_head.term.pk]))
    assert response.status_code == 404
