from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.audit import audit_context


class AuditContextMiddleware:
    """Records the signed-in user and URL with every audited change a request makes."""

    methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.methods:
            return self.get_response(request)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        with audit_context(user=user_id, url=request.path):
            return self.get_response(request)
