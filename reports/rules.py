"""Who may see and act on report deadlines and reports.

Staff set deadlines, review reports and remind units. A unit writes and submits its own
reports only. A unit's reports are seen by staff, council members, the unit itself and the
head and deputy of its cluster in the deadline's year. Objects passed to the object rules:
a `Unit` for writing, a `ReportRef` (deadline and unit) for seeing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from clusters.rules import is_own_unit
from clusters.selectors import unit_ids_led_by
from core.rules import acts_for_a_unit, is_council_member, is_tdkt_staff


@dataclass(frozen=True)
class ReportRef:
    """A unit's report for a deadline, whether or not it has been started."""

    deadline: Any
    unit_id: int


@rules.predicate
def is_reporting_unit(user, ref: ReportRef | None) -> bool:
    return bool(ref is not None and acts_for_a_unit(user) and user.unit_id == ref.unit_id)


@rules.predicate
def leads_cluster_that_year(user, ref: ReportRef | None) -> bool:
    """The user's unit heads or deputises the unit's cluster in the deadline's year."""
    return bool(
        ref is not None and acts_for_a_unit(user) and ref.unit_id in unit_ids_led_by(user, ref.deadline.year)
    )


@rules.predicate
def leads_a_cluster_that_year(user, deadline) -> bool:
    return bool(deadline is not None and acts_for_a_unit(user) and unit_ids_led_by(user, deadline.year))


rules.add_perm("reports.manage_deadlines", is_tdkt_staff)
rules.add_perm("reports.review_reports", is_tdkt_staff)
rules.add_perm("reports.see_all_reports", is_tdkt_staff | is_council_member)
# Object: a ReportRef.
rules.add_perm(
    "reports.see_report", is_tdkt_staff | is_council_member | is_reporting_unit | leads_cluster_that_year
)
# Object: the unit whose report is written.
rules.add_perm("reports.write_report", is_own_unit)
# Object: a deadline. Cluster leaders see their cluster's rows of the board.
rules.add_perm("reports.see_board", is_tdkt_staff | is_council_member | leads_a_cluster_that_year)
