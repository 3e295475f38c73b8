"""Hostile uploads through every upload screen, signed in with the role that may upload there.

Oversized files, executables and SVG or HTML under an accepted extension, path traversal,
NUL bytes, right-to-left overrides, very long and Windows-reserved names, and DOCX/XLSX zip
bombs are each refused with a message that says why, the form is shown again (never a 500),
and nothing is saved: no row changes and no file lands in MEDIA_ROOT. A good file with a
decomposed (NFD) Vietnamese name still passes, is kept under an unguessable name and shown
under its own name.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from campaigns.models import Campaign, CampaignDocument
from clusters.models import Pledge, ScoreEvidence, ScoringStage, TermScoring
from clusters.scoring.scores import EVIDENCE_TYPES
from core.uploads import MAX_UPLOAD_BYTES, unguessable_name, validate_upload
from reports.models import ReportAttachment
from reports.services import ATTACHMENT_TYPES
from tests import factories
from tests.campaigns.test_targets import make_campaign, measurable
from tests.reports.factories import ReportDeadlineFactory
from tests.security.fixtures_uploads import (
    EXE,
    HTML,
    PDF,
    PNG,
    SVG,
    bomb_entries,
    bomb_expansion,
    bomb_lying_sizes,
    bomb_nested,
    changed_tables,
    db_fingerprint,
    docx,
    docx_with_embedded_workbook,
    media_files,
    post_files,
    xlsx,
)

pytestmark = pytest.mark.django_db

NOT_ACCEPTED = "Files of this type are not accepted"
MISMATCH = "does not match its"
TOO_LARGE = "The file is too large"
BOMB = "abnormal size"
DAMAGED = "file is damaged and cannot be read"
TOO_LONG = ("The file name is too long", "Ensure this filename has at most")
RESERVED = "a name Windows reserves"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
GOOD = {
    "pdf": PDF,
    "png": PNG,
    "jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    "jpeg": b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    "doc": OLE,
    "xls": OLE,
    "txt": "Chỉ thị số 12/CT-UBND về phát động phong trào thi đua.".encode(),
}
# "Báo cáo kết quả" as a Mac writes it: base letters followed by combining marks.
NFD_STEM = unicodedata.normalize("NFD", "Báo cáo kết quả")


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are matched in English; the Vietnamese catalogue is checked elsewhere."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def good_content(kind: str) -> bytes:
    if kind == "docx":
        return docx()
    if kind == "xlsx":
        return xlsx()
    return GOOD[kind]


@dataclass
class Point:
    """One upload screen, ready to post to."""

    client: Any
    url: str
    file_field: str
    allowed: set[str]
    fields: dict[str, Any] = field(default_factory=dict)
    # Follow the redirect to read the message (screens that redirect after a refusal).
    follow: bool = False
    # A good upload for the control case: (extension, content); None uses good_content.
    good: Callable[[], tuple[str, bytes]] | None = None
    # The rows that keep the name shown to users, when the screen keeps one.
    kept_names: Callable[[], list[str]] | None = None
    # Whether a good file is kept (imports read the file and keep only what is in it).
    stores: bool = True


def _campaign_fields() -> dict[str, Any]:
    return {
        "title": "Phong trào thi đua “Chung sức xây dựng nông thôn mới”",
        "kind": "regular",
        "scope": "province",
        "launching_authority": "Ủy ban nhân dân tỉnh",
        "start_date": "01/01/2026",
        "end_date": "31/12/2026",
    }


def _signed_document_names() -> list[str]:
    return list(Campaign.objects.exclude(document_file="").values_list("document_original_name", flat=True))


def _campaign_create(request) -> Point:
    return Point(
        request.getfixturevalue("staff_client"),
        reverse("campaigns:campaign_create"),
        "document_file",
        {"pdf", "docx", "doc"},
        _campaign_fields(),
        kept_names=_signed_document_names,
    )


def _campaign_edit(request) -> Point:
    campaign = factories.CampaignFactory(status="draft", created_by=request.getfixturevalue("staff_user"))
    return Point(
        request.getfixturevalue("staff_client"),
        reverse("campaigns:campaign_edit", args=[campaign.pk, "general"]),
        "document_file",
        {"pdf", "docx", "doc"},
        _campaign_fields(),
        kept_names=_signed_document_names,
    )


def _campaign_confirm_directive(request) -> Point:
    return Point(
        request.getfixturevalue("staff_client"),
        reverse("campaigns:campaign_confirm_directive"),
        "document_file",
        {"pdf", "docx", "doc"},
        {**_campaign_fields(), "content": "Thi đua hoàn thành chỉ tiêu"},
        kept_names=_signed_document_names,
    )


def _campaign_document(request) -> Point:
    campaign = factories.CampaignFactory()
    return Point(
        request.getfixturevalue("staff_client"),
        reverse("campaigns:campaign_document_upload", args=[campaign.pk]),
        "file",
        {"pdf", "docx", "doc", "xlsx", "xls", "png", "jpg", "jpeg"},
        {"title": "Hướng dẫn chấm điểm"},
        kept_names=lambda: list(CampaignDocument.objects.values_list("original_name", flat=True)),
    )


def _campaign_from_directive(request) -> Point:
    return Point(
        request.getfixturevalue("staff_client"),
        reverse("campaigns:campaign_from_directive"),
        "file",
        {"txt", "docx"},
        {"text": ""},
    )


def _target_import(request) -> Point:
    unit_a = request.getfixturevalue("unit_a")
    campaign = make_campaign(unit_a, status="launched")
    measurable(campaign)
    client = request.getfixturevalue("staff_client")

    def good() -> tuple[str, bytes]:
        from openpyxl import load_workbook

        response = client.get(reverse("campaigns:target_template", args=[campaign.pk]))
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        workbook.active.cell(row=3, column=3, value=42)
        stream = io.BytesIO()
        workbook.save(stream)
        return "xlsx", stream.getvalue()

    return Point(
        client,
        reverse("campaigns:target_import", args=[campaign.pk]),
        "file",
        {"xlsx"},
        good=good,
        stores=False,
    )


def _table_export(client: Any, table: Any) -> bytes:
    response = client.get(reverse("clusters:score_table", args=[table.pk]) + "?export=xlsx")
    return b"".join(response.streaming_content)


def _score_table_create(request) -> Point:
    year = request.getfixturevalue("cluster_with_head")
    staff = request.getfixturevalue("staff_user")
    login_as = request.getfixturevalue("login_as")
    last_year = factories.ClusterTermFactory(cluster=year.cluster, year=year.term.year - 1)
    source, _criteria = factories.make_score_table(last_year, by=staff)
    return Point(
        login_as(year.head_officer),
        reverse("clusters:score_table_create", args=[year.term.pk]),
        "file",
        {"xlsx"},
        {"title": "Bảng điểm năm nay", "declared_total": "105"},
        good=lambda: ("xlsx", _table_export(login_as(staff), source)),
        stores=False,
    )


def _score_table_import(request) -> Point:
    year = request.getfixturevalue("cluster_with_head")
    staff = request.getfixturevalue("staff_user")
    table, _criteria = factories.make_score_table(year.term, by=staff)
    client = request.getfixturevalue("login_as")(year.head_officer)
    return Point(
        client,
        reverse("clusters:score_table_import", args=[table.pk]),
        "file",
        {"xlsx"},
        good=lambda: ("xlsx", _table_export(client, table)),
        stores=False,
    )


def _pledge_sign(request) -> Point:
    year = request.getfixturevalue("cluster_with_head")
    factories.make_score_table(year.term, by=request.getfixturevalue("staff_user"))
    return Point(
        request.getfixturevalue("login_as")(year.head_officer),
        reverse("clusters:pledge_sign", args=[year.term.pk]),
        "document",
        {"pdf"},
        {
            "signed_on": f"23/03/{year.term.year}",
            "place": "Hội trường UBND xã Mễ Sở",
            "signatories": [m.unit_id for m in year.term.memberships.all()],
        },
        kept_names=lambda: list(Pledge.objects.values_list("document_original_name", flat=True)),
    )


def _score_self(request) -> Point:
    year = request.getfixturevalue("cluster_with_head")
    staff = request.getfixturevalue("staff_user")
    table, criteria = factories.make_score_table(year.term, by=staff)
    factories.sign_pledge(year.term, table, by=staff)
    TermScoring.objects.filter(term=year.term).update(stage=ScoringStage.SELF)
    evidence = criteria["3"].pk
    return Point(
        request.getfixturevalue("login_as")(year.member_officer),
        reverse("clusters:score_self", args=[year.term.pk, year.members[0].pk]),
        f"evidence-{evidence}",
        set(EVIDENCE_TYPES),
        {f"points-{evidence}": "40"},
        kept_names=lambda: list(ScoreEvidence.objects.values_list("original_name", flat=True)),
    )


def _report_attachment(request) -> Point:
    unit_a = request.getfixturevalue("unit_a")
    deadline = ReportDeadlineFactory(campaign=make_campaign(unit_a, status="launched"))
    return Point(
        request.getfixturevalue("officer_a_client"),
        reverse("reports:attachment_upload", args=[deadline.pk, unit_a.pk]),
        "file",
        set(ATTACHMENT_TYPES),
        {"requirement": ""},
        follow=True,
        kept_names=lambda: list(ReportAttachment.objects.values_list("original_name", flat=True)),
    )


POINTS: dict[str, Callable[[Any], Point]] = {
    "campaign-create": _campaign_create,
    "campaign-edit": _campaign_edit,
    "campaign-from-directive-confirm": _campaign_confirm_directive,
    "campaign-document": _campaign_document,
    "campaign-from-directive": _campaign_from_directive,
    "target-import": _target_import,
    "score-table-create": _score_table_create,
    "score-table-import": _score_table_import,
    "pledge": _pledge_sign,
    "self-score-evidence": _score_self,
    "report-attachment": _report_attachment,
}


def _preferred(allowed: set[str]) -> str:
    return next(kind for kind in ("pdf", "docx", "xlsx", "txt", "png") if kind in allowed)


def attacks(allowed: set[str]) -> list[tuple[str, str, bytes, str, str | tuple[str, ...]]]:
    """(case, raw file name, content, content type, expected message) for a screen's types."""
    main = _preferred(allowed)
    as_pdf = MISMATCH if "pdf" in allowed else NOT_ACCEPTED
    cases: list[tuple[str, str, bytes, str, str | tuple[str, ...]]] = [
        ("oversized", f"lon.{main}", b"x" * (MAX_UPLOAD_BYTES + 1), "application/octet-stream", TOO_LARGE),
        ("exe-named-pdf", "bao-cao.pdf", EXE, "application/pdf", as_pdf),
        ("svg-with-script", "anh.svg", SVG, "image/svg+xml", NOT_ACCEPTED),
        ("html", "trang.html", HTML, "text/html", NOT_ACCEPTED),
        ("traversal", "../../etc/passwd", PDF, "application/pdf", NOT_ACCEPTED),
        ("windows-traversal", "..\\..\\..\\Windows\\evil.exe", EXE, "application/pdf", NOT_ACCEPTED),
        ("nul-truncation", "evil.exe\x00.pdf", EXE, "application/pdf", as_pdf),
        ("rtl-override", "bao-cao\u202efdp.exe", EXE, "application/pdf", NOT_ACCEPTED),
        ("rtl-override-pdf", "bao-cao\u202eexe.pdf", EXE, "application/pdf", as_pdf),
        ("long-name", "a" * 300 + f".{main}", good_content(main), "application/octet-stream", TOO_LONG),
        ("windows-reserved", f"CON.{main}", good_content(main), "application/octet-stream", RESERVED),
        (
            "windows-reserved-port",
            f"com1.bao-cao.{main}",
            good_content(main),
            "application/octet-stream",
            RESERVED,
        ),
    ]
    for kind in sorted(allowed - {"txt"}):
        cases.append((f"exe-named-{kind}", f"tep.{kind}", EXE, "application/octet-stream", MISMATCH))
    if "txt" in allowed:
        cases.append(("exe-named-txt", "chi-thi.txt", EXE, "text/plain", MISMATCH))
    for kind in sorted(allowed & {"pdf", "docx", "xlsx"}):
        cases.append((f"html-named-{kind}", f"trang.{kind}", HTML, "application/octet-stream", MISMATCH))
    for kind in sorted(allowed & {"png", "jpg"}):
        cases.append((f"svg-named-{kind}", f"anh.{kind}", SVG, f"image/{kind}", MISMATCH))
    for kind in sorted(allowed & {"docx", "xlsx"}):
        cases += [
            (f"{kind}-bomb-expansion", f"bom.{kind}", bomb_expansion(kind), "application/zip", BOMB),
            (f"{kind}-bomb-entries", f"bom.{kind}", bomb_entries(kind), "application/zip", BOMB),
            (f"{kind}-bomb-nested", f"bom.{kind}", bomb_nested(kind), "application/zip", BOMB),
            (f"{kind}-bomb-lying-sizes", f"bom.{kind}", bomb_lying_sizes(kind), "application/zip", DAMAGED),
        ]
    return cases


def _statuses(response) -> list[int]:
    return [status for _url, status in getattr(response, "redirect_chain", [])] + [response.status_code]


@pytest.mark.parametrize("name", list(POINTS))
def test_hostile_uploads_are_refused_with_a_clear_message_and_nothing_is_saved(request, name):
    """Every hostile file is refused with its reason; no row and no file is left behind."""
    point = POINTS[name](request)
    media = django_settings.MEDIA_ROOT
    failures = []
    for case, filename, content, content_type, expected in attacks(point.allowed):
        before, files_before = db_fingerprint(), media_files(media)
        response = post_files(
            point.client,
            point.url,
            point.fields,
            [(point.file_field, filename, content, content_type)],
            follow=point.follow,
        )
        statuses = _statuses(response)
        text = response.content.decode()
        messages = (expected,) if isinstance(expected, str) else expected
        if 500 in statuses or statuses[-1] not in {200, 400}:
            failures.append(f"{case}: status {statuses}")
        elif not any(message in text for message in messages):
            failures.append(f"{case}: no message {messages!r} on the page")
        changed = changed_tables(before, db_fingerprint())
        if changed:
            failures.append(f"{case}: rows changed in {changed}")
        if media_files(media) != files_before:
            failures.append(f"{case}: a file was stored")
    assert failures == []


@pytest.mark.parametrize("name", list(POINTS))
def test_a_good_file_with_a_decomposed_vietnamese_name_passes(request, name):
    """The control case: a real file of an accepted type goes through and, when stored, is kept
    under an unguessable name while the name shown is the original, composed (NFC)."""
    point = POINTS[name](request)
    kind, content = (
        point.good() if point.good else (_preferred(point.allowed), good_content(_preferred(point.allowed)))
    )
    before, files_before = db_fingerprint(), media_files(django_settings.MEDIA_ROOT)
    response = post_files(
        point.client,
        point.url,
        point.fields,
        [(point.file_field, f"{NFD_STEM}.{kind}", content, "application/octet-stream")],
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        # Only the directive reader answers a good file with a page (the draft to review).
        assert name == "campaign-from-directive"
        assert "campaigns/campaign_directive_review.html" in [t.name for t in response.templates]
        return
    assert changed_tables(before, db_fingerprint())
    stored = [p for p in media_files(django_settings.MEDIA_ROOT) if p not in files_before]
    assert len(stored) == (1 if point.stores else 0)
    for path in stored:
        assert path.is_relative_to(django_settings.MEDIA_ROOT)
        assert re.fullmatch(rf"[0-9a-f]{{32}}-bao-cao-ket-qua\.{kind}", path.name)
    if point.kept_names:
        assert point.kept_names() == [unicodedata.normalize("NFC", f"{NFD_STEM}.{kind}")]


@pytest.mark.parametrize(
    "filename",
    [
        "../../../../tmp/x.pdf",
        "..\\..\\..\\x.pdf",
        "/etc/x.pdf",
        "C:\\Windows\\x.pdf",
        "x\x00.pdf",
        "x\u202e.pdf",
    ],
)
def test_a_good_pdf_under_a_path_or_hidden_characters_stays_inside_media_under_its_base_name(
    request, filename, tmp_path
):
    """Django reduces the name to its printable base name before any code sees it, so a real
    PDF is kept (it is harmless) but only inside MEDIA_ROOT and shown without the path."""
    point = _report_attachment(request)
    response = post_files(point.client, point.url, {}, [("file", filename, PDF, "application/pdf")])
    assert response.status_code == 302
    assert point.kept_names() == ["x.pdf"]
    files = media_files(django_settings.MEDIA_ROOT)
    assert len(files) == 1, files
    (stored,) = files
    assert re.fullmatch(r"[0-9a-f]{32}-x\.pdf", stored.name)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [stored]


# --- validate_upload directly (services and commands call it without Django's parser) -------------


@pytest.mark.parametrize(
    ("filename", "code"),
    [
        ("bao-cao\u202eexe.pdf", "name_hidden"),
        ("bao-cao\u200f.pdf", "name_hidden"),
        ("x\x00.pdf", "name_hidden"),
        ("x\x7f.pdf", "name_hidden"),
        ("dong\u2028moi.pdf", "name_hidden"),
        ("../x.pdf", "name"),
        ("..\\x.pdf", "name"),
        ("..", "name"),
        ("", "name"),
        ("a" * 151 + ".pdf", "name_length"),
        ("CON.pdf", "name_reserved"),
        ("lpt9.tar.pdf", "name_reserved"),
        ("nul .pdf", "name_reserved"),
        ("bao-cao.exe", "type"),
        ("bao-cao.svg", "type"),
        ("bao-cao", "type"),
    ],
)
def test_validate_upload_refuses_names_that_hide_or_reserve_something(filename, code):
    upload = SimpleUploadedFile("placeholder.pdf", PDF)
    upload._name = filename  # past the name setter, which would strip the path
    with pytest.raises(ValidationError) as error:
        validate_upload(upload, allowed={"pdf"})
    assert error.value.code == code


def test_validate_upload_keeps_a_readable_composed_name():
    upload = SimpleUploadedFile(f"{NFD_STEM}.pdf", PDF)
    assert validate_upload(upload, allowed={"pdf"}) == "pdf"
    assert upload.name == "Báo cáo kết quả.pdf"
    assert unicodedata.is_normalized("NFC", upload.name)
    stored = unguessable_name(upload.name)
    assert re.fullmatch(r"[0-9a-f]{32}-bao-cao-ket-qua\.pdf", stored)
    assert unguessable_name(upload.name) != stored


def test_a_document_with_an_embedded_workbook_is_accepted():
    """Word keeps a chart's data as a workbook inside the document: one level of nesting is normal."""
    upload = SimpleUploadedFile("bieu-do.docx", docx_with_embedded_workbook())
    assert validate_upload(upload, allowed={"docx"}) == "docx"


@pytest.mark.parametrize("bomb", [bomb_expansion, bomb_entries, bomb_nested, bomb_lying_sizes])
@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_zip_bombs_are_refused_before_any_reader_opens_them(bomb, kind):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(f"bom.{kind}", bomb(kind)), allowed={kind})
    # A member whose directory lies about its size fails its checksum: a damaged file.
    assert error.value.code == ("damaged" if bomb is bomb_lying_sizes else "zip_bomb")
