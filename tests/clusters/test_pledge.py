"""The emulation pledge (giao ước thi đua): signing locks the scoring table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from clusters.models import Pledge, ScoringStage, TableStatus, TermScoring
from clusters.scoring import scores, tables
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def draft(cluster_with_head, staff_user):
    table, _criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    return table


def _url(term) -> str:
    return reverse("clusters:pledge_sign", args=[term.pk])


def _post(term) -> dict:
    return {
        "signed_on": f"23/03/{term.year}",
        "place": "Hội trường UBND xã Mễ Sở",
        "signatories": [m.unit_id for m in term.memberships.all()],
    }


def test_the_head_records_the_pledge_and_the_table_locks(cluster_with_head, draft, login_as):
    """The pledge keeps date, place, signatories (with their head's name) and the signed PDF."""
    term = cluster_with_head.term
    data = {
        **_post(term),
        "document": SimpleUploadedFile("giao-uoc.pdf", PDF, content_type="application/pdf"),
    }
    response = login_as(cluster_with_head.head_officer).post(_url(term), data)
    assert response.status_code == 302
    pledge = Pledge.objects.get(term=term)
    assert pledge.signed_on == dt.date(term.year, 3, 23)
    assert pledge.signatures.count() == 4
    assert (
        pledge.signatures.get(unit=cluster_with_head.head_unit).signer_name
        == cluster_with_head.head_unit.head_name
    )
    draft.refresh_from_db()
    assert draft.status == TableStatus.SIGNED
    assert draft.signed_at is not None
    document = login_as(cluster_with_head.member_officer).get(
        reverse("clusters:pledge_document", args=[term.pk])
    )
    assert b"".join(document.streaming_content) == PDF


def test_a_table_whose_totals_do_not_add_up_cannot_be_signed(cluster_with_head, draft, staff_user):
    """The service refuses with every problem; the table stays a draft."""
    group = draft.groups.get(code="II")
    group.max_points = 45
    group.save()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        factories.sign_pledge(cluster_with_head.term, draft, by=staff_user)
    assert "Group II: its criteria add up to 40, not its maximum 45." in caught.value.messages
    draft.refresh_from_db()
    assert draft.status == TableStatus.DRAFT


def test_a_pledge_is_signed_once(cluster_with_head, draft, staff_user):
    factories.sign_pledge(cluster_with_head.term, draft, by=staff_user)
    with pytest.raises(ValidationError):
        factories.sign_pledge(cluster_with_head.term, draft, by=staff_user)


def test_signatories_must_be_members(cluster_with_head, draft, staff_user, unit_b):
    with pytest.raises(ValidationError):
        tables.pledge_sign(
            term=cluster_with_head.term,
            signed_on=dt.date(2026, 3, 1),
            place="Hội trường",
            signatories=[tables.Signatory(unit=unit_b)],
            by=staff_user,
        )


def test_a_signed_table_cannot_be_edited_through_the_screens(cluster_with_head, draft, staff_user, login_as):
    """After signing, the editing screens answer 403 to the head and to staff alike."""
    factories.sign_pledge(cluster_with_head.term, draft, by=staff_user)
    criterion = draft.groups.get(code="I").criteria.first()
    for user in (cluster_with_head.head_officer, staff_user):
        client = login_as(user)
        for url in (
            reverse("clusters:score_table_edit", args=[draft.pk]),
            reverse("clusters:score_group_add", args=[draft.pk]),
            reverse("clusters:score_criterion_edit", args=[draft.pk, criterion.pk]),
            reverse("clusters:score_item_delete", args=[draft.pk, "criterion", criterion.pk]),
            reverse("clusters:score_table_import", args=[draft.pk]),
        ):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"name": "Sửa"}).status_code == 403, url
    criterion.refresh_from_db()
    assert criterion.name != "Sửa"


def test_self_scoring_opens_only_after_the_pledge(cluster_with_head, draft, staff_user):
    with pytest.raises(ValidationError):
        scores.scoring_advance(term=cluster_with_head.term, by=cluster_with_head.head_officer)
    factories.sign_pledge(cluster_with_head.term, draft, by=staff_user)
    scores.scoring_advance(term=cluster_with_head.term, by=cluster_with_head.head_officer)
    assert TermScoring.objects.get(term=cluster_with_head.term).stage == ScoringStage.SELF


@pytest.mark.parametrize("who", ["member_officer", "officer_b", "council"])
def test_only_the_leaders_or_staff_record_the_pledge(
    cluster_with_head, draft, login_as, who, officer_b, council_member
):
    user = {
        "member_officer": cluster_with_head.member_officer,
        "officer_b": officer_b,
        "council": council_member,
    }[who]
    response = login_as(user).post(_url(cluster_with_head.term), _post(cluster_with_head.term))
    assert response.status_code == 403
    assert not Pledge.objects.exists()


def test_the_pledge_form_lists_the_problems_of_the_table(cluster_with_head, draft, login_as, settings):
    settings.LANGUAGE_CODE = "en"
    draft.declared_total = 200
    draft.save()
    response = login_as(cluster_with_head.head_officer).get(_url(cluster_with_head.term))
    assert response.status_code == 200
    assert "make 105, not the declared total 200" in response.text
