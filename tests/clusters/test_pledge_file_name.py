"""The signed pledge is downloaded under the name it was uploaded with, accents and all."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters.models import Pledge
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
NAME = "Giao ước thi đua Cụm số 1 năm 2026.pdf"


def _document(term, client) -> str:
    response = client.get(reverse("clusters:pledge_document", args=[term.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    return response["Content-Disposition"]


def test_the_pledge_document_keeps_its_uploaded_name(cluster_with_head, staff_user, login_as):
    term = cluster_with_head.term
    factories.make_score_table(term, by=staff_user)
    decomposed = unicodedata.normalize("NFD", NAME)
    assert decomposed != NAME
    response = login_as(cluster_with_head.head_officer).post(
        reverse("clusters:pledge_sign", args=[term.pk]),
        {
            "signed_on": f"23/03/{term.year}",
            "place": "Hội trường UBND xã Mễ Sở",
            "signatories": [m.unit_id for m in term.memberships.all()],
            "document": SimpleUploadedFile(decomposed, PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(term=term)
    assert pledge.document_original_name == NAME
    assert pledge.document.name.endswith("-giao-uoc-thi-dua-cum-so-1-nam-2026.pdf")
    header = _document(term, login_as(cluster_with_head.member_officer))
    assert header == f"attachment; filename*=utf-8''{quote(NAME)}"


def test_an_old_pledge_without_a_name_downloads_under_the_stored_name(
    cluster_with_head, staff_user, login_as
):
    term = cluster_with_head.term
    table, _criteria = factories.make_score_table(term, by=staff_user)
    pledge = factories.sign_pledge(term, table, by=staff_user)
    pledge.document.save("giao-uoc.pdf", ContentFile(PDF))
    assert pledge.document_original_name == ""
    header = _document(term, login_as(cluster_with_head.member_officer))
    assert header == 'attachment; filename="giao-uoc.pdf"'
