"""Launch e-mails go out exactly once, even when the broker is down at launch time."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign, CampaignStatus
from campaigns.tasks import notify_launch, sweep_launch_notices
from tests.brokers import celery_broker
from tests.campaigns.test_campaigns import _draft


@pytest.fixture
def broker_down():
    """Tasks really go to a broker, one that refuses connections (a closed loopback port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends
    with celery_broker(f"redis://127.0.0.1:{port}/0", eager=False):
        yield


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_launch_sends_its_e_mails_once(
    staff_user, officer_a, officer_b, django_capture_on_commit_callbacks
):
    campaign = _draft(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_transition(campaign=campaign, action="launch", by=staff_user)
    assert _recipients() == sorted([officer_a.email, officer_b.email])
    campaign.refresh_from_db()
    assert campaign.launch_notice_sent_at is not None
    # A redelivered task and the sweep find the e-mails sent.
    assert notify_launch(campaign.pk) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert sweep_launch_notices() == 0
    assert len(mail.outbox) == 2


def test_launch_with_the_broker_down_succeeds_and_the_sweep_sends_later(
    staff_client, staff_user, officer_a, officer_b, broker_down, django_capture_on_commit_callbacks
):
    campaign = _draft(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("campaigns:campaign_transition", args=[campaign.pk]), {"action": "launch", "note": ""}
        )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.launch_notice_sent_at is None
    assert mail.outbox == []

    from config.celery import app

    app.conf.task_always_eager = True  # the broker is back: the sweep's tasks run
    assert sweep_launch_notices() == 0, "the sweep leaves a fresh launch to its own hand-out"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)):
        assert sweep_launch_notices() == 1
        assert sweep_launch_notices() == 0
    assert _recipients() == sorted([officer_a.email, officer_b.email])


def test_drafts_are_never_announced(staff_user, officer_a):
    campaign = _draft(staff_user)
    assert notify_launch(campaign.pk) == 0
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert sweep_launch_notices() == 0
    assert mail.outbox == []
    assert Campaign.objects.get(pk=campaign.pk).launch_notice_sent_at is None
