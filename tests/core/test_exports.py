"""List exports: the small one written in the request, the large one as a background job."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from awards.models import Gender, PersonCategory
from awards.views import PERSON_COLUMNS
from core import exports
from core.listing import Column, export_rows
from core.models import ExportJob, ExportStatus
from core.tasks import delete_old_exports, run_export
from tests import factories

PERSON_LIST = "/ca-nhan/"
pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_staff(staff_client):
    return _english(staff_client)


@pytest.fixture
def people(unit_a, unit_b):
    """Five people: three in unit A (one with a formula-like position), two in unit B."""
    return [
        factories.PersonFactory(
            unit=unit_a,
            full_name="Nguyễn Văn Ân",
            gender=Gender.MALE,
            birth_date=dt.date(1980, 3, 5),
            position='=HYPERLINK("http://evil.example","bấm")',
            category=PersonCategory.DEPARTMENT_LEADER,
        ),
        factories.PersonFactory(unit=unit_a, full_name="Trần Thị Bình", gender=Gender.FEMALE),
        factories.PersonFactory(unit=unit_a, full_name="Lê Văn Cường", position="#N/A"),
        factories.PersonFactory(unit=unit_b, full_name="Phạm Thị Dung"),
        factories.PersonFactory(unit=unit_b, full_name="Đỗ Văn Hùng"),
    ]


@pytest.fixture
def big(settings):
    """Any export of more than two rows becomes a background job."""
    settings.THIDUA_EXPORT_SYNC_MAX_ROWS = 2


def _export_in_background(client, django_capture_on_commit_callbacks, **params) -> ExportJob:
    """Ask for the export; the job's task runs (eagerly) when the request's row is committed."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(PERSON_LIST, {**params, "export": "xlsx"})
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("export_status", args=[job.pk])
    job.refresh_from_db()
    return job


# --- Small exports: written in the request ------------------------------------------------------


def test_small_export_is_a_download_with_headers_labels_and_dates(english_staff, people):
    """Under the threshold the spreadsheet comes back at once: headings, choice labels, real dates."""
    response = english_staff.get(PERSON_LIST, {"export": "xlsx", "sort": "full_name"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ca-nhan-')
    assert not ExportJob.objects.exists()
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    with translation.override("en"):
        assert [cell.value for cell in sheet[1]] == [str(column.label) for column in PERSON_COLUMNS]
        male, leader = str(Gender.MALE.label), str(PersonCategory.DEPARTMENT_LEADER.label)
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 5
    an = next(row for row in rows if row[0].value == "Nguyễn Văn Ân")
    assert [an[1].value, an[5].value] == [male, leader]
    assert an[2].is_date
    assert an[2].value.date() == dt.date(1980, 3, 5)
    assert an[2].number_format == "DD/MM/YYYY"
    assert an[4].value == people[0].unit.name


def test_small_export_neutralises_formulas_and_error_codes(staff_client, people):
    """Text starting with "=" and error codes are written as text cells, never as formulas."""
    sheet = load_workbook(
        io.BytesIO(b"".join(staff_client.get(PERSON_LIST, {"export": "xlsx"}).streaming_content))
    ).active
    positions = {row[0].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert positions["Nguyễn Văn Ân"].data_type == "s"
    assert positions["Nguyễn Văn Ân"].value == '=HYPERLINK("http://evil.example","bấm")'
    assert positions["Lê Văn Cường"].data_type == "s"
    assert positions["Lê Văn Cường"].value == "#N/A"


def test_write_xlsx_drops_control_characters_and_reports_progress(tmp_path, monkeypatch):
    """Control characters would make an invalid file; progress is reported every N rows."""
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    count = exports.write_xlsx(
        tmp_path / "out.xlsx",
        title="T",
        headers=["A"],
        rows=[["Xã\x00 Phụng\x1f Công"], ["b"], ["c"], ["d"], ["e"]],
        on_progress=seen.append,
    )
    assert count == 5
    assert seen == [2, 4]
    assert load_workbook(tmp_path / "out.xlsx").active["A2"].value == "Xã Phụng Công"


def test_export_rows_reads_field_paths_and_functions_alike(people):
    """Field paths give values (choice labels looked up once); mixed with functions, the same."""
    from awards.models import Person

    rows = Person.objects.filter(pk=people[0].pk)
    by_path = next(export_rows(rows, PERSON_COLUMNS))
    mixed = [*PERSON_COLUMNS[:-1], Column("category", "Category", export=lambda p: p.get_category_display())]
    assert next(export_rows(rows, mixed)) == by_path
    assert by_path[1] == str(Gender.MALE.label)
    assert by_path[4] == people[0].unit.name


# --- Large exports: a background job -------------------------------------------------------------


def test_large_export_becomes_a_job_and_the_owner_downloads_it(
    english_staff, people, big, django_capture_on_commit_callbacks
):
    """Over the threshold the request records a job, the worker writes every row, the owner downloads it."""
    job = _export_in_background(english_staff, django_capture_on_commit_callbacks, sort="-full_name")
    assert (job.status, job.rows_done, job.rows_total, job.attempts) == (ExportStatus.DONE, 5, 5, 1)
    assert job.query == "sort=-full_name&export=xlsx"

    page = english_staff.get(job.get_absolute_url())
    assert page.status_code == 200
    assert "<html" in page.text
    assert "The spreadsheet is ready: 5 rows." in page.text
    download = reverse("export_download", args=[job.pk])
    assert download in page.text
    assert "every 2s" not in page.text  # nothing left to poll

    response = english_staff.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ca-nhan-')
    rows = _rows(b"".join(response.streaming_content))
    listed = english_staff.get(PERSON_LIST, {"sort": "-full_name"}).context["page_obj"]
    assert [row[0] for row in rows[1:]] == [person.full_name for person in listed]
    assert rows[0][0] == "Full name"  # the job is written in the language it was asked in


def test_large_export_keeps_the_lists_filters_and_sort(
    staff_client, unit_a, people, big, django_capture_on_commit_callbacks
):
    """The job's file holds exactly the rows of the filtered, sorted list (all pages, not one)."""
    params = {"unit": str(unit_a.pk), "sort": "-full_name", "page": "2"}
    listed = [p.full_name for p in staff_client.get(PERSON_LIST, {**params, "page": "1"}).context["page_obj"]]
    assert len(listed) == 3
    job = _export_in_background(staff_client, django_capture_on_commit_callbacks, **params)
    assert [row[0] for row in _rows(job.file.read())[1:]] == listed


def test_the_job_sees_only_what_its_user_may_see(
    login_as, officer_a, people, big, django_capture_on_commit_callbacks
):
    """The worker opens the list as the job's user: an officer's file holds their unit's people only."""
    job = _export_in_background(login_as(officer_a), django_capture_on_commit_callbacks)
    rows = _rows(job.file.read())
    assert sorted(row[0] for row in rows[1:]) == ["Lê Văn Cường", "Nguyễn Văn Ân", "Trần Thị Bình"]


def test_htmx_export_request_gets_the_status_partial(
    english_staff, people, big, django_capture_on_commit_callbacks
):
    """An htmx request for a large export gets the progress partial and the status page's address."""
    with django_capture_on_commit_callbacks(execute=False):
        response = english_staff.get(PERSON_LIST, {"export": "xlsx"}, headers={"HX-Request": "true"})
    job = ExportJob.objects.get()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == job.get_absolute_url()
    assert "<html" not in response.text
    assert 'id="export-status"' in response.text
    assert 'hx-trigger="every 2s"' in response.text
    assert "<progress" in response.text


def test_status_page_polls_while_running_full_and_partial(login_as, staff_user, english_staff):
    """A running job shows its progress; the page and the htmx partial both poll every 2 s."""
    job = ExportJob.objects.create(
        user=staff_user,
        path=PERSON_LIST,
        query="export=xlsx",
        filename="ca-nhan",
        title="People",
        status=ExportStatus.RUNNING,
        rows_done=4000,
        rows_total=10000,
        progress_at=timezone.now(),
    )
    page = english_staff.get(job.get_absolute_url())
    assert "<html" in page.text
    assert f'<progress id="export-progress-{job.pk}" max="100" value="40">' in page.text
    assert "Writing the spreadsheet: 4,000 of 10,000 rows." in page.text
    partial = english_staff.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert partial.text.strip().startswith('<section id="export-status"')
    assert 'hx-trigger="every 2s"' in partial.text
    assert "HX-Request" in partial["Vary"]
    assert reverse("export_download", args=[job.pk]) not in partial.text
    assert english_staff.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_a_job_with_no_progress_for_too_long_shows_as_failed(staff_user, english_staff, settings):
    """A worker killed mid-export leaves the job "running"; after the limit the page says it stopped."""
    settings.THIDUA_EXPORT_STALL_SECONDS = 300
    started = timezone.now()
    job = ExportJob.objects.create(
        user=staff_user,
        path=PERSON_LIST,
        query="q=van&export=xlsx",
        filename="ca-nhan",
        status=ExportStatus.RUNNING,
        rows_done=2000,
        rows_total=9000,
        progress_at=started,
    )
    with time_machine.travel(started + dt.timedelta(seconds=299)):
        assert "every 2s" in english_staff.get(job.get_absolute_url()).text
    with time_machine.travel(started + dt.timedelta(seconds=301)):
        page = english_staff.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert "The export stopped; start it again." in page.text
    assert "every 2s" not in page.text
    assert f'href="{PERSON_LIST}?q=van&amp;export=xlsx"' in page.text


def test_status_page_query_count(staff_user, staff_client, django_assert_num_queries):
    """The status page reads the session's user and the job, whatever the job's size."""
    job = ExportJob.objects.create(
        user=staff_user, path=PERSON_LIST, query="export=xlsx", filename="ca-nhan", progress_at=timezone.now()
    )
    staff_client.get(job.get_absolute_url())  # the first request fills the session cache
    with django_assert_num_queries(2):
        assert staff_client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).status_code == 200


def test_another_user_gets_404_for_the_status_and_the_file(
    staff_client, login_as, people, big, django_capture_on_commit_callbacks
):
    """Only the job's owner sees its page or downloads its file; another staff member gets 404."""
    job = _export_in_background(staff_client, django_capture_on_commit_callbacks)
    other = login_as(factories.make_staff(username="chuyenvien2"))
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert staff_client.get(reverse("export_download", args=[job.pk])).status_code == 200


def test_a_second_click_reuses_the_export_under_way(
    staff_client, people, big, django_capture_on_commit_callbacks
):
    """Asking for the same export while it is still queued does not start a second one."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = staff_client.get(PERSON_LIST, {"export": "xlsx"})
        second = staff_client.get(PERSON_LIST, {"export": "xlsx", "page": "3"})
    assert ExportJob.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(callbacks) == 1


# --- The task: idempotent, and failures said plainly ---------------------------------------------


def _queued(user, **fields) -> ExportJob:
    return ExportJob.objects.create(
        user=user,
        path=PERSON_LIST,
        query="export=xlsx",
        filename="ca-nhan",
        progress_at=timezone.now(),
        **fields,
    )


def test_a_redelivered_task_starts_again_and_replaces_the_partial_file(staff_user, people):
    """A job left "running" with a file by a killed run is written again from scratch, once."""
    job = _queued(staff_user, status=ExportStatus.RUNNING, rows_done=2, attempts=1, run_token="old")
    job.file.save("1/partial.xlsx", ContentFile(b"not a spreadsheet"), save=True)
    partial = job.file.name
    run_export.delay(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.attempts) == (ExportStatus.DONE, 5, 2)
    assert job.file.name != partial
    assert not job.file.storage.exists(partial)
    assert len(_rows(job.file.read())) == 6
    finished = job.finished_at
    run_export.delay(job.pk)  # the same message once more: nothing happens
    job.refresh_from_db()
    assert (job.attempts, job.finished_at) == (2, finished)


def test_a_superseded_run_stops_without_touching_the_job(staff_user, people):
    """A run whose claim was taken over by a newer run writes nothing and leaves no file."""
    job = _queued(staff_user, status=ExportStatus.RUNNING, run_token="newer")
    job.run_token = "older"
    with pytest.raises(exports.ExportSuperseded):
        exports.export_job_write(job=job, title="T", headers=["A"], rows=[["x"]], total=1)
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportStatus.RUNNING, "")


def test_a_user_who_lost_access_gets_a_failed_job_with_a_reason(staff_user, people):
    """A job whose user may no longer open the list fails with a message that says why."""
    job = _queued(staff_user, language="en")
    staff_user.is_active = False
    staff_user.save()
    run_export.delay(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "You can no longer see this list, so it cannot be exported."
    assert not job.file


def test_a_path_that_is_not_a_list_fails_clearly(staff_user):
    """A job whose address no longer exports anything fails instead of staying queued."""
    job = ExportJob.objects.create(
        user=staff_user, path="/tai-khoan/", query="export=xlsx", filename="x", language="en"
    )
    run_export.delay(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "This list can no longer be exported. Open the list and export it again."


def test_old_jobs_and_their_files_are_deleted(staff_user, settings):
    """The beat task removes jobs older than THIDUA_EXPORT_KEEP_DAYS, with their files."""
    settings.THIDUA_EXPORT_KEEP_DAYS = 7
    with time_machine.travel(timezone.now() - dt.timedelta(days=8)):
        old = _queued(staff_user, status=ExportStatus.DONE)
        old.file.save("old.xlsx", ContentFile(b"x"), save=True)
    recent = _queued(staff_user)
    storage, name = old.file.storage, old.file.name
    delete_old_exports.delay()
    assert list(ExportJob.objects.all()) == [recent]
    assert not storage.exists(name)
