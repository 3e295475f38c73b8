"""Shared machinery for list screens: filter, sort, page, HTMX partial, xlsx export.

Every list is one view and one template. A plain request renders the page; an htmx request
that is not boosted renders only the results partial; `?export=xlsx` writes the same filtered,
sorted rows (all pages) to a spreadsheet. The page runs a fixed number of queries: one count
and one page fetch, whatever the size of the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise

from core.exports import xlsx_response
from core.text import fold


@dataclass(frozen=True)
class Column:
    """One column of a list: its heading, how to sort by it, and its value in an export."""

    key: str
    label: str | Promise
    order_by: Sequence[str | Any] = ()
    export: Callable[[Any], Any] | None = None
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
        exported = [column for column in columns if column.export is not None]
        return xlsx_response(
            filename=export_name,
            title=str(export_title),
            headers=[str(column.label) for column in exported],
            rows=([column.export(obj) for column in exported] for obj in rows.iterator(chunk_size=2000)),
        )

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


def wants_partial(request: HttpRequest) -> bool:
    """A plain htmx request gets a partial; boosted navigation and history restore the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(request: HttpRequest, template: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """Render `template`, or only its `partial` for a plain htmx request."""
    response = render(request, f"{template}#{partial}" if wants_partial(request) else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
