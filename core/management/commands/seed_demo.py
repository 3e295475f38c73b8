"""`manage.py seed_demo [--scale small|large]`: load the demo province once, print the logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awards.models import AwardRecord, AwardRevocation, Household, Person
from clusters.models import Cluster, ClusterMembership, Unit, UnitSuccession
from core.demo import SCALES, DemoSeedError, seed_demo


class Command(BaseCommand):
    help = "Tạo tỉnh mẫu (đơn vị, cụm/khối, cá nhân, lịch sử khen thưởng) và các tài khoản demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="small: ~3.000 cá nhân, ~15.000 khen thưởng; large: ~150.000 cá nhân, ~500.000 khen thưởng.",
        )

    def handle(self, *args: Any, scale: str, **options: Any) -> None:
        started = time.monotonic()
        try:
            credentials = seed_demo(scale=scale, stdout=self.stdout)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"\nTỉnh mẫu sẵn sàng ({elapsed:.1f} giây)."))
        summary = [
            ("Đơn vị đang hoạt động", Unit.objects.filter(active_to__isnull=True).count()),
            ("Đơn vị đã giải thể, sáp nhập", Unit.objects.filter(active_to__isnull=False).count()),
            ("Quan hệ kế thừa đơn vị", UnitSuccession.objects.count()),
            ("Cụm, khối đang hoạt động", Cluster.objects.filter(is_active=True).count()),
            ("Lượt thành viên cụm, khối", ClusterMembership.objects.count()),
            ("Cá nhân", Person.objects.count()),
            ("Hộ gia đình", Household.objects.count()),
            ("Bản ghi khen thưởng", AwardRecord.objects.count()),
            ("Hủy bỏ, đính chính", AwardRevocation.objects.count()),
        ]
        for label, count in summary:
            # Vietnamese groups thousands with a dot.
            self.stdout.write(f"  {label:<30} {f'{count:,}'.replace(',', '.'):>9}")
        self.stdout.write(f"\nMật khẩu chung của các tài khoản demo: {credentials.password}")
        for username, role in credentials.users:
            self.stdout.write(f"  {username:<12} {role}")
