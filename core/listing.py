"""Shared machinery for list screens: filter, sort, page, HTMX partial, xlsx export.

Every list is one view and one template. A plain request renders the page; an htmx request
that is not boosted renders only the results partial; `?export=xlsx` writes the same filtered,
sorted rows (all pages) to a spreadsheet. The page runs a fixed number of queries: one count
and one page fetch, whatever the size of the table.

An export of more than THIDUA_EXPORT_SYNC_MAX_ROWS rows is not written in the request: it
becomes a background job (core.exports) and the user is sent to its progress page. A column's
`export` is either a function of the row object or, faster, a field path ("unit__name"): when
every exported column is a path the rows are read with `values_list`, and choice fields show
their labels, looked up once per column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import exports
from core.text import fold


@dataclass(frozen=True)
class Column:
    """One column of a list: its heading, how to sort by it, and its value in an export."""

    key: str
    label: str | Promise
    order_by: Sequence[str | Any] = ()
    # A function of the row, or a field path read with values_list (choice labels shown).
    export: Callable[[Any], Any] | str | None = None
    # Optional columns are hidden on phone-width screens (the export keeps them).
    optional: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


@dataclass
class ListResult:
    page: Page
    filterset: django_filters.FilterSet
    columns: Sequence[Column]
    sort: str
    query_string: str
    extra: dict[str, Any] = field(default_factory=dict)

    def sort_links(self) -> list[dict[str, Any]]:
        """Heading data for the template: label, link to toggle the sort, current direction."""
        links = []
        for column in self.columns:
            direction = ""
            if self.sort == column.key:
                direction, target = "asc", f"-{column.key}"
            elif self.sort == f"-{column.key}":
                direction, target = "desc", column.key
            else:
                target = column.key
            links.append(
                {
                    "column": column,
                    "direction": direction,
                    "query": _with_params(self.query_string, sort=target, page=None)
                    if column.sortable
                    else "",
                }
            )
        return links

    def page_links(self) -> list[dict[str, Any]]:
        """First, last and two pages either side of the current one; None marks a gap."""
        current, last = self.page.number, self.page.paginator.num_pages
        wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        links: list[dict[str, Any]] = []
        previous = 0
        for number in wanted:
            if number - previous > 1:
                links.append({"gap": True})
            links.append(
                {
                    "number": number,
                    "query": _with_params(self.query_string, page=number),
                    "current": number == current,
                }
            )
            previous = number
        return links

    def previous_query(self) -> str:
        return (
            _with_params(self.query_string, page=self.page.previous_page_number())
            if self.page.has_previous()
            else ""
        )

    def next_query(self) -> str:
        return (
            _with_params(self.query_string, page=self.page.next_page_number()) if self.page.has_next() else ""
        )

    def export_query(self) -> str:
        return _with_params(self.query_string, page=None, export="xlsx")


def _with_params(query_string: str, **changes: Any) -> str:
    from django.http import QueryDict

    params = QueryDict(query_string, mutable=True)
    params.pop("export", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    return params.urlencode()


# The years a record of the province can carry; a year filter outside them would overflow the
# database's date lookups (a 500) and means nothing to staff.
FIRST_YEAR, LAST_YEAR = 1945, 2100


class YearFilter(django_filters.NumberFilter):
    """A year filter bounded to FIRST_YEAR..LAST_YEAR; a year outside is a form error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Year"))
        super().__init__(*args, min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


def search_folded(queryset: QuerySet, text: str, field: str = "search_text") -> QuerySet:
    """Accent-insensitive search: every word of `text` must appear in the folded column."""
    condition = Q()
    for word in fold(text).split():
        condition &= Q(**{f"{field}__contains": word})
    return queryset.filter(condition)


def apply_sort(
    queryset: QuerySet, columns: Iterable[Column], requested: str, default: str
) -> tuple[QuerySet, str]:
    """Order by a whitelisted column; anything else falls back to the default order."""
    by_key = {column.key: column for column in columns if column.sortable}
    sort = requested if requested.removeprefix("-") in by_key else default
    column = by_key[sort.removeprefix("-")]
    descending = sort.startswith("-")
    ordering = [
        (f"-{item}" if descending else item)
        if isinstance(item, str)
        else (item.desc() if descending else item.asc())
        for item in column.order_by
    ]
    # The primary key breaks ties so pages never repeat or skip rows.
    return queryset.order_by(*ordering, "-pk" if descending else "pk"), sort


def render_list(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    queryset: QuerySet,
    filterset_class: type[django_filters.FilterSet],
    columns: Sequence[Column],
    default_sort: str,
    export_name: str,
    export_title: str | Promise = "",
    filterset_kwargs: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    per_page: int | None = None,
) -> HttpResponse:
    filterset = filterset_class(
        request.GET or None, queryset=queryset, request=request, **(filterset_kwargs or {})
    )
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    rows, sort = apply_sort(rows, columns, request.GET.get("sort", ""), default_sort)

    if request.GET.get("export") == "xlsx":
        return export_list(request, rows, columns, name=export_name, title=str(export_title))

    paginator = Paginator(rows, per_page or settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    result = ListResult(
        page=page,
        filterset=filterset,
        columns=columns,
        sort=sort,
        query_string=request.GET.urlencode(),
    )
    full_context = {"list": result, "page_obj": page, "filter": filterset, **(context or {})}
    return render_page(request, template, partial, full_context)


def export_list(
    request: HttpRequest, rows: QuerySet, columns: Sequence[Column], *, name: str, title: str
) -> HttpResponse:
    """The rows as a spreadsheet: a download when small, else a background job's progress page.

    Run by a worker for a job (core.exports), it writes the job's file and answers 204.
    """
    exported = [column for column in columns if column.export is not None]
    headers = [str(column.label) for column in exported]
    job = exports.export_job_for(request)
    if job is not None:
        exports.export_job_write(
            job=job, title=title, headers=headers, rows=export_rows(rows, exported), total=rows.count()
        )
        return HttpResponse(status=204)
    total = rows.count()
    if total > settings.THIDUA_EXPORT_SYNC_MAX_ROWS:
        job = exports.export_job_start(
            user=request.user,
            path=request.path,
            query=request.GET.urlencode(),
            title=title,
            filename=name,
            total=total,
        )
        if wants_partial(request):
            response = render(request, "core/export_status.html#export-status", exports.status_context(job))
            response["HX-Push-Url"] = job.get_absolute_url()
            patch_vary_headers(response, ["HX-Request"])
            return response
        return redirect(job)
    return exports.xlsx_response(
        filename=name, title=title, headers=headers, rows=export_rows(rows, exported)
    )


def export_rows(rows: QuerySet, columns: Sequence[Column]) -> Iterator[list[Any]]:
    """Each row's exported values, read 2,000 rows at a time from one server-side cursor."""
    if all(isinstance(column.export, str) for column in columns):
        paths = [str(column.export) for column in columns]
        labels = [_choice_labels(rows.model, path) for path in paths]
        for values in rows.values_list(*paths).iterator(chunk_size=2000):
            yield [
                value if names is None else names.get(value, value)
                for value, names in zip(values, labels, strict=True)
            ]
        return
    getters = [_getter(rows.model, column.export) for column in columns]
    for obj in rows.iterator(chunk_size=2000):
        yield [getter(obj) for getter in getters]


def _choice_labels(model: type[Model], path: str) -> dict[Any, str] | None:
    """The labels of a choice field at the end of `path`, in the active language; else None."""
    try:
        for part in path.split("__")[:-1]:
            model = model._meta.get_field(part).related_model
        model_field = model._meta.get_field(path.split("__")[-1])
    except (FieldDoesNotExist, AttributeError):
        return None  # an annotation, or a path through something that is not a relation
    if not getattr(model_field, "choices", None):
        return None
    return {value: str(label) for value, label in model_field.flatchoices}


def _getter(model: type[Model], export: Callable[[Any], Any] | str | None) -> Callable[[Any], Any]:
    if callable(export):
        return export
    parts = str(export).split("__")
    labels = _choice_labels(model, str(export))

    def get(obj: Any) -> Any:
        for part in parts:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj if labels is None else labels.get(obj, obj)

    return get


def wants_partial(request: HttpRequest) -> bool:
    """A plain htmx request gets a partial; boosted navigation and history restore the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """Render `template`, or only its `partial` for a plain htmx request."""
    response = render(request, f"{template}#{partial}" if wants_partial(request) else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
