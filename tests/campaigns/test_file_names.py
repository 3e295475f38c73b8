"""Campaign files are downloaded under the name staff uploaded them with, accents and all.

The stored name is random and unaccented (it must not be guessable); the uploaded name is kept
beside it, composed (NFC) even when a Mac sent it decomposed (NFD).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Campaign
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "Kế hoạch phát động thi đua 2026.pdf"
GENERAL = {
    "title": "Phong trào thi đua yêu nước năm 2026",
    "kind": "regular",
    "scope": "province",
    "launching_authority": "Ủy ban nhân dân tỉnh",
    "start_date": "01/01/2026",
    "end_date": "31/12/2026",
}


def nfd_upload(name: str = NAME) -> SimpleUploadedFile:
    """The file as a Mac browser sends it: base letters followed by combining marks."""
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    return SimpleUploadedFile(decomposed, PDF, content_type="application/pdf")


def attachment_header(name: str) -> str:
    """What the browser must receive to save the file as `name` (RFC 6266 / RFC 5987)."""
    return f"attachment; filename*=utf-8''{quote(name)}"


def download(client, url: str) -> tuple[str, bytes]:
    response = client.get(url)
    assert response.status_code == 200
    return response["Content-Disposition"], b"".join(response.streaming_content)


def signed_document_url(campaign: Campaign) -> str:
    return reverse("campaigns:campaign_file", args=[campaign.pk])


def test_the_signed_document_keeps_its_name_from_the_create_form(staff_client):
    response = staff_client.post(
        reverse("campaigns:campaign_create"), {**GENERAL, "document_file": nfd_upload()}
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.document_original_name == NAME
    assert campaign.document_file.name.endswith("-ke-hoach-phat-dong-thi-dua-2026.pdf")
    header, content = download(staff_client, signed_document_url(campaign))
    assert header == attachment_header(NAME)
    assert content == PDF


def test_editing_keeps_replaces_or_clears_the_signed_document_name(staff_client, staff_user):
    campaign = factories.CampaignFactory(status="draft", created_by=staff_user)
    url = reverse("campaigns:campaign_edit", args=[campaign.pk, "general"])
    assert staff_client.post(url, {**GENERAL, "document_file": nfd_upload()}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.document_original_name == NAME

    # Saving other fields without a new file keeps the file and its name.
    assert staff_client.post(url, {**GENERAL, "title": "Tên mới"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Tên mới"
    assert campaign.document_original_name == NAME
    assert download(staff_client, signed_document_url(campaign))[0] == attachment_header(NAME)

    # The edit form names the kept file as uploaded and links to its checked download, not to
    # the stored name under /media/ (which is never served).
    form = staff_client.get(url).content.decode()
    assert f'href="{signed_document_url(campaign)}">{NAME}</a>' in form
    assert "/media/" not in form

    replacement = "Quyết định số 15-QĐ-UBND.pdf"
    assert staff_client.post(url, {**GENERAL, "document_file": nfd_upload(replacement)}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.document_original_name == replacement
    assert download(staff_client, signed_document_url(campaign))[0] == attachment_header(replacement)

    # "Clear" removes the file and its name; it must not leave a file named "False" behind.
    assert staff_client.post(url, {**GENERAL, "document_file-clear": "on"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.document_file.name == ""
    assert campaign.document_original_name == ""
    assert staff_client.get(signed_document_url(campaign)).status_code == 404


def test_the_directive_file_attached_on_confirmation_keeps_its_name(staff_client):
    response = staff_client.post(
        reverse("campaigns:campaign_confirm_directive"),
        {**GENERAL, "content": "Thi đua hoàn thành chỉ tiêu", "document_file": nfd_upload()},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.document_original_name == NAME
    assert download(staff_client, signed_document_url(campaign))[0] == attachment_header(NAME)


def test_an_attachment_keeps_its_name(staff_client, officer_a_client):
    campaign = factories.CampaignFactory()
    name = "Hướng dẫn chấm điểm — biểu mẫu số 1.pdf"
    response = staff_client.post(
        reverse("campaigns:campaign_document_upload", args=[campaign.pk]),
        {"title": "Hướng dẫn chấm điểm", "file": nfd_upload(name)},
    )
    assert response.status_code == 302
    document = campaign.documents.get()
    assert document.original_name == name
    url = reverse("campaigns:campaign_document", args=[campaign.pk, document.pk])
    header, content = download(officer_a_client, url)
    assert header == attachment_header(name)
    assert content == PDF


def test_files_kept_before_names_were_recorded_download_under_the_stored_name(staff_client, staff_user):
    """Old rows have no original name: the readable part of the stored name is used."""
    campaign = factories.CampaignFactory()
    campaign.document_file.save("ke-hoach.pdf", ContentFile(PDF))
    document = campaign.documents.create(
        title="Hướng dẫn", file=ContentFile(PDF, name="huong-dan.pdf"), uploaded_by=staff_user
    )
    assert campaign.document_original_name == document.original_name == ""
    assert download(staff_client, signed_document_url(campaign))[0] == 'attachment; filename="ke-hoach.pdf"'
    url = reverse("campaigns:campaign_document", args=[campaign.pk, document.pk])
    assert download(staff_client, url)[0] == 'attachment; filename="huong-dan.pdf"'
