"""Change history panels (core.history, core.views.object_history) on PostgreSQL.

The events are written by the real pghistory triggers; the tests read them back through the
panel as staff would, and check who may not.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pgtrigger
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from awards.services import award_record_revoke
from campaigns.models import ParticipantMode, Target
from clusters.models import BallotCast, BallotCategory, BallotChoice, ClusterMembership
from core import history
from core.audit import audit_context
from reports import services as report_services
from tests import factories
from tests.reports.factories import local

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# Tables that are logs themselves, queues, per-user settings, or secret: never tracked.
UNTRACKED = {
    "reports.ReportTransition",  # the report's own who/when/why log
    "reports.Reminder",
    "reports.ReminderDelivery",
    "reports.ReminderLog",
    "reports.Notification",
    "reports.NotificationPreference",
    "reports.CalendarFeed",
    "clusters.BallotChoice",  # secret ballot: no history may link a choice to a voter
    "core.ExportJob",  # a per-user download queue, deleted after a few days
}


@pytest.fixture(autouse=True)
def _english(settings, time_machine):
    settings.LANGUAGE_CODE = "en"
    time_machine.move_to(local(D(2026, 6, 1), 9), tick=False)
    with translation.override("en"):
        yield


def url(subject: str, pk: int, page: int | None = None) -> str:
    path = reverse("object_history", args=[subject, pk])
    return f"{path}?page={page}" if page else path


def row_with(html: str, text: str) -> str:
    """The first change row containing `text` (events of one transaction share their time)."""
    return next(r for r in rows(html) if text in r)


def rows(html: str) -> list[str]:
    """The panel's change rows (the "show older" row excluded)."""
    body = html.split("<tbody>", 1)[1] if "<tbody>" in html else html
    return re.findall(r"<tr>.*?</tr>", body, flags=re.S)


@pytest.fixture
def campaign(unit_a, unit_b):
    campaign = factories.CampaignFactory(
        start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), participant_mode=ParticipantMode.UNITS
    )
    campaign.participant_units.set([unit_a, unit_b])
    return campaign


@pytest.fixture
def deadline(campaign, staff_user):
    target = factories.TargetFactory(campaign=campaign, name="Thu ngân sách", target_value=100)
    return report_services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=report_services.DeadlineData(
            title="Báo cáo sơ kết 6 tháng đầu năm 2026",
            kind="half_year",
            due_on=D(2026, 6, 19),
            period_start=D(2026, 1, 1),
            period_end=D(2026, 6, 30),
            sections=["Kết quả đạt được"],
            targets=[target],
        ),
    )


@pytest.fixture
def returned_report(deadline, unit_a, officer_a, staff_client):
    """Officer A submits, staff return it through the web page with a reason."""
    target = deadline.targets.get()
    report_services.report_submit(
        deadline=deadline,
        unit=unit_a,
        by=officer_a,
        version=0,
        narrative={"0": "Hoàn thành 55% kế hoạch thu."},
        values=[report_services.ValueData(target_id=target.pk, value=Decimal("55.5"))],
    )
    report = deadline.reports.get(unit=unit_a)
    response = staff_client.post(
        reverse("reports:report_review", args=[deadline.pk, unit_a.pk]),
        {"action": "return", "reason": "Thiếu phụ lục số liệu"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    return report


# --- What the panel shows ---------------------------------------------------------------------


def test_a_report_history_shows_who_changed_what_when_and_why(
    returned_report, staff_client, staff_user, officer_a
):
    """Staff see the return as a status change Submitted → Returned, by them, with the reason
    typed on the web page, and the officer's submission with the values it created."""
    response = staff_client.get(url("report", returned_report.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html  # the full page
    newest = row_with(html, "<ins>Returned</ins>")
    assert "Changed" in newest
    assert "Report" in newest
    assert "<del>Submitted</del> → <ins>Returned</ins>" in newest
    assert staff_user.full_name in newest
    assert "Report returned: Thiếu phụ lục số liệu" in newest
    assert "Web" in newest
    assert (
        reverse("reports:report_review", args=[returned_report.deadline_id, returned_report.unit_id])
        in newest
    )
    created_value = next(r for r in rows(html) if "Reported value" in r)
    assert "Created" in created_value
    assert "Thu ngân sách" in created_value
    assert "55.5" in created_value
    assert officer_a.full_name in created_value
    assert "Report saved" in created_value


def test_the_history_panel_is_a_partial_for_htmx(returned_report, staff_client):
    """An htmx request gets the panel alone, without the page around it."""
    response = staff_client.get(url("report", returned_report.pk), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="history-panel"' in html
    assert "Thiếu phụ lục số liệu" in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_a_deleted_attachment_stays_in_the_history(deadline, unit_a, officer_a, staff_client):
    """Deletes are recorded too: removing an attachment shows as "Deleted" with its file name."""
    attachment = report_services.attachment_add(
        deadline=deadline,
        unit=unit_a,
        by=officer_a,
        file=SimpleUploadedFile("bao-cao-ky.pdf", PDF, content_type="application/pdf"),
        requirement=None,
    )
    report = attachment.report
    report_services.attachment_remove(attachment=attachment, by=officer_a)
    html = staff_client.get(url("report", report.pk)).content.decode()
    deleted = row_with(html, "Deleted")
    assert "Deleted" in deleted
    assert "Report attachment: bao-cao-ky.pdf" in deleted
    assert "Attachment removed" in deleted


def test_a_campaign_changed_in_django_admin_shows_the_admin_user(admin_user, staff_client, login_as):
    """A change saved in Django admin carries the administrator and "Administration"."""
    person = factories.PersonFactory(full_name="Nguyễn Thị Hoa", position="Chuyên viên")
    admin_client = login_as(admin_user)
    change_url = reverse("admin:awards_person_change", args=[person.pk])
    response = admin_client.post(
        change_url,
        {
            "full_name": person.full_name,
            "gender": person.gender,
            "birth_date": person.birth_date.strftime("%d/%m/%Y"),
            "position": "Phó Trưởng phòng",
            "unit": person.unit_id,
            "category": person.category,
            "ccvc_code": person.ccvc_code,
            "citizen_id": person.citizen_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = rows(staff_client.get(url("person", person.pk)).content.decode())[0]
    assert "<del>Chuyên viên</del> → <ins>Phó Trưởng phòng</ins>" in newest
    assert admin_user.full_name in newest
    assert "Administration" in newest
    assert change_url in newest


def test_a_bulk_update_in_an_audit_context_is_recorded_with_user_and_reason(
    campaign, staff_user, staff_client
):
    """QuerySet.update() skips save() but not the triggers: every row's change is there."""
    factories.TargetFactory(campaign=campaign, name="Tỷ lệ hộ nghèo", target_value=3)
    factories.TargetFactory(campaign=campaign, name="Tỷ lệ tham gia BHYT", target_value=95)
    with audit_context(user=staff_user.pk, reason="weights reset", bulk=True):
        Target.objects.filter(campaign=campaign).update(weight=2)
    html = staff_client.get(url("campaign", campaign.pk)).content.decode()
    changed = [r for r in rows(html) if "<del>1</del> → <ins>2</ins>" in r]
    assert len(changed) == 2
    assert all(staff_user.full_name in r and "weights reset" in r and "Bulk update" in r for r in changed)


def test_participants_added_and_removed_are_in_the_campaign_history(
    campaign, unit_a, staff_user, staff_client
):
    """The many-to-many tables are tracked too (proxy models carry the triggers)."""
    unit_c = factories.UnitFactory(name="Xã Nghĩa Trụ")
    with audit_context(user=staff_user.pk, reason="participants edited"):
        campaign.participant_units.add(unit_c)
        campaign.participant_units.remove(unit_a)
    html = staff_client.get(url("campaign", campaign.pk)).content.decode()
    added, removed = row_with(html, "Xã Nghĩa Trụ"), row_with(html, unit_a.name)
    assert "Created" in added
    assert "Deleted" in removed
    assert staff_user.full_name in added
    assert staff_user.full_name in removed


def test_a_change_outside_any_request_shows_as_the_system(campaign, staff_client):
    """A task or shell change has no user and no URL: the panel says "System"."""
    Target.objects.create(campaign=campaign, name="Số sáng kiến được công nhận", target_value=10)
    newest = row_with(staff_client.get(url("campaign", campaign.pk)).content.decode(), "Số sáng kiến")
    assert "Created" in newest
    assert "Số sáng kiến được công nhận" in newest
    assert "System (scheduled task or command)" in newest


def test_a_persons_history_shows_award_records_and_revocations_with_the_citizen_id_masked(
    staff_client, staff_user
):
    """Award records are immutable; their creation and revocation still show, and a changed
    citizen ID is shown masked as on the person's page."""
    person = factories.PersonFactory(citizen_id="033123456789")
    record = factories.AwardRecordFactory(person=person, decision_number="15/QĐ-UBND")
    award_record_revoke(record=record, reason="Trùng quyết định", by=staff_user)
    person.citizen_id = "033987654321"
    person.save()
    html = staff_client.get(url("person", person.pk)).content.decode()
    assert "033987654321" not in html
    assert "033123456789" not in html
    assert any("Citizen ID number" in r and "<del>" in r for r in rows(html))
    revocation = next(r for r in rows(html) if "Award revocation or correction" in r)
    assert "Trùng quyết định" in revocation
    assert any("Award record" in r and "15/QĐ-UBND" in r for r in rows(html))


def test_the_vote_history_shows_ballots_cast_never_what_they_chose(cluster_with_head, staff_client):
    """Who has voted and when is on record; the candidates a ballot chose never are."""
    term = cluster_with_head.term
    voter = cluster_with_head.members[0]
    candidate = cluster_with_head.members[1]
    with audit_context(user=cluster_with_head.member_officer.pk, reason="ballot cast"):
        BallotCast.objects.create(term=term, unit=voter)
        BallotChoice.objects.create(term=term, category=BallotCategory.FLAG, candidate=candidate)
    html = staff_client.get(url("vote", term.pk)).content.decode()
    cast = row_with(html, "Ballot cast")
    assert "Ballot cast" in cast
    assert voter.name in cast
    assert candidate.name not in html
    assert not hasattr(BallotChoice, "pgh_event_models")


def test_a_units_scores_history_follows_its_score_entries(cluster_with_head, staff_client, staff_user):
    """The scores panel of a member shows its entries of that year and no other unit's."""
    from clusters.models import ScoreEntry

    term = cluster_with_head.term
    _, criteria = factories.make_score_table(term, by=staff_user)
    unit, other = cluster_with_head.members
    with audit_context(user=staff_user.pk, reason="self-scores saved"):
        entry = ScoreEntry.objects.create(
            criterion=criteria["2.1"], unit=unit, stage="self", points=8, updated_by=staff_user
        )
        ScoreEntry.objects.create(
            criterion=criteria["2.1"], unit=other, stage="self", points=3, updated_by=staff_user
        )
    with audit_context(user=staff_user.pk, reason="cross-score saved"):
        entry.points = Decimal("9.5")
        entry.save()
    membership = ClusterMembership.objects.get(term=term, unit=unit)
    html = staff_client.get(url("scores", membership.pk)).content.decode()
    entries = [r for r in rows(html) if "Score:" in r]
    assert len(entries) == 2
    assert "<del>8</del> → <ins>9.5</ins>" in entries[0]
    assert "Cross-score saved" in entries[0]
    assert "2.1. Chỉ số cải cách hành chính — Self-score" in entries[0]


# --- Who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_a", "council_member", "head_a", "plain_user"])
def test_only_staff_see_history(request, returned_report, login_as, who):
    """Anyone but provincial staff gets 404, even for their own unit's report."""
    client = login_as(request.getfixturevalue(who))
    assert client.get(url("report", returned_report.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, returned_report):
    response = client.get(url("report", returned_report.pk))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_unknown_subjects_and_objects_are_not_found(staff_client, returned_report):
    assert staff_client.get(url("ballot", returned_report.pk)).status_code == 404
    assert staff_client.get(url("report", returned_report.pk + 1000)).status_code == 404


def test_the_campaign_page_has_a_history_tab_for_staff_only(campaign, staff_client, officer_a_client):
    """Staff get a "Change history" tab on the campaign page, full page and htmx; an officer
    neither sees the tab nor can open it by URL."""
    detail = campaign.get_absolute_url()
    page = staff_client.get(detail).content.decode()
    assert 'hx-get="?section=history"' in page
    tab = staff_client.get(f"{detail}?section=history").content.decode()
    assert 'id="history-panel"' in tab
    assert "Emulation campaign" in tab
    partial = staff_client.get(f"{detail}?section=history", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert 'id="history-panel"' in partial
    officer_page = officer_a_client.get(f"{detail}?section=history").content.decode()
    assert 'hx-get="?section=history"' not in officer_page
    assert 'id="history-panel"' not in officer_page


def test_object_pages_offer_the_history_to_staff_only(returned_report, staff_client, officer_a_client):
    """The report page links its history for staff; the unit's officer sees no such link."""
    history_url = url("report", returned_report.pk)
    assert history_url in staff_client.get(returned_report.get_absolute_url()).content.decode()
    assert history_url not in officer_a_client.get(returned_report.get_absolute_url()).content.decode()
    person = factories.PersonFactory()
    person_page = staff_client.get(person.get_absolute_url()).content.decode()
    assert f'hx-get="{url("person", person.pk)}"' in person_page


# --- Paging and cost --------------------------------------------------------------------------


def _target_changes(campaign, count: int, staff_user) -> None:
    target = factories.TargetFactory(campaign=campaign, name="Thu ngân sách", target_value=100)
    for value in range(count):
        with audit_context(user=staff_user.pk, reason="target edited"):
            Target.objects.filter(pk=target.pk).update(target_value=200 + value)


def test_history_is_paged_newest_first_with_a_link_to_older_changes(campaign, staff_client, staff_user):
    """50 changes a page; "Show older changes" loads the next page's rows alone with htmx."""
    _target_changes(campaign, 60, staff_user)
    first = staff_client.get(url("campaign", campaign.pk)).content.decode()
    assert len(rows(first)) == history.PAGE_SIZE
    # Newest first within the target's changes (one test transaction gives all one time, so
    # the order across tables is not defined).
    values = [r for r in rows(first) if "<ins>" in r]
    assert "<ins>259</ins>" in values[0]
    assert f'hx-get="{url("campaign", campaign.pk, 2)}"' in first
    second = staff_client.get(
        url("campaign", campaign.pk, 2), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<table" not in second
    assert "<html" not in second
    # 60 updates + the target's and the campaign's creation + its two participants = 64 events.
    assert len(rows(second)) == 64 - history.PAGE_SIZE
    assert "Show older changes" not in second


def test_the_panel_costs_the_same_queries_however_many_changes(campaign, staff_client, staff_user):
    """Query count is bounded by the event tables read, not by the number of events."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url("campaign", campaign.pk), headers={"HX-Request": "true"})
        assert response.status_code == 200
        return len(queries)

    _target_changes(campaign, 3, staff_user)
    few = count()
    _target_changes(campaign, 80, staff_user)
    # Fewer when the campaign's own creation drops off the first page (one table less).
    assert count() <= few


def test_the_panel_query_count_is_pinned(campaign, staff_client, staff_user, django_assert_num_queries):
    """The signed-in user and the campaign (2), the page's keys over every event table (1),
    per event table on the page its rows and the rows they changed from (target 2, campaign 1:
    only its creation, participants 1: only additions), the units (1) and users (1) named."""
    _target_changes(campaign, 5, staff_user)
    with django_assert_num_queries(9):
        staff_client.get(url("campaign", campaign.pk), headers={"HX-Request": "true"})


def test_without_postgresql_history_the_panel_says_so(campaign, staff_client, monkeypatch):
    """On the SQLite demo there are no triggers; the panel explains instead of showing nothing."""
    monkeypatch.setattr(history, "audit_enabled", lambda: False)
    html = staff_client.get(url("campaign", campaign.pk)).content.decode()
    assert "recorded only when the application runs on PostgreSQL" in html


# --- What is tracked --------------------------------------------------------------------------


def test_every_model_whose_changes_matter_is_tracked_with_deletes():
    """Every concrete model of the project's apps has history (insert, update and delete),
    except logs, queues, per-user settings and the secret ballot choices."""
    missing, no_delete = [], []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in {"core", "clusters", "awards", "campaigns", "reports"}:
            continue
        if label.endswith("Event") or label in UNTRACKED:
            continue
        if not getattr(model, "pgh_event_models", None):
            missing.append(label)
            continue
        registered = {trigger.name for m, trigger in pgtrigger.registered() if m is model}
        if "delete_delete" not in registered:
            no_delete.append(label)
    assert missing == []
    assert no_delete == []
    for label in UNTRACKED:
        assert not getattr(apps.get_model(label), "pgh_event_models", None), label


def test_every_history_source_is_a_tracked_model():
    for label in history.iter_subject_models():
        assert apps.get_model(label).pgh_event_model is not None


# --- The cluster year's scoring set-up ("term") and report schedules ---------------------------


def _schedule(by, **owner):
    return report_services.schedule_create(
        by=by,
        data=report_services.ScheduleData(
            kind="quarterly",
            recurrence="quarterly",
            due_day=20,
            title="Báo cáo quý của cụm",
            unit_mode="chosen" if "cluster_term" in owner else "all",
            units=owner.pop("units", ()),
            targets=owner.pop("targets", ()),
        ),
        today=D(2026, 6, 1),
        **owner,
    ).schedule


@pytest.fixture
def scored_term(cluster_with_head, staff_user):
    factories.make_score_table(cluster_with_head.term, by=staff_user)
    return cluster_with_head


def test_the_term_history_shows_a_criterion_edit_with_who_and_why(scored_term, staff_client, staff_user):
    """Changing a criterion's maximum shows as old → new on that criterion, by the staff member,
    with the service's reason in the reader's language."""
    from clusters.models import Criterion
    from clusters.scoring.tables import CRITERION_FIELDS, criterion_save

    criterion = Criterion.objects.get(group__table__term=scored_term.term, code="2.1")
    fields = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
    criterion_save(
        table=criterion.group.table, by=staff_user, criterion=criterion, **{**fields, "max_points": 12}
    )
    html = staff_client.get(url("term", scored_term.term.pk)).content.decode()
    edited = row_with(html, "Criterion saved")
    assert "Changed" in edited
    assert "2.1 — Chỉ số cải cách hành chính" in edited
    assert "<del>10</del> → <ins>12</ins>" in edited
    assert staff_user.full_name in edited
    # The table, its groups and bands written outside any request are the system's.
    assert any("Criterion group" in r and "System (scheduled task or command)" in r for r in rows(html))


def test_the_term_history_shows_a_change_of_head(scored_term, staff_client, staff_user):
    """Making another member the head demotes the old head: both memberships show the role
    change, with the staff member and "Cluster year set up"."""
    from clusters.services import cluster_term_set

    year = scored_term
    cluster_term_set(
        cluster=year.cluster,
        year=year.term.year,
        members=[year.head_unit, year.deputy_unit, *year.members],
        head=year.members[0],
        deputy=year.deputy_unit,
        by=staff_user,
    )
    html = staff_client.get(url("term", year.term.pk)).content.decode()
    head, member = "Head (trưởng cụm, khối)", "Member"
    demoted = row_with(html, f"<del>{head}</del> → <ins>{member}</ins>")
    promoted = row_with(html, f"<del>{member}</del> → <ins>{head}</ins>")
    assert year.head_unit.name in demoted
    assert year.members[0].name in promoted
    for row in (demoted, promoted):
        assert "Cluster member" in row
        assert staff_user.full_name in row
        assert f"Cluster year set up: {year.term.year}" in row


def test_a_schedules_units_added_and_removed_are_in_the_term_history(
    cluster_with_head, staff_client, staff_user
):
    """A cluster year's schedule and the units it names are history of that year."""
    year = cluster_with_head
    schedule = _schedule(staff_user, cluster_term=year.term, units=[year.head_unit, year.deputy_unit])
    with audit_context(user=staff_user.pk, reason="schedule units edited"):
        schedule.units.add(year.members[0])
        schedule.units.remove(year.deputy_unit)
    html = staff_client.get(url("term", year.term.pk)).content.decode()
    unit_rows = [r for r in rows(html) if "Unit on the report schedule" in r]
    added = next(r for r in unit_rows if year.members[0].name in r)
    removed = next(r for r in unit_rows if year.deputy_unit.name in r and "Deleted" in r)
    assert "Created" in added
    assert "Báo cáo quý của cụm" in added
    assert staff_user.full_name in added
    assert "schedule units edited" in added
    assert staff_user.full_name in removed
    created = row_with(html, "Report schedule created")
    assert "Report schedule" in created


def test_a_campaigns_schedule_and_its_targets_are_in_the_campaign_history(campaign, staff_client, staff_user):
    target = factories.TargetFactory(campaign=campaign, name="Tỷ lệ hộ nghèo", target_value=3)
    _schedule(staff_user, campaign=campaign, targets=[target])
    html = staff_client.get(url("campaign", campaign.pk)).content.decode()
    listed = row_with(html, "Target on the report schedule")
    assert "Created" in listed
    assert "Báo cáo quý của cụm — Tỷ lệ hộ nghèo" in listed
    assert "Report schedule created" in listed
    # The deadlines it made carry their own reason, not the schedule's.
    assert "Report deadline created" in row_with(html, "Report deadline:")


def test_a_nested_audit_context_has_its_own_reason_and_the_outer_one_resumes(
    campaign, staff_client, staff_user
):
    """A service called inside another (or inside a request) records its own reason with the
    outer user; the outer block's later changes keep the outer reason."""
    with audit_context(user=staff_user.pk, reason="campaign edited"):
        Target.objects.create(campaign=campaign, name="Chỉ tiêu trước", target_value=1)
        with audit_context(reason="target created"):
            Target.objects.create(campaign=campaign, name="Chỉ tiêu lồng", target_value=2)
        Target.objects.create(campaign=campaign, name="Chỉ tiêu sau", target_value=3)
    html = staff_client.get(url("campaign", campaign.pk)).content.decode()
    before, nested, after = (
        row_with(html, name) for name in ("Chỉ tiêu trước", "Chỉ tiêu lồng", "Chỉ tiêu sau")
    )
    assert "Campaign edited" in before
    assert "Campaign edited" in after
    assert "Target created" in nested
    assert "Campaign edited" not in nested
    assert all(staff_user.full_name in row for row in (before, nested, after))


@pytest.mark.parametrize("who", ["officer_a", "head_officer"])
def test_only_staff_see_the_term_history(request, cluster_with_head, login_as, staff_client, who):
    """The scoring workspace offers the year's history to staff; the cluster head's officer sees
    no link and gets 404 at its address."""
    user = cluster_with_head.head_officer if who == "head_officer" else request.getfixturevalue("officer_a")
    term = cluster_with_head.term
    workspace = reverse("clusters:score_workspace", args=[term.pk])
    assert f'hx-get="{url("term", term.pk)}"' in staff_client.get(workspace).content.decode()
    client = login_as(user)
    assert client.get(url("term", term.pk)).status_code == 404
    if who == "head_officer":
        page = client.get(workspace)
        assert page.status_code == 200
        assert url("term", term.pk) not in page.content.decode()


def test_the_term_panel_query_count_is_pinned(
    scored_term, staff_client, staff_user, django_assert_num_queries
):
    """The signed-in user and the term (2), the page's keys over the 12 event tables (1), per
    table on the page its rows (11: every table but the schedule targets) and the rows they
    changed from (memberships and the signed table: 2), then one query per model named:
    units, schedules, users, tables, groups, criteria (parents) and the cluster (7)."""
    from clusters.services import cluster_term_set

    year = scored_term
    factories.sign_pledge(year.term, year.term.score_tables.get(), by=staff_user)
    cluster_term_set(
        cluster=year.cluster,
        year=year.term.year,
        members=[year.head_unit, year.deputy_unit, *year.members],
        head=year.members[0],
        deputy=year.deputy_unit,
        by=staff_user,
    )
    _schedule(staff_user, cluster_term=year.term, units=[year.head_unit])
    with django_assert_num_queries(23):
        staff_client.get(url("term", year.term.pk), headers={"HX-Request": "true"})
