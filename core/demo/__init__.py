"""The demo province: a realistic province after the 2025 reform, for demonstrations and trials.

`seed_demo()` creates it once — about 200 units with their restructuring history, 30 clusters
and blocs over three years, people, households and seven years of award history — and then
only makes sure the demo logins exist. It is never called from migrations.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from clusters.models import Unit
from clusters.selectors import current_year
from core.demo.campaigns import campaigns_exist, create_campaigns
from core.demo.organisation import build_organisation
from core.demo.people import Scale, create_awards, create_people
from core.demo.scoring import create_scoring, scoring_demo_exists
from core.demo.users import DemoCredentials, ensure_demo_users, load_credentials

__all__ = [
    "MARKER_CODE",
    "SCALES",
    "DemoCredentials",
    "DemoSeedError",
    "demo_exists",
    "load_credentials",
    "seed_demo",
]

# The code of the provincial people's committee marks a database that holds the demo province.
MARKER_CODE = "UBNDT"
SEED = 2026
AWARD_YEARS = 7
SCALES: dict[str, Scale] = {
    "small": Scale(people=3_000, households=300, large=False, advanced_rate=0.55),
    "large": Scale(people=150_000, households=2_000, large=True, advanced_rate=0.4),
}


class DemoSeedError(Exception):
    """The demo province cannot be created in this database."""


def demo_exists() -> bool:
    return Unit.objects.filter(code=MARKER_CODE).exists()


def _writer(stdout: Any) -> Callable[[str], None]:
    if stdout is None:
        return lambda line: None
    return lambda line: stdout.write(line + "\n")


def seed_demo(scale: str = "small", stdout: Any = None) -> DemoCredentials:
    """Create the demo province unless it exists, then make sure every demo login exists.

    Safe to run again: a database that already holds the province gets nothing new but the
    missing logins. A database with other units is refused, so real data never gets demo data
    mixed in. The same seed always gives the same province (for the same current year).
    """
    if scale not in SCALES:
        raise DemoSeedError(f"Quy mô không hợp lệ: {scale!r} (chọn {', '.join(SCALES)}).")
    say = _writer(stdout)
    if demo_exists():
        say("Tỉnh mẫu đã có trong cơ sở dữ liệu: chỉ kiểm tra tài khoản demo.")
    elif Unit.objects.exists():
        raise DemoSeedError(
            "Cơ sở dữ liệu đã có đơn vị nhưng không phải tỉnh mẫu: không tạo dữ liệu mẫu để tránh lẫn với dữ liệu thật."
        )
    else:
        _create_province(SCALES[scale], say)
    credentials, created = ensure_demo_users()
    if created:
        say(f"Đã tạo {created} tài khoản demo.")
    if not campaigns_exist():
        # Campaigns need the demo staff login, so they come after the users.
        with transaction.atomic():
            _check_foreign_keys_per_statement()
            create_campaigns(random.Random(SEED + 1), current_year(), timezone.localdate(), say)  # noqa: S311
    if not scoring_demo_exists():
        # Scoring reads the campaigns' registrations (an eligibility gate), so it comes after them;
        # each cluster year is its own short transaction.
        create_scoring(random.Random(SEED + 2), current_year(), say)  # noqa: S311
    from core.demo.reports import create_reports, reports_exist

    if not reports_exist():
        # Report deadlines of the year's campaign, relative to today, with reminders already sent.
        with transaction.atomic():
            _check_foreign_keys_per_statement()
            create_reports(random.Random(SEED + 3), current_year(), timezone.now(), say)  # noqa: S311
    return credentials


def _check_foreign_keys_per_statement() -> None:
    """On PostgreSQL, check foreign keys at each statement instead of at commit.

    Django creates them DEFERRABLE INITIALLY DEFERRED, so a long transaction piles up pending
    checks; the pghistory and pgtrigger row triggers open and abort a subtransaction per row
    (an EXCEPTION block around current_setting), and each abort scans that whole pile. Checked
    per statement, the pile stays empty and the large seed stays linear (minutes, not hours).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _create_province(scale: Scale, say: Callable[[str], None]) -> None:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    year = current_year()
    today = timezone.localdate()
    years = range(year - AWARD_YEARS, year)
    province = settings.PROVINCE_NAME
    started = timezone.now()
    say(
        f"Tạo tỉnh mẫu {province}: {scale.people} cá nhân, khen thưởng các năm {years.start}–{years.stop - 1}."
    )
    # One transaction: an interrupted run leaves nothing behind, so the next run starts afresh.
    with transaction.atomic():
        _check_foreign_keys_per_statement()
        org = build_organisation(rng, province, year, say)
        maker, staff, households = create_people(rng, org, scale, years, say)
        create_awards(rng, org, maker, staff, households, years, today, say)
    elapsed = (timezone.now() - started) / dt.timedelta(seconds=1)
    say(f"Đã tạo tỉnh mẫu trong {elapsed:.0f} giây.")
