from __future__ import annotations

import datetime as dt
import io
from urllib.parse import parse_qs

import pytest
import time_machine
from django.core.paginator import Paginator
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from clusters.models import Unit
from clusters.views import UNIT_COLUMNS
from core.exports import XLSX_CONTENT_TYPE, write_xlsx
from core.listing import Column, ListResult, apply_sort, search_folded, wants_partial
from tests import factories

UNIT_LIST = "/don-vi/"


def _result(*, number: int, pages: int, query: str = "") -> ListResult:
    page = Paginator(list(range(pages * 10)), 10).page(number)
    return ListResult(page=page, filterset=None, columns=UNIT_COLUMNS, sort="name", query_string=query)


def _workbook(response):
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _names_in_sheet(response) -> list[str]:
    sheet = _workbook(response).active
    rows = list(sheet.iter_rows(values_only=True))
    return [row[0] for row in rows[1:]]


# --- Sorting ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("requested", "expected_sort"),
    [
        ("name", "name"),
        ("-code", "-code"),
        ("kind", "kind"),
        ("unknown", "name"),
        ("-unknown", "name"),
        ("search_text", "name"),
        ("id", "name"),
        ("", "name"),
    ],
)
def test_apply_sort_accepts_only_whitelisted_columns(requested, expected_sort):
    """Only a column key (optionally with "-") sorts; anything else falls back to the default."""
    _, sort = apply_sort(Unit.objects.all(), UNIT_COLUMNS, requested, "name")
    assert sort == expected_sort


def test_apply_sort_refuses_a_doubled_minus():
    """`?sort=--name` is not a column key and falls back to the default."""
    _, sort = apply_sort(Unit.objects.none(), UNIT_COLUMNS, "--name", "code")
    assert sort == "code"


@pytest.mark.django_db
def test_apply_sort_orders_by_the_column_then_by_pk():
    """The column's fields order the rows and the primary key breaks ties in the same direction."""
    queryset, _ = apply_sort(Unit.objects.all(), UNIT_COLUMNS, "-kind", "name")
    kind, name, pk = queryset.query.order_by
    assert (kind, pk) == ("-kind", "-pk")
    assert name.descending
    assert name.expression.collation == "vi-x-icu"
    queryset, _ = apply_sort(Unit.objects.all(), UNIT_COLUMNS, "code", "name")
    assert list(queryset.query.order_by) == ["code", "pk"]


def test_a_column_without_order_by_is_not_sortable():
    """A column with no sort fields cannot be chosen, and gets no sort link."""
    columns = [Column("name", "Name", ("name",)), Column("notes", "Notes")]
    _, sort = apply_sort(Unit.objects.none(), columns, "notes", "name")
    assert sort == "name"
    result = ListResult(
        page=Paginator([], 10).page(1), filterset=None, columns=columns, sort="name", query_string=""
    )
    links = result.sort_links()
    assert links[1]["query"] == ""


def test_sort_links_toggle_direction_and_drop_the_page():
    """The current column's link flips direction; every sort link keeps filters and starts at page 1."""
    result = ListResult(
        page=Paginator(list(range(100)), 10).page(3),
        filterset=None,
        columns=UNIT_COLUMNS,
        sort="name",
        query_string="q=phung&page=3&sort=name",
    )
    links = {link["column"].key: link for link in result.sort_links()}
    assert links["name"]["direction"] == "asc"
    assert parse_qs(links["name"]["query"]) == {"q": ["phung"], "sort": ["-name"]}
    assert links["code"]["direction"] == ""
    assert parse_qs(links["code"]["query"]) == {"q": ["phung"], "sort": ["code"]}

    result.sort = "-name"
    links = {link["column"].key: link for link in result.sort_links()}
    assert links["name"]["direction"] == "desc"
    assert parse_qs(links["name"]["query"])["sort"] == ["name"]


@pytest.mark.django_db
def test_unknown_sort_in_the_url_falls_back_to_the_default(staff_client):
    """`?sort=` with a column that is not whitelisted lists by name, without an error."""
    for name in ["Xã Cà", "Xã Bà", "Xã Ân"]:
        factories.UnitFactory(name=name)
    response = staff_client.get(UNIT_LIST, {"sort": "search_text"})
    assert response.status_code == 200
    assert response.context["list"].sort == "name"
    names = [unit.name for unit in response.context["page_obj"]]
    assert names == ["Xã Ân", "Xã Bà", "Xã Cà"]  # Vietnamese order: â before b


# --- Pagination -------------------------------------------------------------------------------


def test_page_links_show_first_last_and_neighbours_with_gaps():
    """Page 10 of 25: 1 … 8 9 10 11 12 … 25, with the current page marked."""
    links = _result(number=10, pages=25, query="q=xa&page=10").page_links()
    shape = ["…" if link.get("gap") else link["number"] for link in links]
    assert shape == [1, "…", 8, 9, 10, 11, 12, "…", 25]
    current = [link["number"] for link in links if link.get("current")]
    assert current == [10]
    page_8 = next(link for link in links if link.get("number") == 8)
    assert parse_qs(page_8["query"]) == {"q": ["xa"], "page": ["8"]}


@pytest.mark.parametrize(
    ("number", "pages", "shape"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, "…", 5]),
        (3, 5, [1, 2, 3, 4, 5]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
        (25, 25, [1, "…", 23, 24, 25]),
        (2, 4, [1, 2, 3, 4]),
    ],
)
def test_page_links_gap_only_where_pages_are_skipped(number, pages, shape):
    """A gap marker appears only where at least one page number is left out."""
    links = _result(number=number, pages=pages).page_links()
    assert ["…" if link.get("gap") else link["number"] for link in links] == shape


def test_previous_and_next_links_keep_the_filters():
    """Previous/next links change only the page number."""
    result = _result(number=2, pages=3, query="kind=commune&sort=-code&page=2")
    assert parse_qs(result.previous_query()) == {"kind": ["commune"], "sort": ["-code"], "page": ["1"]}
    assert parse_qs(result.next_query()) == {"kind": ["commune"], "sort": ["-code"], "page": ["3"]}
    assert _result(number=1, pages=1).previous_query() == ""
    assert _result(number=1, pages=1).next_query() == ""


def test_export_link_keeps_filters_and_sort_and_drops_page():
    """The "Export to Excel" link carries the filters and sort, not the page."""
    result = _result(number=2, pages=3, query="q=phung+cong&kind=commune&sort=-code&page=2")
    assert parse_qs(result.export_query()) == {
        "q": ["phung cong"],
        "kind": ["commune"],
        "sort": ["-code"],
        "export": ["xlsx"],
    }


def test_page_links_never_carry_export():
    """A page or sort link built from an export URL does not download again."""
    result = _result(number=1, pages=3, query="export=xlsx&q=a")
    assert "export" not in QueryDict(result.next_query())
    assert all("export" not in QueryDict(link["query"]) for link in result.sort_links() if link["query"])


# --- Search and partial detection ---------------------------------------------------------------


@pytest.mark.django_db
def test_search_folded_needs_every_word_in_any_order():
    """Accent-insensitive search: every typed word must appear, in any order, any accents."""
    wanted = factories.UnitFactory(name="Xã Phụng Công")
    factories.UnitFactory(name="Xã Công Lý")
    assert list(search_folded(Unit.objects.all(), "cong PHUNG")) == [wanted]
    assert list(search_folded(Unit.objects.all(), "Phụng  Công")) == [wanted]
    assert search_folded(Unit.objects.all(), "cong").count() == 2
    assert search_folded(Unit.objects.all(), "   ").count() == 2


@pytest.mark.parametrize(
    ("headers", "partial"),
    [
        ({}, False),
        ({"HTTP_HX_REQUEST": "true"}, True),
        ({"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}, False),
        ({"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}, False),
    ],
)
def test_wants_partial_only_for_plain_htmx_requests(headers, partial):
    """A plain htmx request gets the partial; boosted navigation and history restore the page."""
    from django_htmx.middleware import HtmxDetails

    request = RequestFactory().get("/", **headers)
    request.htmx = HtmxDetails(request)
    assert wants_partial(request) is partial


# --- Spreadsheet export -----------------------------------------------------------------------


@pytest.fixture
def many_units(db):
    """30 communes named "Xã Bắc …" (two pages) and 5 wards that the search leaves out."""
    units = factories.bulk_units(30, prefix="Xã Bắc")
    factories.bulk_units(5, prefix="Phường Nam")
    return units


def test_xlsx_export_has_the_filtered_rows_of_all_pages_in_the_shown_order(staff_client, many_units):
    """The export holds exactly the rows the filters select, every page, in the list's order."""
    params = {"q": "xa bac", "sort": "-code"}
    shown = []
    for page in (1, 2):
        response = staff_client.get(UNIT_LIST, {**params, "page": page})
        shown += [unit.name for unit in response.context["page_obj"]]
    assert len(shown) == 30

    exported = _names_in_sheet(staff_client.get(UNIT_LIST, {**params, "page": 2, "export": "xlsx"}))
    assert exported == shown


def test_xlsx_export_headers_and_sheet(staff_client, many_units):
    """The sheet is titled after the list, has a bold header row and frozen panes."""
    response = staff_client.get(UNIT_LIST, {"export": "xlsx"})
    workbook = _workbook(response)
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    assert headers == [str(column.label) for column in UNIT_COLUMNS]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 36


@time_machine.travel(dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC), tick=False)
def test_xlsx_export_is_a_dated_attachment(staff_client, many_units):
    """The download is an attachment named after the list and the local time."""
    response = staff_client.get(UNIT_LIST, {"export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="don-vi-20260305-1630.xlsx"'


def test_xlsx_date_cells_are_real_dates(staff_client, db):
    """A date column is written as a date with a day/month/year format, not as text."""
    factories.UnitFactory(name="Xã Cũ", active_from=dt.date(2000, 1, 1), active_to=dt.date(2025, 6, 30))
    sheet = _workbook(staff_client.get(UNIT_LIST, {"export": "xlsx"})).active
    cell = sheet.cell(row=2, column=len(UNIT_COLUMNS))
    assert cell.value.date() == dt.date(2025, 6, 30)  # openpyxl reads dates back as datetimes
    assert cell.is_date
    assert cell.number_format == "DD/MM/YYYY"


def test_xlsx_text_that_looks_like_a_formula_is_neutralised(staff_client, db):
    """Cells starting with "=" (or + - @) are written as text, never as formulas."""
    factories.UnitFactory(name='=HYPERLINK("http://evil.example","bấm")', short_name="+1+2", code="@SUM")
    sheet = _workbook(staff_client.get(UNIT_LIST, {"export": "xlsx"})).active
    row = sheet[2]
    assert [cell.data_type for cell in row[:3]] == ["s", "s", "s"]
    assert row[0].value == '=HYPERLINK("http://evil.example","bấm")'
    assert row[1].value == "+1+2"
    assert row[2].value == "@SUM"


def test_write_xlsx_counts_rows_and_handles_none_and_datetimes(tmp_path, settings):
    """write_xlsx returns the number of data rows; None becomes empty, aware datetimes local time."""
    target = tmp_path / "out.xlsx"
    moment = dt.datetime(2026, 1, 1, 1, 0, tzinfo=dt.UTC)
    count = write_xlsx(
        target,
        title="Danh sách khen thưởng năm 2025 của toàn tỉnh",
        headers=["A", "B", "C"],
        rows=[[None, moment, 1.5], ["x", dt.date(2026, 2, 3), 7]],
    )
    assert count == 2
    sheet = load_workbook(target).active
    assert sheet.title == "Danh sách khen thưởng năm 2025 "[:31]
    assert sheet["A2"].value is None
    # Written as naive local time (Asia/Ho_Chi_Minh, UTC+7).
    assert sheet["B2"].value.isoformat() == "2026-01-01T08:00:00"
    assert sheet["B2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["C2"].value == 1.5
    assert sheet["C3"].value == 7


def test_export_url_from_the_page_matches_the_shown_list(staff_client, many_units):
    """The page's export link downloads the same rows that the page lists."""
    response = staff_client.get(UNIT_LIST, {"q": "nam", "sort": "-name"})
    export_query = response.context["list"].export_query()
    assert f'href="?{export_query.replace("&", "&amp;")}"' in response.text
    exported = _names_in_sheet(staff_client.get(f"{UNIT_LIST}?{export_query}"))
    assert exported == [unit.name for unit in response.context["page_obj"]]
    assert len(exported) == 5


def test_list_page_reverse_name():
    """The unit list used here is the `clusters:unit_list` route."""
    assert reverse("clusters:unit_list") == UNIT_LIST
