from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from campaigns.models import Campaign, CampaignStatus
from campaigns.selectors import participant_units
from core.models import User


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=120, time_limit=180)
def notify_launch(campaign_id: int) -> int:
    """E-mail the officers and heads of every participating unit that the campaign was launched.

    Once: the campaign row stays locked while sending and is stamped in the same transaction, so
    a second delivery of the task (the sweep, a redelivery after a lost worker) sends nothing.
    """
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.launch_notice_sent_at is not None or campaign.status == CampaignStatus.DRAFT:
            return 0
        sent = _send_launch_notice(campaign)
        Campaign.objects.filter(pk=campaign.pk).update(launch_notice_sent_at=timezone.now())
    return sent


def _send_launch_notice(campaign: Campaign) -> int:
    recipients = list(
        User.objects.filter(is_active=True, unit__in=participant_units(campaign))
        .exclude(unit_role="")
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"campaign": campaign, "url": settings.SITE_URL.rstrip("/") + campaign.get_absolute_url()}
        subject = render_to_string("campaigns/email/launched_subject.txt", context).strip()
        body = render_to_string("campaigns/email/launched.txt", context)
    # One message per recipient: officers never see each other's addresses.
    messages = [EmailMessage(subject, body, to=[address]) for address in recipients]
    with mailers.default as connection:
        return connection.send_messages(messages) or 0


@shared_task(ignore_result=True)
def sweep_launch_notices() -> int:
    """Hand out the launch e-mails that a broker outage kept back (beat, every few minutes)."""
    settle = timezone.now() - dt.timedelta(minutes=2)  # leave the launch's own hand-out its chance
    pending = Campaign.objects.filter(launch_notice_sent_at__isnull=True, updated_at__lt=settle).exclude(
        status=CampaignStatus.DRAFT
    )
    ids = list(pending.values_list("pk", flat=True))
    for campaign_id in ids:
        notify_launch.delay(campaign_id)
    return len(ids)
