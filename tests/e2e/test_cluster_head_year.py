"""Journey 4 — cluster head: self-score the head's own unit, cross-score the members in the
grid, move the year through its stages (staff check and publish), see the ranking, run the
year-end vote with every member, close it and download the minutes."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.e2e.conftest import PASSWORD, Journey

pytestmark = pytest.mark.e2e

CLUSTER = "Cụm thi đua số 1 — các xã phía Bắc"
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FLAG = "Đề nghị tặng Cờ thi đua của UBND tỉnh"
MERIT = "Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh"


@pytest.fixture
def cluster_year(people, settings):
    """A cluster year whose pledge is signed and whose self-scoring is open; the deputy and the
    two other members have already scored themselves (the head has not)."""
    from clusters.models import MemberRole
    from clusters.scoring import scores
    from tests import factories

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cluster = factories.ClusterFactory(name=CLUSTER, code="CUM-01")
    term = factories.ClusterTermFactory(cluster=cluster)
    head_unit = factories.UnitFactory(name="Xã Mễ Sở", code="XA-MS", kind="commune")
    deputy_unit = factories.UnitFactory(name="Xã Tân Hưng", code="XA-TH", kind="commune")
    dong_tao = factories.UnitFactory(name="Xã Đông Tảo", code="XA-DT", kind="commune")
    lien_nghia = factories.UnitFactory(name="Xã Liên Nghĩa", code="XA-LN", kind="commune")
    factories.ClusterMembershipFactory(term=term, unit=head_unit, role=MemberRole.HEAD)
    factories.ClusterMembershipFactory(term=term, unit=deputy_unit, role=MemberRole.DEPUTY)
    factories.ClusterMembershipFactory(term=term, unit=dong_tao)
    factories.ClusterMembershipFactory(term=term, unit=lien_nghia)
    officers = {
        "truongcum": factories.make_officer(head_unit, username="truongcum", full_name="Nguyễn Văn Hùng"),
        "phocum": factories.make_officer(deputy_unit, username="phocum", full_name="Trần Thị Mai"),
        "dongtao": factories.make_officer(dong_tao, username="dongtao", full_name="Phạm Đức Long"),
        "liennghia": factories.make_officer(lien_nghia, username="liennghia", full_name="Vũ Thị Hoa"),
    }
    for user in officers.values():
        user.set_password(PASSWORD)
        user.save()
    staff = people["staff"]
    table, crit = factories.make_score_table(term, by=staff)
    factories.sign_pledge(term, table, by=staff)
    scores.scoring_advance(term=term, by=officers["truongcum"])  # self-scoring opens

    for unit, user, (actual, c21, c22) in [
        (deputy_unit, officers["phocum"], ("90", "8", "16")),
        (dong_tao, officers["dongtao"], ("100", "10", "18")),
        (lien_nghia, officers["liennghia"], ("60", "6", "12")),
    ]:
        scores.self_scores_save(
            term=term,
            unit=unit,
            inputs=[
                scores.ScoreInput(criterion=crit["1"], actual=Decimal(actual), target=Decimal(100)),
                scores.ScoreInput(criterion=crit["2.1"], points=Decimal(c21), explanation="Theo báo cáo"),
                scores.ScoreInput(criterion=crit["2.2"], points=Decimal(c22), explanation="Theo báo cáo"),
                scores.ScoreInput(criterion=crit["3"], points=Decimal(40), explanation="Đạt"),
            ],
            files={crit["3"].pk: [SimpleUploadedFile("nghi-quyet.pdf", EVIDENCE, "application/pdf")]},
            by=user,
        )
    return {
        "term": term,
        "cluster": cluster,
        "head_unit": head_unit,
        "deputy_unit": deputy_unit,
        "dong_tao": dong_tao,
        "lien_nghia": lien_nghia,
        "crit": crit,
    }


def _other(journey: Journey, browser, name: str) -> tuple[object, Journey]:
    """Another person in their own browser context; screenshots go beside the head's."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    person = Journey(page=page, base_url=journey.base_url, folder=journey.folder / name)
    page.on("pageerror", lambda error: journey.errors.append(str(error)))
    page.on(
        "console",
        lambda message: journey.errors.append(message.text) if message.type == "error" else None,
    )
    return context, person


def test_cluster_head_runs_the_year_from_scores_to_minutes(journey, browser, cluster_year):
    from clusters.models import AwardProposal, PublishedResult, ScoreEntry, ScoringStage, TermScoring

    term, crit = cluster_year["term"], cluster_year["crit"]
    page = journey.page
    workspace = f"/cum-khoi/nam/{term.pk}/cham-diem/"

    # The head opens the cluster's year from the cluster page.
    journey.login("truongcum")
    journey.goto(f"/cum-khoi/{cluster_year['cluster'].pk}/")
    page.get_by_role("link", name=f"Chấm điểm, xếp hạng và bình xét năm {term.year}").click()
    page.wait_for_url(re.compile(rf".*{workspace}$"))
    journey.step("nam-thi-dua")

    # As a member, the head scores its own unit, with the evidence the table requires.
    page.get_by_role("link", name="Phiếu chấm điểm của đơn vị").click()
    page.get_by_label("Thực hiện").fill("110")
    page.get_by_label("Chỉ tiêu đăng ký").fill("100")
    page.get_by_role("textbox", name="2.1. Chỉ số cải cách hành chính", exact=True).fill("9")
    page.get_by_role("textbox", name="2.2. Chuyển đổi số", exact=True).fill("19")
    page.get_by_role("textbox", name="3. Tổ chức đảng trong sạch, vững mạnh", exact=True).fill("40")
    page.get_by_label("Minh chứng (bắt buộc)").set_input_files(
        {"name": "nghi-quyet-dang-bo.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}
    )
    journey.step("tu-cham")
    page.get_by_role("button", name="Lưu điểm").click()
    page.get_by_text("Đã lưu: 4 tiêu chí.").wait_for()
    journey.step("da-tu-cham")
    assert ScoreEntry.objects.filter(unit=cluster_year["head_unit"], stage="self").count() == 4

    # Every member has scored itself: the head moves the year to cross-scoring.
    journey.goto(workspace)
    page.get_by_role("button", name="Chuyển sang giai đoạn tiếp theo").click()
    page.get_by_text("Trưởng, phó trưởng cụm, khối thẩm định, chấm chéo").first.wait_for()
    assert TermScoring.objects.get(term=term).stage == ScoringStage.CROSS

    # The grid: a lower score for Đông Tảo needs a reason; a bonus for the deputy.
    page.get_by_role("link", name="Bảng chấm chéo").click()
    journey.step("bang-cham-cheo")
    points = page.get_by_label("Điểm của Xã Đông Tảo ở tiêu chí 2.2", exact=True)
    points.fill("14")
    points.press("Tab")
    page.get_by_text("Điểm thẩm định khác điểm tự chấm: hãy nêu lý do.").wait_for()
    journey.step("thieu-ly-do")
    reason = page.get_by_label("Lý do với Xã Đông Tảo ở tiêu chí 2.2", exact=True)
    reason.fill("Chưa có minh chứng về chuyển đổi số")
    reason.press("Tab")
    page.get_by_text("Điểm thẩm định khác điểm tự chấm: hãy nêu lý do.").wait_for(state="detached")
    bonus = page.get_by_label("Điểm của Xã Tân Hưng ở tiêu chí 4", exact=True)
    bonus.fill("2")
    bonus.press("Tab")
    page.locator(f"#cell-{cluster_year['deputy_unit'].pk}-{crit['4'].pk}").get_by_text("tự chấm").wait_for()
    page.wait_for_load_state("networkidle")
    journey.step("da-cham-cheo")
    reviewed = ScoreEntry.objects.get(unit=cluster_year["dong_tao"], criterion=crit["2.2"], stage="review")
    assert reviewed.points == 14
    assert "chuyển đổi số" in reviewed.explanation
    assert ScoreEntry.objects.get(unit=cluster_year["deputy_unit"], criterion=crit["4"]).points == 2

    journey.goto(workspace)
    page.get_by_role("button", name="Chuyển sang giai đoạn tiếp theo").click()
    page.get_by_text("Năm thi đua của cụm, khối đã chuyển sang giai đoạn").wait_for()
    assert TermScoring.objects.get(term=term).stage == ScoringStage.OFFICE
    # Publishing is the office's: the head has no button for it.
    assert page.get_by_role("button", name="Công bố kết quả và mở bỏ phiếu").count() == 0
    journey.step("cho-kiem-tra")

    # Staff, in their own browser: −8 for Liên Nghĩa, then publish.
    contexts = []
    context, staff = _other(journey, browser, "chuyenvien")
    contexts.append(context)
    try:
        staff.login("chuyenvien")
        staff.goto(workspace)
        staff.page.get_by_role("link", name="Ban Thi đua - Khen thưởng kiểm tra").click()
        penalty = staff.page.get_by_label("Điểm của Xã Liên Nghĩa ở tiêu chí 5", exact=True)
        penalty.fill("8")
        staff.page.get_by_label("Lý do với Xã Liên Nghĩa ở tiêu chí 5", exact=True).fill(
            "Không đăng ký thi đua đúng hạn"
        )
        staff.step("kiem-tra")
        staff.page.get_by_role("button", name="Lưu tất cả").first.click()
        staff.page.get_by_text("Đã lưu:").first.wait_for()
        staff.goto(workspace)
        staff.page.get_by_role("button", name="Công bố kết quả và mở bỏ phiếu").click()
        staff.page.get_by_text("Năm thi đua của cụm, khối đã chuyển sang giai đoạn").wait_for()
        staff.step("da-cong-bo")
        results = list(PublishedResult.objects.filter(term=term).order_by("rank"))
        assert results[0].unit == cluster_year["head_unit"]
        assert results[-1].unit == cluster_year["lien_nghia"]
        assert results[-1].penalty_points == 8

        # The head sees the published ranking.
        journey.goto(workspace)
        page.get_by_role("link", name="Xếp hạng", exact=True).click()
        rows = page.locator("table.data-table tbody tr")
        assert rows.first.get_by_role("rowheader").inner_text() == "Xã Mễ Sở"
        assert page.locator("figure svg").count() == 1
        journey.step("xep-hang")

        # The vote: each member casts its secret ballot in its own browser.
        ballots = [
            (journey, None, ["Xã Đông Tảo"], ["Xã Tân Hưng"]),
            (None, "phocum", ["Xã Mễ Sở"], ["Xã Đông Tảo"]),
            (None, "dongtao", ["Xã Mễ Sở"], ["Xã Tân Hưng"]),
            (None, "liennghia", ["Xã Mễ Sở"], ["Xã Tân Hưng", "Xã Đông Tảo"]),
        ]
        for person, username, flag, merit in ballots:
            if person is None:
                context, person = _other(journey, browser, username)
                contexts.append(context)
                person.login(username)
            person.goto(workspace)
            person.page.get_by_role("link", name="Bình xét, suy tôn cuối năm").click()
            for name in flag:
                person.page.get_by_role("group", name=FLAG).get_by_label(name, exact=True).check()
            for name in merit:
                person.page.get_by_role("group", name=MERIT).get_by_label(name, exact=True).check()
            if person is journey:
                journey.step("phieu-bau")
            person.page.get_by_role("button", name="Bỏ phiếu").click()
            person.page.get_by_text("Đơn vị đã bỏ phiếu.").first.wait_for()
    finally:
        for context in contexts:
            context.close()

    # The head closes the meeting and elects next year's head and deputy.
    page.reload()
    page.get_by_text("Đã bỏ phiếu: 4/4 đơn vị").wait_for()
    journey.step("da-bo-phieu")
    page.get_by_role("link", name="Kết thúc hội nghị: đề nghị khen thưởng").click()
    page.get_by_label("Ngày họp").fill(f"18/12/{term.year}")
    page.get_by_label("Địa điểm họp").fill("Hội trường UBND xã Mễ Sở")
    page.get_by_label("Người chủ trì").fill("Nguyễn Văn Hùng")
    page.get_by_label("Thư ký").fill("Trần Thị Mai")
    page.get_by_label("Trưởng cụm, khối năm sau (được bầu)", exact=True).select_option(label="Xã Tân Hưng")
    page.get_by_label("Phó trưởng cụm, khối năm sau (được bầu)", exact=True).select_option(
        label="Xã Đông Tảo"
    )
    journey.step("ket-thuc-hoi-nghi")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_text("Đã kết thúc bỏ phiếu").wait_for()
    journey.step("da-ket-thuc")
    assert TermScoring.objects.get(term=term).stage == ScoringStage.CLOSED
    proposals = {(p.unit.name, p.category.code, p.votes) for p in AwardProposal.objects.filter(term=term)}
    assert proposals == {("Xã Mễ Sở", "COTINH", 3), ("Xã Tân Hưng", "BKCT.TT", 3)}

    # The minutes, as a PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Biên bản họp (PDF)").first.click()
    download = download_info.value
    assert download.suggested_filename == f"bien-ban-CUM-01-{term.year}.pdf"
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert CLUSTER in text
