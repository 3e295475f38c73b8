"""Who may see and change organisation data.

The unit directory and clusters are public within the app (every signed-in user needs to
find a unit); what a unit *does* — its people, drafts and reports — is visible to staff, to
the unit itself, and to the head and deputy of its cluster in that year.
"""

from __future__ import annotations

import rules

from clusters.selectors import unit_ids_led_by
from core.rules import acts_for_a_unit, is_council_member, is_tdkt_staff


@rules.predicate
def is_own_unit(user, unit) -> bool:
    return bool(unit is not None and acts_for_a_unit(user) and user.unit_id == unit.pk)


@rules.predicate
def leads_cluster_of(user, unit) -> bool:
    """The user's unit heads or deputises the cluster the unit belongs to this year."""
    return bool(unit is not None and acts_for_a_unit(user) and unit.pk in unit_ids_led_by(user))


can_see_unit_work = is_tdkt_staff | is_own_unit | leads_cluster_of

# Names differ from Django's model permissions (view_unit, …) so Django admin keeps its own.
rules.add_perm("clusters.see_directory", rules.is_authenticated)
rules.add_perm("clusters.manage_organisation", is_tdkt_staff)
rules.add_perm("clusters.see_unit_work", can_see_unit_work | is_council_member)
rules.add_perm("clusters.edit_unit_work", is_tdkt_staff | is_own_unit)
