"""Object access by guessing ids (IDOR).

Officer B edits the ids in every URL that carries one, to reach unit A's objects (drafts and
submitted ones), draft campaigns, another cluster's year and files; as a page, as an htmx
request, by GET and by POST. Each is refused with 404 or 403 and a refused POST changes
nothing. Ids that do not exist answer 404, never a server error. Lists and their spreadsheet
exports never carry unit A's drafts to unit B.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from openpyxl import load_workbook

from tests.security.conftest import REGISTRATION_DRAFT_MARKER, REPORT_DRAFT_MARKER, SCORE_DRAFT_MARKER
from tests.security.test_permission_matrix import MATRIX, METHOD, data_changes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MISSING_ID = 2_147_483_000
Kwargs = Callable[[Any], dict[str, Any]]


def id_urls(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, list[str]]:
    """Every named URL with an integer argument, with the names of those arguments."""
    resolver = resolver or get_resolver()
    found: dict[str, list[str]] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(id_urls(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            ints = [name for name, conv in converters.items() if isinstance(conv, IntConverter)]
            if ints:
                found[f"{namespace}{pattern.name}"] = ints
    return found


def k(**spec: str | Callable[[Any], Any]) -> Kwargs:
    """URL arguments from the world: a string names a world object (its pk), a callable computes."""

    def build(w: Any) -> dict[str, Any]:
        return {
            key: (getattr(w, value).pk if isinstance(value, str) else value(w)) for key, value in spec.items()
        }

    return build


A = "unit_a"
DRAFT = "draft_campaign"

# What officer B must not reach: URL name → (what, arguments). Unit A's objects, the draft
# campaign, and the year of a cluster B is not in.
ATTEMPTS: dict[str, list[tuple[str, Kwargs]]] = {
    "object_history": [
        ("unit A's report", lambda w: {"subject": "report", "pk": w.report_a.pk}),
        ("a person of unit A", lambda w: {"subject": "person", "pk": w.person_a.pk}),
        ("the draft campaign", lambda w: {"subject": "campaign", "pk": w.draft_campaign.pk}),
    ],
    "export_status": [("unit A's officer's export", k(pk="export_a"))],
    "export_download": [("unit A's officer's export", k(pk="export_a"))],
    "clusters:score_workspace": [("another cluster's year", k(term_pk="other_term"))],
    "clusters:score_advance": [("B's own cluster year", k(term_pk="term"))],
    "clusters:score_settings": [("B's own cluster year", k(term_pk="term"))],
    "clusters:score_table_create": [("next year's planning", k(term_pk="next_term"))],
    "clusters:score_table": [("another cluster's table", k(pk="other_table"))],
    "clusters:score_table_edit": [("the draft table", k(pk="draft_table"))],
    "clusters:score_group_add": [("the draft table", k(pk="draft_table"))],
    "clusters:score_group_edit": [
        ("a group of the draft table", k(pk="draft_table", group_pk="draft_group"))
    ],
    "clusters:score_criterion_add": [("the draft table", k(pk="draft_table"))],
    "clusters:score_criterion_edit": [
        ("a criterion of the draft table", k(pk="draft_table", criterion_pk="draft_criterion"))
    ],
    "clusters:score_band_add": [("the draft table", k(pk="draft_table"))],
    "clusters:score_band_edit": [("a band of the draft table", k(pk="draft_table", band_pk="draft_band"))],
    "clusters:score_item_delete": [
        ("a band of the draft table", k(pk="draft_table", kind=lambda w: "band", item_pk="draft_band")),
        (
            "a criterion of the draft table",
            k(pk="draft_table", kind=lambda w: "criterion", item_pk="draft_criterion"),
        ),
    ],
    "clusters:score_table_import": [("the draft table", k(pk="draft_table"))],
    "clusters:score_table_revise": [("the signed table", k(pk="table"))],
    "clusters:score_table_adopt": [("the draft table", k(pk="draft_table"))],
    "clusters:pledge_sign": [("next year's planning", k(term_pk="next_term"))],
    "clusters:pledge_document": [("another cluster's pledge", k(term_pk="other_term"))],
    "clusters:score_self": [
        ("unit A's self-scores", k(term_pk="term", unit_pk=A)),
        ("another cluster's unit", k(term_pk="other_term", unit_pk="other_unit")),
    ],
    "clusters:score_evidence_file": [
        ("unit A's evidence", k(pk="evidence_a")),
        ("another cluster's evidence", k(pk="other_evidence")),
    ],
    "clusters:score_grid": [("the cross-scoring grid", k(term_pk="cross_term"))],
    "clusters:score_grid_cell": [
        ("unit A's cross-score", k(term_pk="cross_term", unit_pk=A, criterion_pk="cross_criterion"))
    ],
    "clusters:score_office": [("the office check", k(term_pk="cross_term"))],
    "clusters:score_office_cell": [
        ("unit A's office score", k(term_pk="cross_term", unit_pk=A, criterion_pk="office_criterion"))
    ],
    "clusters:score_compare": [("the comparison", k(term_pk="cross_term"))],
    "clusters:score_flags": [("the eligibility holds", k(term_pk="term"))],
    "clusters:score_flag_close": [("unit A's hold", k(term_pk="term", flag_pk="flag_a"))],
    "clusters:ranking_view": [("another cluster's ranking", k(term_pk="other_term"))],
    "clusters:vote_page": [("another cluster's vote", k(term_pk="other_term"))],
    "clusters:vote_close": [("B's own cluster's vote", k(term_pk="vote_term"))],
    "clusters:vote_minutes": [("another cluster's minutes", k(term_pk="other_term"))],
    "awards:person_detail": [("a person of unit A", k(pk="person_a"))],
    "campaigns:campaign_detail": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:campaign_edit": [
        ("the draft campaign", k(pk=DRAFT, step=lambda w: "general")),
        ("the launched campaign", k(pk="campaign", step=lambda w: "participants")),
    ],
    "campaigns:campaign_transition": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:campaign_file": [("the draft's signed document", k(pk=DRAFT))],
    "campaigns:campaign_document": [
        ("the draft's document", k(pk=DRAFT, document_pk="draft_document")),
        # The draft's document through the launched campaign's address.
        ("the draft's document, launched campaign's id", k(pk="campaign", document_pk="draft_document")),
    ],
    "campaigns:campaign_document_upload": [("the launched campaign", k(pk="campaign"))],
    "campaigns:target_create": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:target_edit": [
        ("a target of the draft", k(pk=DRAFT, target_pk="draft_target")),
        ("a target of the launched campaign", k(pk="campaign", target_pk="target")),
    ],
    "campaigns:target_delete": [
        ("a target of the draft", k(pk=DRAFT, target_pk="draft_target")),
        ("a target of the launched campaign", k(pk="campaign", target_pk="target")),
    ],
    "campaigns:target_grid": [("the draft campaign", k(pk=DRAFT)), ("the launched one", k(pk="campaign"))],
    "campaigns:target_template": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:target_import": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:registration_board": [("the launched campaign", k(pk="campaign"))],
    "campaigns:registration_mine": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:registration_edit": [
        ("unit A's draft registration", k(pk="campaign", unit_pk=A)),
        ("B's own, in the draft campaign", k(pk=DRAFT, unit_pk="unit_b")),
    ],
    "campaigns:progress_view": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:progress_mine": [("the draft campaign", k(pk=DRAFT))],
    "campaigns:progress_entry": [
        ("unit A's progress", k(pk="campaign", unit_pk=A)),
        ("B's own, in the draft campaign", k(pk=DRAFT, unit_pk="unit_b")),
    ],
    "reports:deadline_board": [("the deadline's board", k(pk="deadline"))],
    "reports:deadline_edit": [("the deadline", k(pk="deadline"))],
    "reports:deadline_lock": [("the deadline", k(pk="deadline"))],
    "reports:remind_unit": [("unit A", k(pk="deadline", unit_pk=A))],
    "reports:report_detail": [("unit A's draft report", k(pk="deadline", unit_pk=A))],
    "reports:report_autosave": [("unit A's draft report", k(pk="deadline", unit_pk=A))],
    "reports:report_review": [("unit A's draft report", k(pk="deadline", unit_pk=A))],
    "reports:attachment_upload": [("unit A's draft report", k(pk="deadline", unit_pk=A))],
    "reports:attachment_download": [("unit A's file", k(pk="attachment_a"))],
    "reports:attachment_delete": [("unit A's file", k(pk="attachment_a"))],
    "reports:notification_read": [("unit A's officer's notification", k(pk="notification_a"))],
}

# URLs with an id that officer B may open by design, and why.
SHARED_BY_DESIGN = {
    "clusters:unit_detail": "the unit directory is open to every signed-in user",
    "clusters:cluster_detail": "clusters and their members are public within the app",
}


def _version(obj: Any) -> int:
    return type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)


# Typical valid-looking bodies, so a refusal is not just a form error.
POST_DATA: dict[str, Callable[[Any], dict[str, Any]]] = {
    "reports:report_detail": lambda w: {
        "version": _version(w.report_a),
        "section_0": "Sửa bởi B",
        "submit": "1",
    },
    "reports:report_autosave": lambda w: {"version": _version(w.report_a), "section_0": "Sửa bởi B"},
    "reports:report_review": lambda w: {"action": "return", "reason": "Trả lại"},
    "clusters:score_self": lambda w: {f"points-{w.criterion.pk}": "0", f"explanation-{w.criterion.pk}": "B"},
    "clusters:score_grid_cell": lambda w: {f"p-{w.unit_a.pk}-{w.cross_criterion.pk}": "1", "r": "B"},
    "clusters:score_office_cell": lambda w: {f"p-{w.unit_a.pk}-{w.office_criterion.pk}": "1"},
    "clusters:score_flag_close": lambda w: {"closed_on": "01/06/2026"},
    "campaigns:registration_edit": lambda w: {"version": "1", "note": "Sửa bởi B", "submit": "1"},
    "campaigns:progress_entry": lambda w: {"as_of": "30/06/2026", f"value_{w.target.pk}": "1"},
    "campaigns:target_delete": lambda w: {},
    "reports:notification_read": lambda w: {"open": "1"},
}


def accepts(name: str, method: str) -> bool:
    """Whether the view takes `method`, as the permission matrix records for the administrator."""
    entry = MATRIX[name]
    return (entry.get if method == "GET" else entry.post)["admin"] != METHOD


def test_every_url_with_an_id_is_tried():
    """A new URL with an id needs IDOR attempts here, or a reason why unit B may open it."""
    names = set(id_urls())
    missing = sorted(names - ATTEMPTS.keys() - SHARED_BY_DESIGN.keys())
    assert not missing, "\n".join(f"add IDOR attempts for {name}" for name in missing)
    assert not (ATTEMPTS.keys() | SHARED_BY_DESIGN.keys()) - names


CASES = [
    pytest.param(name, what, kwargs, id=f"{name} ({what})")
    for name, attempts in sorted(ATTEMPTS.items())
    for what, kwargs in attempts
]


@pytest.mark.parametrize(("name", "what", "kwargs"), CASES)
def test_officer_b_cannot_reach_it(world, name, what, kwargs):
    """Officer B is refused (404 or 403) as a page and as htmx, by GET and POST; nothing changes."""
    url = reverse(name, kwargs=kwargs(world))
    data = POST_DATA.get(name, lambda w: {})(world)
    client = world.client("officer_b")
    problems = []
    for method in ("GET", "POST"):
        if not accepts(name, method):
            continue
        for label, headers in (("page", {}), ("htmx", HTMX)):
            before = data_changes()
            response = client.get(url, **headers) if method == "GET" else client.post(url, data, **headers)
            changed = {t: n - before.get(t, 0) for t, n in data_changes().items() if n != before.get(t, 0)}
            if response.status_code not in (403, 404):
                problems.append(f"{name} {method} {label} as officer_b ({what}): got {response.status_code}")
            if changed:
                problems.append(f"{name} {method} {label} as officer_b ({what}) changed {changed}")
    assert not problems, "\n".join(problems)


MISSING_CASES = [
    pytest.param(name, arg, role, id=f"{name} {arg}={MISSING_ID} as {role}")
    for name, args in sorted(id_urls().items())
    for arg in args
    for role in ("officer_b", "admin")
]


@pytest.mark.parametrize(("name", "arg", "role"), MISSING_CASES)
def test_ids_that_do_not_exist(world, name, arg, role):
    """An id that does not exist answers 404 (the administrator, who passes every rule) or a
    refusal (officer B), never a page or a server error."""
    kwargs = {**MATRIX[name].kwargs(world), arg: MISSING_ID}
    url = reverse(name, kwargs=kwargs)
    client = world.client(role)
    for method in ("GET", "POST"):
        if not accepts(name, method):
            continue
        response = client.get(url) if method == "GET" else client.post(url, {})
        allowed = {404} if role == "admin" else {403, 404}
        assert response.status_code in allowed, (
            f"{name} {method} with {arg}={MISSING_ID} as {role}: got {response.status_code}"
        )


def test_a_calendar_feed_token_that_does_not_exist(world):
    """A guessed calendar address answers 404."""
    url = reverse("reports:calendar_feed", kwargs={"token": world.feed_a.token[:-4] + "0000"})
    assert world.client("anonymous").get(url).status_code == 404


def test_officer_a_still_reaches_unit_as_files(world):
    """The refusals above are about who asks: officer A downloads the same files."""
    client = world.client("officer_a")
    for name, kwargs in (
        ("reports:attachment_download", {"pk": world.attachment_a.pk}),
        ("clusters:score_evidence_file", {"pk": world.evidence_a.pk}),
        ("campaigns:campaign_document", {"pk": world.campaign.pk, "document_pk": world.document.pk}),
    ):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content).startswith(b"%PDF"), name


# --- Lists and exports never carry another unit's drafts -------------------------------------------

MARKERS = (REPORT_DRAFT_MARKER, REGISTRATION_DRAFT_MARKER, SCORE_DRAFT_MARKER)

LISTS: list[tuple[str, Kwargs, str]] = [
    ("home", k(), ""),
    ("reports:my_deadlines", k(), ""),
    ("reports:my_deadlines", k(), "?export=xlsx"),
    ("reports:my_calendar", k(), "?month=2026-12"),
    ("reports:notifications", k(), ""),
    ("reports:notifications", k(), "?export=xlsx"),
    ("reports:notification_bell", k(), ""),
    ("campaigns:campaign_list", k(), ""),
    ("campaigns:campaign_list", k(), "?export=xlsx"),
    ("campaigns:my_campaigns", k(), ""),
    ("campaigns:campaign_detail", k(pk="campaign"), "?section=registrations"),
    ("campaigns:campaign_detail", k(pk="campaign"), "?section=progress"),
    ("campaigns:progress_view", k(pk="campaign"), ""),
    ("campaigns:progress_view", k(pk="campaign"), "?unit={unit_a}"),
    ("campaigns:progress_view", k(pk="campaign"), "?export=xlsx"),
    ("campaigns:registration_edit", k(pk="campaign", unit_pk="unit_b"), ""),
    ("awards:person_list", k(), ""),
    ("awards:person_list", k(), "?export=xlsx"),
    ("clusters:unit_detail", k(pk=A), ""),
    ("clusters:score_workspace", k(term_pk="term"), ""),
    ("clusters:score_self", k(term_pk="term", unit_pk="unit_b"), ""),
    ("clusters:ranking_view", k(term_pk="vote_term"), ""),
    ("clusters:ranking_view", k(term_pk="vote_term"), "?export=xlsx"),
]


def _text(response: Any) -> str:
    """The response's text; for a spreadsheet, every cell of every sheet."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
        )
    return body.decode()


@pytest.mark.parametrize(
    ("name", "kwargs", "query"), [pytest.param(*entry, id=f"{entry[0]}{entry[2]}") for entry in LISTS]
)
def test_lists_and_exports_do_not_leak_unit_as_drafts(world, name, kwargs, query):
    """Unit B's lists, pages and spreadsheets hold none of unit A's draft text nor its people."""
    url = reverse(name, kwargs=kwargs(world)) + query.format(unit_a=world.unit_a.pk)
    response = world.client("officer_b").get(url, follow=True)
    assert response.status_code == 200, response.status_code
    text = _text(response)
    leaked = [marker for marker in (*MARKERS, world.person_a.full_name) if marker in text]
    assert not leaked, f"{url} shows unit A's {leaked} to unit B"


def test_the_markers_are_where_unit_a_sees_them(world):
    """The markers are real: unit A finds its own draft text on its own pages."""
    client = world.client("officer_a")
    report = client.get(reverse("reports:report_detail", args=[world.deadline.pk, world.unit_a.pk]))
    assert REPORT_DRAFT_MARKER in report.text
    registration = client.get(
        reverse("campaigns:registration_edit", args=[world.campaign.pk, world.unit_a.pk])
    )
    assert REGISTRATION_DRAFT_MARKER in registration.text
    scores = client.get(reverse("clusters:score_self", args=[world.term.pk, world.unit_a.pk]))
    assert SCORE_DRAFT_MARKER in scores.text
    people = client.get(reverse("awards:person_list") + "?export=xlsx")
    assert world.person_a.full_name in _text(people)


@pytest.mark.parametrize("name", ["reports:report_autosave", "campaigns:progress_entry"])
def test_the_same_post_from_officer_a_writes(world, name):
    """The bodies officer B sends above are ones that do write for unit A (and the change
    counter sees it), so B's refusals are not form errors in disguise."""
    kwargs = next(kwargs for _what, kwargs in ATTEMPTS[name])
    url = reverse(name, kwargs=kwargs(world))
    before = data_changes()
    response = world.client("officer_a").post(url, POST_DATA[name](world))
    assert response.status_code in (200, 302)
    assert data_changes() != before
