"""Every form of every screen, fuzzed: random Unicode with control characters and NUL, 10 000
character strings, numbers as text, huge and negative numbers, dates in wrong formats, missing,
extra and repeated fields, as a full page and as an htmx request.

The forms are not listed by hand: each screen is opened as the role that works on it and the
forms on the page (their fields, options and hx-post targets) are read from its HTML, so a new
field or form is fuzzed without touching this module. For each post: never a 500; a refused
post (4xx, a form shown with errors, an error message) changes no row of any table; a post that
changes rows leaves them valid. List screens get the same treatment on their query strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import ERROR, get_messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.test.utils import ContextList
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import CampaignDeadline, ParticipantMode
from clusters.models import ScoringStage, TermScoring
from reports import services as report_services
from tests import factories
from tests.reports.factories import local
from tests.security.fixtures_uploads import changed_tables, db_fingerprint

pytestmark = pytest.mark.django_db

# Profile set here, not in conftest: examples are few per form but the forms are many, and
# derandomized so that CI runs the same examples every time.
settings.register_profile(
    "thidua-fuzz",
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FUZZ = settings.get_profile("thidua-fuzz")
HTMX = {"HTTP_HX_REQUEST": "true"}
# Forms that end the session; posting them would sign the fuzzing client out.
SKIPPED_ACTIONS = {"logout"}
# The language switch is on every page: fuzzed on the profile page only, where it is alone.
EVERY_PAGE = {"set_language"}

# --- Hostile values ---------------------------------------------------------------------------------

UNICODE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=40,
)
TRICKY = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\u202eabc",
        "😀👍🏽",
        "Nguyễn Văn Ân",
        "Nguye\u0302\u0303n",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "{{ request }}",
        "%s%n",
        "\r\n\r\n",
        " ",
    ]
)
HUGE = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "Ư", "😀", "9", "\x00"]), st.just(10_000))
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["1e309", "-0", "NaN", "Infinity", "12,5", "1.000.000,5", "1,000.5", "0x10", "١٢", "１２", "9" * 40]
    ),
)
DATES = st.sampled_from(
    [
        *("31/02/2026", "2026-13-01", "00/00/0000", "99/99/9999", "1/1/1", "01/01/0001", "31/12/9999"),
        *("2026-02-30", "01/01/10000", "tomorrow", "25:61", "24:00", "-1", "2026-06-15T10:00:00+07:00"),
    ]
)
VALUE = st.one_of(UNICODE, TRICKY, HUGE, NUMBERS, DATES, st.just(""))
FIELD_NAME = st.one_of(
    st.text(min_size=1, max_size=12),
    st.sampled_from(["pk", "id", "unit", "status", "by", "csrfmiddlewaretoken"]),
)


# --- Reading the forms of a page ---------------------------------------------------------------------


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class _FormReader(HTMLParser):
    """The forms of a page and the elements that post by themselves (hx-post)."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[PageForm] = []
        self.current: PageForm | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def _add(self, form: PageForm | None, name: str | None, value: str) -> None:
        if form is not None and name:
            values = form.fields.setdefault(name, [])
            if value not in values:
                values.append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = attr.get("method", "get").lower()
            action = attr.get("hx-post") or attr.get("action") or self.url
            self.current = PageForm("post" if attr.get("hx-post") else method, urljoin(self.url, action))
            self.forms.append(self.current)
            return
        name = attr.get("name")
        if "hx-post" in attr and tag != "form":
            own = PageForm("post", urljoin(self.url, attr["hx-post"]))
            if self.current is not None:
                own.fields = {k: list(v) for k, v in self.current.fields.items()}
            self._add(own, name, attr.get("value", ""))
            self.forms.append(own)
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind == "file":
                if self.current is not None and name:
                    self.current.files.add(name)
                return
            self._add(self.current, name, attr.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag == "button" and name:
            self._add(self.current, name, attr.get("value", ""))
        elif tag == "select":
            self.select = name
            if self.current is not None and name:
                self.current.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            self._add(self.current, self.select, attr.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self._add(self.current, name, "")

    def handle_data(self, data: str) -> None:
        if self.textarea and self.current is not None:
            self.current.fields[self.textarea] = [data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def page_forms(client: Client, url: str, method: str) -> list[PageForm]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    reader = _FormReader(url)
    reader.feed(response.content.decode())
    found = []
    for form in reader.forms:
        name = resolve(urlsplit(form.action).path).url_name
        if form.method == method and name not in SKIPPED_ACTIONS:
            found.append((name, form))
    own = [form for name, form in found if name not in EVERY_PAGE]
    return own or [form for _name, form in found]


# --- What a response says -------------------------------------------------------------------------


def _refused(response: Any) -> bool:
    """A 4xx, a form shown again with errors, or an error message: nothing may have been saved."""
    if response.status_code >= 400:
        return True
    # Only the messages of this request: older ones wait in the cookie until a page shows them.
    storage = get_messages(response.wsgi_request)
    if any(m.level >= ERROR for m in getattr(storage, "_queued_messages", [])):
        return True
    context = response.context
    contexts = context if isinstance(context, ContextList) else [context] if context is not None else []
    for ctx in contexts:
        for key, value in ctx.flatten().items():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                return True
            if isinstance(value, BaseFormSet) and value.is_bound and not value.is_valid():
                return True
            if key in {"errors", "sheet_errors", "deadline_error"} and value:
                return True
    return False


def _models_by_table() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in apps.get_models() if not m._meta.app_label.startswith("pgh")}


def _invalid_rows(tables: list[str]) -> list[str]:
    """Rows of the changed tables whose fields do not pass their own validation."""
    problems = []
    by_table = _models_by_table()
    for table in tables:
        model = by_table.get(table)
        if model is None or model._meta.app_label in {"pghistory", "auth", "contenttypes", "sessions"}:
            continue
        skip = [
            f.name
            for f in model._meta.concrete_fields
            # JSON lists are built by the services, not typed (an empty tie-break list is allowed).
            if not f.editable or f.is_relation or isinstance(f, models.FileField | models.JSONField)
        ]
        for obj in model._default_manager.all():
            try:
                obj.clean_fields(exclude=skip)
            except ValidationError as error:  # every kind of invalid value is reported
                problems.append(f"{table} #{obj.pk}: {error}")
    return problems


def check_post(client: Client, url: str, data: dict[str, Any], extra: dict[str, str]) -> None:
    before = db_fingerprint()
    response = client.post(url, data, **extra)
    assert response.status_code != 500
    changed = [t for t in changed_tables(before, db_fingerprint()) if not t.startswith(("pgh", "pghistory"))]
    if _refused(response):
        assert changed == [], f"refused ({response.status_code}) but rows changed in {changed}"
    elif changed:
        assert response.status_code in {200, 204, 302, 303}
        assert _invalid_rows(changed) == []


# --- Payloads -------------------------------------------------------------------------------------


@st.composite
def payload(draw: Any, form: PageForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, candidates in form.fields.items():
        how = draw(st.sampled_from(["keep", "keep", "option", "omit", "hostile", "hostile", "list"]))
        if how == "keep":
            data[name] = candidates[0] if candidates else ""
        elif how == "option" and candidates:
            data[name] = draw(st.sampled_from(candidates))
        elif how == "hostile":
            data[name] = draw(VALUE)
        elif how == "list":
            data[name] = draw(st.lists(st.one_of(VALUE, st.sampled_from(candidates or [""])), max_size=3))
    data.update(draw(st.dictionaries(FIELD_NAME, VALUE, max_size=2)))
    return data


# --- The screens ----------------------------------------------------------------------------------


@dataclass
class World:
    clients: dict[str, Client]
    pages: dict[str, tuple[str, str]]  # screen → (role, url)


def _set_stage(term: Any, stage: str) -> None:
    TermScoring.objects.filter(term=term).update(stage=stage)


@pytest.fixture
def world(staff_user, officer_a, unit_a, unit_b, cluster_with_head, council_member, login_as) -> World:
    """One of each thing a form works on: a draft and a running campaign with targets, a report
    deadline, a unit's report, and cluster years at each scoring stage."""
    today = timezone.localdate()
    draft = factories.CampaignFactory(status="draft", created_by=staff_user)
    draft_target = factories.TargetFactory(campaign=draft)
    live = factories.CampaignFactory(
        status="under_way",
        created_by=staff_user,
        participant_mode=ParticipantMode.UNITS,
        registration_opens=today - dt.timedelta(days=10),
        registration_closes=today + dt.timedelta(days=30),
        start_date=dt.date(today.year, 1, 1),
        end_date=dt.date(today.year, 12, 31),
    )
    live.participant_units.set([unit_a, unit_b])
    target = factories.TargetFactory(campaign=live, name="Thu ngân sách")
    factories.TargetFactory(
        campaign=live, name="Nông thôn mới", kind="qualitative", unit_of_measure="", target_value=None
    )
    deadline = report_services.deadline_create(
        by=staff_user,
        campaign=live,
        data=report_services.DeadlineData(
            title="Báo cáo quý",
            kind="quarterly",
            due_on=today + dt.timedelta(days=20),
            sections=["Kết quả đạt được", "Tồn tại"],
            targets=[target],
        ),
    )
    report_services.report_submit(
        deadline=deadline,
        unit=unit_b,
        by=factories.make_officer(unit_b, username="canbo_b_fuzz"),
        version=0,
        narrative={"0": "Đạt", "1": "Không"},
        values=[report_services.ValueData(target_id=target.pk, value=Decimal(60))],
    )
    # Cluster years: the head's draft table; a signed one at self-scoring; one at cross-scoring.
    head = cluster_with_head
    table, _criteria = factories.make_score_table(head.term, by=staff_user)
    scoring_terms, officers = {}, {}
    for stage in (ScoringStage.SELF, ScoringStage.CROSS, ScoringStage.VOTING):
        term = factories.ClusterTermFactory(cluster=factories.ClusterFactory())
        units = {role: factories.UnitFactory() for role in ("head", "deputy", "member")}
        for role, unit in units.items():
            factories.ClusterMembershipFactory(term=term, unit=unit, role=role)
        signed, _c = factories.make_score_table(term, by=staff_user)
        factories.sign_pledge(term, signed, by=staff_user)
        _set_stage(term, stage)
        scoring_terms[stage] = term
        officers[stage] = {role: factories.make_officer(unit) for role, unit in units.items()}
    fresh_term = factories.ClusterTermFactory(cluster=factories.ClusterFactory())
    factories.ClusterMembershipFactory(term=fresh_term, unit=factories.UnitFactory(), role="head")
    signed_table = scoring_terms[ScoringStage.SELF].score_tables.get()
    clients = {
        "staff": login_as(staff_user),
        "officer": login_as(officer_a),
        "head": login_as(head.head_officer),
        "self_member": login_as(officers[ScoringStage.SELF]["member"]),
        "cross_head": login_as(officers[ScoringStage.CROSS]["head"]),
        "voter": login_as(officers[ScoringStage.VOTING]["member"]),
        "council": login_as(council_member),
        "anonymous": Client(),
    }
    c, r = "campaigns", "reports"
    pages = {
        "campaign-create": ("staff", reverse(f"{c}:campaign_create")),
        "campaign-from-directive": ("staff", reverse(f"{c}:campaign_from_directive")),
        "campaign-edit-general": ("staff", reverse(f"{c}:campaign_edit", args=[draft.pk, "general"])),
        "campaign-edit-content": ("staff", reverse(f"{c}:campaign_edit", args=[draft.pk, "content"])),
        "campaign-edit-participants": (
            "staff",
            reverse(f"{c}:campaign_edit", args=[draft.pk, "participants"]),
        ),
        "campaign-detail": ("staff", reverse(f"{c}:campaign_detail", args=[live.pk]) + "?section=documents"),
        "target-create": ("staff", reverse(f"{c}:target_create", args=[draft.pk])),
        "target-edit": ("staff", reverse(f"{c}:target_edit", args=[draft.pk, draft_target.pk])),
        "target-grid": ("staff", reverse(f"{c}:target_grid", args=[live.pk])),
        "target-import": ("staff", reverse(f"{c}:target_import", args=[live.pk])),
        "registration": ("officer", reverse(f"{c}:registration_edit", args=[live.pk, unit_a.pk])),
        "progress": ("officer", reverse(f"{c}:progress_entry", args=[live.pk, unit_a.pk])),
        "deadline-create": ("staff", reverse(f"{r}:deadline_create") + f"?campaign={live.pk}"),
        "schedule-create": ("staff", reverse(f"{r}:schedule_create") + f"?campaign={live.pk}"),
        "policy": ("staff", reverse(f"{r}:policy_edit") + f"?campaign={live.pk}"),
        "deadline-edit": ("staff", reverse(f"{r}:deadline_edit", args=[deadline.pk])),
        "deadline-board": ("staff", reverse(f"{r}:deadline_board", args=[deadline.pk])),
        "report-review": ("staff", reverse(f"{r}:report_detail", args=[deadline.pk, unit_b.pk])),
        "report-write": ("officer", reverse(f"{r}:report_detail", args=[deadline.pk, unit_a.pk])),
        "calendar-feed": ("officer", reverse(f"{r}:my_calendar")),
        "notifications": ("officer", reverse(f"{r}:notifications")),
        "score-settings": ("staff", reverse("clusters:score_settings", args=[head.term.pk])),
        "score-table-edit": ("head", reverse("clusters:score_table_edit", args=[table.pk])),
        "score-group-add": ("head", reverse("clusters:score_group_add", args=[table.pk])),
        "score-criterion-add": ("head", reverse("clusters:score_criterion_add", args=[table.pk])),
        "score-band-add": ("head", reverse("clusters:score_band_add", args=[table.pk])),
        "score-table-create": ("staff", reverse("clusters:score_table_create", args=[fresh_term.pk])),
        "score-table-import": ("head", reverse("clusters:score_table_import", args=[table.pk])),
        "score-table-revise": ("staff", reverse("clusters:score_table_revise", args=[signed_table.pk])),
        "pledge": ("head", reverse("clusters:pledge_sign", args=[head.term.pk])),
        "score-self": (
            "self_member",
            reverse(
                "clusters:score_self",
                args=[scoring_terms[ScoringStage.SELF].pk, officers[ScoringStage.SELF]["member"].unit_id],
            ),
        ),
        "score-grid": (
            "cross_head",
            reverse("clusters:score_grid", args=[scoring_terms[ScoringStage.CROSS].pk]),
        ),
        "score-flags": (
            "staff",
            reverse("clusters:score_flags", args=[scoring_terms[ScoringStage.CROSS].pk]),
        ),
        "score-workspace": (
            "staff",
            reverse("clusters:score_workspace", args=[scoring_terms[ScoringStage.CROSS].pk]),
        ),
        "vote": ("voter", reverse("clusters:vote_page", args=[scoring_terms[ScoringStage.VOTING].pk])),
        "vote-close": ("staff", reverse("clusters:vote_close", args=[scoring_terms[ScoringStage.VOTING].pk])),
        "person-list": ("staff", reverse("awards:person_list")),
        "profile": ("officer", reverse("profile")),
        "password-change": ("officer", reverse("password_change")),
        "login": ("anonymous", reverse("login")),
        "password-reset": ("anonymous", reverse("password_reset")),
    }
    return World(clients, pages)


POST_SCREENS = [
    "campaign-create",
    "campaign-from-directive",
    "campaign-edit-general",
    "campaign-edit-content",
    "campaign-edit-participants",
    "campaign-detail",
    "target-create",
    "target-edit",
    "target-grid",
    "target-import",
    "registration",
    "progress",
    "deadline-create",
    "schedule-create",
    "policy",
    "deadline-edit",
    "deadline-board",
    "report-review",
    "report-write",
    "calendar-feed",
    "notifications",
    "score-settings",
    "score-table-edit",
    "score-group-add",
    "score-criterion-add",
    "score-band-add",
    "score-table-create",
    "score-table-import",
    "score-table-revise",
    "pledge",
    "score-self",
    "score-grid",
    "score-flags",
    "score-workspace",
    "vote",
    "vote-close",
    "person-list",
    "profile",
    "password-change",
    "login",
    "password-reset",
]


@pytest.fixture(autouse=True)
def _fixed_clock(time_machine):
    """Mid-June: report windows and registration windows are open."""
    time_machine.move_to(local(dt.date(2026, 6, 15), 9), tick=False)


@pytest.mark.parametrize("screen", POST_SCREENS)
def test_posting_random_data_to_every_form_never_fails_and_never_writes_half(world, screen):
    role, url = world.pages[screen]
    client = world.clients[role]
    forms = page_forms(client, url, "post")
    assert forms, f"no form to post on {url}"

    @FUZZ
    @given(data=st.data())
    def fuzz(data: Any) -> None:
        form = data.draw(st.sampled_from(forms), label="form")
        values = data.draw(payload(form), label="values")
        extra = data.draw(st.sampled_from([{}, HTMX]), label="headers")
        check_post(client, form.action, values, extra)

    fuzz()


LIST_SCREENS = {
    "campaign-list": ("staff", "campaigns:campaign_list"),
    "my-campaigns": ("officer", "campaigns:my_campaigns"),
    "unit-list": ("staff", "clusters:unit_list"),
    "cluster-list": ("staff", "clusters:cluster_list"),
    "score-overview": ("staff", "clusters:score_overview"),
    "vote-proposals": ("council", "clusters:vote_proposals"),
    "person-list": ("staff", "awards:person_list"),
    "deadline-list": ("staff", "reports:deadline_list"),
    "my-deadlines": ("officer", "reports:my_deadlines"),
    "notifications": ("officer", "reports:notifications"),
}
LIST_PARAMS = st.dictionaries(
    st.one_of(
        st.sampled_from(["q", "sort", "page", "page_size", "export", "year", "status", "o"]), FIELD_NAME
    ),
    st.one_of(VALUE, st.sampled_from(["-1", "0", "abc", "999999", "xlsx", "csv", "-name", "__class__"])),
    max_size=4,
)


@pytest.mark.parametrize("screen", list(LIST_SCREENS))
def test_random_query_strings_on_every_list_never_fail(world, screen):
    """Filters from the page's own filter form plus sort, page (-1, abc, 999999) and huge q."""
    role, name = LIST_SCREENS[screen]
    client = world.clients[role]
    url = reverse(name)
    filters = page_forms(client, url, "get")
    fields = {k: v for form in filters for k, v in form.fields.items()}
    form = PageForm("get", url, fields)

    @FUZZ
    @given(values=payload(form), params=LIST_PARAMS, htmx=st.booleans())
    def fuzz(values: dict[str, Any], params: dict[str, Any], htmx: bool) -> None:
        response = client.get(url, {**values, **params}, **(HTMX if htmx else {}))
        assert response.status_code in {200, 302, 400, 404}

    fuzz()


def test_a_nul_byte_in_a_text_field_is_a_form_error_not_a_database_error(world):
    """PostgreSQL refuses NUL in text: the forms must say so before the database is asked."""
    client = world.clients["staff"]
    response = client.post(
        reverse("campaigns:campaign_create"),
        {
            "title": "Phong trào\x00",
            "kind": "regular",
            "scope": "province",
            "launching_authority": "UBND tỉnh",
            "start_date": "01/01/2026",
            "end_date": "31/12/2026",
            "purposes": "a\x00b",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "purposes"}


def test_an_autosave_with_a_nul_byte_keeps_the_saved_section_and_says_why(
    staff_user, unit_a, officer_a_client
):
    """Autosave saves what is valid; a section or note that is not (a NUL byte pasted from a
    PDF) keeps its saved text instead of being wiped, and the officer is told which one."""
    campaign = factories.CampaignFactory(participant_mode=ParticipantMode.UNITS)
    campaign.participant_units.set([unit_a])
    target = factories.TargetFactory(campaign=campaign)
    deadline = report_services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=report_services.DeadlineData(
            title="Báo cáo tháng",
            kind="monthly",
            due_on=dt.date(2026, 6, 30),
            sections=["Kết quả"],
            targets=[target],
        ),
    )
    url = reverse("reports:report_autosave", args=[deadline.pk, unit_a.pk])
    note = f"note_{target.pk}"
    first = officer_a_client.post(url, {"version": "0", "section_0": "Đã làm", note: "Ghi chú"}, **HTMX)
    assert first.status_code == 200
    report = deadline.reports.get(unit=unit_a)
    assert report.narrative == {"0": "Đã làm"}
    second = officer_a_client.post(
        url, {"version": str(report.version), "section_0": "Mới\x00", note: "x\x00"}, **HTMX
    )
    assert second.status_code == 200
    report.refresh_from_db()
    assert report.narrative == {"0": "Đã làm"}
    assert report.values.get().note == "Ghi chú"
    assert "Null characters are not allowed." in second.content.decode()


# --- Views that read request.POST themselves, past any form's NUL check -------------------------------


def test_a_nul_byte_in_a_directive_deadline_is_dropped_not_a_database_error(staff_client):
    """The review page's deadline rows are read from the POST directly; the document reader
    never yields a NUL, so one in a posted row is dropped."""
    data = {
        "title": "Phong trào thi đua",
        "kind": "regular",
        "scope": "province",
        "launching_authority": "UBND tỉnh",
        "start_date": "01/01/2026",
        "end_date": "31/12/2026",
        "content": "Nội dung 1",
        "deadline_row": ["1"],
        "deadline": ["1"],
        "deadline_1_due_on": "15/12/2026",
        "deadline_1_title": "Báo cáo\x00",
        "deadline_1_context": "trước ngày 15/12/2026\x00",
    }
    response = staff_client.post(reverse("campaigns:campaign_confirm_directive"), data)
    assert response.status_code == 302
    deadline = CampaignDeadline.objects.get()
    assert (deadline.title, deadline.context) == ("Báo cáo", "trước ngày 15/12/2026")


def test_a_nul_byte_in_a_self_score_explanation_is_refused_not_a_database_error(
    cluster_with_head, staff_user, login_as
):
    table, criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    factories.sign_pledge(cluster_with_head.term, table, by=staff_user)
    _set_stage(cluster_with_head.term, ScoringStage.SELF)
    client = login_as(cluster_with_head.member_officer)
    url = reverse("clusters:score_self", args=[cluster_with_head.term.pk, cluster_with_head.members[0].pk])
    pk = criteria["2.1"].pk
    before = db_fingerprint()
    response = client.post(url, {f"points-{pk}": "5", f"explanation-{pk}": "Theo báo cáo\x00"})
    assert response.status_code == 200
    assert changed_tables(before, db_fingerprint()) == []


def test_a_nul_byte_in_a_cross_score_reason_is_refused_not_a_database_error(
    cluster_with_head, staff_user, login_as
):
    table, criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    factories.sign_pledge(cluster_with_head.term, table, by=staff_user)
    _set_stage(cluster_with_head.term, ScoringStage.CROSS)
    client = login_as(cluster_with_head.head_officer)
    unit, pk = cluster_with_head.members[0], criteria["2.1"].pk
    url = reverse("clusters:score_grid_cell", args=[cluster_with_head.term.pk, unit.pk, pk])
    name = f"{unit.pk}-{pk}"
    before = db_fingerprint()
    response = client.post(url, {f"p-{name}": "5", f"r-{name}": "Sai\x00"}, **HTMX)
    assert response.status_code in {200, 400}
    assert changed_tables(before, db_fingerprint()) == []


def test_a_total_of_zero_on_the_table_edit_form_is_a_form_error(cluster_with_head, staff_user, login_as):
    """The table's check constraint refuses it; the form says so first (it was a 500)."""
    table, _criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    client = login_as(cluster_with_head.head_officer)
    url = reverse("clusters:score_table_edit", args=[table.pk])
    before = db_fingerprint()
    response = client.post(url, {"title": "Bảng", "declared_total": "0"})
    assert response.status_code == 200
    assert "declared_total" in response.context["form"].errors
    assert changed_tables(before, db_fingerprint()) == []


@pytest.mark.parametrize(
    ("role", "name", "param"),
    [
        ("staff", "reports:deadline_list", "year"),
        ("officer", "reports:my_deadlines", "year"),
        ("staff", "campaigns:campaign_list", "year"),
        ("staff", "awards:person_list", "award_year"),
    ],
)
@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999", "-438880"])
def test_a_year_filter_out_of_range_is_ignored_not_a_500(
    staff_client, officer_a_client, role, name, param, year
):
    """Year lookups build dates: a year outside 1..9999 overflowed them (it was a 500)."""
    client = staff_client if role == "staff" else officer_a_client
    response = client.get(reverse(name), {param: year})
    assert response.status_code == 200
