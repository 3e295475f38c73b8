"""Permission matrix: every URL of the project × every role, generated from the URL configuration.

Each named URL has a row: how to build its arguments from the shared world (tests/security/
conftest.py) and what each role gets for GET and, where the view takes POST, for POST. A
refused POST must also leave every table of the database as it was. A URL added to the
project without a row fails `test_every_url_is_in_the_matrix`.

Outcomes: "ok" (200, 204, or a redirect that is not to a sign-in page), "login" (redirect to
the sign-in page), "admin_login" (redirect to the admin's sign-in page), "forbidden" (403),
"notfound" (404), "method" (405).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

OK = "ok"
LOGIN = "login"
ADMIN_LOGIN = "admin_login"
FORBIDDEN = "forbidden"
NOTFOUND = "notfound"
METHOD = "method"
REFUSED = {LOGIN, ADMIN_LOGIN, FORBIDDEN, NOTFOUND, METHOD}

ANON, OFF_A, OFF_B, HEAD, COUNCIL, STAFF, ADMIN = ROLES
SIGNED_IN = frozenset(ROLES) - {ANON}
# The administrator is a Django superuser: `has_perm` is true for every rule and object, so it
# also passes the rules meant for one unit (writing unit A's report, self-scoring for it).
# Tables a refused request may still touch: the session (read, refreshed) and the sign-in log.
NOT_DATA = ("django_session", "axes_")


# --- The URL configuration ------------------------------------------------------------------


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every named URL pattern, with its namespace (admin's own URLs left out)."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# --- Expected outcomes ------------------------------------------------------------------------


def only(*roles: str, other: str = FORBIDDEN, anon: str = LOGIN, **special: str) -> dict[str, str]:
    """`roles` get "ok", the anonymous visitor `anon`, every other role `other`; `special`
    overrides single roles (officer_a="notfound")."""
    outcome = {role: (OK if role in roles else other) for role in ROLES}
    outcome[ANON] = anon
    outcome.update(special)
    return outcome


def everyone(anon: str = LOGIN) -> dict[str, str]:
    return only(*SIGNED_IN, anon=anon)


def public() -> dict[str, str]:
    return only(*ROLES, anon=OK)


def no_post() -> dict[str, str]:
    """A GET-only view: the anonymous visitor is sent to sign in, everyone else gets 405."""
    return only(other=METHOD)


def no_get() -> dict[str, str]:
    return only(other=METHOD)


STAFF_ONLY = only(STAFF, ADMIN)


@dataclass(frozen=True)
class Row:
    kwargs: Callable[[Any], dict[str, Any]]
    get: dict[str, str]
    post: dict[str, str]
    query: str = ""


def row(
    kwargs: Callable[[Any], dict[str, Any]] | None = None, *, get: Any, post: Any, query: str = ""
) -> Row:
    return Row(kwargs or (lambda w: {}), get, post, query)


def term(attr: str = "term", **more: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"term_pk": getattr(w, attr).pk, **{k: f(w) for k, f in more.items()}}


def pk(attr: str, **more: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, attr).pk, **{k: f(w) for k, f in more.items()}}


MATRIX: dict[str, Row] = {}


SELF_SCORE_READERS = (OFF_A, COUNCIL, STAFF, ADMIN)
LEADERS = (HEAD, STAFF, ADMIN)
OVERSEERS = (HEAD, COUNCIL, STAFF, ADMIN)
REPORT_READERS = (OFF_A, HEAD, COUNCIL, STAFF, ADMIN)
EVERYWHERE_405 = only(other=METHOD, anon=METHOD)

MATRIX.update(
    {
        # --- core and accounts ---
        "home": row(get=everyone(), post=no_post()),
        "healthz": row(get=public(), post=EVERYWHERE_405),
        "bench_ceiling": row(get=public(), post=EVERYWHERE_405),
        "profile": row(get=everyone(), post=no_post()),
        "login": row(get=public(), post=public()),
        # Signing out lands on the sign-in page.
        "logout": row(get=no_post(), post=only(other=LOGIN)),
        "password_change": row(get=everyone(), post=everyone()),
        "password_change_done": row(get=everyone(), post=no_post()),
        "password_reset": row(get=public(), post=public()),
        "password_reset_done": row(get=public(), post=EVERYWHERE_405),
        "password_reset_confirm": row(
            lambda w: {"uidb64": "MQ", "token": "cai-dat-lai"}, get=public(), post=public()
        ),
        "password_reset_complete": row(get=public(), post=EVERYWHERE_405),
        "set_language": row(get=public(), post=public()),
        # A background export is its owner's alone (officer A's here).
        "export_status": row(pk("export_a"), get=only(OFF_A, other=NOTFOUND), post=no_post()),
        "export_download": row(pk("export_a"), get=only(OFF_A, other=NOTFOUND), post=no_post()),
        # Change history is for the provincial office; nobody else learns that an object exists.
        "object_history": row(
            lambda w: {"subject": "report", "pk": w.report_a.pk},
            get=only(STAFF, ADMIN, other=NOTFOUND),
            post=no_post(),
        ),
        # --- organisation ---
        "clusters:unit_list": row(get=everyone(), post=no_post()),
        "clusters:unit_detail": row(pk("unit_a"), get=everyone(), post=no_post()),
        "clusters:cluster_list": row(get=everyone(), post=no_post()),
        "clusters:cluster_detail": row(pk("cluster"), get=everyone(), post=no_post()),
        # --- cluster scoring ---
        "clusters:score_overview": row(get=only(COUNCIL, STAFF, ADMIN), post=no_post()),
        "clusters:vote_proposals": row(get=only(COUNCIL, STAFF, ADMIN), post=no_post()),
        "clusters:score_workspace": row(term(), get=everyone(), post=no_post()),
        "clusters:score_advance": row(term(), get=no_get(), post=only(*LEADERS)),
        "clusters:score_settings": row(term(), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_table_create": row(term("next_term"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_table": row(pk("table"), get=everyone(), post=no_post()),
        "clusters:score_table_edit": row(pk("draft_table"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_group_add": row(pk("draft_table"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_group_edit": row(
            pk("draft_table", group_pk=lambda w: w.draft_group.pk), get=only(*LEADERS), post=only(*LEADERS)
        ),
        "clusters:score_criterion_add": row(pk("draft_table"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_criterion_edit": row(
            pk("draft_table", criterion_pk=lambda w: w.draft_criterion.pk),
            get=only(*LEADERS),
            post=only(*LEADERS),
        ),
        "clusters:score_band_add": row(pk("draft_table"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_band_edit": row(
            pk("draft_table", band_pk=lambda w: w.draft_band.pk), get=only(*LEADERS), post=only(*LEADERS)
        ),
        "clusters:score_item_delete": row(
            pk("draft_table", kind=lambda w: "band", item_pk=lambda w: w.draft_band.pk),
            get=only(*LEADERS),
            post=only(*LEADERS),
        ),
        "clusters:score_table_import": row(pk("draft_table"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:score_table_revise": row(pk("table"), get=STAFF_ONLY, post=STAFF_ONLY),
        "clusters:score_table_adopt": row(pk("draft_table"), get=no_get(), post=only(*LEADERS)),
        "clusters:pledge_sign": row(term("next_term"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:pledge_document": row(term(), get=everyone(), post=no_post()),
        # Self-scores of unit A while self-scoring is open: the cluster head waits for cross-scoring.
        "clusters:score_self": row(
            term(unit_pk=lambda w: w.unit_a.pk), get=only(*SELF_SCORE_READERS), post=only(OFF_A, ADMIN)
        ),
        "clusters:score_evidence_file": row(pk("evidence_a"), get=only(*SELF_SCORE_READERS), post=no_post()),
        "clusters:score_grid": row(term("cross_term"), get=only(*OVERSEERS), post=only(*OVERSEERS)),
        "clusters:score_grid_cell": row(
            term("cross_term", unit_pk=lambda w: w.unit_a.pk, criterion_pk=lambda w: w.cross_criterion.pk),
            get=no_get(),
            post=only(HEAD),
        ),
        "clusters:score_office": row(term("cross_term"), get=only(*OVERSEERS), post=only(*OVERSEERS)),
        # The office check opens at its own stage; only the administrator passes every rule.
        "clusters:score_office_cell": row(
            term("cross_term", unit_pk=lambda w: w.unit_a.pk, criterion_pk=lambda w: w.office_criterion.pk),
            get=no_get(),
            post=only(ADMIN),
        ),
        "clusters:score_compare": row(term("cross_term"), get=only(*OVERSEERS), post=no_post()),
        "clusters:score_flags": row(term(), get=only(*OVERSEERS), post=STAFF_ONLY),
        "clusters:score_flag_close": row(term(flag_pk=lambda w: w.flag_a.pk), get=no_get(), post=STAFF_ONLY),
        "clusters:ranking_view": row(term("vote_term"), get=everyone(), post=no_post()),
        "clusters:vote_page": row(term("vote_term"), get=everyone(), post=only(OFF_A, OFF_B, HEAD)),
        "clusters:vote_close": row(term("vote_term"), get=only(*LEADERS), post=only(*LEADERS)),
        "clusters:vote_minutes": row(term("closed_term"), get=everyone(), post=no_post()),
        # --- people ---
        "awards:person_list": row(get=everyone(), post=no_post()),
        "awards:person_detail": row(pk("person_a"), get=only(*REPORT_READERS), post=no_post()),
        "awards:citizen_id_lookup": row(get=no_get(), post=STAFF_ONLY),
        # --- campaigns ---
        "campaigns:campaign_list": row(get=everyone(), post=no_post()),
        "campaigns:my_campaigns": row(get=everyone(), post=no_post()),
        "campaigns:campaign_create": row(get=STAFF_ONLY, post=STAFF_ONLY),
        "campaigns:campaign_from_directive": row(get=STAFF_ONLY, post=STAFF_ONLY),
        "campaigns:campaign_confirm_directive": row(get=no_get(), post=STAFF_ONLY),
        "campaigns:campaign_detail": row(pk("campaign"), get=everyone(), post=no_post()),
        "campaigns:campaign_edit": row(
            pk("draft_campaign", step=lambda w: "general"), get=STAFF_ONLY, post=STAFF_ONLY
        ),
        "campaigns:campaign_transition": row(pk("campaign"), get=no_get(), post=STAFF_ONLY),
        "campaigns:campaign_file": row(pk("campaign"), get=everyone(), post=no_post()),
        "campaigns:campaign_document": row(
            pk("campaign", document_pk=lambda w: w.document.pk), get=everyone(), post=no_post()
        ),
        "campaigns:campaign_document_upload": row(pk("campaign"), get=no_get(), post=STAFF_ONLY),
        # Targets of the draft campaign: the draft is not disclosed to those who may not see it.
        "campaigns:target_create": row(
            pk("draft_campaign"),
            get=only(STAFF, ADMIN, other=NOTFOUND),
            post=only(STAFF, ADMIN, other=NOTFOUND),
        ),
        "campaigns:target_edit": row(
            pk("draft_campaign", target_pk=lambda w: w.draft_target.pk),
            get=only(STAFF, ADMIN, other=NOTFOUND),
            post=only(STAFF, ADMIN, other=NOTFOUND),
        ),
        "campaigns:target_delete": row(
            pk("draft_campaign", target_pk=lambda w: w.draft_target.pk),
            get=only(STAFF, ADMIN, other=NOTFOUND),
            post=only(STAFF, ADMIN, other=NOTFOUND),
        ),
        "campaigns:target_grid": row(pk("campaign"), get=STAFF_ONLY, post=STAFF_ONLY),
        "campaigns:target_template": row(pk("campaign"), get=STAFF_ONLY, post=no_post()),
        "campaigns:target_import": row(pk("campaign"), get=STAFF_ONLY, post=STAFF_ONLY),
        "campaigns:registration_board": row(pk("campaign"), get=only(COUNCIL, STAFF, ADMIN), post=no_post()),
        "campaigns:registration_mine": row(pk("campaign"), get=everyone(), post=no_post()),
        "campaigns:registration_edit": row(
            pk("campaign", unit_pk=lambda w: w.unit_a.pk),
            get=only(OFF_A, COUNCIL, STAFF, ADMIN),
            post=only(OFF_A, STAFF, ADMIN),
        ),
        "campaigns:progress_view": row(pk("campaign"), get=everyone(), post=no_post()),
        "campaigns:progress_mine": row(pk("campaign"), get=everyone(), post=no_post()),
        "campaigns:progress_entry": row(
            pk("campaign", unit_pk=lambda w: w.unit_a.pk),
            get=only(OFF_A, STAFF, ADMIN),
            post=only(OFF_A, STAFF, ADMIN),
        ),
        # --- reports ---
        "reports:deadline_list": row(get=everyone(), post=no_post()),
        "reports:deadline_create": row(get=STAFF_ONLY, post=STAFF_ONLY),
        "reports:schedule_create": row(get=STAFF_ONLY, post=STAFF_ONLY),
        "reports:policy_edit": row(get=STAFF_ONLY, post=STAFF_ONLY),
        "reports:my_deadlines": row(get=everyone(), post=no_post()),
        "reports:my_calendar": row(get=everyone(), post=no_post()),
        "reports:calendar_feed_manage": row(get=no_get(), post=only(OFF_A, OFF_B, HEAD)),
        "reports:calendar_feed": row(lambda w: {"token": w.feed_a.token}, get=public(), post=EVERYWHERE_405),
        "reports:deadline_board": row(pk("deadline"), get=only(*OVERSEERS), post=no_post()),
        "reports:deadline_edit": row(pk("deadline"), get=STAFF_ONLY, post=STAFF_ONLY),
        "reports:deadline_lock": row(pk("deadline"), get=no_get(), post=STAFF_ONLY),
        "reports:remind_unit": row(
            pk("deadline", unit_pk=lambda w: w.unit_a.pk), get=no_get(), post=STAFF_ONLY
        ),
        "reports:report_detail": row(
            pk("deadline", unit_pk=lambda w: w.unit_a.pk), get=only(*REPORT_READERS), post=only(OFF_A, ADMIN)
        ),
        "reports:report_autosave": row(
            pk("deadline", unit_pk=lambda w: w.unit_a.pk), get=no_get(), post=only(OFF_A, ADMIN)
        ),
        "reports:report_review": row(
            pk("deadline", unit_pk=lambda w: w.unit_a.pk), get=no_get(), post=STAFF_ONLY
        ),
        "reports:attachment_upload": row(
            pk("deadline", unit_pk=lambda w: w.unit_a.pk), get=no_get(), post=only(OFF_A, ADMIN)
        ),
        "reports:attachment_download": row(
            pk("attachment_a"), get=only(*REPORT_READERS, officer_b=NOTFOUND), post=no_post()
        ),
        "reports:attachment_delete": row(
            pk("attachment_a"), get=no_get(), post=only(OFF_A, ADMIN, officer_b=NOTFOUND)
        ),
        "reports:notifications": row(get=everyone(), post=no_post()),
        "reports:notification_bell": row(get=everyone(), post=no_post()),
        "reports:notifications_read_all": row(get=no_get(), post=everyone()),
        "reports:notification_preferences": row(get=no_get(), post=everyone()),
        "reports:notification_read": row(
            pk("notification_a"), get=no_get(), post=only(OFF_A, other=NOTFOUND)
        ),
    }
)


# --- Running a request ------------------------------------------------------------------------


def outcome(response: Any) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
        return OK
    return {200: OK, 204: OK, 403: FORBIDDEN, 404: NOTFOUND, 405: METHOD}.get(code, str(code))


def data_changes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {name: count for name, count in cursor.fetchall() if count and not name.startswith(NOT_DATA)}


def request(world: Any, role: str, method: str, url: str) -> Any:
    client = world.client(role)
    return client.get(url) if method == "GET" else client.post(url, {})


# --- Tests ------------------------------------------------------------------------------------


def test_every_url_is_in_the_matrix():
    """A URL without a row in the matrix fails here: add it with what each role may do."""
    names = url_names()
    missing = sorted(names - MATRIX.keys())
    assert not missing, "\n".join(f"add {name} to the permission matrix" for name in missing)
    stale = sorted(MATRIX.keys() - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


CASES = [pytest.param(name, role, id=f"{name} as {role}") for name in sorted(MATRIX) for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_permission_matrix(world, name, role):
    """Each role gets what the matrix says for GET and POST; a refused POST changes nothing."""
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world)) + entry.query
    problems = []
    for method, expected in (("GET", entry.get[role]), ("POST", entry.post[role])):
        before = data_changes() if method == "POST" else {}
        got = outcome(request(world, role, method, url))
        if got != expected:
            problems.append(f"{name} {method} as {role}: expected {expected} got {got}")
        elif method == "POST" and expected in REFUSED:
            after = data_changes()
            changed = {t: n - before.get(t, 0) for t, n in after.items() if n != before.get(t, 0)}
            if changed:
                problems.append(f"{name} POST as {role} was refused but changed {changed}")
    assert not problems, "\n".join(problems)


# --- Django admin -------------------------------------------------------------------------------

ADMIN_MODELS = sorted(
    (f"{model._meta.app_label}.{model._meta.model_name}", model) for model in admin.site._registry
)


@pytest.mark.parametrize(("label", "model"), ADMIN_MODELS, ids=[label for label, _ in ADMIN_MODELS])
def test_admin_is_for_administrators_only(world, label, model):
    """Changelist, add and change pages of every admin: the administrator gets them (add where
    the admin allows adding); every other signed-in user, provincial staff included (they have no
    is_staff), is sent to the admin's sign-in page, and the anonymous visitor to the app's."""
    model_admin = admin.site._registry[model]
    app, name = model._meta.app_label, model._meta.model_name
    urls = {
        "changelist": reverse(f"admin:{app}_{name}_changelist"),
        "add": reverse(f"admin:{app}_{name}_add"),
    }
    existing = model._default_manager.order_by("pk").first()
    if existing is not None:
        urls["change"] = reverse(f"admin:{app}_{name}_change", args=[existing.pk])
    problems = []
    for role in ROLES:
        for view, url in urls.items():
            expected = LOGIN if role == ANON else ADMIN_LOGIN
            if role == ADMIN:
                may_add = model_admin.has_add_permission(_admin_request(world))
                expected = FORBIDDEN if view == "add" and not may_add else OK
            got = outcome(world.client(role).get(url))
            if got != expected:
                problems.append(f"admin {label} {view} as {role}: expected {expected} got {got}")
    assert not problems, "\n".join(problems)


def _admin_request(world: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.users[ADMIN]
    return request


def test_the_world_has_a_row_for_most_admin_models(world):
    """The admin test opens a change page for nearly every model (rows exist in the world)."""
    empty = [label for label, model in ADMIN_MODELS if not model._default_manager.exists()]
    assert len(empty) <= len(ADMIN_MODELS) // 4, empty
