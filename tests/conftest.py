from __future__ import annotations

import importlib
import os
from dataclasses import dataclass

import pytest
from django.test import Client

from clusters.models import Cluster, ClusterTerm, MemberRole, Unit
from core.models import User
from tests import factories


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Each test gets its own cache and media folder; Redis is exercised by integration tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _award_catalogue(request) -> None:
    """Put back the catalogue the data migrations seed when a transactional test flushed it.

    Browser journeys and real-worker tests commit rows, so their teardown flushes every table;
    Django restores serialized data only when the next transactional test starts, and a plain
    test scheduled right after one would find no award catalogue.
    """
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("django_db_setup")
        blocker = request.getfixturevalue("django_db_blocker")
        with blocker.unblock():
            from django.apps import apps

            from awards.models import AwardCategory

            if not AwardCategory.objects.exists():
                seed = importlib.import_module("awards.migrations.0003_seed_catalogue").seed
                seed(apps, None)


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Unit tests run tasks in-process; tests marked `integration` use a real worker and broker."""
    from config.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture
def redis_url() -> str:
    """The real Redis the integration tests use (make test sets REDIS_URL)."""
    from django.conf import settings

    url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    if not url:
        pytest.skip("REDIS_URL is not set: the integration tests need a real Redis")
    return url


@pytest.fixture
def unit_a(db) -> Unit:
    return factories.UnitFactory(name="Xã Phụng Công", short_name="Phụng Công", code="XA-PC")


@pytest.fixture
def unit_b(db) -> Unit:
    return factories.UnitFactory(name="Xã Văn Giang", short_name="Văn Giang", code="XA-VG")


@pytest.fixture
def staff_user(db) -> User:
    return factories.make_staff(username="chuyenvien", full_name="Trần Thị Bình")


@pytest.fixture
def office_head(db) -> User:
    return factories.make_office_head(username="truongban", full_name="Phạm Văn Cường")


@pytest.fixture
def council_member(db) -> User:
    return factories.make_council_member(username="hoidong", full_name="Lê Đức Dũng")


@pytest.fixture
def officer_a(unit_a) -> User:
    """The emulation officer of unit A."""
    return factories.make_officer(unit_a, username="canbo_a", full_name="Nguyễn Văn Ân")


@pytest.fixture
def officer_b(unit_b) -> User:
    """The emulation officer of unit B."""
    return factories.make_officer(unit_b, username="canbo_b", full_name="Đỗ Thị Hạnh")


@pytest.fixture
def head_a(unit_a) -> User:
    """The head (thủ trưởng) of unit A."""
    return factories.make_unit_head(unit_a, username="thutruong_a", full_name="Vũ Quốc Hưng")


@pytest.fixture
def plain_user(db) -> User:
    """Signed in, but with no role at all."""
    return factories.UserFactory(username="khach", full_name="Bùi Ngọc Yến")


@pytest.fixture
def admin_user(db) -> User:
    return factories.make_superuser(username="quantri", full_name="Hoàng Minh Lộc")


@dataclass
class ClusterWithHead:
    """A cluster this year: head unit, deputy unit, two plain members, and their officers."""

    cluster: Cluster
    term: ClusterTerm
    head_unit: Unit
    deputy_unit: Unit
    members: list[Unit]
    head_officer: User
    deputy_officer: User
    member_officer: User


@pytest.fixture
def cluster_with_head(db) -> ClusterWithHead:
    """A cluster for the current year whose head unit's officer is a cluster head."""
    cluster = factories.ClusterFactory(name="Cụm thi đua số 1 — các xã phía Bắc", code="CUM-01")
    term = factories.ClusterTermFactory(cluster=cluster)
    head_unit = factories.UnitFactory(name="Xã Mễ Sở", code="XA-MS")
    deputy_unit = factories.UnitFactory(name="Xã Tân Hưng", code="XA-TH")
    members = [
        factories.UnitFactory(name="Xã Đông Tảo", code="XA-DT"),
        factories.UnitFactory(name="Xã Liên Nghĩa", code="XA-LN"),
    ]
    factories.ClusterMembershipFactory(term=term, unit=head_unit, role=MemberRole.HEAD)
    factories.ClusterMembershipFactory(term=term, unit=deputy_unit, role=MemberRole.DEPUTY)
    for unit in members:
        factories.ClusterMembershipFactory(term=term, unit=unit)
    return ClusterWithHead(
        cluster=cluster,
        term=term,
        head_unit=head_unit,
        deputy_unit=deputy_unit,
        members=members,
        head_officer=factories.make_officer(head_unit, username="truongcum"),
        deputy_officer=factories.make_officer(deputy_unit, username="phocum"),
        member_officer=factories.make_officer(members[0], username="thanhvien"),
    )


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user) -> Client:
    return _client_for(staff_user)


@pytest.fixture
def officer_a_client(officer_a) -> Client:
    return _client_for(officer_a)


@pytest.fixture
def officer_b_client(officer_b) -> Client:
    return _client_for(officer_b)


@pytest.fixture
def council_client(council_member) -> Client:
    return _client_for(council_member)


@pytest.fixture
def login_as():
    """Sign a fresh client in as any user: `login_as(user).get(url)`."""
    return _client_for
