"""Words for a unit's standing on a deadline and for a deadline's owner, shared by screens,
exports, the calendar feed and template filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.selectors import BoardStatus

if TYPE_CHECKING:
    from reports.models import ReportDeadline

STATUS_LABELS = {
    BoardStatus.NOT_STARTED: gettext_lazy("Not started"),
    BoardStatus.DRAFT: gettext_lazy("Draft"),
    BoardStatus.ON_TIME: gettext_lazy("Submitted on time"),
    BoardStatus.LATE: gettext_lazy("Submitted late"),
    BoardStatus.RETURNED: gettext_lazy("Returned"),
    BoardStatus.ACCEPTED: gettext_lazy("Accepted"),
}


def status_text(status: str, late_days: int | None = None, submissions: int | None = None) -> str:
    """A board status in words: "Submitted late (2 working days)", "Resubmitted"."""
    text = str(STATUS_LABELS.get(status, status))
    if status in {BoardStatus.ON_TIME, BoardStatus.LATE} and (submissions or 0) > 1:
        text = _("Resubmitted")
    if late_days:
        text += " " + ngettext("(%(days)d working day late)", "(%(days)d working days late)", late_days) % {
            "days": late_days
        }
    return text


def owner_label(deadline: ReportDeadline) -> str:
    if deadline.campaign_id:
        return deadline.campaign.title
    return f"{deadline.cluster_term.cluster.name} — {deadline.cluster_term.year}"
