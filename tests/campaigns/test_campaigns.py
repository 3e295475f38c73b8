"""Campaigns: drafting, lifecycle, permissions and the list and detail screens."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, CampaignTransition
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("campaigns:campaign_list")
CREATE = reverse("campaigns:campaign_create")

GENERAL = {
    "title": "Phong trào thi đua yêu nước năm 2026",
    "theme": "Đoàn kết, kỷ cương, đổi mới",
    "kind": "regular",
    "scope": "province",
    "launching_authority": "Ủy ban nhân dân tỉnh",
    "start_date": "01/01/2026",
    "end_date": "31/12/2026",
}


def _draft(by, **fields) -> Campaign:
    values = {
        "title": "Phong trào thi đua nước rút",
        "kind": "sprint",
        "scope": "province",
        "launching_authority": "Ủy ban nhân dân tỉnh",
        "start_date": factories.dt.date(2026, 8, 1),
        "end_date": factories.dt.date(2026, 12, 31),
    } | fields
    return services.campaign_create(by=by, content=[services.ContentItemData(title="Nội dung 1")], **values)


def test_the_lifecycle_records_every_transition_with_who_and_why(staff_user, unit_a):
    """Draft → launched → under way → mid-term → final → closed, each step recorded."""
    campaign = _draft(staff_user)
    for action in ("launch", "start", "review_midterm", "review_final", "close"):
        campaign = services.campaign_transition(campaign=campaign, action=action, by=staff_user, note=action)
    assert campaign.status == CampaignStatus.CLOSED
    steps = list(CampaignTransition.objects.filter(campaign=campaign).values_list("source", "target", "note"))
    assert steps == [
        ("draft", "launched", "launch"),
        ("launched", "under_way", "start"),
        ("under_way", "midterm_review", "review_midterm"),
        ("midterm_review", "final_review", "review_final"),
        ("final_review", "closed", "close"),
    ]


def test_a_transition_that_the_status_does_not_allow_is_refused(staff_user, unit_a):
    """A draft cannot be closed; the message names the current status."""
    campaign = _draft(staff_user)
    with pytest.raises(ValidationError, match=r"cannot do that|Không thể"):
        services.campaign_transition(campaign=campaign, action="close", by=staff_user)
    with pytest.raises(ValidationError):
        services.campaign_transition(campaign=campaign, action="delete_everything", by=staff_user)


def test_launch_needs_content_and_participants(staff_user):
    """A draft with no content items and no participating unit cannot be launched."""
    campaign = services.campaign_create(
        by=staff_user,
        title="Trống",
        kind="regular",
        scope="unit",
        launching_authority="UBND",
        start_date=factories.dt.date(2026, 1, 1),
        end_date=factories.dt.date(2026, 12, 31),
        participant_mode="units",
    )
    with pytest.raises(ValidationError) as error:
        services.campaign_transition(campaign=campaign, action="launch", by=staff_user)
    assert len(error.value.messages) == 2
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_launch_emails_the_officers_of_participating_units(
    staff_user, officer_a, officer_b, django_capture_on_commit_callbacks
):
    """Launching sends one e-mail per unit officer, with a link to the campaign."""
    campaign = _draft(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_transition(campaign=campaign, action="launch", by=staff_user)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([officer_a.email, officer_b.email])
    assert campaign.get_absolute_url() in mail.outbox[0].body


def test_a_launched_campaign_cannot_be_edited(staff_user, unit_a):
    """What participants were told stays as it was launched."""
    campaign = services.campaign_transition(campaign=_draft(staff_user), action="launch", by=staff_user)
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=campaign, by=staff_user, title="Khác")
    with pytest.raises(ValidationError):
        services.campaign_set_content(campaign=campaign, items=[], by=staff_user)


def test_staff_create_a_campaign_step_by_step(staff_client, unit_a):
    """General information, then content items, then participants, each saved as a draft."""
    response = staff_client.post(CREATE, GENERAL)
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:campaign_edit", args=[campaign.pk, "content"])
    assert campaign.status == CampaignStatus.DRAFT
    staff_client.post(
        reverse("campaigns:campaign_edit", args=[campaign.pk, "content"]),
        {"content": "Thi đua phát triển kinh tế\nChi tiết\n\nThi đua cải cách hành chính", "continue": "1"},
    )
    assert list(campaign.content_items.values_list("title", flat=True)) == [
        "Thi đua phát triển kinh tế",
        "Thi đua cải cách hành chính",
    ]
    staff_client.post(
        reverse("campaigns:campaign_edit", args=[campaign.pk, "participants"]),
        {"participant_mode": "all", "registration_closes": "31/03/2026"},
    )
    staff_client.post(reverse("campaigns:campaign_transition", args=[campaign.pk]), {"action": "launch"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.registration_closes == factories.dt.date(2026, 3, 31)


def test_bad_dates_get_a_clear_error_and_keep_what_was_typed(staff_client):
    """An end date before the start date is refused with a Vietnamese message; the title stays."""
    response = staff_client.post(CREATE, GENERAL | {"end_date": "01/01/2025", "document_date": "31/02/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu" in response.text
    assert GENERAL["title"] in response.text
    assert response.context["form"].errors["document_date"]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    ["campaigns:campaign_create", "campaigns:campaign_from_directive"],
)
def test_unit_officers_cannot_create_campaigns(officer_a_client, url_name):
    """Only staff draft campaigns."""
    assert officer_a_client.get(reverse(url_name)).status_code == 403
    assert officer_a_client.post(reverse(url_name), GENERAL).status_code == 403


def test_unit_officers_cannot_edit_or_move_a_campaign(officer_a_client, staff_user):
    """An officer can neither edit a draft nor launch or close any campaign."""
    draft = _draft(staff_user)
    launched = factories.CampaignFactory()
    assert (
        officer_a_client.post(
            reverse("campaigns:campaign_edit", args=[draft.pk, "general"]), GENERAL
        ).status_code
        == 403
    )
    response = officer_a_client.post(
        reverse("campaigns:campaign_transition", args=[launched.pk]), {"action": "close"}
    )
    assert response.status_code == 403
    launched.refresh_from_db()
    assert launched.status == CampaignStatus.LAUNCHED


def test_drafts_are_hidden_from_everyone_but_staff(
    officer_a_client, council_client, staff_client, staff_user
):
    """A draft answers 404 to officers and council members, and is missing from their list."""
    draft = _draft(staff_user)
    url = draft.get_absolute_url()
    assert officer_a_client.get(url).status_code == 404
    assert council_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 200
    assert draft.title not in officer_a_client.get(LIST).text
    assert draft.title in staff_client.get(LIST).text


@pytest.mark.parametrize(
    "section", ["overview", "content", "targets", "participants", "registrations", "progress", "documents"]
)
def test_every_section_renders_as_a_page_and_as_a_partial(staff_client, section, unit_a):
    """Tabs load the section alone for htmx and the whole page otherwise."""
    campaign = factories.CampaignFactory()
    url = f"{campaign.get_absolute_url()}?section={section}"
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "<html" in page.text
    partial = staff_client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<section id="campaign-section"')
    assert "HX-Request" in partial["Vary"]


def test_list_filters_by_year_kind_and_status(staff_client):
    """Filters narrow the list; a campaign counts in every year its period touches."""
    factories.CampaignFactory(
        title="Hằng năm 2025",
        start_date=factories.dt.date(2025, 1, 1),
        end_date=factories.dt.date(2025, 12, 31),
    )
    factories.CampaignFactory(
        title="Nước rút 2025-2026",
        kind="sprint",
        start_date=factories.dt.date(2025, 8, 1),
        end_date=factories.dt.date(2026, 3, 31),
        status="under_way",
    )

    def titles(**params):
        return [c.title for c in staff_client.get(LIST, params).context["page_obj"]]

    assert titles(year=2026) == ["Nước rút 2025-2026"]
    assert sorted(titles(year=2025)) == ["Hằng năm 2025", "Nước rút 2025-2026"]
    assert titles(kind="sprint") == ["Nước rút 2025-2026"]
    assert titles(status="launched") == ["Hằng năm 2025"]
    assert titles(q="nuoc rut") == ["Nước rút 2025-2026"]


def test_list_partial_and_export(staff_client):
    """htmx gets the table only; ?export=xlsx writes exactly the filtered rows."""
    factories.CampaignFactory(title="Thi đua chuyên đề chuyển đổi số", kind="thematic")
    factories.CampaignFactory(title="Thi đua hằng năm")
    partial = staff_client.get(LIST, {"kind": "thematic"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="campaign-table"')
    export = staff_client.get(LIST, {"kind": "thematic", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Thi đua chuyên đề chuyển đổi số"
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow(staff_client, django_assert_num_queries, count):
    """The campaign list runs the same number of queries for 3 and 30 campaigns."""
    factories.CampaignFactory.create_batch(count)
    staff_client.get(LIST)  # warm the session
    with django_assert_num_queries(3):  # user, count, page
        staff_client.get(LIST)


def test_my_campaigns_lists_open_campaigns_of_the_unit_most_urgent_first(officer_a_client, unit_a):
    """An officer sees the open campaigns their unit takes part in, nearest deadline first."""
    later = factories.CampaignFactory(
        title="Hạn đăng ký muộn", registration_closes=factories.dt.date(2099, 6, 1)
    )
    sooner = factories.CampaignFactory(
        title="Hạn đăng ký sớm", registration_closes=factories.dt.date(2099, 2, 1)
    )
    factories.CampaignFactory(title="Đã kết thúc", status="closed")
    response = officer_a_client.get(reverse("campaigns:my_campaigns"))
    assert [row["campaign"] for row in response.context["rows"]] == [sooner, later]


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_staff_attach_a_document_that_participants_can_download(staff_client, officer_a_client):
    """A PDF attached by staff is listed and downloadable by a participating officer."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = factories.CampaignFactory()
    upload = SimpleUploadedFile("Hướng dẫn chấm điểm.pdf", PDF, content_type="application/pdf")
    url = reverse("campaigns:campaign_document_upload", args=[campaign.pk])
    response = staff_client.post(url, {"title": "Hướng dẫn chấm điểm", "file": upload})
    assert response.status_code == 302
    document = campaign.documents.get()
    assert "huong-dan" in document.file.name
    assert len(document.file.name.rsplit("/", 1)[-1].split("-", 1)[0]) == 32  # unguessable prefix
    download = officer_a_client.get(reverse("campaigns:campaign_document", args=[campaign.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_disguised_file_is_refused_and_the_title_kept(staff_client):
    """An executable named .pdf is refused with a clear message; nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = factories.CampaignFactory()
    upload = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    url = reverse("campaigns:campaign_document_upload", args=[campaign.pk])
    response = staff_client.post(url, {"title": "Kế hoạch chi tiết", "file": upload})
    assert response.status_code == 200
    assert response.context["document_form"].errors["file"]
    assert 'value="Kế hoạch chi tiết"' in response.text
    assert not campaign.documents.exists()


def test_officers_cannot_attach_and_cannot_download_from_drafts(officer_a_client, staff_client, staff_user):
    """Attaching is for staff; a draft's files are not disclosed to officers."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = factories.CampaignFactory()
    url = reverse("campaigns:campaign_document_upload", args=[campaign.pk])
    upload = SimpleUploadedFile("a.pdf", PDF)
    assert officer_a_client.post(url, {"title": "X", "file": upload}).status_code == 403
    draft = _draft(staff_user)
    staff_client.post(
        reverse("campaigns:campaign_document_upload", args=[draft.pk]),
        {"title": "Dự thảo", "file": SimpleUploadedFile("b.pdf", PDF)},
    )
    document = draft.documents.get()
    assert (
        officer_a_client.get(reverse("campaigns:campaign_document", args=[draft.pk, document.pk])).status_code
        == 404
    )


def test_a_draft_without_a_creator_can_still_be_edited(staff_client, staff_user):
    """Drafts made outside the form (admin, import) have no creator; editing them works."""
    campaign = _draft(staff_user)
    Campaign.objects.filter(pk=campaign.pk).update(created_by=None)
    campaign.refresh_from_db()
    services.campaign_update(campaign=campaign, by=staff_user, title="Phong trào đã sửa")
    assert Campaign.objects.get(pk=campaign.pk).title == "Phong trào đã sửa"
