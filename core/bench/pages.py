"""The key pages of the benchmark, resolved against the demo province in the current database.

Each page names the demo login it is opened as and a concrete address: the objects behind the
addresses are picked by fixed rules (the campaign with the most progress entries, the person
with the longest award history, …), so the small and the large province give comparable pages.
Pages of later capabilities (deadline board, scoring grid, dossiers, council, decisions, public
posting) are added here as they land.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from awards.models import AwardRecord
from campaigns.models import Campaign, ProgressEntry
from clusters.models import ClusterMembership, Unit
from clusters.selectors import current_year

# Demo logins (core/demo/users.py) the pages are opened as.
STAFF = "chuyenvien"
UNIT_OFFICER = "canbo"
CLUSTER_HEAD = "truongcum"
# Searches a user would type: a common family and middle name, a frequent part of place names.
PERSON_SEARCH = "nguyen van"
UNIT_SEARCH = "tan"
# The export measured for peak memory: the whole people list (150,000 rows at large scale).
PEOPLE_EXPORT = "people_export"


# The pages key_pages() gives, in order; tests/test_query_budgets.py holds a budget for each.
KEY_PAGE_NAMES = (
    "home",
    "campaign_list",
    "campaign_detail",
    "campaign_progress",
    "campaign_progress_officer",
    "registration_board",
    "my_campaigns",
    "cluster_list",
    "cluster_detail",
    "unit_list",
    "unit_search",
    "unit_detail",
    "person_list",
    "person_search",
    "person_list_officer",
    "person_detail",
    "unit_export",
)


@dataclass(frozen=True)
class KeyPage:
    """One page of the benchmark: a machine name, a label, the login and the address."""

    name: str
    label: str
    user: str | None
    path: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


CEILING = KeyPage("ceiling", "Ceiling: trivial view", None, "/healthz/ceiling")


def _with_query(path: str, **params: Any) -> str:
    return f"{path}?{urlencode(params)}"


def key_pages() -> list[KeyPage]:
    """The key pages that exist, with the objects of this database; ceiling not included."""
    user_model = get_user_model()
    officer = user_model.objects.select_related("unit").get(username=UNIT_OFFICER)
    head = user_model.objects.get(username=CLUSTER_HEAD)
    year = current_year()

    campaign = (
        Campaign.objects.annotate(entries=Count("targets__progress_entries"))
        .order_by("-entries", "pk")
        .first()
    )
    if campaign is None or not ProgressEntry.objects.filter(target__campaign=campaign).exists():
        raise LookupError("The demo province has no campaign with progress entries.")
    busiest_unit_id = (
        AwardRecord.objects.filter(unit__isnull=False, unit__active_to__isnull=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
        .values_list("unit_id", flat=True)
        .first()
    )
    unit = Unit.objects.get(pk=busiest_unit_id) if busiest_unit_id else officer.unit
    person_id = (
        AwardRecord.objects.filter(person__isnull=False)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
        .values_list("person_id", flat=True)
        .first()
    )
    membership = (
        ClusterMembership.objects.filter(unit_id=head.unit_id, year=year).select_related("term").first()
    )
    if membership is None:
        raise LookupError("The demo cluster head has no cluster this year.")
    cluster_id = membership.term.cluster_id

    campaign_url = campaign.get_absolute_url()
    progress_url = reverse("campaigns:progress_view", args=[campaign.pk])
    pages = [
        KeyPage("home", "Staff home", STAFF, reverse("home")),
        KeyPage("campaign_list", "Campaign list", STAFF, reverse("campaigns:campaign_list")),
        KeyPage("campaign_detail", "Campaign page", STAFF, campaign_url),
        KeyPage("campaign_progress", "Campaign progress", STAFF, progress_url),
        KeyPage("campaign_progress_officer", "Campaign progress (unit officer)", UNIT_OFFICER, progress_url),
        KeyPage(
            "registration_board",
            "Registration board",
            STAFF,
            reverse("campaigns:registration_board", args=[campaign.pk]),
        ),
        KeyPage(
            "my_campaigns",
            "Unit officer's campaigns and deadlines",
            UNIT_OFFICER,
            reverse("campaigns:my_campaigns"),
        ),
        KeyPage("cluster_list", "Cluster and bloc list", STAFF, reverse("clusters:cluster_list")),
        KeyPage(
            "cluster_detail",
            "Cluster page (cluster head)",
            CLUSTER_HEAD,
            reverse("clusters:cluster_detail", args=[cluster_id]),
        ),
        KeyPage("unit_list", "Unit list", STAFF, reverse("clusters:unit_list")),
        KeyPage(
            "unit_search", "Unit search", STAFF, _with_query(reverse("clusters:unit_list"), q=UNIT_SEARCH)
        ),
        KeyPage("unit_detail", "Unit page with award history", STAFF, unit.get_absolute_url()),
        KeyPage("person_list", "People list", STAFF, reverse("awards:person_list")),
        KeyPage(
            "person_search",
            "Person search",
            STAFF,
            _with_query(reverse("awards:person_list"), q=PERSON_SEARCH),
        ),
        KeyPage(
            "person_list_officer",
            "People of the unit (unit officer)",
            UNIT_OFFICER,
            reverse("awards:person_list"),
        ),
        KeyPage(
            "person_detail",
            "Person with award history",
            STAFF,
            reverse("awards:person_detail", args=[person_id]),
        ),
        KeyPage(
            "unit_export",
            "Unit list export (xlsx)",
            STAFF,
            _with_query(reverse("clusters:unit_list"), export="xlsx"),
        ),
    ]
    assert tuple(page.name for page in pages) == KEY_PAGE_NAMES  # noqa: S101 - a programming error
    return pages


def people_export() -> KeyPage:
    """The large export measured for peak memory: every person, as staff see them."""
    return KeyPage(
        PEOPLE_EXPORT,
        "People export (xlsx, all rows)",
        STAFF,
        _with_query(reverse("awards:person_list"), export="xlsx"),
    )
