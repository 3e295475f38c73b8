"""One small world for the permission matrix and the IDOR tests, built once per test module.

Two units (A and B) report, register and score in the same campaign and cluster; unit H heads
that cluster. Unit A's drafts carry marker strings, so a test can look for them in any page
or spreadsheet another unit receives. The world is written inside a transaction that is
rolled back when the module ends; every test runs in a savepoint within it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from clusters.models import MemberRole, ScoringStage, TermScoring
from core.models import User
from tests import factories

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Unique strings in unit A's drafts: none may reach unit B.
REPORT_DRAFT_MARKER = "BAOCAO-NHAP-DONVI-A-7Q2Z"
REGISTRATION_DRAFT_MARKER = "DANGKY-NHAP-DONVI-A-4K9X"
SCORE_DRAFT_MARKER = "TUCHAM-DONVI-A-8M3V"

ROLES = ("anonymous", "officer_a", "officer_b", "cluster_head", "council", "staff", "admin")


@dataclass
class World:
    """Everything the tables of the security tests point at."""

    unit_a: Any = None
    unit_b: Any = None
    head_unit: Any = None
    users: dict[str, User] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, role: str) -> Client:
        """A client signed in as `role` through the session made once for the module."""
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _seed_catalogue() -> None:
    """The award catalogue may have been flushed by a transactional test run earlier."""
    from django.apps import apps

    from awards.models import AwardCategory

    if not AwardCategory.objects.exists():
        importlib.import_module("awards.migrations.0003_seed_catalogue").seed(apps, None)


def _clusters(w: World, staff: User) -> None:
    from clusters.models import Criterion
    from clusters.scoring import scores, tables

    year = factories.this_year()
    cluster = factories.ClusterFactory(name="Cụm thi đua số 1 — kiểm thử quyền", code="CUM-Q")
    members_and_roles = (
        (w.head_unit, MemberRole.HEAD),
        (w.unit_a, MemberRole.MEMBER),
        (w.unit_b, MemberRole.MEMBER),
    )
    term = factories.ClusterTermFactory(cluster=cluster, year=year)
    for unit, role in members_and_roles:
        factories.ClusterMembershipFactory(term=term, unit=unit, role=role)
    # This year's table, signed with a PDF pledge, and self-scoring open.
    table, criteria = factories.make_score_table(term, by=staff)
    members = [w.head_unit, w.unit_a, w.unit_b]
    pledge = tables.pledge_sign(
        term=term,
        signed_on=dt.date(year, 3, 23),
        place="Hội trường UBND xã Mễ Sở",
        signatories=[
            tables.Signatory(unit=u, signer_name=u.head_name, signer_title=u.head_title) for u in members
        ],
        document=_pdf("giao-uoc.pdf"),
        by=staff,
    )
    TermScoring.objects.filter(term=term).update(stage=ScoringStage.SELF)
    criterion = criteria["3"]
    for unit, who, text in ((w.unit_a, "officer_a", SCORE_DRAFT_MARKER), (w.unit_b, "officer_b", "Đạt")):
        scores.self_scores_save(
            term=term,
            unit=unit,
            inputs=[scores.ScoreInput(criterion=criterion, points=Decimal(40), explanation=text)],
            files={criterion.pk: [_pdf(f"minh-chung-{unit.code}.pdf")]},
            by=w.users[who],
        )
    from clusters.models import ScoreEvidence

    evidence = {e.entry.unit_id: e for e in ScoreEvidence.objects.select_related("entry")}
    flag = scores.unit_flag_add(
        term=term, unit=w.unit_a, kind="discipline", opened_on=dt.date(year, 5, 1), by=staff
    )

    # Next year's table is still being drafted by the head (planning).
    next_term = factories.ClusterTermFactory(cluster=cluster, year=year + 1)
    for unit, role in members_and_roles:
        factories.ClusterMembershipFactory(term=next_term, unit=unit, role=role)
    draft_table, draft_criteria = factories.make_score_table(next_term, by=staff)
    draft_group = draft_table.groups.order_by("order").first()
    draft_band = draft_table.bands.order_by("order").first()

    # Earlier years, one per later stage: cross-scoring, voting, closed.
    later = {}
    for offset, stage in ((1, ScoringStage.CROSS), (2, ScoringStage.VOTING), (3, ScoringStage.CLOSED)):
        past = factories.ClusterTermFactory(cluster=cluster, year=year - offset)
        for unit, role in members_and_roles:
            factories.ClusterMembershipFactory(term=past, unit=unit, role=role)
        past_table, past_criteria = factories.make_score_table(past, by=staff)
        factories.sign_pledge(past, past_table, by=staff)
        TermScoring.objects.filter(term=past).update(stage=stage)
        later[stage] = (past, past_criteria)

    # Another cluster this year, without unit B: its whole year is out of B's reach.
    other_unit = factories.UnitFactory(name="Xã Đông Tảo", code="XA-DT")
    other_officer = factories.make_officer(other_unit, username="canbo_c")
    other_term = factories.ClusterTermFactory(
        cluster=factories.ClusterFactory(name="Cụm thi đua số 2 — kiểm thử quyền", code="CUM-R"), year=year
    )
    factories.ClusterMembershipFactory(term=other_term, unit=other_unit, role=MemberRole.HEAD)
    other_table, other_criteria = factories.make_score_table(other_term, by=staff)
    tables.pledge_sign(
        term=other_term,
        signed_on=dt.date(year, 3, 24),
        place="Hội trường UBND xã Đông Tảo",
        signatories=[tables.Signatory(unit=other_unit, signer_name="Chủ tịch", signer_title="Chủ tịch")],
        document=_pdf("giao-uoc-cum-2.pdf"),
        by=staff,
    )
    TermScoring.objects.filter(term=other_term).update(stage=ScoringStage.SELF)
    scores.self_scores_save(
        term=other_term,
        unit=other_unit,
        inputs=[scores.ScoreInput(criterion=other_criteria["3"], points=Decimal(40), explanation="Đạt")],
        files={other_criteria["3"].pk: [_pdf("minh-chung-cum-2.pdf")]},
        by=other_officer,
    )
    other_evidence = ScoreEvidence.objects.get(entry__unit=other_unit)
    w.objects.update(
        other_unit=other_unit,
        other_term=other_term,
        other_table=other_table,
        other_evidence=other_evidence,
    )
    w.objects.update(
        cluster=cluster,
        term=term,
        table=table,
        criteria=criteria,
        criterion=criterion,
        pledge=pledge,
        evidence_a=evidence[w.unit_a.pk],
        evidence_b=evidence[w.unit_b.pk],
        flag_a=flag,
        next_term=next_term,
        draft_table=draft_table,
        draft_group=draft_group,
        draft_criterion=Criterion.objects.get(pk=draft_criteria["1"].pk),
        draft_band=draft_band,
        cross_term=later[ScoringStage.CROSS][0],
        cross_criterion=later[ScoringStage.CROSS][1]["1"],
        office_criterion=later[ScoringStage.CROSS][1]["5"],
        vote_term=later[ScoringStage.VOTING][0],
        closed_term=later[ScoringStage.CLOSED][0],
    )


def _campaigns(w: World, staff: User) -> None:
    from campaigns import progress
    from campaigns import services as campaign_services
    from campaigns.models import ParticipantMode

    live = factories.CampaignFactory(
        title="Phong trào thi đua kiểm thử quyền", participant_mode=ParticipantMode.UNITS, created_by=staff
    )
    live.participant_units.set([w.unit_a, w.unit_b, w.head_unit])
    live.document_file.save("ke-hoach.pdf", _pdf("ke-hoach.pdf"))
    target = factories.TargetFactory(campaign=live, name="Tỷ lệ hộ nghèo giảm", target_value=100)
    document = campaign_services.campaign_document_add(
        campaign=live, title="Hướng dẫn", file=_pdf("huong-dan.pdf"), by=staff
    )
    progress.registration_save(
        campaign=live,
        unit=w.unit_a,
        by=w.users["officer_a"],
        version=0,
        commitments=[progress.Commitment(target_id=target.pk, value=Decimal(90))],
        note=REGISTRATION_DRAFT_MARKER,
    )
    progress.registration_submit(
        campaign=live,
        unit=w.unit_b,
        by=w.users["officer_b"],
        version=0,
        commitments=[progress.Commitment(target_id=target.pk, value=Decimal(95))],
        note="Đăng ký của đơn vị B",
    )
    progress.progress_record(
        unit=w.unit_a,
        target=target,
        as_of=dt.date(factories.this_year(), 6, 30),
        value=Decimal(40),
        done=None,
        note="Tiến độ đơn vị A",
        by=w.users["officer_a"],
    )

    draft = factories.CampaignFactory(
        title="Phong trào dự thảo kiểm thử quyền",
        status="draft",
        participant_mode=ParticipantMode.UNITS,
        created_by=staff,
    )
    draft.participant_units.set([w.unit_a, w.unit_b, w.head_unit])
    draft.document_file.save("du-thao.pdf", _pdf("du-thao.pdf"))
    draft_target = factories.TargetFactory(campaign=draft, name="Chỉ tiêu dự thảo", target_value=50)
    draft_document = campaign_services.campaign_document_add(
        campaign=draft, title="Dự thảo hướng dẫn", file=_pdf("du-thao-huong-dan.pdf"), by=staff
    )
    w.objects.update(
        campaign=live,
        target=target,
        document=document,
        draft_campaign=draft,
        draft_target=draft_target,
        draft_document=draft_document,
    )


def _reports(w: World, staff: User) -> None:
    from core.models import ExportJob, ExportStatus
    from reports import services as report_services
    from reports.models import Notification, NotificationKind, Report

    year = factories.this_year()
    deadline = report_services.deadline_create(
        by=staff,
        campaign=w.campaign,
        data=report_services.DeadlineData(
            title="Báo cáo kiểm thử quyền",
            kind="monthly",
            due_on=dt.date(year, 12, 18),
            sections=["Kết quả đạt được"],
            targets=[w.target],
        ),
    )
    report_a = report_services.report_save(
        deadline=deadline,
        unit=w.unit_a,
        by=w.users["officer_a"],
        version=0,
        narrative={"0": REPORT_DRAFT_MARKER},
    )
    attachment_a = report_services.attachment_add(
        deadline=deadline, unit=w.unit_a, by=w.users["officer_a"], file=_pdf("bao-cao-a.pdf")
    )
    attachment_b = report_services.attachment_add(
        deadline=deadline, unit=w.unit_b, by=w.users["officer_b"], file=_pdf("bao-cao-b.pdf")
    )
    report_b = report_services.report_submit(
        deadline=deadline,
        unit=w.unit_b,
        by=w.users["officer_b"],
        version=Report.objects.get(deadline=deadline, unit=w.unit_b).version,
        narrative={"0": "Báo cáo đã nộp của đơn vị B"},
        values=[report_services.ValueData(target_id=w.target.pk, value=Decimal(70))],
    )
    notifications = {
        role: Notification.objects.create(
            user=w.users[role], kind=NotificationKind.REMINDER, title=f"Nhắc nộp báo cáo ({role})", url="/"
        )
        for role in ("officer_a", "officer_b")
    }
    feed = report_services.calendar_feed_renew(user=w.users["officer_a"])
    export = ExportJob.objects.create(
        user=w.users["officer_a"], path="/ca-nhan/", filename="ca-nhan", status=ExportStatus.DONE
    )
    export.file.save("ca-nhan.xlsx", ContentFile(b"PK\x03\x04 xuat excel cua don vi A"))
    w.objects.update(
        deadline=deadline,
        report_a=report_a,
        report_b=report_b,
        attachment_a=attachment_a,
        attachment_b=attachment_b,
        notification_a=notifications["officer_a"],
        notification_b=notifications["officer_b"],
        feed_a=feed,
        export_a=export,
    )


def _awards(w: World, staff: User) -> None:
    from django.contrib.auth.models import Group

    from awards.services import award_record_revoke

    Group.objects.create(name="Cán bộ kiểm thử quyền")
    w.objects["award_a"] = factories.AwardRecordFactory(person=w.person_a)
    revoked = factories.AwardRecordFactory(collective=True, unit=w.unit_a)
    award_record_revoke(record=revoked, reason="Trùng quyết định")
    w.objects["household_a"] = factories.HouseholdFactory(unit=w.unit_a)


def build_world() -> World:
    w = World()
    w.unit_a = factories.UnitFactory(name="Xã Phụng Công", short_name="Phụng Công", code="XA-PC")
    w.unit_b = factories.UnitFactory(name="Xã Văn Giang", short_name="Văn Giang", code="XA-VG")
    w.head_unit = factories.UnitFactory(name="Xã Mễ Sở", code="XA-MS")
    w.users = {
        "officer_a": factories.make_officer(w.unit_a, username="canbo_a", full_name="Nguyễn Văn Ân"),
        "officer_b": factories.make_officer(w.unit_b, username="canbo_b", full_name="Đỗ Thị Hạnh"),
        "cluster_head": factories.make_officer(w.head_unit, username="truongcum", full_name="Lê Văn Cụm"),
        "council": factories.make_council_member(username="hoidong", full_name="Lê Đức Dũng"),
        "staff": factories.make_staff(username="chuyenvien", full_name="Trần Thị Bình"),
        "admin": factories.make_superuser(username="quantri", full_name="Hoàng Minh Lộc"),
    }
    staff = w.users["staff"]
    w.objects["person_a"] = factories.PersonFactory(unit=w.unit_a, full_name="Phạm Thị Người A")
    w.objects["person_b"] = factories.PersonFactory(unit=w.unit_b, full_name="Vũ Văn Người B")
    _awards(w, staff)
    _clusters(w, staff)
    _campaigns(w, staff)
    _reports(w, staff)
    for role, user in w.users.items():
        client = Client()
        client.force_login(user)
        w.sessions[role] = client.session.session_key
    return w


@pytest.fixture(scope="module")
def world_media(tmp_path_factory) -> Any:
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(scope="module")
def security_world(django_db_setup, django_db_blocker, world_media) -> Any:
    """The world, written once for the module and rolled back after its last test."""
    build_settings = override_settings(
        MEDIA_ROOT=world_media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    )
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with build_settings:
                _seed_catalogue()
                w = build_world()
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(security_world, _isolated_settings, settings, world_media) -> World:
    """The module's world in one test (a savepoint), with its files readable."""
    settings.MEDIA_ROOT = world_media
    return security_world
