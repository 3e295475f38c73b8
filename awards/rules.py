"""Who may see people and award history.

A person's record (birth date, masked citizen ID, history) is visible to staff and council
members, to officers of the person's own unit, and to the leaders of that unit's cluster.
Searching by citizen ID is for staff only. Award records are written by staff alone.
"""

from __future__ import annotations

import rules

from clusters.rules import is_own_unit, leads_cluster_of
from core.rules import is_council_member, is_tdkt_staff


@rules.predicate
def is_own_person(user, person) -> bool:
    return bool(person is not None and is_own_unit(user, person.unit))


@rules.predicate
def person_in_led_cluster(user, person) -> bool:
    return bool(person is not None and leads_cluster_of(user, person.unit))


rules.add_perm("awards.see_person", is_tdkt_staff | is_council_member | is_own_person | person_in_led_cluster)
rules.add_perm("awards.see_all_people", is_tdkt_staff | is_council_member)
rules.add_perm("awards.search_citizen_id", is_tdkt_staff)
rules.add_perm("awards.record_award", is_tdkt_staff)
