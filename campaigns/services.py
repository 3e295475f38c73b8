"""Writes for campaigns: drafts, content, lifecycle. Each function is one transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from campaigns.models import Campaign, CampaignDocument, CampaignStatus, CampaignTransition, ContentItem
from campaigns.selectors import participant_units
from core.audit import audit_context
from core.uploads import original_name

logger = logging.getLogger(__name__)

# Actions staff can take; each is a django-fsm transition method of Campaign.
ACTIONS = ("launch", "start", "review_midterm", "resume", "review_final", "close")


@dataclass(frozen=True)
class ContentItemData:
    title: str
    text: str = ""


def _with_document_name(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields plus the signed document's original name: a new upload's, or none when it is removed.

    The form hands back the kept file (a FieldFile) when nothing new is uploaded: its name stays.
    """
    if "document_file" not in fields:
        return fields
    value = fields["document_file"]
    if isinstance(value, File) and not isinstance(value, FieldFile):
        return {**fields, "document_original_name": original_name(value)}
    if not value:
        # "Clear" gives False, which a FileField would store as the file name "False".
        return {**fields, "document_file": "", "document_original_name": ""}
    return fields


def _check_period(campaign: Campaign) -> None:
    if campaign.end_date < campaign.start_date:
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})


@transaction.atomic
def campaign_create(*, by: Any, content: Sequence[ContentItemData] = (), **fields: Any) -> Campaign:
    """A new draft campaign with its ordered content items."""
    clusters = fields.pop("participant_clusters", None)
    units = fields.pop("participant_units", None)
    campaign = Campaign(created_by=by, status=CampaignStatus.DRAFT, **_with_document_name(fields))
    campaign.full_clean(exclude=["status"])
    with audit_context(user=getattr(by, "pk", None), reason="campaign created"):
        campaign.save()
        if clusters is not None:
            campaign.participant_clusters.set(clusters)
        if units is not None:
            campaign.participant_units.set(units)
        campaign_set_content(campaign=campaign, items=content, by=by)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by: Any, **fields: Any) -> Campaign:
    """Change a draft's fields. Launched campaigns keep what participants were told."""
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Only a draft campaign can be edited."))
    clusters = fields.pop("participant_clusters", None)
    units = fields.pop("participant_units", None)
    for name, value in _with_document_name(fields).items():
        setattr(campaign, name, value)
    # created_by is empty on campaigns imported or made in the admin; the form cannot fill it.
    campaign.full_clean(exclude=["status", "created_by"])
    with audit_context(user=getattr(by, "pk", None), reason="campaign edited"):
        campaign.save()
        if clusters is not None:
            campaign.participant_clusters.set(clusters)
        if units is not None:
            campaign.participant_units.set(units)
    return campaign


@transaction.atomic
def campaign_set_content(
    *, campaign: Campaign, items: Sequence[ContentItemData], by: Any
) -> list[ContentItem]:
    """Replace the ordered content items (nội dung thi đua) of a draft."""
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Only a draft campaign can be edited."))
    with audit_context(user=getattr(by, "pk", None), reason="content edited"):
        campaign.content_items.all().delete()
        return ContentItem.objects.bulk_create(
            ContentItem(campaign=campaign, order=number, title=item.title[:500], text=item.text)
            for number, item in enumerate((i for i in items if i.title.strip()), start=1)
        )


def launch_problems(campaign: Campaign) -> list[str]:
    """What stops a draft from being launched, in words staff can act on."""
    problems = []
    if not campaign.content_items.exists():
        problems.append(_("Add at least one content item."))
    if not participant_units(campaign).exists():
        problems.append(_("Choose the participants: no unit takes part yet."))
    if campaign.registration_closes and campaign.registration_closes > campaign.end_date:
        problems.append(_("Registration must close before the campaign ends."))
    return problems


@transaction.atomic
def campaign_transition(*, campaign: Campaign, action: str, by: Any, note: str = "") -> Campaign:
    """Move a campaign through its lifecycle and record who did it, when and why."""
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action."))
    # Lock the row so two staff members clicking at once cannot both move it.
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    method = getattr(campaign, action)
    if not can_proceed(method):
        raise ValidationError(
            _("This campaign cannot do that from the status “%(status)s”.")
            % {"status": campaign.get_status_display()}
        )
    if action == "launch":
        problems = launch_problems(campaign)
        if problems:
            raise ValidationError(problems)
    source = campaign.status
    with audit_context(user=getattr(by, "pk", None), reason=note or action):
        method()
        campaign.save(update_fields=["status", "updated_at"])
        CampaignTransition.objects.create(
            campaign=campaign, source=source, target=campaign.status, by=by, note=note
        )
    if action == "launch":
        transaction.on_commit(partial(_hand_out_launch_notice, campaign.pk))
    return campaign


def _hand_out_launch_notice(campaign_id: int) -> None:
    """After the commit: the launch stands even when the broker is down; the beat sweep
    (campaigns.tasks.sweep_launch_notices) hands the e-mails out once it is back."""
    from campaigns.tasks import notify_launch

    try:
        notify_launch.delay(campaign_id)
    except Exception:  # kombu's OperationalError and the socket errors under it
        logger.warning("Launch e-mails of campaign %s left for the sweep", campaign_id, exc_info=True)


@transaction.atomic
def campaign_document_add(*, campaign: Campaign, title: str, file: Any, by: Any) -> CampaignDocument:
    """Attach a document; the stored name is unguessable and it is served through permissions."""
    with audit_context(user=getattr(by, "pk", None), reason="document attached"):
        return CampaignDocument.objects.create(
            campaign=campaign, title=title, file=file, original_name=original_name(file), uploaded_by=by
        )
