"""Staff draft a campaign from a directive's text: review with sources, then confirm."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign, CampaignDeadline

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "domain" / "seeds"
PASTE = reverse("campaigns:campaign_from_directive")
CONFIRM = reverse("campaigns:campaign_confirm_directive")


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the seed documents are not beside the repository ({SEEDS})")
    return path.read_text(encoding="utf-8")


def test_pasting_a_directive_shows_the_draft_with_its_sources(staff_client):
    """The review page is pre-filled from Chỉ thị 02/CT-UBND and shows where each value came from."""
    response = staff_client.post(PASTE, {"text": _seed("002_67c30c4e6fc6373d.txt")})
    assert response.status_code == 200
    form = response.context["general"]
    assert form.initial["document_number"] == "02/CT-UBND"
    assert form.initial["document_kind"] == "Chỉ thị"
    assert "Số: 02/CT - UBND" in response.text  # the source line, shown as written
    assert not Campaign.objects.exists()  # nothing is saved before staff confirm


def test_confirming_creates_the_draft_with_content_and_deadlines(staff_client):
    """The sprint plan's report deadline before 15/12/2023 becomes a deadline of the draft."""
    review = staff_client.post(PASTE, {"text": _seed("004_177314a337b754a2.txt")})
    general = review.context["general"].initial
    rows = review.context["deadline_rows"]
    assert [row["due_on"] for row in rows] == ["15/12/2023"]
    data = {
        "title": general["title"],
        "kind": general["kind"],
        "scope": "province",
        "launching_authority": general["launching_authority"],
        "start_date": general["start_date"].strftime("%d/%m/%Y"),
        "end_date": general["end_date"].strftime("%d/%m/%Y"),
        "content": review.context["content"].initial["content"],
        "deadline_row": ["1"],
        "deadline": ["1"],
        "deadline_1_due_on": rows[0]["due_on"],
        "deadline_1_title": rows[0]["title"],
        "deadline_1_context": rows[0]["context"],
        "deadline_1_is_report": "1",
    }
    response = staff_client.post(CONFIRM, data)
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:campaign_edit", args=[campaign.pk, "participants"])
    assert campaign.status == "draft"
    assert campaign.kind == "sprint"
    assert campaign.content_items.count() == 3
    deadline = CampaignDeadline.objects.get(campaign=campaign)
    assert deadline.due_on.isoformat() == "2023-12-15"
    assert deadline.is_report
    assert "15/12/2023" in deadline.context


def test_a_wrong_date_on_review_keeps_everything_typed(staff_client):
    """A bad deadline date is refused with a clear message and every typed value is shown again."""
    data = {
        "title": "Phong trào thi đua nước rút",
        "kind": "sprint",
        "scope": "province",
        "launching_authority": "Ủy ban nhân dân tỉnh",
        "start_date": "01/08/2023",
        "end_date": "31/12/2023",
        "content": "Nội dung một\n\nNội dung hai",
        "deadline_row": ["1", "2"],
        "deadline": ["1"],
        "deadline_1_due_on": "32/12/2023",
        "deadline_1_title": "Báo cáo kết quả",
        "deadline_2_due_on": "01/12/2023",
        "deadline_2_title": "Không giữ",
    }
    response = staff_client.post(CONFIRM, data)
    assert response.status_code == 200
    assert response.context["deadline_error"]
    assert not Campaign.objects.exists()
    rows = response.context["deadline_rows"]
    assert [(row["due_on"], row["title"], row["keep"]) for row in rows] == [
        ("32/12/2023", "Báo cáo kết quả", True),
        ("01/12/2023", "Không giữ", False),
    ]
    assert "Nội dung hai" in response.text


def test_uploading_a_docx_reads_its_paragraphs(staff_client):
    """A .docx upload is read like pasted text."""
    paragraphs = [
        "KẾ HOẠCH",
        "Phát động phong trào thi đua chuyên đề chuyển đổi số năm 2026",
        "1. Nội dung thứ nhất",
    ]
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    xml = f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    upload = SimpleUploadedFile("ke-hoach.docx", buffer.getvalue())
    response = staff_client.post(PASTE, {"file": upload})
    assert response.status_code == 200
    assert response.context["general"].initial["document_kind"] == "Kế hoạch"


def test_a_file_that_is_not_what_it_claims_is_refused(staff_client):
    """A .docx that is really a PDF gets a clear error, not a crash."""
    upload = SimpleUploadedFile("chi-thi.docx", b"%PDF-1.7 not a word file")
    response = staff_client.post(PASTE, {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] or response.context["form"].errors["file"]


def test_empty_input_asks_for_text(staff_client):
    """Submitting nothing says what to do."""
    response = staff_client.post(PASTE, {"text": "   "})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
