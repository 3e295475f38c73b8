"""Change history (lịch sử thay đổi) of an object and its dependent rows, for staff.

django-pghistory's triggers write one event row per insert, update and delete of a tracked
model, with the context the change was made in (`core.audit.audit_context`: the user, the
request URL, the reason). A *subject* names what a page shows history for — a report with its
values and attachments, a campaign with its content, targets and deadlines — as the event
tables to read and how to filter each. Secret ballots are never part of it: `BallotChoice` has
no history, and the vote subject reads only who cast a ballot and when.

The panel costs a fixed number of queries whatever the number of events: one UNION over the
subject's event tables for the page, then per event table one query for the page's rows and
one for the rows they changed from, and one per model their foreign keys point to.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import rules
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_enabled
from core.text import mask_identifier

PAGE_SIZE = 50

# Columns that say nothing to a reader: keys, search keys, optimistic-lock counters.
ALWAYS_HIDDEN = frozenset({"id", "search_text", "version"})

# Related models whose __str__ follows further foreign keys: loaded with them in one query.
RELATED_JOINS: dict[str, tuple[str, ...]] = {
    "awards.AwardRecord": ("category", "person", "unit", "household"),
    "clusters.ClusterTerm": ("cluster",),
    "clusters.ClusterMembership": ("unit", "term__cluster"),
    "reports.ReportDeadline": (),
}


@dataclass(frozen=True)
class Source:
    """One event table in a subject's history.

    `scope` turns the subject object into a filter on the event table; `label` lists the
    fields whose values name the row ("Target: Thu ngân sách"); `hidden` the fields not shown
    (usually the foreign key back to the subject).
    """

    model: str
    scope: Callable[[Any], Q]
    label: tuple[str, ...] = ()
    hidden: frozenset[str] = frozenset()
    # Personal identifiers: a change is shown, the value only masked (as on the person's page).
    masked: frozenset[str] = frozenset()

    @functools.cached_property
    def tracked(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model)

    @functools.cached_property
    def events(self) -> type[models.Model]:
        return self.tracked.pgh_event_model


@dataclass(frozen=True)
class Subject:
    """What one history panel covers: the object's model and its event sources."""

    key: str
    model: str
    sources: tuple[Source, ...]
    # The page the panel belongs to, for the full-page view's way back.
    back: Callable[[Any], str] = lambda obj: obj.get_absolute_url()

    @functools.cached_property
    def tracked(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model)


def _ids(model: str, **filters: Any) -> Any:
    """The ids of every row of `model` that ever matched `filters`, deleted ones included."""
    from django.apps import apps

    return apps.get_model(model).pgh_event_model.objects.filter(**filters).values("pgh_obj_id")


@functools.cache
def subjects() -> dict[str, Subject]:
    def own(obj: Any) -> Q:
        return Q(pgh_obj_id=obj.pk)

    def score_entries(m: Any) -> Q:
        tables = _ids("clusters.ScoreTable", term_id=m.term_id)
        groups = _ids("clusters.CriterionGroup", table_id__in=tables)
        criteria = _ids("clusters.Criterion", group_id__in=groups)
        return Q(unit_id=m.unit_id, criterion_id__in=criteria)

    def score_evidence(m: Any) -> Q:
        entries = _event_model("clusters.ScoreEntry").objects.filter(score_entries(m)).values("pgh_obj_id")
        return Q(entry_id__in=entries)

    def person_records(person: Any) -> Any:
        return _ids("awards.AwardRecord", person_id=person.pk)

    def schedule_sources(
        owner: Callable[[Any], dict[str, Any]], hidden: frozenset[str]
    ) -> tuple[Source, ...]:
        """A campaign's or a cluster year's report schedules with their units and targets."""

        def schedules(obj: Any) -> Any:
            return _ids("reports.ReportSchedule", **owner(obj))

        return (
            Source("reports.ReportSchedule", lambda o: Q(**owner(o)), ("title",), hidden),
            Source(
                "reports.ReportScheduleUnit",
                lambda o: Q(reportschedule_id__in=schedules(o)),
                ("reportschedule", "unit"),
                frozenset({"reportschedule"}),
            ),
            Source(
                "reports.ReportScheduleTarget",
                lambda o: Q(reportschedule_id__in=schedules(o)),
                ("reportschedule", "target"),
                frozenset({"reportschedule"}),
            ),
        )

    def term_tables(t: Any) -> Any:
        return _ids("clusters.ScoreTable", term_id=t.pk)

    campaign_child = frozenset({"campaign"})
    listed = [
        Subject(
            "campaign",
            "campaigns.Campaign",
            (
                Source("campaigns.Campaign", own),
                Source(
                    "campaigns.ContentItem",
                    lambda c: Q(campaign_id=c.pk),
                    ("order", "title"),
                    campaign_child,
                ),
                Source(
                    "campaigns.CampaignDocument", lambda c: Q(campaign_id=c.pk), ("title",), campaign_child
                ),
                Source(
                    "campaigns.CampaignDeadline", lambda c: Q(campaign_id=c.pk), ("title",), campaign_child
                ),
                Source("campaigns.Target", lambda c: Q(campaign_id=c.pk), ("name",), campaign_child),
                Source(
                    "campaigns.TargetAssignment",
                    lambda c: Q(target_id__in=_ids("campaigns.Target", campaign_id=c.pk)),
                    ("target", "unit"),
                ),
                Source(
                    "campaigns.CampaignParticipantUnit",
                    lambda c: Q(campaign_id=c.pk),
                    ("unit",),
                    campaign_child,
                ),
                Source(
                    "campaigns.CampaignParticipantCluster",
                    lambda c: Q(campaign_id=c.pk),
                    ("cluster",),
                    campaign_child,
                ),
                Source("reports.ReportDeadline", lambda c: Q(campaign_id=c.pk), ("title",), campaign_child),
                Source(
                    "reports.ReportDeadlineUnit",
                    lambda c: Q(reportdeadline_id__in=_ids("reports.ReportDeadline", campaign_id=c.pk)),
                    ("reportdeadline", "unit"),
                ),
                Source(
                    "reports.ReportDeadlineTarget",
                    lambda c: Q(reportdeadline_id__in=_ids("reports.ReportDeadline", campaign_id=c.pk)),
                    ("reportdeadline", "target"),
                ),
                Source("reports.ReminderPolicy", lambda c: Q(campaign_id=c.pk), (), campaign_child),
                *schedule_sources(lambda c: {"campaign_id": c.pk}, campaign_child),
            ),
        ),
        Subject(
            "report",
            "reports.Report",
            (
                Source("reports.Report", own, (), frozenset({"deadline", "unit"})),
                Source(
                    "reports.ReportValue", lambda r: Q(report_id=r.pk), ("target",), frozenset({"report"})
                ),
                Source(
                    "reports.ReportAttachment",
                    lambda r: Q(report_id=r.pk),
                    ("original_name",),
                    frozenset({"report", "file"}),
                ),
            ),
        ),
        Subject(
            "registration",
            "campaigns.Registration",
            (
                Source("campaigns.Registration", own, (), frozenset({"campaign", "unit"})),
                Source(
                    "campaigns.RegistrationTarget",
                    lambda r: Q(registration_id=r.pk),
                    ("target",),
                    frozenset({"registration"}),
                ),
                Source(
                    "campaigns.RegistrationTitle",
                    lambda r: Q(registration_id=r.pk),
                    ("category", "person"),
                    frozenset({"registration"}),
                ),
            ),
            lambda r: reverse("campaigns:registration_edit", args=[r.campaign_id, r.unit_id]),
        ),
        # A unit's scores in one cluster year: the subject is its membership of that year.
        Subject(
            "scores",
            "clusters.ClusterMembership",
            (
                Source("clusters.ClusterMembership", own, (), frozenset({"term", "unit"})),
                Source("clusters.ScoreEntry", score_entries, ("criterion", "stage"), frozenset({"unit"})),
                Source(
                    "clusters.ScoreEvidence",
                    score_evidence,
                    ("original_name",),
                    frozenset({"entry", "file"}),
                ),
                Source(
                    "clusters.UnitFlag",
                    lambda m: Q(term_id=m.term_id, unit_id=m.unit_id),
                    ("kind",),
                    frozenset({"term", "unit"}),
                ),
                Source(
                    "clusters.PublishedResult",
                    lambda m: Q(term_id=m.term_id, unit_id=m.unit_id),
                    (),
                    frozenset({"term", "unit"}),
                ),
            ),
            lambda m: reverse("clusters:score_self", args=[m.term_id, m.unit_id]),
        ),
        # The year-end vote: who cast a ballot and when, the vote settings and the proposals.
        # Never the choices: BallotChoice is untracked and has no link to a voter.
        Subject(
            "vote",
            "clusters.ClusterTerm",
            (
                Source("clusters.TermScoring", lambda t: Q(term_id=t.pk), (), frozenset({"term"})),
                Source(
                    "clusters.BallotCast", lambda t: Q(term_id=t.pk), ("unit",), frozenset({"term", "unit"})
                ),
                Source(
                    "clusters.AwardProposal",
                    lambda t: Q(term_id=t.pk),
                    ("unit", "category"),
                    frozenset({"term"}),
                ),
            ),
            lambda t: reverse("clusters:vote_page", args=[t.pk]),
        ),
        # A cluster year's scoring set-up: who changed the table, its criteria and bands, the
        # pledge, the stage, the members' roles and the year's report schedules, and why.
        Subject(
            "term",
            "clusters.ClusterTerm",
            (
                Source("clusters.ClusterTerm", own),
                Source(
                    "clusters.ClusterMembership",
                    lambda t: Q(term_id=t.pk),
                    ("unit",),
                    frozenset({"term", "unit", "year"}),
                ),
                Source("clusters.TermScoring", lambda t: Q(term_id=t.pk), (), frozenset({"term"})),
                Source(
                    "clusters.ScoreTable",
                    lambda t: Q(term_id=t.pk),
                    ("title", "version"),
                    frozenset({"term"}),
                ),
                Source(
                    "clusters.CriterionGroup",
                    lambda t: Q(table_id__in=term_tables(t)),
                    ("table", "code", "name"),
                    frozenset({"table"}),
                ),
                Source(
                    "clusters.Criterion",
                    lambda t: Q(group_id__in=_ids("clusters.CriterionGroup", table_id__in=term_tables(t))),
                    ("code", "name"),
                    frozenset({"copied_from"}),
                ),
                Source(
                    "clusters.ClassificationBand",
                    lambda t: Q(table_id__in=term_tables(t)),
                    ("table", "name"),
                    frozenset({"table"}),
                ),
                Source("clusters.Pledge", lambda t: Q(term_id=t.pk), (), frozenset({"term"})),
                Source(
                    "clusters.PledgeSignature",
                    lambda t: Q(pledge_id__in=_ids("clusters.Pledge", term_id=t.pk)),
                    ("unit",),
                    frozenset({"pledge", "unit"}),
                ),
                *schedule_sources(lambda t: {"cluster_term_id": t.pk}, frozenset({"cluster_term"})),
            ),
            lambda t: reverse("clusters:score_workspace", args=[t.pk]),
        ),
        Subject(
            "person",
            "awards.Person",
            (
                Source("awards.Person", own, masked=frozenset({"citizen_id"})),
                Source(
                    "awards.AwardRecord",
                    lambda p: Q(person_id=p.pk),
                    ("category", "year"),
                    frozenset({"person", "recipient_kind"}),
                ),
                Source(
                    "awards.AwardRevocation",
                    lambda p: Q(record_id__in=person_records(p)) | Q(replacement_id__in=person_records(p)),
                    ("record",),
                ),
            ),
        ),
    ]
    return {subject.key: subject for subject in listed}


def _event_model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label).pgh_event_model


# --- Reading ---------------------------------------------------------------------------------

ACTIONS = {
    "insert": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "delete": gettext_lazy("Deleted"),
}

SOURCES = {
    "web": gettext_lazy("Web"),
    "admin": gettext_lazy("Administration"),
    "bulk": gettext_lazy("Bulk update"),
    "system": gettext_lazy("System (scheduled task or command)"),
}

# The reasons services pass to audit_context, in the reader's language.
REASONS = {
    "campaign created": gettext_lazy("Campaign created"),
    "campaign edited": gettext_lazy("Campaign edited"),
    "content edited": gettext_lazy("Content items edited"),
    "document attached": gettext_lazy("Document attached"),
    "launch": gettext_lazy("Launched"),
    "start": gettext_lazy("Marked as under way"),
    "review_midterm": gettext_lazy("Mid-term review started"),
    "resume": gettext_lazy("Resumed after the mid-term review"),
    "review_final": gettext_lazy("Final review started"),
    "close": gettext_lazy("Closed"),
    "target created": gettext_lazy("Target created"),
    "target edited": gettext_lazy("Target edited"),
    "target deleted": gettext_lazy("Target deleted"),
    "progress recorded": gettext_lazy("Progress recorded"),
    "assigned values saved": gettext_lazy("Assigned values saved"),
    "registration saved": gettext_lazy("Registration saved as a draft"),
    "registration submitted": gettext_lazy("Registered"),
    "report deadline created": gettext_lazy("Report deadline created"),
    "report deadline edited": gettext_lazy("Report deadline edited"),
    "deadline locked": gettext_lazy("Deadline locked"),
    "deadline unlocked": gettext_lazy("Deadline unlocked"),
    "report schedule created": gettext_lazy("Report schedule created"),
    "reminder policy saved": gettext_lazy("Reminder policy saved"),
    "report saved": gettext_lazy("Report saved"),
    "report submitted": gettext_lazy("Report submitted"),
    "report accepted": gettext_lazy("Report accepted"),
    "report attachment added": gettext_lazy("Attachment added"),
    "report attachment removed": gettext_lazy("Attachment removed"),
    "score table created": gettext_lazy("Scoring table created"),
    "score table edited": gettext_lazy("Scoring table edited"),
    "criterion group saved": gettext_lazy("Criterion group saved"),
    "criterion group deleted": gettext_lazy("Criterion group deleted"),
    "criterion saved": gettext_lazy("Criterion saved"),
    "criterion deleted": gettext_lazy("Criterion deleted"),
    "classification band saved": gettext_lazy("Classification band saved"),
    "classification band deleted": gettext_lazy("Classification band deleted"),
    "pledge signed": gettext_lazy("Pledge signed"),
    "score table revision adopted": gettext_lazy("Scoring table revision adopted"),
    "ballot cast": gettext_lazy("Ballot cast"),
    "year-end vote closed": gettext_lazy("Year-end vote closed"),
    "self-scores saved": gettext_lazy("Self-scores saved"),
    "cross-score saved": gettext_lazy("Cross-score saved"),
    "office score saved": gettext_lazy("Office score saved"),
    "results published": gettext_lazy("Results published"),
    "scoring settings saved": gettext_lazy("Scoring settings saved"),
    "eligibility hold recorded": gettext_lazy("Eligibility hold recorded"),
    "eligibility hold closed": gettext_lazy("Eligibility hold closed"),
}
# Reasons that carry a detail after a fixed start ("report returned: thiếu phụ lục").
REASON_PREFIXES = {
    "report returned: ": gettext_lazy("Report returned: %(detail)s"),
    "report reopened: ": gettext_lazy("Report reopened: %(detail)s"),
    "score table revision: ": gettext_lazy("Scoring table revision: %(detail)s"),
    "score table imported from ": gettext_lazy("Scoring table imported from %(detail)s"),
    "assigned values imported from ": gettext_lazy("Assigned values imported from %(detail)s"),
    "scoring stage ": gettext_lazy("Scoring stage changed: %(detail)s"),
    "merge ": gettext_lazy("Units merged: %(detail)s"),
    "split ": gettext_lazy("Unit split: %(detail)s"),
    "cluster term ": gettext_lazy("Cluster year set up: %(detail)s"),
}


def reason_text(reason: str | None) -> str:
    """A service's reason as the reader's language says it; free text stays as written."""
    if not reason:
        return ""
    if reason in REASONS:
        return str(REASONS[reason])
    for prefix, text in REASON_PREFIXES.items():
        if reason.startswith(prefix):
            return str(text) % {"detail": reason[len(prefix) :]}
    return reason


def source_of(metadata: dict[str, Any]) -> str:
    """Where a change came from: the web app, Django admin, a bulk update or the system."""
    if metadata.get("source") in SOURCES:
        return metadata["source"]
    if metadata.get("bulk"):
        return "bulk"
    url = metadata.get("url") or ""
    if url.startswith("/admin/"):
        return "admin"
    if url:
        return "web"
    return "system"


@dataclass
class Change:
    label: str
    old: str | None
    new: str


@dataclass
class HistoryRow:
    at: dt.datetime
    action: str
    action_label: str
    what: str
    object_label: str
    user: Any
    reason: str
    source: str
    source_label: str
    url: str
    changes: list[Change] = field(default_factory=list)
    # Values of a created or deleted row, shown folded.
    values: list[Change] = field(default_factory=list)


@dataclass
class HistoryPage:
    subject: Subject
    obj: Any
    rows: list[HistoryRow]
    page: int
    has_more: bool
    enabled: bool

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.has_more else None


def _shown_fields(source: Source) -> list[models.Field]:
    tracked = {f.name for f in source.tracked._meta.concrete_fields}
    hidden = ALWAYS_HIDDEN | source.hidden
    return [
        f
        for f in source.events._meta.concrete_fields
        if f.name in tracked
        and f.name not in hidden
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _related_label(f: models.Field) -> str:
    return f"{f.related_model._meta.label}"


def _display(f: models.Field, value: Any, related: dict[str, dict[Any, Any]]) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        obj = related.get(_related_label(f), {}).get(value)
        return str(obj) if obj is not None else _("no longer exists (#%(id)s)") % {"id": value}
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.FileField):
        return _("a file")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dt.time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, Decimal):
        integral = value == value.to_integral_value()
        return formats.number_format(value.quantize(Decimal(1)) if integral else value.normalize())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _shown_value(source: Source, f: models.Field, value: Any, related: dict[str, dict[Any, Any]]) -> str:
    if f.name in source.masked and value:
        return mask_identifier(str(value))
    return _display(f, value, related)


def _field_value(event: models.Model, f: models.Field) -> Any:
    return getattr(event, f.attname)


def _load_related(wanted: dict[str, set[Any]]) -> dict[str, dict[Any, Any]]:
    """One query per related model for every foreign key value on the page."""
    from django.apps import apps

    loaded: dict[str, dict[Any, Any]] = {}
    for label, pks in wanted.items():
        pks.discard(None)
        if not pks:
            continue
        model = apps.get_model(label)
        queryset = model._default_manager.all()
        joins = RELATED_JOINS.get(label)
        if joins:
            queryset = queryset.select_related(*joins)
        loaded[label] = queryset.in_bulk(pks)
    return loaded


def _page_keys(subject: Subject, obj: Any, page: int) -> list[tuple[int, int]]:
    """(source index, event id) of the page's events, newest first, one UNION query."""
    parts = [
        source.events.objects.filter(source.scope(obj))
        .annotate(src=Value(index, output_field=IntegerField()))
        .values("src", "pgh_id", "pgh_created_at")
        for index, source in enumerate(subject.sources)
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    start = (page - 1) * PAGE_SIZE
    rows = union.order_by("-pgh_created_at", "-src", "-pgh_id")[start : start + PAGE_SIZE + 1]
    return [(row["src"], row["pgh_id"]) for row in rows]


def object_history(subject: Subject, obj: Any, *, page: int = 1) -> HistoryPage:
    """The page-th batch of changes to `obj` and its dependent rows, newest first."""
    if not audit_enabled():
        return HistoryPage(subject, obj, [], page, has_more=False, enabled=False)
    keys = _page_keys(subject, obj, page)
    has_more = len(keys) > PAGE_SIZE
    keys = keys[:PAGE_SIZE]

    by_source: dict[int, list[int]] = defaultdict(list)
    for index, pgh_id in keys:
        by_source[index].append(pgh_id)

    events: dict[tuple[int, int], models.Model] = {}
    previous: dict[tuple[int, int], models.Model] = {}
    wanted: dict[str, set[Any]] = defaultdict(set)
    user_label = get_user_model()._meta.label
    for index, ids in by_source.items():
        source = subject.sources[index]
        model = source.events
        # Named pgh_* so it cannot clash with a tracked field (ScoreTable.previous is previous_id).
        before = model.objects.filter(
            pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id")
        ).order_by("-pgh_id")
        rows = list(
            model.objects.filter(pgh_id__in=ids)
            .select_related("pgh_context")
            .annotate(pgh_prior_id=Subquery(before.values("pgh_id")[:1]))
        )
        prior_ids = [row.pgh_prior_id for row in rows if row.pgh_label == "update" and row.pgh_prior_id]
        prior = model.objects.in_bulk(prior_ids) if prior_ids else {}
        shown = _shown_fields(source)
        for row in rows:
            events[index, row.pgh_id] = row
            if row.pgh_label == "update" and row.pgh_prior_id in prior:
                previous[index, row.pgh_id] = prior[row.pgh_prior_id]
            for event in (row, previous.get((index, row.pgh_id))):
                if event is None:
                    continue
                for f in shown:
                    if f.is_relation:
                        wanted[_related_label(f)].add(_field_value(event, f))
            for name in source.label:
                f = model._meta.get_field(name)
                if f.is_relation:
                    wanted[_related_label(f)].add(_field_value(row, f))
            metadata = row.pgh_context.metadata if row.pgh_context else {}
            if isinstance(metadata.get("user"), int):
                wanted[user_label].add(metadata["user"])
    related = _load_related(wanted)

    history = []
    for index, pgh_id in keys:
        row = _row(subject.sources[index], events[index, pgh_id], previous.get((index, pgh_id)), related)
        # An update of columns nobody reads (a save that only touched a timestamp) is noise.
        if row.action == "update" and not row.changes and not row.values:
            continue
        history.append(row)
    return HistoryPage(subject, obj, history, page, has_more=has_more, enabled=True)


def _row(
    source: Source,
    event: models.Model,
    before: models.Model | None,
    related: dict[str, dict[Any, Any]],
) -> HistoryRow:
    shown = _shown_fields(source)
    changes: list[Change] = []
    values: list[Change] = []
    if event.pgh_label == "update" and before is not None:
        for f in shown:
            old, new = _field_value(before, f), _field_value(event, f)
            if old != new:
                changes.append(
                    Change(
                        str(f.verbose_name),
                        _shown_value(source, f, old, related),
                        _shown_value(source, f, new, related),
                    )
                )
    else:
        for f in shown:
            value = _field_value(event, f)
            if value not in (None, "", [], {}):
                values.append(Change(str(f.verbose_name), None, _shown_value(source, f, value, related)))
    metadata = event.pgh_context.metadata if event.pgh_context else {}
    source_key = source_of(metadata)
    user = related.get(get_user_model()._meta.label, {}).get(metadata.get("user"))
    label_fields = [source.events._meta.get_field(name) for name in source.label]
    label = " — ".join(_display(f, _field_value(event, f), related) for f in label_fields)
    return HistoryRow(
        at=event.pgh_created_at,
        action=event.pgh_label,
        action_label=str(ACTIONS.get(event.pgh_label, event.pgh_label)),
        what=capfirst(str(source.tracked._meta.verbose_name)),
        object_label=label,
        user=user,
        reason=reason_text(metadata.get("reason")),
        source=source_key,
        source_label=str(SOURCES[source_key]),
        url=metadata.get("url", "") if source_key in {"web", "admin"} else "",
        changes=changes,
        values=values,
    )


def can_see(user: Any) -> bool:
    """Staff only; a rule test, so refusing an officer costs no permission query."""
    return rules.test_rule("core.see_history", user)


def subject_for(key: str) -> Subject | None:
    return subjects().get(key)


def panel_context(key: str, obj: Any, *, page: int = 1) -> dict[str, Any]:
    """What `core/_history.html` needs, for a page that shows the panel inline."""
    return {
        "history": object_history(subjects()[key], obj, page=page),
        "history_url": reverse("object_history", args=[key, obj.pk]),
    }


def iter_subject_models() -> Iterable[str]:
    """Every tracked model some history panel reads (for the coverage test)."""
    for subject in subjects().values():
        for source in subject.sources:
            yield source.model
