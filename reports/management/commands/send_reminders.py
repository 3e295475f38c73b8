"""`manage.py send_reminders [--dry-run] [--sync]`: the reminders due now.

--dry-run lists what would be sent now (recipients and channels) and sends nothing.
Without it the due reminders are handed to the workers, as the beat task does every minute;
--sync sends them in this process instead (no worker needed).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from reports import reminders
from reports.models import Reminder


class Command(BaseCommand):
    help = "Gửi các lời nhắc đến hạn (--dry-run: chỉ liệt kê, không gửi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê những gì sẽ gửi, không gửi.")
        parser.add_argument(
            "--sync", action="store_true", help="Gửi ngay trong tiến trình này (không cần worker)."
        )

    def handle(self, *args: Any, dry_run: bool, sync: bool, **options: Any) -> None:
        now = timezone.now()
        if dry_run:
            due = list(
                reminders.due_reminders(now, reminders.lease())
                .select_related("deadline__campaign", "deadline__cluster_term__cluster", "unit")
                .order_by("due_at", "pk")
            )
            self.stdout.write(
                f"{len(due)} lời nhắc đến hạn lúc {timezone.localtime(now):%H:%M %d/%m/%Y} (không gửi):"
            )
            for reminder in due:
                people = reminders.recipients(reminder)
                channels = (
                    "; ".join(
                        f"{person.get_full_name()} <{person.email or '—'}> [{', '.join(reminders.channels_for(person, reminder))}]"
                        for person in people
                    )
                    or "không có người nhận"
                )
                self.stdout.write(
                    f"  #{reminder.pk} {timezone.localtime(reminder.due_at):%d/%m/%Y %H:%M} "
                    f"{reminder.unit.name} — {reminder.deadline.title} — {reminder.step_label}: {channels}"
                )
            return
        if sync:
            ids = list(
                reminders.due_reminders(now, reminders.lease())
                .order_by("due_at", "pk")
                .values_list("pk", flat=True)
            )
            sent = 0
            for pk in ids:
                outcome = reminders.reminder_send(reminder_id=pk)
                sent += outcome.status == "sent"
            self.stdout.write(f"Đã gửi {sent}/{len(ids)} lời nhắc.")
            return
        ids = reminders.sweep_due_reminders(now=now)
        self.stdout.write(f"Đã chuyển {len(ids)} lời nhắc cho worker.")
        if not ids and Reminder.objects.filter(status="pending", due_at__lte=now).exists():
            self.stdout.write("Một số lời nhắc đến hạn đang được worker xử lý.")
