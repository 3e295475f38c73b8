"""campaigns.directive: drafting a campaign from the text of its directive, plan or article.

The five seed documents are real texts provincial staff wrote; the expected values below were
checked by hand against them.
"""

from __future__ import annotations

import datetime
import io
import json
import time
import unicodedata
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.directive import (
    MAX_CONTENT_ITEMS,
    DirectiveDraft,
    Extracted,
    draft_as_dict,
    parse_directive,
    read_document,
)

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "domain" / "seeds"
NO_NUMBER = "No document number found."


def seed_path(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"The seed documents are not at {SEEDS}: check out shared/ beside the repository.")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="module")
def _english_messages():
    """Messages are matched in English; the Vietnamese catalogue is tested in test_i18n."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def ben_tre() -> DirectiveDraft:
    return parse_directive(seed_text("000"))


@pytest.fixture(scope="module")
def hau_giang() -> DirectiveDraft:
    return parse_directive(seed_text("001"))


@pytest.fixture(scope="module")
def hung_yen() -> DirectiveDraft:
    return parse_directive(seed_text("002"))


@pytest.fixture(scope="module")
def son_la() -> DirectiveDraft:
    return parse_directive(seed_text("003"))


@pytest.fixture(scope="module")
def binh_thuan() -> DirectiveDraft:
    return parse_directive(seed_text("004"))


def value(extracted: Extracted | None):
    return None if extracted is None else extracted.value


def extracted_fields(draft: DirectiveDraft) -> dict[str, Extracted]:
    return {name: item for name, item in vars(draft).items() if isinstance(item, Extracted)}


# --- 002: Chỉ thị 02/CT-UBND of Hưng Yên -------------------------------------------------------


def test_hung_yen_header(hung_yen):
    """The header of a Chỉ thị gives its kind, normalised number, date, place and title."""
    assert value(hung_yen.document_kind) == "Chỉ thị"
    assert hung_yen.number == Extracted("02/CT-UBND", "Số: 02/CT - UBND", "header-number")
    assert value(hung_yen.issued_on) == datetime.date(2024, 3, 6)
    assert value(hung_yen.place) == "Hưng Yên"
    assert hung_yen.place.source == "Hưng Yên, ngày 06 tháng 3 năm 2024"
    assert value(hung_yen.title) == (
        "Về việc tiếp tục đẩy mạnh các phong trào thi đua yêu nước thực hiện thắng lợi kế hoạch "
        "phát triển kinh tế - xã hội năm 2024"
    )
    assert hung_yen.title.rule == "after-kind-line"


def test_hung_yen_authority_kind_period_signer(hung_yen):
    """The provincial committee launches a regular campaign for the year 2024, signed by its chairman."""
    assert value(hung_yen.authority) == "Ủy ban nhân dân tỉnh"
    assert "Ủy ban nhân dân tỉnh yêu cầu Trưởng các Cụm, Khối thi đua" in hung_yen.authority.source
    assert value(hung_yen.campaign_kind) == "regular"
    assert value(hung_yen.period_start) == datetime.date(2024, 1, 1)
    assert value(hung_yen.period_end) == datetime.date(2024, 12, 31)
    assert value(hung_yen.signer) == "Trần Quốc Văn"
    assert hung_yen.signer.source.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Quốc Văn"]
    assert value(hung_yen.theme) is None
    assert hung_yen.deadlines == []
    assert hung_yen.warnings == []


def test_hung_yen_content_items(hung_yen):
    """Items 1. to 8. are the content; "9. Tổ chức thực hiện" assigns tasks and is left out."""
    assert [item.marker for item in hung_yen.content_items] == [f"{n}." for n in range(1, 9)]
    assert [item.order for item in hung_yen.content_items] == list(range(1, 9))
    titles = [item.title for item in hung_yen.content_items]
    assert (
        titles[0]
        == "Tiếp tục tuyên truyền, quán triệt sâu sắc tư tưởng thi đua ái quốc của Chủ tịch Hồ Chí Minh"
    )
    assert titles[2] == (
        "Tiếp tục đẩy mạnh tổ chức thực hiện các phong trào thi đua trọng tâm do Thủ tướng Chính phủ phát động"
    )
    assert titles[4] == "Đổi mới, nâng cao chất lượng hoạt động Cụm, Khối thi đua"
    assert all(len(title) <= 161 for title in titles)
    assert not any("Tổ chức thực hiện" in item.title for item in hung_yen.content_items)
    assert not any("Sở Nội vụ tổ chức triển khai" in item.text for item in hung_yen.content_items)


def test_hung_yen_page_breaks_are_joined(hung_yen):
    """A paragraph cut by a page break (the next line starts in lower case) stays one item."""
    second, sixth = hung_yen.content_items[1], hung_yen.content_items[5]
    assert second.text.endswith(
        "các chương trình, kế hoạch của Ủy ban nhân dân tỉnh về phát triển kinh tế - xã hội năm 2024."
    )
    assert "có kế hoạch cụ thể để bồi dưỡng" in sixth.text


def test_sources_are_lines_of_the_document(hung_yen, binh_thuan):
    """Every field carries the line or sentence it came from, as written in the document."""
    for prefix, draft in (("002", hung_yen), ("004", binh_thuan)):
        original = " ".join(seed_text(prefix).replace("*", "").split())
        for name, extracted in extracted_fields(draft).items():
            assert extracted.rule, name
            for line in extracted.source.splitlines():
                assert line in original, (name, line)


# --- 004: Kế hoạch of Bình Thuận (sprint) ------------------------------------------------------


def test_binh_thuan_plan(binh_thuan):
    """A Kế hoạch without a number: its kind and title are read, the missing number is a warning."""
    assert value(binh_thuan.document_kind) == "Kế hoạch"
    assert value(binh_thuan.title) == "Phát động phong trào thi đua nước rút 05 tháng cuối năm 2023"
    assert binh_thuan.number is None
    assert _(NO_NUMBER) in binh_thuan.warnings
    assert value(binh_thuan.authority) == "Ủy ban nhân dân tỉnh"
    assert value(binh_thuan.signer) == "Đoàn Anh Dũng"
    # No place in the header: the province the text names is offered instead, and says so.
    assert binh_thuan.place == Extracted("Bình Thuận", binh_thuan.place.source, "province-mention")


def test_binh_thuan_sprint_period(binh_thuan):
    """ "05 tháng cuối năm 2023" is a sprint from 1 August to 31 December 2023."""
    assert value(binh_thuan.campaign_kind) == "sprint"
    assert value(binh_thuan.period_start) == datetime.date(2023, 8, 1)
    assert value(binh_thuan.period_end) == datetime.date(2023, 12, 31)
    assert binh_thuan.period_start.rule == "months-of-year"


def test_binh_thuan_report_deadline(binh_thuan):
    """The one dated deadline is the report due before 15/12/2023, with its sentence."""
    (deadline,) = binh_thuan.deadlines
    assert deadline.due_date == datetime.date(2023, 12, 15)
    assert deadline.is_report is True
    assert deadline.label == "Báo cáo kết quả triển khai thực hiện"
    assert deadline.context.startswith(
        "Báo cáo kết quả triển khai thực hiện về UBND tỉnh qua Thường trực Hội đồng Thi đua - Khen thưởng"
    )
    assert "trước ngày 15/12/2023" in deadline.context
    assert deadline.context.endswith("bình xét thi đua, khen thưởng năm 2023.")


def test_binh_thuan_content_items_are_those_of_section_two(binh_thuan):
    """The items are the 1., 2., 3. under "II. NỘI DUNG THI ĐUA", with their bullets as text;
    section I (aims) and section III (organisation) are not content."""
    items = binh_thuan.content_items
    assert [item.marker for item in items] == ["1.", "2.", "3."]
    assert [item.title for item in items] == [
        "Thi đua chấp hành tốt các chủ trương của Đảng, chính sách pháp luật của Nhà nước",
        "Thi đua bảo vệ, giữ gìn an ninh chính trị, trật tự an toàn xã hội, xây dựng và bảo vệ tổ quốc",
        "Thi đua phát huy truyền thống yêu nước, tinh thần đoàn kết, thực hiện thắng lợi các chỉ tiêu "
        "phát triển kinh tế - xã hội năm 2023",
    ]
    assert "- Tăng cường công tác thông tin xúc tiến quảng bá du lịch" in items[2].text
    assert "xây dựng quê hương Bình Thuận ngày càng phát triển" in items[2].text
    everything = "\n".join(item.text for item in items)
    assert "Phát huy tinh thần đoàn kết, tương thân" not in everything
    assert "Báo cáo kết quả triển khai" not in everything


# --- 001: Hậu Giang's anniversary campaign (article) -------------------------------------------


def test_hau_giang_special_campaign(hau_giang):
    """The 20th anniversary campaign is special, launched by the chairman, with its quoted theme."""
    assert value(hau_giang.campaign_kind) == "special"
    assert value(hau_giang.authority) == "Chủ tịch UBND tỉnh"
    assert value(hau_giang.theme) == (
        "Đoàn kết, đột phá, phát triển, thi đua lập thành tích chào mừng kỷ niệm 20 năm thành lập tỉnh Hậu Giang"
    )
    assert hau_giang.theme.rule == "quoted-theme"
    assert value(hau_giang.title) == "Hậu Giang phát động thi đua chào mừng kỷ niệm 20 năm thành lập tỉnh"
    assert value(hau_giang.place) == "Hậu Giang"
    assert hau_giang.period_start is None
    assert hau_giang.signer is None


def test_hau_giang_twelve_items_in_order(hau_giang):
    """ "Một là" … "Mười hai là" are twelve items in order; the misspelt "Bản là" is item 7."""
    items = hau_giang.content_items
    assert [item.order for item in items] == list(range(1, 13))
    assert [item.marker for item in items] == [
        "Một là",
        "Hai là",
        "Ba là",
        "Bốn là",
        "Năm là",
        "Sáu là",
        "Bản là",
        "Tám là",
        "Chín là",
        "Mười là",
        "Mười một là",
        "Mười hai là",
    ]
    assert (
        items[6].title
        == "Hoàn thành thủ tục và khởi công dự án hạ tầng 02 khu công nghiệp mới theo Đề án được phê duyệt"
    )
    assert items[11].text.endswith("Đảng bộ tỉnh lần thứ XIV./.")
    assert (
        _("The item marker “%(marker)s” was read as item %(number)s.")
        % {
            "marker": "Bản là",
            "number": 7,
        }
        in hau_giang.warnings
    )


def test_hau_giang_site_clearance_deadline_is_not_a_report(hau_giang):
    """ "trước ngày 30/5/2023" for handing over cleared land is a deadline, not a report."""
    (deadline,) = hau_giang.deadlines
    assert deadline.due_date == datetime.date(2023, 5, 30)
    assert deadline.is_report is False
    assert deadline.label == "Bàn giao tối thiểu 70% mặt bằng"
    assert deadline.context.startswith("Tám là, tập trung mọi nguồn lực cho công tác bồi thường")


def test_article_trailer_is_not_content(hau_giang):
    """The byline and the site's links after "./." are not part of the last item."""
    assert "Thanh Hương" not in hau_giang.content_items[-1].text
    assert "Có thể bạn quan tâm" not in hau_giang.content_items[-1].text


# --- 003: Sơn La article -----------------------------------------------------------------------


def test_son_la_article(son_la):
    """An article: the theme after "Với chủ đề", the year 2024, and no document number."""
    assert value(son_la.theme) == (
        "Đoàn kết, kỷ cương, đổi mới, sáng tạo, đẩy mạnh thi đua thực hiện thắng lợi kế hoạch phát triển "
        "kinh tế - xã hội, từng bước xây dựng tỉnh Sơn La phát triển xanh, nhanh và bền vững"
    )
    assert son_la.theme.source.startswith("Với chủ đề “Đoàn kết")
    assert value(son_la.title) == "Đẩy mạnh các phong trào thi đua yêu nước"
    assert son_la.title.rule == "headline"
    assert value(son_la.campaign_kind) == "regular"
    assert value(son_la.period_start) == datetime.date(2024, 1, 1)
    assert value(son_la.period_end) == datetime.date(2024, 12, 31)
    assert son_la.number is None
    assert _(NO_NUMBER) in son_la.warnings
    assert value(son_la.place) == "Sơn La"
    assert son_la.content_items == []
    assert _("No content items found.") in son_la.warnings


# --- 000: Bến Tre article ----------------------------------------------------------------------


def test_ben_tre_has_no_theme(ben_tre):
    """No quote in the text is the campaign's theme, so none is offered.

    “Đồng khởi mới” names the 2020–2025 movement whose 2024 tasks this is, “Dân chủ - Kỷ cương -
    Đồng thuận - Sáng tạo - Phát triển” is the motto (phương châm) of the provincial Party
    congress, and the other quotes name movements of the Prime Minister or cited documents. None
    is introduced by "chủ đề" or "khẩu hiệu"; staff type the theme in if the campaign has one.
    """
    assert ben_tre.theme is None


def test_ben_tre_cited_dates_are_not_deadlines(ben_tre):
    """ "ngày 1-12-2023", "ngày 7-12-2023" date the resolutions the text cites: no deadlines."""
    assert ben_tre.deadlines == []


def test_ben_tre_year_and_authority(ben_tre):
    """The 2024 tasks are a regular campaign for 2024, asked of units by the chairman."""
    assert value(ben_tre.campaign_kind) == "regular"
    assert value(ben_tre.period_start) == datetime.date(2024, 1, 1)
    assert value(ben_tre.period_end) == datetime.date(2024, 12, 31)
    assert value(ben_tre.authority) == "Chủ tịch UBND tỉnh"
    # The first line is a photo caption (a sentence), not a headline.
    assert ben_tre.title is None
    assert _("No title found.") in ben_tre.warnings


def test_ben_tre_unnumbered_paragraphs_after_nhu_sau(ben_tre):
    """The nine paragraphs after "… những nội dung như sau:" are the items, unnumbered."""
    items = ben_tre.content_items
    assert len(items) == 9
    assert {item.marker for item in items} == {""}
    assert (
        items[0].title
        == "Tiếp tục tuyên truyền, quán triệt sâu sắc tư tưởng “Thi đua ái quốc” của Chủ tịch Hồ Chí Minh"
    )
    assert items[-1].text.startswith("Đề nghị Ủy ban MTTQ Việt Nam")
    assert not any("Hoàng Lam" in item.text for item in items)


# --- Robustness on small texts -----------------------------------------------------------------

HEADER = "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\nSố: 02/CT-UBND\n{place_date}\nCHỈ THỊ\nVề việc thi đua năm 2024\n"


@pytest.mark.parametrize(
    "written",
    [
        "ngày 06 tháng 3 năm 2024",
        "ngày 6-3-2024",
        "ngày 06/3/2024",
        "ngày 06.03.2024",
        "ngày 6 tháng 03, năm 2024",
    ],
)
def test_issue_date_styles(written):
    """The issue date is read in each way Vietnamese offices write it."""
    draft = parse_directive(HEADER.format(place_date=f"Hưng Yên, {written}"))
    assert value(draft.issued_on) == datetime.date(2024, 3, 6)
    assert value(draft.place) == "Hưng Yên"


@pytest.mark.parametrize(
    "written",
    ["15 tháng 12 năm 2023", "15-12-2023", "15/12/2023", "15.12.2023", "15/12/23"],
)
def test_deadline_date_styles(written):
    """Deadline dates are read in each style, two-digit years included."""
    draft = parse_directive(f"Các đơn vị gửi báo cáo về Sở Nội vụ trước ngày {written}.")
    assert [d.due_date for d in draft.deadlines] == [datetime.date(2023, 12, 15)]
    assert draft.deadlines[0].is_report is True
    assert draft.deadlines[0].label == "Các đơn vị gửi báo cáo"


def test_invalid_dates_are_ignored_with_a_warning():
    """31/02/2024 is not a date: neither the issue date nor a deadline, and staff are told."""
    draft = parse_directive(
        "Hưng Yên, ngày 31/02/2024\nKẾ HOẠCH\nThi đua năm 2024\nBáo cáo kết quả trước ngày 31/02/2024."
    )
    assert draft.issued_on is None
    assert draft.deadlines == []
    message = _("An invalid date was ignored: %(date)s.") % {"date": "31/02/2024"}
    assert draft.warnings.count(message) == 1


def test_deadline_without_year_takes_the_documents_year():
    """ "trước ngày 15/12" falls in the year the document was issued."""
    draft = parse_directive(
        HEADER.format(place_date="Hưng Yên, ngày 06/3/2025") + "Báo cáo trước ngày 15/12."
    )
    assert [d.due_date for d in draft.deadlines] == [datetime.date(2025, 12, 15)]


def test_deadline_without_year_falls_back_to_the_campaign_year():
    """Without an issue date, the year of the campaign's period is used."""
    draft = parse_directive(
        "KẾ HOẠCH\nThi đua 05 tháng cuối năm 2023\nCác đơn vị báo cáo chậm nhất ngày 10/12."
    )
    assert [d.due_date for d in draft.deadlines] == [datetime.date(2023, 12, 10)]


def test_deadline_without_any_year_is_dropped_with_a_warning():
    """With no year anywhere, a yearless deadline cannot be placed and is named in the warnings."""
    draft = parse_directive("Các đơn vị báo cáo trước ngày 15/12.")
    assert draft.deadlines == []
    assert _("A deadline without a year was ignored: %(date)s.") % {"date": "15/12"} in draft.warnings


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("Các đơn vị nộp hồ sơ chậm nhất là ngày 20/11/2024.", datetime.date(2024, 11, 20)),
        ("Hạn chót nộp hồ sơ: 20/11/2024.", datetime.date(2024, 11, 20)),
        ("Các đơn vị hoàn thành việc đăng ký đến hết ngày 20/11/2024.", datetime.date(2024, 11, 20)),
        ("Các đơn vị đăng ký thi đua trước tháng 4/2024.", datetime.date(2024, 3, 31)),
    ],
)
def test_deadline_phrasings(sentence, due):
    """ "chậm nhất", "hạn chót", "đến hết ngày" and "trước tháng …" all state deadlines."""
    draft = parse_directive(sentence)
    assert [d.due_date for d in draft.deadlines] == [due]
    assert draft.deadlines[0].is_report is False


def test_period_from_to_is_not_a_deadline():
    """ "từ ngày … đến hết ngày …" is the campaign period, not a deadline."""
    draft = parse_directive(
        "KẾ HOẠCH\nTổ chức đợt thi đua cao điểm\nThời gian thi đua: từ ngày 01/3/2024 đến hết ngày 30/9/2024."
    )
    assert value(draft.period_start) == datetime.date(2024, 3, 1)
    assert value(draft.period_end) == datetime.date(2024, 9, 30)
    assert draft.period_start.rule == "from-to"
    assert value(draft.campaign_kind) == "sprint"
    assert draft.deadlines == []


def test_cited_dates_are_not_deadlines():
    """Dates of cited documents are not deadlines, whatever their format."""
    draft = parse_directive("Thực hiện Nghị quyết số 12-NQ/TU ngày 1-12-2023 và Kế hoạch ngày 7/12/2023.")
    assert draft.deadlines == []


def test_text_without_diacritics():
    """Kind, number, deadline and ordinal items are found in text typed without accents."""
    draft = parse_directive(
        "Chi thi so 02/CT-UBND\n"
        "Ve viec day manh phong trao thi dua nam 2024\n"
        "Noi dung thi dua\n"
        "Mot la, tuyen truyen sau rong.\n"
        "Hai la, to chuc tot phong trao.\n"
        "Ba la, cac don vi bao cao ket qua truoc ngay 15/12/2023.\n"
    )
    assert value(draft.document_kind) == "Chỉ thị"
    assert draft.number == Extracted("02/CT-UBND", "Chi thi so 02/CT-UBND", "kind-number")
    assert value(draft.title) == "Ve viec day manh phong trao thi dua nam 2024"
    assert [item.marker for item in draft.content_items] == ["Mot la", "Hai la", "Ba la"]
    assert draft.content_items[0].title == "Tuyen truyen sau rong"
    assert [(d.due_date, d.is_report) for d in draft.deadlines] == [(datetime.date(2023, 12, 15), True)]


def test_kind_line_without_diacritics():
    """ "Ke hoach" is the Kế hoạch kind, spelt properly in the draft."""
    draft = parse_directive("Ke hoach\nPhat dong thi dua nuoc rut 6 thang cuoi nam 2024\n")
    assert value(draft.document_kind) == "Kế hoạch"
    assert value(draft.campaign_kind) == "sprint"
    assert value(draft.period_start) == datetime.date(2024, 7, 1)


def test_kind_from_number_code():
    """Without a kind line, the type code of the number (QĐ) names the kind."""
    draft = parse_directive("Số: 1234/QĐ - UBND\nHà Nội, ngày 5 tháng 1 năm 2024\n")
    assert draft.number == Extracted("1234/QĐ-UBND", "Số: 1234/QĐ - UBND", "header-number")
    assert draft.document_kind == Extracted("Quyết định", "Số: 1234/QĐ - UBND", "number-code")
    assert value(draft.place) == "Hà Nội"


def test_windows_line_endings_change_nothing():
    """A document saved with CRLF line endings gives the same draft."""
    text = seed_text("002")
    assert draft_as_dict(parse_directive(text.replace("\n", "\r\n"))) == draft_as_dict(parse_directive(text))


def test_inline_ordinal_items():
    """ "Một là, …; Hai là, …" inside one paragraph are split into items."""
    draft = parse_directive(
        "Nội dung thi đua gồm: Một là, tuyên truyền sâu rộng; Hai là, tổ chức tốt phong trào; "
        "Ba là, khen thưởng kịp thời."
    )
    assert [item.title for item in draft.content_items] == [
        "Tuyên truyền sâu rộng",
        "Tổ chức tốt phong trào",
        "Khen thưởng kịp thời",
    ]


def test_letter_items_under_a_numbered_content_heading():
    """Under "2. Nội dung thi đua" the items are the a), b) below it, up to the next heading."""
    draft = parse_directive(
        "1. Mục đích\n- Phát huy tinh thần.\n2. Nội dung thi đua\na) Thi đua lao động giỏi;\n"
        "- chi tiết một\nb) Thi đua sáng tạo.\n3. Tổ chức thực hiện\na) Sở Nội vụ theo dõi."
    )
    assert [(item.marker, item.title) for item in draft.content_items] == [
        ("a)", "Thi đua lao động giỏi"),
        ("b)", "Thi đua sáng tạo"),
    ]
    assert draft.content_items[0].text == "Thi đua lao động giỏi;\n- chi tiết một"


def test_numbering_jump_is_a_warning():
    """A skipped number is kept as written and pointed out."""
    draft = parse_directive("1. Một việc.\n2. Hai việc.\n4. Bốn việc.")
    assert [item.marker for item in draft.content_items] == ["1.", "2.", "4."]
    assert (
        _("The item numbering jumps from %(previous)s to %(current)s.")
        % {
            "previous": 2,
            "current": 4,
        }
        in draft.warnings
    )


def test_theme_prefers_chu_de_over_other_quotes():
    """Of several quotes, the one right after "chủ đề" is the theme; movement names are not."""
    draft = parse_directive(
        "Tiếp tục phong trào “Cả nước chung sức xây dựng nông thôn mới”. Khẩu hiệu “Nói đi đôi với làm”. "
        "Phong trào thi đua năm 2024 với chủ đề “Kỷ cương, trách nhiệm, hành động” được phát động."
    )
    assert draft.theme == Extracted(
        "Kỷ cương, trách nhiệm, hành động",
        "Phong trào thi đua năm 2024 với chủ đề “Kỷ cương, trách nhiệm, hành động” được phát động.",
        "quoted-theme",
    )


def test_slogan_with_straight_quotes():
    """A slogan in straight quotes after "khẩu hiệu" is taken when there is no "chủ đề"."""
    draft = parse_directive('Toàn tỉnh thi đua với khẩu hiệu "Nói đi đôi với làm".')
    assert draft.theme == Extracted(
        "Nói đi đôi với làm", 'Toàn tỉnh thi đua với khẩu hiệu "Nói đi đôi với làm".', "quoted-slogan"
    )


def test_cited_launch_is_not_the_authority():
    """ "do Thủ tướng … phát động" and "của Chủ tịch UBND tỉnh về việc phát động" cite other launches."""
    draft = parse_directive(
        "Thực hiện Chỉ thị số 01/CT-UBND của Chủ tịch UBND tỉnh về việc phát động thi đua. "
        "Các phong trào do UBND tỉnh phát động. Hội đồng Thi đua - Khen thưởng tỉnh phát động đợt thi đua."
    )
    assert value(draft.authority) == "Hội đồng Thi đua - Khen thưởng tỉnh"


def test_signer_after_kt_chu_tich():
    """A deputy signing for the chairman: the name after "PHÓ CHỦ TỊCH", capitals made readable."""
    draft = parse_directive(
        "KẾ HOẠCH\nThi đua năm 2024\n1. Nội dung.\nNơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
        "(Đã ký)\nNGUYỄN VĂN AN\n"
    )
    assert value(draft.signer) == "Nguyễn Văn An"
    assert [item.marker for item in draft.content_items] == ["1."]


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", "lorem ipsum dolor sit amet " * 40, "…!!! ??? ///", "1.\n-\na)"]
)
def test_text_without_structure_gives_an_empty_draft(text):
    """Text with no structure gives an empty draft with warnings, never an exception."""
    draft = parse_directive(text)
    assert extracted_fields(draft) == {}
    assert draft.deadlines == []
    assert _(NO_NUMBER) in draft.warnings
    json.dumps(draft_as_dict(draft))


def test_content_items_are_capped():
    """Thousands of bullets keep the first MAX_CONTENT_ITEMS and say so."""
    draft = parse_directive("- việc\n" * (MAX_CONTENT_ITEMS + 50))
    assert len(draft.content_items) == MAX_CONTENT_ITEMS
    assert (
        _("Only the first %(count)s content items were kept.") % {"count": MAX_CONTENT_ITEMS}
        in draft.warnings
    )


def test_one_megabyte_parses_quickly():
    """A megabyte of real text (and a megabyte on one line) parses without runaway backtracking.

    The bound is generous on purpose: speed is measured by the benchmark, not by a timed test;
    this only catches a pattern that would take minutes."""
    documents = "\n".join(seed_text(prefix) for prefix in ("000", "001", "002", "003", "004"))
    big = documents * (1_000_000 // len(documents.encode()) + 1)
    one_line = "Thi đua yêu nước, trước ngày. Với chủ đề “ " * 25_000
    for text in (big, one_line):
        assert len(text.encode()) >= 1_000_000
        started = time.perf_counter()
        parse_directive(text)
        assert time.perf_counter() - started < 30


def test_draft_as_dict_is_json(binh_thuan):
    """The draft serialises to JSON with dates as ISO strings."""
    data = json.loads(json.dumps(draft_as_dict(binh_thuan), ensure_ascii=False))
    assert data["period_start"] == {
        "value": "2023-08-01",
        "source": "Phát động phong trào thi đua nước rút 05 tháng cuối năm 2023",
        "rule": "months-of-year",
    }
    assert data["deadlines"][0]["due_date"] == "2023-12-15"
    assert data["content_items"][0]["marker"] == "1."
    assert data["number"] is None


# --- read_document -----------------------------------------------------------------------------


def make_docx(paragraphs: list[str], *, extra: dict[str, bytes] | None = None) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{text[:5]}</w:t></w:r><w:r><w:t>{text[5:]}</w:t></w:r></w:p>'
        for text in paragraphs
    )
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml.encode())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_read_docx():
    """A .docx is read paragraph by paragraph, runs joined, and parses like text."""
    data = make_docx(["Số: 02/CT-UBND", "Hưng Yên, ngày 06 tháng 3 năm 2024", "CHỈ THỊ", "Về việc thi đua"])
    text = read_document("chi-thi.DOCX", data)
    assert text.splitlines() == [
        "Số: 02/CT-UBND",
        "Hưng Yên, ngày 06 tháng 3 năm 2024",
        "CHỈ THỊ",
        "Về việc thi đua",
    ]
    draft = parse_directive(text)
    assert value(draft.number) == "02/CT-UBND"
    assert value(draft.title) == "Về việc thi đua"


def test_docx_zip_bomb_is_refused():
    """A .docx that unpacks to 50 MB is refused before it is unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:p>" + b"0" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ValueError, match="20 MB"):
        read_document("bomb.docx", buffer.getvalue())


def test_docx_with_too_many_parts_is_refused():
    """A zip with thousands of entries is refused."""
    data = make_docx(["Kế hoạch"], extra={f"word/media/{n}.bin": b"" for n in range(1000)})
    with pytest.raises(ValueError, match="too many parts"):
        read_document("many.docx", data)


@pytest.mark.parametrize(
    "data",
    [
        b"not a zip at all",
        make_docx([]).replace(b"word/document.xml", b"word/somethingx.xml"),
    ],
)
def test_damaged_docx_is_refused(data):
    """A file that is not a Word document is refused with a message, not a traceback."""
    with pytest.raises(ValueError, match="damaged"):
        read_document("x.docx", data)


def test_docx_with_a_dtd_is_refused():
    """Word never writes a DTD: one is refused, which rules out entity expansion."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
        )
    with pytest.raises(ValueError, match="damaged"):
        read_document("dtd.docx", buffer.getvalue())


@pytest.mark.parametrize("name", ["chi-thi.pdf", "chi-thi.doc", "chi-thi"])
def test_other_file_types_are_refused(name):
    """Only .txt and .docx are read."""
    with pytest.raises(ValueError, match=r"\.txt and \.docx"):
        read_document(name, b"%PDF-1.7")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 writes a base letter (â, ê, ơ …) and a separate combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + tone)
    return "".join(out).encode("cp1258")


def test_read_text_encodings():
    """UTF-8 (with or without a BOM) and Windows-1258 text are all read as composed Unicode."""
    text = "Kế hoạch thi đua năm 2024 của Ủy ban nhân dân tỉnh"
    assert read_document("a.txt", text.encode()) == text
    assert read_document("a.txt", b"\xef\xbb\xbf" + text.encode()) == text
    encoded = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("utf-8")
    assert read_document("a.TXT", encoded) == text


# --- import_directive --------------------------------------------------------------------------


def test_import_directive_dry_run_prints_json():
    """--dry-run prints the draft of the directive as JSON, Vietnamese unescaped."""
    out = StringIO()
    call_command("import_directive", str(seed_path("002")), "--dry-run", stdout=out)
    data = json.loads(out.getvalue())
    assert data["number"]["value"] == "02/CT-UBND"
    assert data["issued_on"]["value"] == "2024-03-06"
    assert "Hưng Yên" in out.getvalue()


def test_import_directive_refuses_to_save():
    """Without --dry-run the command refuses with exit code 2: saving is not available yet."""
    with pytest.raises(CommandError) as excinfo:
        call_command("import_directive", str(seed_path("002")))
    assert excinfo.value.returncode == 2
    assert "--dry-run" in str(excinfo.value)


def test_import_directive_reports_unreadable_files(tmp_path):
    """A missing file or an unsupported type is a CommandError with a message."""
    with pytest.raises(CommandError):
        call_command("import_directive", str(tmp_path / "missing.txt"), "--dry-run")
    pdf = tmp_path / "chi-thi.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    with pytest.raises(CommandError, match=r"\.txt and \.docx"):
        call_command("import_directive", str(pdf), "--dry-run")
