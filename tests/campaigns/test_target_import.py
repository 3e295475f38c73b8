"""The xlsx template of assigned values and its import: the happy path and every refusal.

Whatever is wrong with a file — its type, its columns or any of its rows — nothing is saved and
every problem is reported with its row and column.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns import target_views, targets
from campaigns.models import CampaignStatus, TargetAssignment
from core.exports import XLSX_CONTENT_TYPE
from tests import factories
from tests.campaigns.test_targets import assign, make_campaign, measurable, qualitative, stored

pytestmark = pytest.mark.django_db

TEMPLATE_QUERIES = 5  # user, campaign, targets, units, values
IMPORT_QUERIES = 12  # user, campaign, targets and units to read the file, then the save (targets, units,
# stored values, one upsert) and the savepoints around both


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages are checked in English: the Vietnamese catalogue is filled in separately."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def campaign(unit_a, unit_b):
    """Launched; units Phụng Công (row 3) and Văn Giang (row 4); targets in columns C and D."""
    campaign = make_campaign(unit_a, unit_b, status=CampaignStatus.LAUNCHED)
    budget = measurable(campaign, name="Thu ngân sách", unit_of_measure="tỷ đồng", group="economy")
    measurable(campaign, name="Tỷ lệ hộ nghèo", group="society")
    qualitative(campaign)
    assign(budget, unit_a, "120.5")
    return campaign


def _targets(campaign):
    budget, poverty = targets.measurable_targets(campaign)
    return budget, poverty


def _url(name: str, campaign) -> str:
    return reverse(f"campaigns:{name}", args=[campaign.pk])


def _download(client, campaign) -> Workbook:
    response = client.get(_url("target_template", campaign))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _file(workbook: Workbook, name: str = "giao-chi-tieu.xlsx") -> SimpleUploadedFile:
    stream = io.BytesIO()
    workbook.save(stream)
    return SimpleUploadedFile(name, stream.getvalue(), content_type=XLSX_CONTENT_TYPE)


def _import(client, campaign, upload, **extra):
    return client.post(_url("target_import", campaign), {"file": upload}, **extra)


def _report(response) -> list[str]:
    return [str(error) for error in response.context["sheet_errors"]]


# --- The template -----------------------------------------------------------------------------


def test_the_template_lists_units_and_measurable_targets_with_current_values(
    staff_client, campaign, django_assert_num_queries
):
    """Code, name, then a column per measurable target; the hidden second row holds the ids."""
    budget, poverty = _targets(campaign)
    with django_assert_num_queries(TEMPLATE_QUERIES):
        response = staff_client.get(_url("target_template", campaign))
    assert f'filename="giao-chi-tieu-{campaign.pk}.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("Unit code", "Unit name", "Thu ngân sách (tỷ đồng)", "Tỷ lệ hộ nghèo (%)"),
        (targets.TEMPLATE_ID_MARKER, None, budget.pk, poverty.pk),
        ("XA-PC", "Xã Phụng Công", 120.5, None),
        ("XA-VG", "Xã Văn Giang", None, None),
    ]
    assert sheet.row_dimensions[2].hidden
    assert sheet.freeze_panes == "C3"
    assert workbook.sheetnames[1] == "Instructions"


def test_the_template_never_turns_a_name_into_a_formula(staff_client):
    """A unit name starting with "=" is written as text, so Excel never runs it."""
    unit = factories.UnitFactory(name='=HYPERLINK("http://x")', code="XA-F")
    campaign = make_campaign(unit)
    measurable(campaign, name="+1 chỉ tiêu")
    sheet = _download(staff_client, campaign).worksheets[0]
    assert sheet["B3"].value == '=HYPERLINK("http://x")'
    assert sheet["B3"].data_type == "s"
    assert sheet["C1"].data_type == "s"


# --- Importing ----------------------------------------------------------------------------------


def test_a_filled_in_template_sets_the_values(staff_client, campaign, staff_user):
    """Numbers, Vietnamese-style text and empty cells (which clear a value) are all applied."""
    budget, poverty = _targets(campaign)
    workbook = _download(staff_client, campaign)
    sheet = workbook.active
    sheet["C3"], sheet["D3"] = None, "1,5"
    sheet["C4"], sheet["D4"] = 80, 2.25
    response = _import(staff_client, campaign, _file(workbook))
    assert response.status_code == 302
    assert response["Location"] == _url("target_grid", campaign)
    assert stored(budget) == {"XA-VG": Decimal(80)}
    assert stored(poverty) == {"XA-PC": Decimal("1.5"), "XA-VG": Decimal("2.25")}
    assert "Imported: 4 values changed." in staff_client.get(response["Location"]).text
    event = TargetAssignment.objects.get(unit__code="XA-VG", target=budget).events.last()
    assert event.pgh_context.metadata["reason"] == "assigned values imported from giao-chi-tieu.xlsx"
    assert event.pgh_context.metadata["user"] == staff_user.pk


def test_a_workbook_without_the_id_row_is_matched_by_column_order(staff_client, campaign):
    """A sheet built by hand, with the template's headings in the same order, is accepted."""
    budget, poverty = _targets(campaign)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Unit code", "Unit name", "Thu ngân sách", "Tỷ lệ hộ nghèo (%)"])
    sheet.append(["XA-VG", "Văn Giang", 10, 3])
    response = _import(staff_client, campaign, _file(workbook))
    assert response.status_code == 302
    assert stored(budget) == {"XA-PC": Decimal("120.5"), "XA-VG": Decimal(10)}
    assert stored(poverty) == {"XA-VG": Decimal(3)}


def test_a_percentage_cell_is_read_as_shown(staff_client, campaign):
    """A cell formatted as 95% holds 0.95; the value shown, 95, is the one saved."""
    _budget, poverty = _targets(campaign)
    workbook = _download(staff_client, campaign)
    workbook.active["D3"] = 0.95
    workbook.active["D3"].number_format = "0%"
    assert _import(staff_client, campaign, _file(workbook)).status_code == 302
    assert stored(poverty) == {"XA-PC": Decimal(95)}


def test_wrong_rows_are_all_reported_and_nothing_is_saved(staff_client, campaign):
    """Every wrong cell is listed by row and column, in words; not even the good rows are saved."""
    budget, poverty = _targets(campaign)
    workbook = _download(staff_client, campaign)
    sheet = workbook.active
    sheet["C3"] = 999  # a good cell, not saved either
    sheet["D4"] = "abc"
    sheet["C4"] = "12.345"
    sheet.append(["XA-ZZ", "Xã Không Có", 1, 1])
    sheet.append(["XA-PC", "Xã Phụng Công lần hai", 1, 1])
    sheet.append([None, "Không mã", 5, None])
    sheet.append([None, None, None, None])  # an empty row is skipped
    response = _import(staff_client, campaign, _file(workbook))
    assert response.status_code == 200
    assert _report(response) == [
        "Row 4, column C: “12.345” has more than two decimal places.",
        "Row 4, column D: “abc” is not a number.",
        "Row 5, column A: No participating unit has the code “XA-ZZ”.",
        "Row 6, column A: The unit “XA-PC” is already on row 3.",
        "Row 7, column A: The unit code is missing.",
    ]
    assert "The file has 5 errors, so nothing was saved." in response.text
    assert "Row 4, column D: “abc” is not a number." in response.text
    assert stored(budget) == {"XA-PC": Decimal("120.5")}
    assert not poverty.assignments.exists()


def test_a_unit_that_does_not_take_part_is_refused(staff_client, campaign):
    """An existing unit outside the campaign's participants is reported like an unknown code."""
    factories.UnitFactory(code="XA-NGOAI")
    workbook = _download(staff_client, campaign)
    workbook.active.append(["XA-NGOAI", "", 1, 1])
    response = _import(staff_client, campaign, _file(workbook))
    assert _report(response) == ["Row 5, column A: No participating unit has the code “XA-NGOAI”."]


def test_a_long_report_is_cut_with_a_count_of_the_rest(staff_client, campaign, monkeypatch):
    """The page lists the first errors and says how many more there are."""
    monkeypatch.setattr(target_views, "SHOWN_SHEET_ERRORS", 2)
    workbook = _download(staff_client, campaign)
    for row in range(3):
        workbook.active.append([f"XA-{row}", "", 1, 1])
    response = _import(staff_client, campaign, _file(workbook))
    assert len(_report(response)) == 2
    assert "…and one more error." in response.text


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        (
            lambda sheet: sheet.delete_cols(4),
            ["The file has no column for the target “Tỷ lệ hộ nghèo”."],
        ),
        (
            lambda sheet: sheet.cell(1, 5, "Ghi chú"),
            ["Column E (“Ghi chú”) is not a measurable target of this campaign."],
        ),
        (
            lambda sheet: sheet.cell(2, 4, sheet.cell(2, 3).value),
            [
                "Column D repeats the target “Thu ngân sách”.",
                "The file has no column for the target “Tỷ lệ hộ nghèo”.",
            ],
        ),
        (
            lambda sheet: (
                sheet.delete_rows(2),
                sheet.cell(1, 3, "Tỷ lệ hộ nghèo"),
                sheet.cell(1, 4, "Thu ngân sách"),
            ),
            [
                "Column C (“Tỷ lệ hộ nghèo”) is not a measurable target of this campaign.",
                "Column D (“Thu ngân sách”) is not a measurable target of this campaign.",
                "The file has no column for the target “Thu ngân sách”.",
                "The file has no column for the target “Tỷ lệ hộ nghèo”.",
            ],
        ),
        (
            lambda sheet: (
                sheet.delete_rows(2),
                sheet.cell(1, 1, "Unit name"),
                sheet.cell(1, 2, "Unit code"),
            ),
            ["Column A must be “Unit code” and column B “Unit name”, as in the template."],
        ),
    ],
    ids=["missing-target", "extra-column", "repeated-target", "reordered-without-ids", "no-unit-columns"],
)
def test_a_workbook_with_wrong_columns_is_refused(staff_client, campaign, change, messages):
    """Missing, extra, repeated or reordered columns: the file is refused as a whole."""
    workbook = _download(staff_client, campaign)
    workbook.active["D4"] = 5  # would be saved if the file were accepted
    change(workbook.active)
    response = _import(staff_client, campaign, _file(workbook))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    for message in messages:
        assert any(error.startswith(message) for error in errors), (message, errors)
    assert "Download the template again" in response.text
    assert TargetAssignment.objects.count() == 1


def _zip(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "giao.xlsx",
            _zip({"word/document.xml": b"<w/>"}),
            "The file content does not match its .xlsx extension.",
        ),
        (
            "giao.xlsx",
            b"Ma don vi;Ten don vi\nXA-PC;1\n",
            "The file content does not match its .xlsx extension.",
        ),
        ("giao.xlsx", _zip({"xl/workbook.xml": b"not xml"}), "The file cannot be read as an Excel workbook."),
        (
            "giao.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "Files of this type are not accepted. Allowed: .xlsx.",
        ),
        ("giao.csv", b"XA-PC,1\n", "Files of this type are not accepted. Allowed: .xlsx."),
    ],
    ids=["zip-of-a-docx", "csv-renamed", "broken-workbook", "old-xls", "csv"],
)
def test_a_file_that_is_not_a_real_xlsx_is_refused(staff_client, campaign, name, content, message):
    """The type is checked from the content; a damaged workbook is refused, not a crash."""
    response = _import(staff_client, campaign, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert any(error.startswith(message) for error in response.context["form"].errors["file"])
    assert TargetAssignment.objects.count() == 1


def test_a_campaign_without_measurable_targets_has_nothing_to_import(staff_client, unit_a):
    """The refusal says why instead of complaining about the columns."""
    campaign = make_campaign(unit_a)
    qualitative(campaign)
    workbook = _download(staff_client, campaign)
    response = _import(staff_client, campaign, _file(workbook))
    assert response.context["form"].errors["file"] == ["This campaign has no measurable targets to assign."]


def test_a_closed_campaign_refuses_an_import(staff_client, unit_a):
    """The import page says why, and a posted file changes nothing."""
    campaign = make_campaign(unit_a, status=CampaignStatus.CLOSED)
    measurable(campaign)
    workbook = _download(staff_client, campaign)
    workbook.active["C3"] = 5
    assert "The campaign is closed" in staff_client.get(_url("target_import", campaign)).text
    response = _import(staff_client, campaign, _file(workbook))
    assert "The assigned values of a closed campaign cannot be changed." in response.text
    assert not TargetAssignment.objects.exists()


def test_an_officer_cannot_download_the_template_or_import(officer_a_client, staff_client, campaign):
    """403 for a unit officer, and the file is not applied."""
    workbook = _download(staff_client, campaign)
    workbook.active["C4"] = 1
    assert officer_a_client.get(_url("target_template", campaign)).status_code == 403
    assert officer_a_client.get(_url("target_import", campaign)).status_code == 403
    assert _import(officer_a_client, campaign, _file(workbook)).status_code == 403
    assert TargetAssignment.objects.count() == 1


def test_the_import_page_shows_the_steps_and_the_form(staff_client, campaign):
    """Staff are told to download the template, fill it in and upload it."""
    response = staff_client.get(_url("target_import", campaign))
    assert response.status_code == 200
    assert f'href="{_url("target_template", campaign)}"' in response.text
    assert 'type="file"' in response.text


@pytest.mark.parametrize("scale", [1, 10])
def test_importing_runs_the_same_queries_with_ten_times_the_data(
    staff_client, scale, django_assert_num_queries
):
    """10 units × 2 targets or 100 × 20: the import runs the same queries."""
    units = factories.bulk_units(10 * scale, prefix=f"Xã Nhập{scale}")
    campaign = make_campaign(*units, status=CampaignStatus.LAUNCHED)
    for i in range(2 * scale):
        measurable(campaign, name=f"Chỉ tiêu {i}")
    workbook = _download(staff_client, campaign)
    for row in workbook.active.iter_rows(min_row=3, min_col=3):
        for cell in row:
            cell.value = 4
    upload = _file(workbook)
    with django_assert_num_queries(IMPORT_QUERIES):
        assert _import(staff_client, campaign, upload).status_code == 302
    assert TargetAssignment.objects.filter(target__campaign=campaign).count() == 20 * scale * scale
