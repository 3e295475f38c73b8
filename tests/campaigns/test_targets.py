"""Targets (chỉ tiêu): numbers as staff type them, target services, assigned values and the
targets section of the campaign page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campaigns import targets
from campaigns.models import Campaign, CampaignStatus, ParticipantMode, Target, TargetAssignment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English: the Vietnamese catalogue is filled in separately."""
    with translation.override("en"):
        yield


def make_campaign(*units, status: str = CampaignStatus.DRAFT) -> Campaign:
    campaign = factories.CampaignFactory(status=status, participant_mode=ParticipantMode.UNITS)
    campaign.participant_units.set(units)
    return campaign


def measurable(campaign: Campaign, name: str = "Tỷ lệ hộ nghèo", **fields) -> Target:
    return factories.TargetFactory(campaign=campaign, name=name, **fields)


def qualitative(campaign: Campaign, name: str = "Xây dựng nông thôn mới", **fields) -> Target:
    return factories.TargetFactory(
        campaign=campaign, name=name, kind="qualitative", unit_of_measure="", target_value=None, **fields
    )


def assign(target: Target, unit, value) -> TargetAssignment:
    return TargetAssignment.objects.create(target=target, unit=unit, value=Decimal(value))


def stored(target: Target) -> dict[str, Decimal]:
    return {a.unit.code: a.value for a in target.assignments.select_related("unit")}


# --- Numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("vi", "12,5", "12.50"),
        ("vi", "1.234,56", "1234.56"),
        ("vi", "1.000", "1000"),
        ("vi", "1.000.000", "1000000"),
        ("vi", "12.5", "12.50"),
        ("vi", "0.500", "0.50"),
        ("vi", " 1 234 ", "1234"),
        ("vi", "95%", "95"),
        ("vi", "-3,25", "-3.25"),
        ("en", "12.5", "12.50"),
        ("en", "1,234.5", "1234.50"),
        ("en", "1,000", "1000"),
        ("en", "12,5", "12.50"),
        ("en", "+7", "7"),
    ],
)
def test_numbers_are_read_the_way_staff_type_them(language, typed, expected):
    """Both "12,5" and "12.5" are twelve and a half; "1.000" is a thousand in Vietnamese."""
    with translation.override(language):
        assert targets.parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_an_empty_value_is_none(raw):
    """An empty cell means "no value", not zero."""
    assert targets.parse_number(raw) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "“abc” is not a number."),
        ("1.2.3", "“1.2.3” is not a number."),
        ("12,3,4", "“12,3,4” is not a number."),
        ("1.0,0.0", "“1.0,0.0” is not a number."),
        ("--5", "“--5” is not a number."),
        (True, "“True” is not a number."),
        (float("nan"), "“nan” is not a number."),
        ("12.345", "“12.345” has more than two decimal places."),
        (1e20, "“1e+20” is too large."),
    ],
)
def test_a_value_that_is_not_a_number_is_refused_with_a_message(raw, message):
    """The message quotes what was typed and says what is wrong with it."""
    with pytest.raises(ValidationError) as caught:
        targets.parse_number(raw)
    assert caught.value.messages == [message]


def test_spreadsheet_float_noise_is_rounded_but_real_decimals_are_not():
    """0.1 + 0.2 from a spreadsheet formula is 0.30; a typed third decimal place is refused."""
    assert targets.parse_number(0.1 + 0.2) == Decimal("0.30")
    assert targets.parse_number(7) == Decimal("7.00")
    with pytest.raises(ValidationError):
        targets.parse_number(0.125)


def test_numbers_are_shown_so_that_they_read_back_unchanged():
    """The grid shows "1234,5" in Vietnamese and "1234.5" in English, and reads both back."""
    for language, shown in (("vi", "1234,5"), ("en", "1234.5")):
        with translation.override(language):
            assert targets.format_number(Decimal("1234.50")) == shown
            assert targets.parse_number(shown) == Decimal("1234.5")
    assert targets.format_number(None) == ""


# --- Target services --------------------------------------------------------------------------


def test_a_target_is_added_at_the_end_of_its_group(staff_user):
    """New targets are numbered within their group, in the order they are added."""
    campaign = make_campaign()
    first = targets.target_create(
        campaign=campaign, by=staff_user, group="economy", name=" Thu ngân sách ", target_value=Decimal(50)
    )
    other = targets.target_create(
        campaign=campaign, by=staff_user, group="defence", name="Tuyển quân", target_value=Decimal(1)
    )
    second = targets.target_create(
        campaign=campaign, by=staff_user, group="economy", name="GRDP", target_value=Decimal("7.5")
    )
    assert (first.name, first.order, other.order, second.order) == ("Thu ngân sách", 1, 1, 2)


def test_a_target_change_is_recorded_with_who_and_why(staff_user):
    """The audit history keeps the user and the reason of each target change."""
    target = targets.target_create(
        campaign=make_campaign(), by=staff_user, name="Thu ngân sách", target_value=Decimal(50)
    )
    event = target.events.order_by("pgh_id").last()
    assert event.pgh_context.metadata == {"user": staff_user.pk, "reason": "target created"}


def test_a_done_or_not_done_target_keeps_no_numbers(staff_user):
    """A qualitative target needs no target value; numbers given for it are dropped."""
    target = targets.target_create(
        campaign=make_campaign(),
        by=staff_user,
        name="Không có điểm nóng về an ninh trật tự",
        kind="qualitative",
        unit_of_measure="%",
        baseline=Decimal(3),
        target_value=Decimal(5),
    )
    assert (target.unit_of_measure, target.baseline, target.target_value) == ("", None, None)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"target_value": None}, "target_value", "A measurable target needs a target value."),
        ({"weight": Decimal(0)}, "weight", "The weight must be greater than zero."),
        ({"weight": Decimal(-1)}, "weight", "The weight must be greater than zero."),
        ({"name": "  "}, "name", "Enter the name of the target."),
    ],
)
def test_a_target_with_missing_or_wrong_values_is_refused(staff_user, fields, field, message):
    """No target value, a weight of zero or less, or no name: refused with the field's message."""
    campaign = make_campaign()
    values = {"name": "Thu ngân sách", "target_value": Decimal(50)} | fields
    with pytest.raises(ValidationError) as caught:
        targets.target_create(campaign=campaign, by=staff_user, **values)
    assert caught.value.message_dict[field] == [message]
    assert not campaign.targets.exists()


@pytest.mark.parametrize("status", [CampaignStatus.LAUNCHED, CampaignStatus.CLOSED])
def test_targets_are_fixed_once_the_campaign_is_launched(staff_user, status):
    """Participants were told the targets at launch: adding, editing or deleting is refused."""
    campaign = make_campaign(status=status)
    target = measurable(campaign)
    message = "Targets can be changed only while the campaign is a draft."
    with pytest.raises(ValidationError, match=message):
        targets.target_create(campaign=campaign, by=staff_user, name="Mới", target_value=Decimal(1))
    with pytest.raises(ValidationError, match=message):
        targets.target_update(target=target, by=staff_user, name="Đổi tên")
    with pytest.raises(ValidationError, match=message):
        targets.target_delete(target=target, by=staff_user)
    target.refresh_from_db()
    assert target.name == "Tỷ lệ hộ nghèo"


def test_moving_a_target_to_another_group_puts_it_at_the_end(staff_user):
    """A target moved to another group follows the targets already there."""
    campaign = make_campaign()
    measurable(campaign, name="Có sẵn", group="society", order=4)
    target = measurable(campaign, group="economy", order=1)
    targets.target_update(target=target, by=staff_user, group="society")
    target.refresh_from_db()
    assert (target.group, target.order) == ("society", 5)


def test_a_target_that_becomes_done_or_not_done_loses_its_assigned_values(staff_user, unit_a):
    """Assigned numbers mean nothing for a qualitative target, so they are removed with it."""
    campaign = make_campaign(unit_a)
    target = measurable(campaign)
    assign(target, unit_a, 5)
    targets.target_update(target=target, by=staff_user, kind="qualitative")
    assert not TargetAssignment.objects.exists()
    assert Target.objects.get(pk=target.pk).target_value is None


def test_deleting_a_target_deletes_its_assigned_values(staff_user, unit_a):
    """A deleted target takes its assigned values with it."""
    campaign = make_campaign(unit_a)
    target = measurable(campaign)
    assign(target, unit_a, 5)
    targets.target_delete(target=target, by=staff_user)
    assert not Target.objects.exists()
    assert not TargetAssignment.objects.exists()


def test_unknown_target_fields_are_a_programming_error(staff_user):
    """A misspelt field name fails loudly instead of being ignored."""
    with pytest.raises(TypeError, match="campaign_id"):
        targets.target_create(campaign=make_campaign(), by=staff_user, name="X", campaign_id=1)


# --- Assigned values --------------------------------------------------------------------------


def test_assigned_values_are_created_changed_and_removed_in_one_save(staff_user, unit_a, unit_b):
    """New values are added, changed ones updated, emptied ones removed, the rest untouched."""
    campaign = make_campaign(unit_a, unit_b, status=CampaignStatus.LAUNCHED)
    poverty, roads = measurable(campaign), measurable(campaign, name="Đường giao thông", unit_of_measure="km")
    assign(poverty, unit_a, 2)
    assign(poverty, unit_b, 3)
    assign(roads, unit_a, 10)
    changes = targets.assignments_save(
        campaign=campaign,
        by=staff_user,
        cells={
            (unit_a.pk, poverty.pk): "2",  # unchanged
            (unit_b.pk, poverty.pk): "3,5",  # changed
            (unit_a.pk, roads.pk): "",  # removed
            (unit_b.pk, roads.pk): 12,  # new
        },
    )
    assert (changes.created, changes.updated, changes.deleted) == (1, 1, 1)
    assert stored(poverty) == {"XA-PC": Decimal(2), "XA-VG": Decimal("3.5")}
    assert stored(roads) == {"XA-VG": Decimal(12)}


def test_saving_assigned_values_is_audited(staff_user, unit_a):
    """Each changed value is in the history with the user and the reason."""
    campaign = make_campaign(unit_a)
    target = measurable(campaign)
    targets.assignments_save(campaign=campaign, by=staff_user, cells={(unit_a.pk, target.pk): "4"})
    event = TargetAssignment.objects.get().events.order_by("pgh_id").last()
    assert event.pgh_context.metadata == {"user": staff_user.pk, "reason": "assigned values saved"}


def test_one_wrong_cell_saves_nothing_and_every_wrong_cell_is_reported(staff_user, unit_a, unit_b):
    """All cells are checked first: with one wrong cell, no cell is written."""
    campaign = make_campaign(unit_a, unit_b)
    target = measurable(campaign)
    other = measurable(campaign, name="Thu ngân sách")
    assign(target, unit_a, 2)
    with pytest.raises(targets.AssignmentErrors) as caught:
        targets.assignments_save(
            campaign=campaign,
            by=staff_user,
            cells={
                (unit_a.pk, target.pk): "9",
                (unit_b.pk, target.pk): "abc",
                (unit_b.pk, other.pk): "1.234",
            },
        )
    assert caught.value.cells == {
        (unit_b.pk, target.pk): "“abc” is not a number.",
        (unit_b.pk, other.pk): "“1.234” has more than two decimal places.",
    }
    assert stored(target) == {"XA-PC": Decimal(2)}
    assert not other.assignments.exists()


def test_values_for_units_or_targets_outside_the_campaign_are_refused(staff_user, unit_a, unit_b):
    """A unit that does not take part, a qualitative target or another campaign's target: refused."""
    campaign = make_campaign(unit_a)
    target, done = measurable(campaign), qualitative(campaign)
    foreign = measurable(make_campaign(unit_a))
    cells = {(unit_b.pk, target.pk): "1", (unit_a.pk, done.pk): "1", (unit_a.pk, foreign.pk): "1"}
    with pytest.raises(targets.AssignmentErrors) as caught:
        targets.assignments_save(campaign=campaign, by=staff_user, cells=cells)
    assert set(caught.value.cells) == set(cells)
    assert not TargetAssignment.objects.exists()


@pytest.mark.parametrize(
    "status",
    [CampaignStatus.DRAFT, CampaignStatus.LAUNCHED, CampaignStatus.UNDER_WAY, CampaignStatus.FINAL_REVIEW],
)
def test_assigned_values_can_change_until_the_campaign_is_closed(staff_user, unit_a, status):
    """Staff may adjust the allocation after launch, but not once the campaign is closed."""
    campaign = make_campaign(unit_a, status=status)
    target = measurable(campaign)
    targets.assignments_save(campaign=campaign, by=staff_user, cells={(unit_a.pk, target.pk): "1"})
    assert stored(target) == {"XA-PC": Decimal(1)}


def test_the_assigned_values_of_a_closed_campaign_cannot_change(staff_user, unit_a):
    """A closed campaign's allocation is history."""
    campaign = make_campaign(unit_a, status=CampaignStatus.CLOSED)
    target = measurable(campaign)
    with pytest.raises(ValidationError, match="closed campaign"):
        targets.assignments_save(campaign=campaign, by=staff_user, cells={(unit_a.pk, target.pk): "1"})


def test_saving_runs_the_same_queries_whatever_the_number_of_cells(staff_user, django_assert_num_queries):
    """Validation and writing are set-based: 10× the cells, the same number of queries."""
    units = factories.bulk_units(30)
    campaign = make_campaign(*units)
    goals = [measurable(campaign, name=f"Chỉ tiêu {i}") for i in range(10)]

    def cells(count_units: int, count_targets: int, value: str) -> dict:
        return {(u.pk, t.pk): value for u in units[:count_units] for t in goals[:count_targets]}

    # Savepoint, targets, units, existing values, upsert, release (the first save has no deletes).
    with django_assert_num_queries(SAVE_QUERIES - 1):
        targets.assignments_save(campaign=campaign, by=staff_user, cells=cells(3, 1, "1"))
    with django_assert_num_queries(SAVE_QUERIES - 1):
        targets.assignments_save(campaign=campaign, by=staff_user, cells=cells(30, 10, "1"))
    with django_assert_num_queries(SAVE_QUERIES):
        targets.assignments_save(campaign=campaign, by=staff_user, cells=cells(30, 10, "") | cells(3, 1, "2"))


SAVE_QUERIES = 7  # savepoint, targets, units, existing values, delete, upsert, release


# --- The targets section of the campaign page -------------------------------------------------


def test_the_section_groups_targets_in_the_order_of_the_groups(staff_user):
    """Economy comes first and "other" last, whatever the alphabetical order of the codes."""
    campaign = make_campaign()
    measurable(campaign, name="Khác", group="other")
    measurable(campaign, name="Tuyển quân", group="defence")
    measurable(campaign, name="GRDP", group="economy", order=2)
    measurable(campaign, name="Thu ngân sách", group="economy", order=1)
    context = targets.section_context(campaign, "targets", user=staff_user)
    assert [(g.group, [t.name for t in g.targets]) for g in context["target_groups"]] == [
        ("economy", ["Thu ngân sách", "GRDP"]),
        ("defence", ["Tuyển quân"]),
        ("other", ["Khác"]),
    ]
    assert context["target_count"] == 4
    assert context["can_edit_targets"]
    assert context["can_assign_targets"]


def test_the_section_sums_the_values_assigned_to_participating_units(staff_user, unit_a, unit_b):
    """The sum and count cover participating units only, beside the province-wide value."""
    campaign = make_campaign(unit_a, unit_b)
    target = measurable(campaign, target_value=Decimal(100))
    assign(target, unit_a, "40.5")
    assign(target, unit_b, "30")
    assign(target, factories.UnitFactory(), "999")  # no longer takes part
    qualitative(campaign)
    context = targets.section_context(campaign, "targets", user=staff_user)
    shown = {
        t.name: (t.target_value, t.assigned_total, t.assigned_count)
        for t in context["target_groups"][0].targets
    }
    assert shown["Tỷ lệ hộ nghèo"] == (Decimal(100), Decimal("70.5"), 2)
    assert shown["Xây dựng nông thôn mới"] == (None, None, 0)
    assert context["has_measurable_targets"]
    assert not context["show_own_unit"]


def test_an_officer_sees_the_value_assigned_to_their_unit(officer_a, unit_a, unit_b):
    """A unit officer sees their own unit's value and no editing rights."""
    campaign = make_campaign(unit_a, unit_b, status=CampaignStatus.LAUNCHED)
    target = measurable(campaign)
    assign(target, unit_a, 7)
    assign(target, unit_b, 9)
    context = targets.section_context(campaign, "targets", user=officer_a)
    assert context["show_own_unit"]
    assert context["target_groups"][0].targets[0].own_value == Decimal(7)
    assert not context["can_edit_targets"]
    assert not context["can_assign_targets"]
    assert not context["can_manage_targets"]


@pytest.mark.parametrize("mode", [ParticipantMode.UNITS, ParticipantMode.ALL_UNITS, ParticipantMode.CLUSTERS])
def test_the_section_runs_one_query_whatever_the_data(staff_user, mode, django_assert_num_queries):
    """Targets, sums and counts come from one query, for 4 or 40 targets and 10 or 100 units."""
    for scale in (1, 10):
        units = factories.bulk_units(10 * scale, prefix=f"Xã {mode}{scale}")
        campaign = factories.CampaignFactory(status=CampaignStatus.DRAFT, participant_mode=mode)
        campaign.participant_units.set(units)
        goals = [
            measurable(campaign, name=f"Chỉ tiêu {i}", group=("economy", "society")[i % 2])
            for i in range(4 * scale)
        ]
        TargetAssignment.objects.bulk_create(
            TargetAssignment(target=t, unit=u, value=Decimal(1)) for t in goals for u in units
        )
        with django_assert_num_queries(SECTION_QUERIES):
            context = targets.section_context(campaign, "targets", user=staff_user)
        assert context["target_count"] == 4 * scale


SECTION_QUERIES = 1
