"""Screens for registration (đăng ký thi đua) and progress (tiến độ).

A unit officer edits only their own unit's registration and progress, while the campaign is
open and, for the registration, while its window is; staff act for any participant. The rules
live in `campaigns.progress`; the forms here only read what was typed, and re-show it as
typed when something is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from awards.models import AwardCategory, Person
from campaigns import charts, progress
from campaigns.models import Campaign, Registration, RegistrationStatus, Target
from campaigns.selectors import campaign_participant_ids
from clusters.models import Cluster, Unit
from core.db import Vietnamese
from core.exports import xlsx_response
from core.listing import Column, render_list, render_page, search_folded

HTMX_TARGET = "#progress-report"
# Rows for titles of named individuals; "Add rows" adds this many, up to the cap.
PERSON_ROWS_STEP = 3
PERSON_ROWS_MAX = 300


# --- Numbers as people type them -------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?[0-9.,]*[0-9][0-9.,]*$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class AmbiguousNumberError(ValueError):
    pass


def _check_groups(text: str, separator: str) -> None:
    first, *rest = text.split(separator)
    if not (1 <= len(first) <= 3 and all(len(group) == 3 for group in rest)):
        raise ValueError(text)


def parse_number(text: str) -> Decimal:
    """A number typed the Vietnamese way (1.500.000,5) or the English way (1,500,000.5).

    With both separators the last one is the decimal mark. A single separator followed by
    exactly three digits ("1.000", "1,000") could be either, so it is refused rather than
    guessed; any other single separator is the decimal mark ("12,5", "0.125").
    """
    raw = _SPACES.sub("", text)
    if not _NUMBER.match(raw):
        raise ValueError(text)
    sign = "-" if raw.startswith("-") else ""
    raw = raw.lstrip("+-")
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal_mark = "." if raw.rfind(".") > raw.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if raw.count(decimal_mark) > 1:
            raise ValueError(text)
        whole, fraction = raw.split(decimal_mark)
        _check_groups(whole, group_mark)
        raw = f"{whole.replace(group_mark, '')}.{fraction}"
    elif dots + commas > 1:
        mark = "." if dots else ","
        _check_groups(raw, mark)
        raw = raw.replace(mark, "")
    elif dots + commas == 1:
        whole, fraction = re.split(r"[.,]", raw)
        if len(fraction) == 3 and whole.strip("0"):
            raise AmbiguousNumberError(text)
        raw = f"{whole or '0'}.{fraction or '0'}"
    return Decimal(sign + raw)


def number_text(value: Decimal | None) -> str:
    """A value as the form shows it: no grouping, the language's decimal mark, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


class NumberField(forms.DecimalField):
    """A decimal typed as text (type="number" inputs drop what the browser cannot parse)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "input-number"})
    default_error_messages = {
        "invalid": gettext_lazy("Enter a number, for example 1500 or 12,5."),
        "ambiguous": gettext_lazy(
            "“%(value)s” could be read two ways: write whole numbers without separators (1000) "
            "and decimals with a comma (1,5)."
        ),
        "min_value": gettext_lazy("Enter a number of 0 or more."),
        "max_digits": gettext_lazy("This number is too large."),
        "max_whole_digits": gettext_lazy("This number is too large."),
        "max_decimal_places": gettext_lazy("Use at most two decimal places."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=16, decimal_places=2, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return parse_number(str(value))
        except AmbiguousNumberError:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": value}
            ) from None
        except (ValueError, InvalidOperation):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
)


def _posted_as_initial(form: forms.Form) -> dict[str, Any]:
    """What was typed, as initial values: re-shows a form without judging it yet."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


# --- Registration form -------------------------------------------------------------------------


class RegistrationForm(forms.Form):
    """Targets committed to (pre-filled with the assigned value), titles for the unit, and
    titles for named people of the unit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    person_rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=PERSON_ROWS_MAX)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        targets: list[Target],
        collective_titles: list[AwardCategory],
        individual_titles: list[AwardCategory],
        people: list[Person],
        rows: int,
        initial: dict[str, Any] | None = None,
        editable: bool = True,
    ) -> None:
        super().__init__(data, initial=initial)
        self.options = {
            "targets": targets,
            "collective_titles": collective_titles,
            "individual_titles": individual_titles,
            "people": people,
            "editable": editable,
        }
        self.targets = targets
        if data is not None:
            posted_rows = _positive_int(data.get("person_rows"))
            rows = rows if posted_rows is None else min(posted_rows, PERSON_ROWS_MAX)
        self.rows = rows
        for target in targets:
            self.fields[f"commit_{target.pk}"] = forms.BooleanField(
                label=_("Commit to “%(target)s”") % {"target": target.name}, required=False
            )
            if target.is_measurable:
                self.fields[f"target_{target.pk}"] = NumberField(
                    label=_("Committed value for “%(target)s”") % {"target": target.name},
                    required=False,
                    min_value=0,
                )
        self.fields["collective_titles"] = forms.MultipleChoiceField(
            label=_("Titles for the unit"),
            required=False,
            choices=[(str(c.pk), c.name) for c in collective_titles],
            widget=forms.CheckboxSelectMultiple,
        )
        person_choices = [("", "—"), *((str(p.pk), p.full_name) for p in people)]
        title_choices = [("", "—"), *((str(c.pk), c.name) for c in individual_titles)]
        for index in range(rows):
            self.fields[f"person_{index}"] = forms.ChoiceField(
                label=_("Person %(number)s") % {"number": index + 1}, required=False, choices=person_choices
            )
            self.fields[f"person_title_{index}"] = forms.ChoiceField(
                label=_("Title for person %(number)s") % {"number": index + 1},
                required=False,
                choices=title_choices,
            )
        if not editable:
            for field in self.fields.values():
                field.disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for index in range(self.rows):
            person, title = data.get(f"person_{index}"), data.get(f"person_title_{index}")
            if bool(person) != bool(title):
                self.add_error(
                    f"person_{index}" if not person else f"person_title_{index}",
                    _("Choose both a person and a title, or leave both empty."),
                )
        return data

    def target_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "target": target,
                "commit": self[f"commit_{target.pk}"],
                "value": self[f"target_{target.pk}"] if target.is_measurable else None,
            }
            for target in self.targets
        ]

    def person_row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"person_{i}"], self[f"person_title_{i}"]) for i in range(self.rows)]

    def commitments(self) -> list[progress.Commitment]:
        return [
            progress.Commitment(
                target_id=target.pk,
                value=self.cleaned_data.get(f"target_{target.pk}") if target.is_measurable else None,
                committed=bool(self.cleaned_data.get(f"commit_{target.pk}")),
            )
            for target in self.targets
        ]

    def titles(self) -> list[progress.TitleChoice]:
        chosen = [progress.TitleChoice(category_id=int(pk)) for pk in self.cleaned_data["collective_titles"]]
        for index in range(self.rows):
            person, title = (
                self.cleaned_data.get(f"person_{index}"),
                self.cleaned_data.get(f"person_title_{index}"),
            )
            if person and title:
                chosen.append(progress.TitleChoice(category_id=int(title), person_id=int(person)))
        return chosen

    def reshown(self, **changes: Any) -> RegistrationForm:
        """The same typed data, unjudged, with `changes` (more rows, a newer version)."""
        initial = {**_posted_as_initial(self), **changes}
        return RegistrationForm(
            rows=int(initial.get("person_rows") or self.rows), initial=initial, **self.options
        )

    def with_version(self, version: int) -> RegistrationForm:
        """The posted data bound again with `version`, so saving again is a deliberate overwrite."""
        data = self.data.copy()
        data["version"] = str(version)
        form = RegistrationForm(data, rows=self.rows, **self.options)
        form.is_valid()
        return form


def _registration_initial(
    registration: Registration | None, targets: list[Target], assigned: dict[int, Decimal]
) -> dict[str, Any]:
    commitments = {c.target_id: c for c in registration.target_commitments.all()} if registration else {}
    titles = list(registration.titles.all()) if registration else []
    people = [t for t in titles if t.person_id]
    initial: dict[str, Any] = {
        "version": registration.version if registration else 0,
        "person_rows": len(people) + PERSON_ROWS_STEP,
        "note": registration.note if registration else "",
        "collective_titles": [str(t.category_id) for t in titles if not t.person_id],
    }
    for target in targets:
        commitment = commitments.get(target.pk)
        initial[f"commit_{target.pk}"] = commitment.committed if commitment else True
        value = commitment.value if commitment else assigned.get(target.pk)
        initial[f"target_{target.pk}"] = number_text(value)
    for index, title in enumerate(people):
        initial[f"person_{index}"] = str(title.person_id)
        initial[f"person_title_{index}"] = str(title.category_id)
    return initial


# --- Access -----------------------------------------------------------------------------------


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign, pk=pk)
    if not request.user.has_perm("campaigns.see_campaign", campaign):
        raise Http404
    return campaign


def _may_act(user: Any, campaign: Campaign, unit: Unit) -> bool:
    """Staff act for any unit; a unit's officer or head for their own, while it takes part."""
    if not user.has_perm("campaigns.act_for_unit", unit):
        return False
    return progress.is_staff(user) or user.has_perm("campaigns.take_part", campaign)


def _query(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    params.pop("export", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = str(value)
    return params.urlencode()


# --- Registration -----------------------------------------------------------------------------


@require_GET
def registration_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in unit's registration; staff go to the board."""
    campaign = _campaign(request, pk)
    user = request.user
    if user.unit_id and user.unit_role:
        return redirect("campaigns:registration_edit", pk=campaign.pk, unit_pk=user.unit_id)
    if user.has_perm("campaigns.see_all_registrations"):
        return redirect("campaigns:registration_board", pk=campaign.pk)
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit's registration form; read-only to council members and outside the window."""
    campaign = _campaign(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    user = request.user
    may_act = _may_act(user, campaign, unit)
    if not may_act and not user.has_perm("campaigns.see_all_registrations"):
        raise PermissionDenied
    if unit.pk not in campaign_participant_ids(campaign):
        raise Http404
    if request.method == "POST" and not may_act:
        raise PermissionDenied
    window_open = progress.registration_window_open(campaign)
    editable = may_act and (window_open or progress.is_staff(user))

    registration = progress.unit_registration(campaign, unit)
    targets = list(campaign.targets.all())
    collective, individual = progress.registrable_titles()
    people = list(
        Person.objects.filter(unit=unit).only("pk", "full_name").order_by(Vietnamese("full_name"), "pk")
    )
    assigned = progress.assigned_values(campaign, unit)
    options: dict[str, Any] = {
        "targets": targets,
        "collective_titles": collective,
        "individual_titles": individual,
        "people": people,
        "editable": editable,
    }
    saved_registration = None
    if request.method == "POST":
        # Bound as editable even when the window closed meanwhile, so what was typed comes back.
        form = RegistrationForm(request.POST, rows=PERSON_ROWS_STEP, **{**options, "editable": True})
        if "more_rows" in request.POST:
            form = form.reshown(person_rows=min(form.rows + PERSON_ROWS_STEP, PERSON_ROWS_MAX))
        elif form.is_valid():
            submit = "submit" in request.POST
            service = progress.registration_submit if submit else progress.registration_save
            try:
                service(
                    campaign=campaign,
                    unit=unit,
                    by=user,
                    version=form.cleaned_data["version"],
                    commitments=form.commitments(),
                    titles=form.titles(),
                    note=form.cleaned_data["note"],
                )
            except progress.StaleRegistrationError as error:
                form = form.with_version(error.current_version)
                form.add_error(None, error)
                saved_registration = registration = progress.unit_registration(campaign, unit)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if submit:
                    messages.success(
                        request, _("%(unit)s is registered for this campaign.") % {"unit": unit.name}
                    )
                else:
                    messages.success(
                        request,
                        _("The registration was saved as a draft. It counts once you press “Register”."),
                    )
                if user.has_perm("campaigns.see_all_registrations"):
                    return redirect("campaigns:registration_board", pk=campaign.pk)
                return redirect(f"{campaign.get_absolute_url()}?section=registrations")
    else:
        initial = _registration_initial(registration, targets, assigned)
        form = RegistrationForm(rows=initial["person_rows"], initial=initial, **options)
    context = {
        "campaign": campaign,
        "unit": unit,
        "form": form,
        "registration": registration,
        "saved_registration": saved_registration,
        "editable": editable,
        "may_act": may_act,
        "window_open": window_open,
        "target_rows": [{**row, "assigned": assigned.get(row["target"].pk)} for row in form.target_rows()],
    }
    return render(request, "campaigns/registration_form.html", context)


REGISTRATION_STATUS_CHOICES = [
    (RegistrationStatus.SUBMITTED.value, RegistrationStatus.SUBMITTED.label),
    (RegistrationStatus.DRAFT.value, RegistrationStatus.DRAFT.label),
    (progress.NOT_REGISTERED, gettext_lazy("Not registered")),
]


def registration_status_label(status: str | None) -> str:
    return str(dict(REGISTRATION_STATUS_CHOICES)[status or progress.NOT_REGISTERED])


class RegistrationBoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("Unit name or code")}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Registration"),
        choices=REGISTRATION_STATUS_CHOICES,
        method="filter_status",
        empty_label=gettext_lazy("All"),
    )
    cluster = django_filters.ChoiceFilter(
        label=gettext_lazy("Cluster or bloc"),
        method="filter_cluster",
        empty_label=gettext_lazy("All clusters"),
    )

    class Meta:
        model = Unit
        fields = ["q", "status", "cluster"]

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clusters = (
            Cluster.objects.filter(terms__year=campaign.year)
            .order_by(Vietnamese("name"))
            .values_list("pk", "name")
        )
        self.filters["cluster"].extra["choices"] = [
            *((str(pk), name) for pk, name in clusters),
            ("0", _("Not in a cluster")),
        ]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return search_folded(queryset, value)

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if value == progress.NOT_REGISTERED:
            return queryset.filter(registration_status__isnull=True)
        return queryset.filter(registration_status=value)

    def filter_cluster(self, queryset: Any, name: str, value: str) -> Any:
        if value == "0":
            return queryset.filter(cluster_id__isnull=True)
        return queryset.filter(cluster_id=int(value))


BOARD_COLUMNS = [
    Column("unit", gettext_lazy("Unit"), (Vietnamese("name"),), export=lambda u: u.name),
    Column("code", gettext_lazy("Code"), ("code",), export=lambda u: u.code, optional=True),
    Column(
        "cluster",
        gettext_lazy("Cluster or bloc"),
        (Vietnamese("cluster_name"),),
        export=lambda u: u.cluster_name,
    ),
    Column(
        "status",
        gettext_lazy("Registration"),
        ("registration_status",),
        export=lambda u: registration_status_label(u.registration_status),
    ),
    Column(
        "registered_at", gettext_lazy("Registered at"), ("registered_at",), export=lambda u: u.registered_at
    ),
    Column("registered_by", gettext_lazy("Registered by"), export=lambda u: u.registered_by, optional=True),
    Column(
        "titles",
        gettext_lazy("Titles registered"),
        ("title_count",),
        export=lambda u: u.title_count or 0,
        optional=True,
    ),
]


@require_GET
def registration_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Every participant with its registration status, for staff and council members."""
    campaign = _campaign(request, pk)
    if not request.user.has_perm("campaigns.see_all_registrations"):
        raise PermissionDenied
    return render_list(
        request,
        template="campaigns/registration_board.html",
        partial="registration-table",
        queryset=progress.registration_board(campaign),
        filterset_class=RegistrationBoardFilter,
        filterset_kwargs={"campaign": campaign},
        columns=BOARD_COLUMNS,
        default_sort="unit",
        export_name=f"dang-ky-thi-dua-{campaign.pk}",
        export_title=gettext_lazy("Registrations"),
        context={"campaign": campaign, "counts": progress.registration_counts(campaign)},
    )


# --- Progress ---------------------------------------------------------------------------------


class ProgressEntryForm(forms.Form):
    """Actual values per target as of one date; targets left empty are not recorded."""

    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DATE_WIDGET)

    def __init__(self, data: QueryDict | None = None, *, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.targets = targets
        for target in targets:
            if target.is_measurable:
                self.fields[f"value_{target.pk}"] = NumberField(
                    label=_("Actual value for “%(target)s”") % {"target": target.name}, required=False
                )
            else:
                self.fields[f"done_{target.pk}"] = forms.ChoiceField(
                    label=_("Is “%(target)s” done?") % {"target": target.name},
                    required=False,
                    choices=[("", "—"), ("1", _("Done")), ("0", _("Not done"))],
                )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label=_("Note on “%(target)s”") % {"target": target.name}, required=False, max_length=500
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and not list(self.entries()):
            raise ValidationError(_("Enter at least one value."))
        return data

    def entries(self) -> Iterator[tuple[Target, Decimal | None, bool | None, str]]:
        for target in self.targets:
            note = self.cleaned_data.get(f"note_{target.pk}", "")
            if target.is_measurable:
                value = self.cleaned_data.get(f"value_{target.pk}")
                if value is not None:
                    yield target, value, None, note
            else:
                done = self.cleaned_data.get(f"done_{target.pk}")
                if done:
                    yield target, None, done == "1", note

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "target": target,
                "input": self[f"value_{target.pk}" if target.is_measurable else f"done_{target.pk}"],
                "note": self[f"note_{target.pk}"],
            }
            for target in self.targets
        ]


@require_GET
def progress_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in unit's progress entry form."""
    campaign = _campaign(request, pk)
    if not (request.user.unit_id and request.user.unit_role):
        return redirect("campaigns:progress_view", pk=campaign.pk)
    return redirect("campaigns:progress_entry", pk=campaign.pk, unit_pk=request.user.unit_id)


@require_http_methods(["GET", "POST"])
def progress_entry(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """A unit records actual values per target as of a date."""
    campaign = _campaign(request, pk)
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not _may_act(request.user, campaign, unit):
        raise PermissionDenied
    if unit.pk not in campaign_participant_ids(campaign):
        raise Http404
    targets = list(campaign.targets.all())
    today = timezone.localdate()
    default_as_of = min(max(today, campaign.start_date), campaign.end_date)
    form = ProgressEntryForm(request.POST or None, targets=targets, initial={"as_of": default_as_of})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for target, value, done, note in form.entries():
                    progress.progress_record(
                        unit=unit,
                        target=target,
                        as_of=form.cleaned_data["as_of"],
                        value=value,
                        done=done,
                        note=note,
                        by=request.user,
                    )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Progress recorded for %(unit)s.") % {"unit": unit.name})
            return redirect(f"{reverse('campaigns:progress_view', args=[campaign.pk])}?unit={unit.pk}")
    assigned = progress.assigned_values(campaign, unit)
    committed = progress.submitted_commitments(campaign, unit=unit)
    latest = progress.latest_entries(campaign, unit=unit)
    rows = []
    for row in form.rows():
        target = row["target"]
        committed_value, applies = committed.get((target.pk, unit.pk), (None, True))
        rows.append(
            {
                **row,
                "goal": progress.unit_goal(
                    target, committed=committed_value, assigned=assigned.get(target.pk)
                ),
                "applies": applies,
                "latest": latest.get((target.pk, unit.pk)),
            }
        )
    context = {
        "campaign": campaign,
        "unit": unit,
        "form": form,
        "rows": rows,
        "history": progress.unit_entry_history(campaign, unit),
    }
    return render(request, "campaigns/progress_entry.html", context)


def _positive_int(text: str | None) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if value >= 0 else None


def _export_progress(campaign: Campaign, units: list[progress.UnitProgress]) -> HttpResponse:
    status_labels = dict(progress.ProgressStatus.choices)
    done_labels = {True: _("Done"), False: _("Not done")}

    def rows() -> Iterator[list[Any]]:
        for unit in units:
            for cell in unit.cells:
                entry = cell.entry
                actual: Any = ""
                if entry is not None:
                    actual = entry.value if cell.target.is_measurable else done_labels[entry.done]
                yield [
                    unit.cluster_name,
                    unit.name,
                    cell.target.name,
                    cell.target.unit_of_measure,
                    cell.target.get_direction_display() if cell.target.is_measurable else "",
                    cell.goal,
                    actual,
                    entry.as_of if entry else None,
                    round(cell.percent, 1) if cell.percent is not None else None,
                    status_labels[cell.status] if cell.applies else _("Not committed"),
                ]

    headers = [
        _("Cluster or bloc"),
        _("Unit"),
        _("Target"),
        _("Unit of measure"),
        _("Direction"),
        _("Target value"),
        _("Actual"),
        _("As of"),
        _("Achievement (%)"),
        _("Status"),
    ]
    # Decimal is not one of the types the exporter passes through; floats keep cells numeric.
    return xlsx_response(
        filename=f"tien-do-{campaign.pk}",
        title=_("Progress"),
        headers=headers,
        rows=([float(v) if isinstance(v, Decimal) else v for v in row] for row in rows()),
    )


@require_GET
def progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per target, per unit, per cluster and province-wide, as tables and charts."""
    campaign = _campaign(request, pk)
    cluster_id = _positive_int(request.GET.get("cluster"))
    report = progress.campaign_progress(campaign, cluster_id=cluster_id)
    visible = progress.visible_unit_ids(campaign, request.user)
    units = report.units if visible is None else [u for u in report.units if u.unit_id in visible]
    if request.GET.get("export") == "xlsx":
        return _export_progress(campaign, units)

    user = request.user
    own_unit_id = user.unit_id if user.unit_id and user.unit_role else None
    # A unit the user may not see falls back to the user's own, never to an error page.
    by_id = {u.unit_id: u for u in units}
    selected = by_id.get(_positive_int(request.GET.get("unit"))) or by_id.get(own_unit_id)
    can_record = (
        own_unit_id is not None
        and own_unit_id in campaign_participant_ids(campaign)
        and user.has_perm("campaigns.take_part", campaign)
    )
    context = {
        "campaign": campaign,
        "report": report,
        "units": [
            {"progress": u, "query": _query(request, unit=u.unit_id), "selected": u is selected}
            for u in units
        ],
        "selected": selected,
        "cluster_id": cluster_id,
        "export_query": _query(request, export="xlsx"),
        "can_record": can_record,
        # Staff record for any participant; a unit only for itself.
        "can_record_selected": selected is not None
        and (progress.is_staff(user) or (can_record and selected.unit_id == own_unit_id)),
        "target_rows": [
            (g, charts.target_bar(g.ratio, elapsed=report.elapsed, status=g.status, label=g.label))
            for g in report.by_target
        ],
        "cluster_chart": charts.achievement_chart(
            [charts.ChartRow(g.label, g.ratio, g.status) for g in report.by_cluster],
            elapsed=report.elapsed,
            title=_("Achievement by cluster"),
        )
        if report.by_cluster
        else "",
        "unit_chart": charts.achievement_chart(
            [charts.ChartRow(u.name, u.ratio, u.status) for u in units],
            elapsed=report.elapsed,
            title=_("Achievement by unit"),
        )
        if units
        else "",
    }
    return render_page(request, "campaigns/progress_view.html", "progress-report", context)
