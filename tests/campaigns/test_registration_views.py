"""Registration screens: the unit's form, staff's board, the campaign page's section."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import (
    CampaignStatus,
    ParticipantMode,
    Registration,
    RegistrationStatus,
    TargetAssignment,
)
from campaigns.progress import Commitment, registration_save
from clusters.models import ClusterMembership
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}

# Pinned query counts for a signed-in user (1 of them loads the user).
# The form: user, its Django permissions (2, for a perm the rules refuse), campaign, unit,
# participants, registration with commitments and titles (3), targets, titles catalogue,
# people, assigned values, the user's unit for the page header.
FORM_QUERIES = 14
BOARD_QUERIES = 7  # user, campaign, participants, counts, cluster choices, count, page
SECTION_QUERIES = 6  # user, campaign, participants, counts by status (staff; + the page's own)


@pytest.fixture(autouse=True)
def _frozen(time_machine, settings):
    """Pages are checked in English on 10 January 2025, inside the registration window."""
    settings.LANGUAGE_CODE = "en"
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign(unit_a, unit_b):
    campaign = factories.CampaignFactory(
        title="Phong trào xây dựng nông thôn mới",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        status=CampaignStatus.UNDER_WAY,
        participant_mode=ParticipantMode.UNITS,
        registration_opens=dt.date(2025, 1, 1),
        registration_closes=dt.date(2025, 1, 20),
    )
    campaign.participant_units.set([unit_a, unit_b])
    return campaign


@pytest.fixture
def target(campaign, unit_a):
    target = factories.TargetFactory(
        campaign=campaign, name="Nhà văn hóa thôn", target_value=100, unit_of_measure="nhà"
    )
    TargetAssignment.objects.create(target=target, unit=unit_a, value=Decimal("12.5"))
    return target


@pytest.fixture
def person_a(unit_a):
    return factories.PersonFactory(unit=unit_a, full_name="Nguyễn Thị Hoa")


def _form_url(campaign, unit) -> str:
    return reverse("campaigns:registration_edit", args=[campaign.pk, unit.pk])


def _board_url(campaign) -> str:
    return reverse("campaigns:registration_board", args=[campaign.pk])


def _post_data(target, **extra) -> dict[str, str]:
    return {
        "version": "0",
        "person_rows": "3",
        f"commit_{target.pk}": "on",
        f"target_{target.pk}": "15",
        "note": "Phấn đấu vượt",
        **extra,
    }


# --- The unit's form ----------------------------------------------------------------------------


def test_officer_opens_their_form_prefilled_with_the_assigned_value(
    officer_a_client, campaign, unit_a, target, person_a
):
    """The committed value starts at the assigned 12.5; people of the unit can be chosen."""
    response = officer_a_client.get(_form_url(campaign, unit_a))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial[f"target_{target.pk}"] == "12.5"
    assert form.initial["version"] == 0
    assert "Nguyễn Thị Hoa" in response.text
    assert "Lao động tiên tiến" in response.text  # an individual title
    assert "Tập thể lao động tiên tiến" in response.text  # a collective title
    assert "Bằng khen" not in response.text  # certificates are not registered
    assert "style=" not in response.text


def test_officer_registers_their_unit(officer_a_client, officer_a, campaign, unit_a, target, person_a):
    """Register saves the commitments and titles and returns to the campaign page."""
    ttldtt, ldtt = factories.category("TTLDTT"), factories.category("LDTT")
    data = _post_data(
        target,
        submit="1",
        collective_titles=[str(ttldtt.pk)],
        person_0=str(person_a.pk),
        person_title_0=str(ldtt.pk),
    )
    response = officer_a_client.post(_form_url(campaign, unit_a), data)
    assert response.status_code == 302
    assert response["Location"] == f"{campaign.get_absolute_url()}?section=registrations"
    registration = Registration.objects.get(campaign=campaign, unit=unit_a)
    assert (registration.status, registration.submitted_by, registration.version) == (
        "submitted",
        officer_a,
        1,
    )
    assert [c.value for c in registration.target_commitments.all()] == [Decimal(15)]
    assert {(t.category.code, t.person_id) for t in registration.titles.all()} == {
        ("TTLDTT", None),
        ("LDTT", person_a.pk),
    }


def test_save_draft_keeps_the_status_draft(officer_a_client, campaign, unit_a, target):
    response = officer_a_client.post(_form_url(campaign, unit_a), _post_data(target, save="1"))
    assert response.status_code == 302
    assert Registration.objects.get().status == RegistrationStatus.DRAFT


def test_staff_register_for_a_unit_and_return_to_the_board(staff_client, campaign, unit_a, target):
    response = staff_client.post(_form_url(campaign, unit_a), _post_data(target, submit="1"))
    assert response["Location"] == _board_url(campaign)


def test_officer_of_another_unit_cannot_open_or_post(officer_b_client, campaign, unit_a, target):
    """The officer of unit B gets 403 on unit A's registration, and nothing is saved."""
    url = _form_url(campaign, unit_a)
    assert officer_b_client.get(url).status_code == 403
    assert officer_b_client.post(url, _post_data(target, submit="1")).status_code == 403
    assert not Registration.objects.exists()


def test_non_participant_cannot_register(login_as, campaign, target):
    """A unit that does not take part gets 403 on its own registration."""
    outsider = factories.UnitFactory()
    client = login_as(factories.make_officer(outsider))
    assert client.get(_form_url(campaign, outsider)).status_code == 403
    assert client.post(_form_url(campaign, outsider), _post_data(target, submit="1")).status_code == 403
    assert not Registration.objects.exists()


def test_staff_get_404_for_a_non_participant(staff_client, campaign):
    assert staff_client.get(_form_url(campaign, factories.UnitFactory())).status_code == 404


def test_council_members_read_but_cannot_post(council_client, campaign, unit_a, target):
    """Council members see registrations read-only."""
    response = council_client.get(_form_url(campaign, unit_a))
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert 'name="submit"' not in response.text
    assert council_client.post(_form_url(campaign, unit_a), _post_data(target, submit="1")).status_code == 403


def test_users_without_a_role_are_refused(login_as, plain_user, campaign, unit_a):
    assert login_as(plain_user).get(_form_url(campaign, unit_a)).status_code == 403


def test_draft_campaign_is_hidden_from_units(officer_a_client, campaign, unit_a):
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    assert officer_a_client.get(_form_url(campaign, unit_a)).status_code == 404


def test_closed_campaign_refuses_units(officer_a_client, campaign, unit_a):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    assert officer_a_client.get(_form_url(campaign, unit_a)).status_code == 403


def test_outside_the_window_the_form_is_read_only_and_a_post_is_refused(
    login_as, officer_a, campaign, unit_a, target, time_machine
):
    """After the window closes the unit sees its registration but cannot change it; a form
    opened before and posted after keeps what was typed and says why it was not saved."""
    time_machine.move_to(dt.datetime(2025, 1, 21, 9, tzinfo=dt.UTC), tick=False)
    officer_a_client = login_as(officer_a)  # the earlier session has expired by then
    response = officer_a_client.get(_form_url(campaign, unit_a))
    assert response.status_code == 200
    assert response.context["editable"] is False
    assert "disabled" in response.text
    response = officer_a_client.post(
        _form_url(campaign, unit_a), _post_data(target, submit="1", note="Ghi chú dài")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Registration for this campaign is closed."]
    assert "Ghi chú dài" in response.text
    assert not Registration.objects.exists()


def test_bad_numbers_get_a_clear_error_and_nothing_typed_is_lost(
    officer_a_client, campaign, unit_a, target, person_a
):
    """A value that is not a number, or a negative one, is shown again with the error."""
    other = factories.TargetFactory(campaign=campaign, name="Đường giao thông", target_value=10)
    data = _post_data(
        target,
        submit="1",
        note="Không được mất",
        person_0=str(person_a.pk),
        person_title_0=str(factories.category("LDTT").pk),
        **{f"target_{target.pk}": "mười lăm", f"commit_{other.pk}": "on", f"target_{other.pk}": "-3"},
    )
    response = officer_a_client.post(_form_url(campaign, unit_a), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"target_{target.pk}"] == ["Enter a number, for example 1500 or 12,5."]
    assert errors[f"target_{other.pk}"] == ["Enter a number of 0 or more."]
    assert 'value="mười lăm"' in response.text
    assert 'value="-3"' in response.text
    assert "Không được mất" in response.text
    assert f'<option value="{person_a.pk}" selected>' in response.text
    assert not Registration.objects.exists()


def test_half_filled_person_row_is_an_error(officer_a_client, campaign, unit_a, target, person_a):
    response = officer_a_client.post(
        _form_url(campaign, unit_a), _post_data(target, submit="1", person_0=str(person_a.pk))
    )
    assert response.context["form"].errors["person_title_0"] == [
        "Choose both a person and a title, or leave both empty."
    ]


def test_rule_errors_show_on_the_form_with_the_typing_kept(
    officer_a_client, campaign, unit_a, target, person_a
):
    """The same title twice for one person is refused by the rules and shown above the form."""
    ldtt = str(factories.category("LDTT").pk)
    person = str(person_a.pk)
    data = _post_data(
        target, submit="1", person_0=person, person_title_0=ldtt, person_1=person, person_title_1=ldtt
    )
    response = officer_a_client.post(_form_url(campaign, unit_a), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "“Lao động tiên tiến” is registered twice for Nguyễn Thị Hoa."
    ]
    assert 'role="alert"' in response.text
    assert 'value="15"' in response.text
    assert not Registration.objects.exists()


def test_add_more_rows_keeps_what_was_typed_and_saves_nothing(
    officer_a_client, campaign, unit_a, target, person_a
):
    data = _post_data(target, more_rows="1", person_0=str(person_a.pk), **{f"target_{target.pk}": "abc"})
    response = officer_a_client.post(_form_url(campaign, unit_a), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.rows == 6
    assert not form.is_bound  # no errors shown yet for a half-typed form
    assert 'value="abc"' in response.text
    assert f'<option value="{person_a.pk}" selected>' in response.text
    assert not Registration.objects.exists()


def test_a_stale_save_is_refused_with_a_clear_message_and_keeps_the_typing(
    officer_a_client, officer_a, campaign, unit_a, target
):
    """Two people open the form at version 0; the other saves first. The second save is
    refused, shows what is saved now and keeps what was typed; saving again replaces it."""
    registration_save(
        campaign=campaign,
        unit=unit_a,
        by=factories.make_unit_head(unit_a),
        version=0,
        commitments=[Commitment(target_id=target.pk, value=Decimal(20))],
    )
    response = officer_a_client.post(
        _form_url(campaign, unit_a), _post_data(target, submit="1", **{f"target_{target.pk}": "33"})
    )
    assert response.status_code == 200
    assert "Someone else saved this registration" in response.context["form"].non_field_errors()[0]
    assert 'value="33"' in response.text
    assert "What is saved now" in response.text
    assert response.context["form"]["version"].value() == "1"
    assert Registration.objects.get().target_commitments.get().value == 20

    again = officer_a_client.post(
        _form_url(campaign, unit_a),
        _post_data(target, submit="1", version="1", **{f"target_{target.pk}": "33"}),
    )
    assert again.status_code == 302
    assert Registration.objects.get().target_commitments.get().value == 33


def test_registration_mine_redirects_units_and_staff(
    officer_a_client, staff_client, login_as, plain_user, campaign, unit_a
):
    url = reverse("campaigns:registration_mine", args=[campaign.pk])
    assert officer_a_client.get(url)["Location"] == _form_url(campaign, unit_a)
    assert staff_client.get(url)["Location"] == _board_url(campaign)
    assert login_as(plain_user).get(url).status_code == 403


def test_form_query_count_is_flat(
    officer_a_client, campaign, unit_a, target, person_a, django_assert_num_queries
):
    """The form runs the same queries with 1 target and 1 person as with 10 of each."""
    registration_save(
        campaign=campaign,
        unit=unit_a,
        by=factories.make_staff(),
        version=0,
        commitments=[Commitment(target_id=target.pk)],
    )
    url = _form_url(campaign, unit_a)
    with django_assert_num_queries(FORM_QUERIES):
        officer_a_client.get(url)
    factories.TargetFactory.create_batch(9, campaign=campaign)
    factories.PersonFactory.create_batch(9, unit=unit_a)
    with django_assert_num_queries(FORM_QUERIES):
        response = officer_a_client.get(url)
    assert len(response.context["target_rows"]) == 10


# --- Staff's board ----------------------------------------------------------------------------


@pytest.fixture
def board(campaign, unit_a, unit_b, target):
    """A registered (in a cluster), B drafted, C not registered."""
    term = factories.ClusterTermFactory(year=2025, cluster=factories.ClusterFactory(name="Cụm Bắc"))
    factories.ClusterMembershipFactory(term=term, unit=unit_a)
    Registration.objects.create(campaign=campaign, unit=unit_a, status="submitted", submitted_at=NOW)
    Registration.objects.create(campaign=campaign, unit=unit_b, status="draft")
    c = factories.UnitFactory(name="Xã Chưa Đăng Ký")
    campaign.participant_units.add(c)
    return {"cluster": term.cluster, "c": c}


def _names(response) -> list[str]:
    return [unit.name for unit in response.context["page_obj"]]


def test_board_full_page_and_partial(staff_client, campaign, board):
    """The board is a page with filters; an htmx request gets only the table section."""
    response = staff_client.get(_board_url(campaign))
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="registration-filter"' in response.text
    assert _names(response) == ["Xã Chưa Đăng Ký", "Xã Phụng Công", "Xã Văn Giang"]
    assert response.context["counts"] == {"submitted": 1, "draft": 1, "none": 1, "total": 3}
    partial = staff_client.get(_board_url(campaign), {"status": "none"}, **HTMX)
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="registration-table"')
    assert "HX-Request" in partial["Vary"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "none"}, ["Xã Chưa Đăng Ký"]),
        ({"status": "draft"}, ["Xã Văn Giang"]),
        ({"status": "submitted"}, ["Xã Phụng Công"]),
        ({"cluster": "0"}, ["Xã Chưa Đăng Ký", "Xã Văn Giang"]),
        ({"q": "phung"}, ["Xã Phụng Công"]),
    ],
)
def test_board_filters(staff_client, campaign, board, params, expected):
    """Staff find who has not registered, drafts, registrations, by cluster and by name."""
    assert _names(staff_client.get(_board_url(campaign), params)) == expected


def test_board_filters_by_cluster(staff_client, campaign, board):
    assert _names(staff_client.get(_board_url(campaign), {"cluster": board["cluster"].pk})) == [
        "Xã Phụng Công"
    ]


def test_board_exports_xlsx(staff_client, campaign, board):
    response = staff_client.get(_board_url(campaign), {"export": "xlsx", "status": "submitted"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0][:4] == ("Unit", "Code", "Cluster or bloc", "Registration")
    assert rows[1][:4] == ("Xã Phụng Công", "XA-PC", "Cụm Bắc", "Registered")


def test_council_members_see_the_board_units_do_not(council_client, officer_a_client, campaign, board):
    assert council_client.get(_board_url(campaign)).status_code == 200
    assert officer_a_client.get(_board_url(campaign)).status_code == 403


def test_board_query_count_is_flat_under_tenfold_data(staff_client, campaign, django_assert_num_queries):
    """Ten times the participants and registrations run the same queries."""

    def grow(count: int, start: int) -> None:
        units = factories.bulk_units(count, prefix=f"Xã Đăng Ký {start}", start=start)
        campaign.participant_units.add(*units)
        term = factories.ClusterTermFactory(year=2025)
        ClusterMembership.objects.bulk_create(ClusterMembership(term=term, unit=u, year=2025) for u in units)
        Registration.objects.bulk_create(
            Registration(campaign=campaign, unit=u, status="submitted") for u in units[::2]
        )

    grow(4, 0)
    with django_assert_num_queries(BOARD_QUERIES):
        staff_client.get(_board_url(campaign))
    grow(40, 100)
    with django_assert_num_queries(BOARD_QUERIES):
        response = staff_client.get(_board_url(campaign), {"status": "submitted"})
    assert response.context["page_obj"].paginator.count == 22


# --- The campaign page's section --------------------------------------------------------------


def _section(campaign) -> str:
    return f"{campaign.get_absolute_url()}?section=registrations"


def test_section_for_staff_full_page_and_partial(staff_client, campaign, board):
    response = staff_client.get(_section(campaign))
    assert response.status_code == 200
    assert "<html" in response.text
    assert response.context["registration_counts"]["none"] == 1
    assert _board_url(campaign) + "?status=none" in response.text
    partial = staff_client.get(_section(campaign), **HTMX)
    assert partial.text.lstrip().startswith('<section id="campaign-section"')
    assert "<html" not in partial.text


def test_section_for_a_unit_shows_its_own_registration_only(officer_a_client, campaign, board):
    response = officer_a_client.get(_section(campaign), **HTMX)
    assert response.status_code == 200
    assert response.context["own_registration"].unit.name == "Xã Phụng Công"
    assert "registration_counts" not in response.context
    assert reverse("campaigns:registration_mine", args=[campaign.pk]) in response.text
    assert f'href="{_board_url(campaign)}"' not in response.text
