from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Main menu entries for the signed-in user's roles, with the current one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "settings_province": settings.PROVINCE_NAME}
    items = [
        (reverse("home"), _("Home")),
        (reverse("campaigns:campaign_list"), _("Campaigns")),
        (reverse("clusters:unit_list"), _("Units")),
        (reverse("clusters:cluster_list"), _("Clusters and blocs")),
        (reverse("awards:person_list"), _("People and awards")),
    ]
    if user.unit_id and user.unit_role:
        items.insert(2, (reverse("campaigns:my_campaigns"), _("My unit's campaigns")))
    if user.unit_id and user.unit_role:
        items.insert(3, (reverse("reports:my_deadlines"), _("My deadlines")))
    elif user.is_tdkt_staff:
        items.insert(2, (reverse("reports:deadline_list"), _("Deadline boards")))
    if user.is_tdkt_staff or user.is_council_member:
        items.append((reverse("clusters:score_overview"), _("Cluster scoring")))
    if user.is_staff or user.is_superuser:
        items.append((reverse("admin:index"), _("Administration")))
    path = request.path
    # The longest matching prefix is the current entry ("phong-trao/cua-don-vi/" over "phong-trao/").
    matches = [url for url, _label in items if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    nav_items = [{"url": url, "label": label, "current": url == current} for url, label in items]
    return {"nav_items": nav_items, "settings_province": settings.PROVINCE_NAME}
