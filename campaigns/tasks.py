from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.models import Campaign
from campaigns.selectors import participant_units
from core.models import User


@shared_task(ignore_result=True, acks_late=True, soft_time_limit=120, time_limit=180)
def notify_launch(campaign_id: int) -> int:
    """E-mail the officers and heads of every participating unit that the campaign was launched."""
    campaign = Campaign.objects.get(pk=campaign_id)
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
