from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from awards import selectors
from awards.filters import CitizenIdLookupForm, PersonFilter
from awards.models import Person
from core.db import Vietnamese
from core.listing import Column, render_list

PERSON_COLUMNS = [
    # Field paths: the export reads them with values_list and shows the choice labels.
    Column("full_name", _("Full name"), (Vietnamese("full_name"),), export="full_name"),
    Column("gender", _("Gender"), ("gender",), export="gender", optional=True),
    Column("birth_date", _("Date of birth"), ("birth_date",), export="birth_date", optional=True),
    Column("position", _("Position"), (Vietnamese("position"),), export="position"),
    Column("unit", _("Unit"), (Vietnamese("unit__name"),), export="unit__name"),
    Column("category", _("Category"), ("category",), export="category", optional=True),
]


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    return render_list(
        request,
        template="awards/person_list.html",
        partial="person-table",
        queryset=selectors.visible_people(request.user),
        filterset_class=PersonFilter,
        columns=PERSON_COLUMNS,
        default_sort="full_name",
        export_name="ca-nhan",
        export_title=_("People"),
        context={
            "lookup_form": CitizenIdLookupForm()
            if request.user.has_perm("awards.search_citizen_id")
            else None
        },
    )


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("awards.see_person", person):
        raise PermissionDenied
    context = {"person": person, "awards": selectors.person_award_history(person)}
    return render(request, "awards/person_detail.html", context)


@require_POST
def citizen_id_lookup(request: HttpRequest) -> HttpResponse:
    """Find people by citizen ID (staff only); one match opens the person's page."""
    if not request.user.has_perm("awards.search_citizen_id"):
        raise PermissionDenied
    form = CitizenIdLookupForm(request.POST)
    matches: list[Person] = []
    if form.is_valid():
        matches = list(
            Person.objects.select_related("unit").filter(citizen_id=form.cleaned_data["citizen_id"])[:20]
        )
        if len(matches) == 1:
            return redirect(matches[0])
    return render(request, "awards/citizen_id_lookup.html", {"form": form, "matches": matches})
