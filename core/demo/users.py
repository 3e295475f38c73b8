"""Demo logins, one per role, sharing one random password kept in var/demo-credentials.json.

The password is generated at the first seed and reused afterwards. When the file is lost but
the users exist, a new password is set on all of them and the file is written again.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from clusters.models import ClusterKind, ClusterTerm, MemberRole, Unit
from clusters.selectors import current_year
from core.demo import names
from core.models import UnitRole

CREDENTIALS_FILE = "demo-credentials.json"
MAIL_DOMAIN = "thidua.demo"


@dataclass(frozen=True)
class DemoCredentials:
    """The shared password of the demo logins, and each login with its role."""

    password: str
    users: list[tuple[str, str]]


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / CREDENTIALS_FILE


def load_credentials() -> DemoCredentials | None:
    """The stored demo credentials, or None when the file is missing or unreadable."""
    try:
        data = json.loads(credentials_path().read_text(encoding="utf-8"))
        return DemoCredentials(
            password=str(data["password"]),
            users=[(str(user["username"]), str(user["role"])) for user in data["users"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_credentials(credentials: DemoCredentials) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "password": credentials.password,
        "users": [{"username": username, "role": role} for username, role in credentials.users],
    }
    temporary = path.with_suffix(".tmp")
    # The file holds a password: readable by its owner only, replaced in one step.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    os.replace(temporary, path)


@dataclass(frozen=True)
class _Login:
    username: str
    role: str
    full_name: str
    position: str
    unit: Unit | None = None
    unit_role: str = ""
    flags: tuple[str, ...] = ()


def _cluster_roles() -> tuple[ClusterTerm, Unit, Unit, Unit]:
    """A cụm of the latest year up to now: its head unit, deputy unit and a plain member."""
    term = (
        ClusterTerm.objects.filter(
            cluster__kind=ClusterKind.CLUSTER, cluster__is_active=True, year__lte=current_year()
        )
        .select_related("cluster")
        .order_by("-year", "cluster__code")
        .first()
    )
    if term is None:
        raise LookupError("Tỉnh mẫu chưa có cụm thi đua nào.")
    memberships = {m.role: m.unit for m in term.memberships.select_related("unit").order_by("-unit__code")}
    return term, memberships[MemberRole.HEAD], memberships[MemberRole.DEPUTY], memberships[MemberRole.MEMBER]


def _logins() -> list[_Login]:
    home_affairs = Unit.objects.get(code="SNV")
    finance = Unit.objects.get(code="STC")
    term, head_unit, deputy_unit, commune = _cluster_roles()
    cluster = term.cluster.name
    commune_name = names.lower_first(commune.short_name)
    return [
        _Login(
            "admin",
            "Quản trị hệ thống",
            "Đỗ Minh Tuấn",
            "Quản trị hệ thống",
            flags=("is_superuser", "is_staff"),
        ),
        _Login(
            "chuyenvien",
            "Chuyên viên Phòng TĐKT",
            "Nguyễn Thị Thu Hằng",
            "Chuyên viên Phòng Thi đua - Khen thưởng, Sở Nội vụ",
            home_affairs,
            flags=("is_province_staff",),
        ),
        _Login(
            "truongphong",
            "Trưởng phòng TĐKT",
            "Trần Văn Hưng",
            "Trưởng phòng Thi đua - Khen thưởng, Sở Nội vụ",
            home_affairs,
            flags=("is_office_head",),
        ),
        _Login(
            "hoidong",
            "Thành viên Hội đồng TĐKT tỉnh",
            finance.head_name,
            f"{finance.head_title} {finance.name}, Ủy viên Hội đồng Thi đua - Khen thưởng tỉnh",
            finance,
            flags=("is_council_member",),
        ),
        _Login(
            "canbo",
            f"Cán bộ TĐKT {commune_name}",
            "Lê Thị Ngọc Ánh",
            "Chuyên viên Văn phòng HĐND và UBND, phụ trách công tác thi đua, khen thưởng",
            commune,
            UnitRole.OFFICER,
        ),
        _Login(
            "thutruong",
            f"Thủ trưởng đơn vị ({commune.head_title} {commune.short_name.split(' ', 1)[1]})",
            commune.head_name,
            commune.head_title,
            commune,
            UnitRole.HEAD,
        ),
        _Login(
            "truongcum",
            f"Trưởng {cluster} (cán bộ {names.lower_first(head_unit.short_name)})",
            "Phạm Quang Huy",
            "Chuyên viên Văn phòng HĐND và UBND, phụ trách công tác thi đua, khen thưởng",
            head_unit,
            UnitRole.OFFICER,
        ),
        _Login(
            "phocum",
            f"Phó {cluster} (cán bộ {names.lower_first(deputy_unit.short_name)})",
            "Vũ Thị Lan Anh",
            "Chuyên viên Văn phòng HĐND và UBND, phụ trách công tác thi đua, khen thưởng",
            deputy_unit,
            UnitRole.OFFICER,
        ),
    ]


@transaction.atomic
def ensure_demo_users() -> tuple[DemoCredentials, int]:
    """Create the missing demo logins; returns the credentials and how many users were created.

    With a stored password, only new users receive it; without one, every demo user gets a new
    password and the file is written again.
    """
    user_model = get_user_model()
    stored = load_credentials()
    password = stored.password if stored else secrets.token_urlsafe(12)
    # One hash for all: the demo shares its password, and each hash costs a noticeable time.
    hashed = make_password(password)
    logins = _logins()
    existing = {
        user.username: user for user in user_model.objects.filter(username__in=[x.username for x in logins])
    }
    created = 0
    for login in logins:
        user = existing.get(login.username)
        if user is None:
            fields: dict[str, Any] = dict.fromkeys(login.flags, True)
            user = user_model(
                username=login.username,
                email=f"{login.username}@{MAIL_DOMAIN}",
                full_name=login.full_name,
                position=login.position,
                unit=login.unit,
                unit_role=login.unit_role,
                password=hashed,
                **fields,
            )
            user.save()
            created += 1
        elif stored is None:
            user.password = hashed
            user.save(update_fields=["password"])
    credentials = DemoCredentials(password=password, users=[(login.username, login.role) for login in logins])
    if stored != credentials:
        _save_credentials(credentials)
    return credentials, created
