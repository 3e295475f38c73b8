"""Role predicates shared by every app's rules.py.

Roles: provincial staff and the office head (staff), council members, unit officers and unit
heads (acting for one unit), administrators (superusers). Object rules live in each app.
"""

from __future__ import annotations

import rules


@rules.predicate
def is_admin(user) -> bool:
    return bool(user.is_active and user.is_superuser)


@rules.predicate
def is_tdkt_staff(user) -> bool:
    """Provincial emulation staff, the office head, or an administrator."""
    return bool(getattr(user, "is_tdkt_staff", False))


@rules.predicate
def is_office_head(user) -> bool:
    return bool(user.is_active and (user.is_office_head or user.is_superuser))


@rules.predicate
def is_council_member(user) -> bool:
    return bool(user.is_active and user.is_council_member)


@rules.predicate
def acts_for_a_unit(user) -> bool:
    return bool(user.is_active and user.unit_id and user.unit_role)


rules.add_perm("core.view_staff_dashboard", is_tdkt_staff)
# Change history (who changed what, when and why) is for the provincial office only. Also a
# plain rule: rules.test_rule asks no other backend, so pages that check it for an officer do
# not load Django's model permissions from the database.
rules.add_perm("core.see_history", is_tdkt_staff)
rules.add_rule("core.see_history", is_tdkt_staff)
