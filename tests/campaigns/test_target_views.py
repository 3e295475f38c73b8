"""Target screens: the targets section of the campaign page, the target form, and the grid of
values assigned to units — who may use them, how they render, what they save."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus, Target, TargetAssignment
from tests import factories
from tests.campaigns.test_targets import assign, make_campaign, measurable, qualitative, stored

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# Pinned query counts for a signed-in staff user (1 of them loads the user).
SECTION_QUERIES = 3  # user, campaign, targets with their sums (the htmx tab of the campaign page)
GRID_QUERIES = 6  # user, campaign, targets with sums, unit count, page of units, their values
GRID_SAVE_QUERIES = 8  # user, campaign, savepoint, targets, units, stored values, upsert, release
GRID_SAVE_HTMX_QUERIES = 12  # the save, then the grid again: targets, unit count, units, values


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages are checked in English: the Vietnamese catalogue is filled in separately."""
    settings.LANGUAGE_CODE = "en"


def _vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",")}


def _section(campaign) -> str:
    return f"{campaign.get_absolute_url()}?section=targets"


def _url(name: str, campaign, *args) -> str:
    return reverse(f"campaigns:{name}", args=[campaign.pk, *args])


TARGET_POST = {
    "group": "economy",
    "name": "Tỷ lệ hộ nghèo đa chiều",
    "kind": "quantitative",
    "unit_of_measure": "%",
    "baseline": "2,1",
    "target_value": "1,5",
    "direction": "at_most",
    "weight": "2",
}


# --- The targets section ----------------------------------------------------------------------


def test_staff_see_the_targets_section_of_a_draft_with_editing_links(staff_client, unit_a):
    """The full page shows the targets by group, with add, edit, delete and assignment links."""
    campaign = make_campaign(unit_a)
    target = measurable(campaign, target_value=Decimal(95))
    qualitative(campaign, group="governance")
    assign(target, unit_a, "12.5")
    response = staff_client.get(_section(campaign))
    assert response.status_code == 200
    assert "<html" in response.text
    assert '<section id="campaign-section"' in response.text
    for text in ("Economy", "Party building and government", "Tỷ lệ hộ nghèo", "At least 95 %", "12.50 %"):
        assert text in response.text
    for name, args in (
        ("target_create", ()),
        ("target_edit", (target.pk,)),
        ("target_delete", (target.pk,)),
        ("target_grid", ()),
        ("target_import", ()),
        ("target_template", ()),
    ):
        assert f'href="{_url(name, campaign, *args)}"' in response.text


def test_the_targets_section_is_an_htmx_partial(staff_client, unit_a):
    """The tab's htmx request gets only the section, and the response varies on HX-Request."""
    campaign = make_campaign(unit_a)
    measurable(campaign)
    response = staff_client.get(_section(campaign), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="campaign-section"')
    assert "Tỷ lệ hộ nghèo" in response.text
    assert "HX-Request" in _vary(response)


def test_after_launch_staff_may_assign_values_but_not_edit_targets(staff_client, unit_a):
    """A launched campaign's targets are fixed; the grid and import stay available."""
    campaign = make_campaign(unit_a, status=CampaignStatus.LAUNCHED)
    target = measurable(campaign)
    response = staff_client.get(_section(campaign))
    assert _url("target_grid", campaign) in response.text
    assert _url("target_create", campaign) not in response.text
    assert _url("target_edit", campaign, target.pk) not in response.text


def test_an_officer_sees_the_targets_and_their_units_value_but_no_editing(officer_a_client, unit_a, unit_b):
    """Everyone who may see the campaign sees its targets; an officer also sees their unit's value."""
    campaign = make_campaign(unit_a, unit_b, status=CampaignStatus.LAUNCHED)
    target = measurable(campaign, unit_of_measure="km")
    assign(target, unit_a, 7)
    assign(target, unit_b, 30)
    response = officer_a_client.get(_section(campaign))
    assert response.status_code == 200
    assert "Your unit" in response.text
    assert "7 km" in response.text
    assert "37 km" in response.text  # the province-wide sum
    assert "/chi-tieu/" not in response.text


def test_a_draft_campaigns_targets_are_404_for_an_officer(officer_a_client, unit_a):
    """A draft is not disclosed, neither its page nor any target screen."""
    campaign = make_campaign(unit_a)
    target = measurable(campaign)
    assert officer_a_client.get(_section(campaign)).status_code == 404
    for url in (
        _url("target_create", campaign),
        _url("target_edit", campaign, target.pk),
        _url("target_delete", campaign, target.pk),
        _url("target_grid", campaign),
        _url("target_import", campaign),
    ):
        assert officer_a_client.get(url).status_code == 404, url
        assert officer_a_client.post(url).status_code == 404, url
    assert officer_a_client.get(_url("target_template", campaign)).status_code == 404


@pytest.mark.parametrize("scale", [1, 10])
def test_the_section_runs_the_same_queries_with_ten_times_the_data(
    staff_client, scale, django_assert_num_queries
):
    """3 targets × 10 units or 30 × 100, all assigned: the htmx tab runs the same queries."""
    units = factories.bulk_units(10 * scale, prefix=f"Xã Bắc{scale}")
    campaign = make_campaign(*units)
    goals = [measurable(campaign, name=f"Chỉ tiêu {i}") for i in range(3 * scale)]
    TargetAssignment.objects.bulk_create(
        TargetAssignment(target=t, unit=u, value=Decimal(2)) for t in goals for u in units
    )
    with django_assert_num_queries(SECTION_QUERIES):
        response = staff_client.get(_section(campaign), **HTMX)
    assert response.text.count('<tr id="target-') == 3 * scale


# --- Adding, editing and deleting targets ----------------------------------------------------


def test_staff_add_a_target_with_vietnamese_decimals(staff_client):
    """The form accepts "1,5" and returns to the targets section."""
    campaign = make_campaign()
    response = staff_client.post(_url("target_create", campaign), TARGET_POST)
    assert response.status_code == 302
    assert response["Location"] == _section(campaign)
    target = Target.objects.get()
    assert (target.baseline, target.target_value, target.direction, target.weight) == (
        Decimal("2.1"),
        Decimal("1.5"),
        "at_most",
        Decimal(2),
    )


def test_save_and_add_another_returns_to_an_empty_form(staff_client):
    """Entering a list of targets does not go back to the campaign after each one."""
    campaign = make_campaign()
    response = staff_client.post(_url("target_create", campaign), TARGET_POST | {"another": "1"})
    assert response["Location"] == _url("target_create", campaign)
    assert staff_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_value": "abc"}, "“abc” is not a number."),
        ({"target_value": ""}, "A measurable target needs a target value."),
        ({"weight": "-1"}, "The weight must be greater than zero."),
        ({"weight": "0"}, "The weight must be greater than zero."),
    ],
)
def test_a_wrong_target_is_shown_again_with_everything_typed(staff_client, changes, message):
    """The form comes back (200) with the error and every value as typed; nothing is saved."""
    campaign = make_campaign()
    response = staff_client.post(_url("target_create", campaign), TARGET_POST | changes)
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Tỷ lệ hộ nghèo đa chiều"' in response.text
    assert 'value="2,1"' in response.text
    for value in changes.values():
        if value:
            assert f'value="{value}"' in response.text
    assert not Target.objects.exists()


def test_staff_edit_a_target(staff_client):
    """The edit form shows the stored values and saves the change."""
    campaign = make_campaign()
    target = measurable(campaign, target_value=Decimal("12.5"))
    page = staff_client.get(_url("target_edit", campaign, target.pk))
    assert 'value="12.50"' in page.text
    response = staff_client.post(_url("target_edit", campaign, target.pk), TARGET_POST | {"name": "Đổi tên"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.target_value) == ("Đổi tên", Decimal("1.5"))


def test_staff_delete_a_target_after_confirming(staff_client, unit_a):
    """GET asks, saying how many assigned values go with it; POST deletes."""
    campaign = make_campaign(unit_a)
    target = measurable(campaign)
    assign(target, unit_a, 3)
    page = staff_client.get(_url("target_delete", campaign, target.pk))
    assert "The value assigned to 1 unit will be deleted too." in page.text
    response = staff_client.post(_url("target_delete", campaign, target.pk))
    assert response["Location"] == _section(campaign)
    assert not Target.objects.exists()


def test_a_target_of_another_campaign_is_404(staff_client):
    """The target id in the URL must belong to the campaign in the URL."""
    campaign, other = make_campaign(), make_campaign()
    target = measurable(other)
    assert staff_client.get(_url("target_edit", campaign, target.pk)).status_code == 404
    assert staff_client.post(_url("target_delete", campaign, target.pk)).status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


def test_targets_of_a_launched_campaign_cannot_be_changed_on_screen(staff_client):
    """After launch the forms send staff back to the section with the reason."""
    campaign = make_campaign(status=CampaignStatus.LAUNCHED)
    target = measurable(campaign)
    for url in (_url("target_create", campaign), _url("target_edit", campaign, target.pk)):
        response = staff_client.post(url, TARGET_POST, follow=True)
        assert "Targets can be changed only while the campaign is a draft." in response.text
    staff_client.post(_url("target_delete", campaign, target.pk))
    assert Target.objects.get().name == "Tỷ lệ hộ nghèo"


def test_an_officer_cannot_change_targets(officer_a_client, unit_a):
    """Adding, editing, deleting: 403 for a unit officer, and nothing changes."""
    campaign = make_campaign(unit_a, status=CampaignStatus.LAUNCHED)
    target = measurable(campaign)
    for url in (
        _url("target_create", campaign),
        _url("target_edit", campaign, target.pk),
        _url("target_delete", campaign, target.pk),
    ):
        assert officer_a_client.get(url).status_code == 403
        assert officer_a_client.post(url, TARGET_POST).status_code == 403
    assert Target.objects.get().name == "Tỷ lệ hộ nghèo"


# --- The assignment grid ----------------------------------------------------------------------


@pytest.fixture
def grid(unit_a, unit_b):
    """A launched campaign with two units, two measurable targets and a qualitative one."""
    campaign = make_campaign(unit_a, unit_b, status=CampaignStatus.LAUNCHED)
    poverty = measurable(campaign, name="Tỷ lệ hộ nghèo", group="society")
    budget = measurable(campaign, name="Thu ngân sách", unit_of_measure="tỷ đồng", group="economy")
    qualitative(campaign)
    assign(budget, unit_a, "120.5")
    return campaign, budget, poverty


def _cell(unit, target) -> str:
    return f"c-{unit.pk}-{target.pk}"


def test_the_grid_shows_an_input_per_unit_and_measurable_target(staff_client, grid, unit_a, unit_b):
    """Units by name, measurable targets by group (economy first), stored values in the inputs."""
    campaign, budget, poverty = grid
    response = staff_client.get(_url("target_grid", campaign))
    assert response.status_code == 200
    assert "<html" in response.text
    assert '<section id="target-grid"' in response.text
    text = response.text
    assert text.index("Xã Phụng Công") < text.index("Xã Văn Giang")
    assert text.index("Thu ngân sách") < text.index("Tỷ lệ hộ nghèo")
    assert f'name="{_cell(unit_a, budget)}" id="{_cell(unit_a, budget)}" value="120.5"' in text
    assert f'name="{_cell(unit_b, poverty)}" id="{_cell(unit_b, poverty)}" value=""' in text
    assert "Xây dựng nông thôn mới" not in text
    assert "HX-Request" in _vary(response)


def test_the_grid_is_an_htmx_partial(staff_client, grid):
    """An htmx request gets only the grid section."""
    campaign, _budget, _poverty = grid
    response = staff_client.get(_url("target_grid", campaign), **HTMX)
    assert response.text.lstrip().startswith('<section id="target-grid"')
    assert response.text.rstrip().endswith("</section>")


def test_the_grid_saves_every_cell_at_once(staff_client, grid, unit_a, unit_b):
    """One POST sets, changes and clears values, then shows the grid with a message."""
    campaign, budget, poverty = grid
    data = {
        "current": "1",
        _cell(unit_a, budget): "",
        _cell(unit_b, budget): "80",
        _cell(unit_a, poverty): "1.5",
        _cell(unit_b, poverty): "",
    }
    response = staff_client.post(_url("target_grid", campaign), data)
    assert response.status_code == 302
    assert response["Location"] == _url("target_grid", campaign)
    assert stored(budget) == {"XA-VG": Decimal(80)}
    assert stored(poverty) == {"XA-PC": Decimal("1.5")}
    assert "Saved: 3 values changed." in staff_client.get(response["Location"]).text


def test_the_grid_saved_through_htmx_is_shown_again_in_place(staff_client, grid, unit_b):
    """An htmx save answers with the refreshed grid and the confirmation inside it."""
    campaign, budget, _poverty = grid
    response = staff_client.post(
        _url("target_grid", campaign), {"current": "1", _cell(unit_b, budget): "80"}, **HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="target-grid"')
    assert "Saved: 1 values changed." in response.text
    assert f'id="{_cell(unit_b, budget)}" value="80"' in response.text
    assert response["HX-Push-Url"] == _url("target_grid", campaign)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_wrong_cell_saves_nothing_and_keeps_everything_typed(staff_client, grid, unit_a, unit_b, headers):
    """The grid comes back (200) with the error beside the wrong cell and every typed value."""
    campaign, budget, poverty = grid
    data = {
        "current": "1",
        _cell(unit_a, budget): "130",
        _cell(unit_b, budget): "abc",
        _cell(unit_a, poverty): "2,5",
        _cell(unit_b, poverty): "",
    }
    response = staff_client.post(_url("target_grid", campaign), data, **headers)
    assert response.status_code == 200
    text = response.text
    assert "One cell is wrong, so nothing was saved." in text
    assert f'href="#{_cell(unit_b, budget)}"' in text
    assert 'value="abc" inputmode="decimal"' in text
    assert f'aria-invalid="true" aria-describedby="{_cell(unit_b, budget)}-error"' in text
    assert f'id="{_cell(unit_b, budget)}-error">“abc” is not a number.' in text
    assert f'id="{_cell(unit_a, budget)}" value="130"' in text
    assert f'id="{_cell(unit_a, poverty)}" value="2,5"' in text
    assert stored(budget) == {"XA-PC": Decimal("120.5")}
    assert not poverty.assignments.exists()


def test_the_grid_reads_and_shows_vietnamese_decimals(staff_client, grid, unit_b, settings):
    """In Vietnamese, "1.234,5" is saved as 1234.5 and shown back as "1234,5"."""
    settings.LANGUAGE_CODE = "vi"
    campaign, budget, _poverty = grid
    staff_client.post(_url("target_grid", campaign), {"current": "1", _cell(unit_b, budget): "1.234,5"})
    assert stored(budget)["XA-VG"] == Decimal("1234.5")
    response = staff_client.get(_url("target_grid", campaign))
    assert f'id="{_cell(unit_b, budget)}" value="1234,5"' in response.text


def test_a_large_grid_is_split_into_pages_that_save_as_they_move(staff_client, settings):
    """Each page stays under Django's limit on posted fields; moving on saves the page first."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 16  # 10 reserved, so 3 units of 2 targets a page
    units = factories.bulk_units(7)
    campaign = make_campaign(*units, status=CampaignStatus.LAUNCHED)
    first, second = measurable(campaign, name="A"), measurable(campaign, name="B")
    page = staff_client.get(_url("target_grid", campaign))
    assert page.text.count('inputmode="decimal"') == 6
    assert 'name="page" value="3"' in page.text
    data = {"current": "1", "page": "2", _cell(units[0], first): "5", _cell(units[2], second): "6"}
    response = staff_client.post(_url("target_grid", campaign), data)
    assert response["Location"] == f"{_url('target_grid', campaign)}?page=2"
    assert stored(first) == {units[0].code: Decimal(5)}
    following = staff_client.get(response["Location"])
    assert f'name="{_cell(units[3], first)}"' in following.text
    assert f'name="{_cell(units[0], first)}"' not in following.text


def test_the_grid_of_a_closed_campaign_is_read_only(staff_client, unit_a):
    """The values are shown in disabled inputs and a save is refused with the reason."""
    campaign = make_campaign(unit_a, status=CampaignStatus.CLOSED)
    target = measurable(campaign)
    page = staff_client.get(_url("target_grid", campaign))
    assert "disabled" in page.text
    assert "Save all" not in page.text
    response = staff_client.post(_url("target_grid", campaign), {_cell(unit_a, target): "1"}, follow=True)
    assert "The assigned values of a closed campaign cannot be changed." in response.text
    assert not TargetAssignment.objects.exists()


def test_an_officer_cannot_open_or_save_the_grid(officer_a_client, grid, unit_a):
    """403 for a unit officer, even for their own unit's cell."""
    campaign, budget, _poverty = grid
    assert officer_a_client.get(_url("target_grid", campaign)).status_code == 403
    response = officer_a_client.post(_url("target_grid", campaign), {_cell(unit_a, budget): "999"})
    assert response.status_code == 403
    assert stored(budget) == {"XA-PC": Decimal("120.5")}


def _grid_campaign(scale: int):
    units = factories.bulk_units(10 * scale, prefix=f"Xã Lưới{scale}")
    campaign = make_campaign(*units, status=CampaignStatus.LAUNCHED)
    goals = [
        measurable(campaign, name=f"Chỉ tiêu {i}", group=("economy", "society")[i % 2])
        for i in range(2 * scale)
    ]
    TargetAssignment.objects.bulk_create(
        TargetAssignment(target=t, unit=u, value=Decimal(1)) for t in goals for u in units
    )
    return campaign, units, goals


@pytest.mark.parametrize("scale", [1, 10])
def test_the_grid_runs_the_same_queries_with_ten_times_the_data(
    staff_client, scale, django_assert_num_queries
):
    """2 targets × 10 units or 20 × 100 (several pages): the same queries to show and to save."""
    campaign, units, goals = _grid_campaign(scale)
    with django_assert_num_queries(GRID_QUERIES):
        assert staff_client.get(_url("target_grid", campaign)).status_code == 200
    data = {"current": "1"} | {_cell(u, t): "2" for u in units[:10] for t in goals}
    with django_assert_num_queries(GRID_SAVE_QUERIES):
        assert staff_client.post(_url("target_grid", campaign), data).status_code == 302
    data = data | {_cell(u, t): "3" for u in units[:10] for t in goals}
    with django_assert_num_queries(GRID_SAVE_HTMX_QUERIES):
        assert staff_client.post(_url("target_grid", campaign), data, **HTMX).status_code == 200
