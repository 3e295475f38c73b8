"""Progress screens: the progress view and export, the unit's entry form, the page section,
and how typed numbers are read."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import CampaignStatus, ParticipantMode, ProgressEntry, TargetAssignment
from campaigns.progress_views import AmbiguousNumberError, number_text, parse_number
from clusters.models import ClusterMembership
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 2, 19, 9, 0, tzinfo=dt.UTC)  # half of the 100-day campaign
HTMX = {"HTTP_HX_REQUEST": "true"}

# Pinned query counts (1 of them loads the user).
VIEW_QUERIES = 7  # user, campaign, targets, participants with cluster, assignments, commitments, latest
# A unit officer also: Django permissions (2), the units its cluster leads, participants, its unit.
VIEW_OFFICER_QUERIES = 12
ENTRY_QUERIES = 12  # user, permissions (2), campaign, unit, participants, targets, assigned,
# commitments, latest entries, recent entries, the user's unit for the header


@pytest.fixture(autouse=True)
def _frozen(time_machine, settings):
    settings.LANGUAGE_CODE = "en"
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def campaign(unit_a, unit_b):
    """A and B take part; A is in "Cụm Bắc" in 2025; target "at least 100" assigned 200 to A."""
    campaign = factories.CampaignFactory(
        title="Phong trào thi đua đặc biệt",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 4, 10),
        status=CampaignStatus.UNDER_WAY,
        participant_mode=ParticipantMode.UNITS,
    )
    campaign.participant_units.set([unit_a, unit_b])
    term = factories.ClusterTermFactory(year=2025, cluster=factories.ClusterFactory(name="Cụm Bắc"))
    factories.ClusterMembershipFactory(term=term, unit=unit_a)
    return campaign


@pytest.fixture
def target(campaign, unit_a):
    target = factories.TargetFactory(campaign=campaign, name="Nhà ở", target_value=100, unit_of_measure="căn")
    TargetAssignment.objects.create(target=target, unit=unit_a, value=200)
    return target


@pytest.fixture
def qualitative(campaign):
    return factories.TargetFactory(
        campaign=campaign, name="Ban hành kế hoạch", kind="qualitative", target_value=None
    )


@pytest.fixture
def entries(target, qualitative, unit_a, unit_b, staff_user):
    """A: 100 of 200 (on track) and done; B: 30 of 100 (behind)."""
    for unit, value in [(unit_a, 100), (unit_b, 30)]:
        ProgressEntry.objects.create(
            target=target, unit=unit, as_of=dt.date(2025, 2, 1), value=value, recorded_by=staff_user
        )
    ProgressEntry.objects.create(
        target=qualitative, unit=unit_a, as_of=dt.date(2025, 2, 1), done=True, recorded_by=staff_user
    )


def _view_url(campaign) -> str:
    return reverse("campaigns:progress_view", args=[campaign.pk])


def _entry_url(campaign, unit) -> str:
    return reverse("campaigns:progress_entry", args=[campaign.pk, unit.pk])


# --- Typed numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1500", "1500"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.500.000", "1500000"),
        ("1,500,000", "1500000"),
        ("1.500.000,75", "1500000.75"),
        ("1,500,000.75", "1500000.75"),
        ("0,125", "0.125"),
        (" 2 500 ", "2500"),
        ("-3,5", "-3.5"),
        (",5", "0.5"),
    ],
)
def test_numbers_typed_the_vietnamese_or_the_english_way(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.000", "25,000"])
def test_a_single_separator_before_three_digits_is_ambiguous(text):
    """ "1.000" is a thousand in Vietnamese and one in English: it is refused, not guessed."""
    with pytest.raises(AmbiguousNumberError):
        parse_number(text)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.2.3,4,5", "12a", "--1", "1.50.000", "."])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError: the field turns it into one message
        parse_number(text)


def test_number_text_uses_the_languages_decimal_mark():
    from django.utils import translation

    with translation.override("vi"):
        assert number_text(Decimal("12.50")) == "12,5"
        assert number_text(Decimal("1000.00")) == "1000"
    with translation.override("en"):
        assert number_text(Decimal("12.50")) == "12.5"
    assert number_text(None) == ""


# --- The progress view --------------------------------------------------------------------------


def test_progress_view_full_page(staff_client, campaign, target, qualitative, entries):
    """Tables per target, per cluster and per unit with status badges, and the SVG charts."""
    response = staff_client.get(_view_url(campaign))
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'id="progress-filter"' in response.text
    assert response.text.count("<svg") == 2 + 2  # cluster chart, unit chart, a bar per target
    assert "progress-badge--on_track" in response.text
    assert "progress-badge--behind" in response.text
    assert "style=" not in response.text
    report = response.context["report"]
    assert [u.name for u in report.units] == ["Xã Phụng Công", "Xã Văn Giang"]
    assert [g.label for g in report.by_cluster] == ["Cụm Bắc", "Not in a cluster"]
    assert "HX-Request" in response["Vary"]


def test_progress_view_partial_for_htmx(staff_client, campaign, target, entries):
    response = staff_client.get(_view_url(campaign), {"cluster": "0"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="progress-report"')
    assert response.text.rstrip().endswith("</section>")
    assert [row["progress"].name for row in response.context["units"]] == ["Xã Văn Giang"]
    assert 'href="?cluster=0&amp;export=xlsx"' in response.text  # the export follows the filter


def test_progress_view_filters_by_cluster(staff_client, campaign, target, entries):
    cluster = campaign_cluster(campaign)
    response = staff_client.get(_view_url(campaign), {"cluster": cluster.pk})
    assert [row["progress"].name for row in response.context["units"]] == ["Xã Phụng Công"]
    assert f'<option value="{cluster.pk}" selected>' in response.text
    ignored = staff_client.get(_view_url(campaign), {"cluster": "không phải số"})
    assert len(ignored.context["units"]) == 2


def campaign_cluster(campaign):
    return ClusterMembership.objects.get(year=2025).term.cluster


def test_unit_detail_shows_each_target_of_the_unit(
    staff_client, campaign, target, qualitative, entries, unit_a
):
    """Choosing a unit shows its targets: goal, actual, date, achievement, status."""
    response = staff_client.get(_view_url(campaign), {"unit": unit_a.pk}, **HTMX)
    selected = response.context["selected"]
    assert selected.name == "Xã Phụng Công"
    assert [(c.goal, c.percent) for c in selected.cells] == [(Decimal(200), 50.0), (None, 100.0)]
    assert 'id="unit-detail"' in response.text
    link = f'href="?unit={unit_a.pk}#unit-detail" hx-get="?unit={unit_a.pk}"'
    assert link in response.text
    assert f'href="{_entry_url(campaign, unit_a)}"' in response.text  # staff record for any unit


def test_a_unit_sees_aggregates_and_only_its_own_units_figures(
    officer_b_client, campaign, target, entries, unit_b
):
    """Unit B sees the province, the clusters, the targets, and only itself among units."""
    response = officer_b_client.get(_view_url(campaign))
    assert response.status_code == 200
    assert [row["progress"].name for row in response.context["units"]] == ["Xã Văn Giang"]
    assert response.context["selected"].name == "Xã Văn Giang"
    assert len(response.context["report"].by_cluster) == 2
    assert response.context["can_record"] is True
    other = officer_b_client.get(
        _view_url(campaign), {"unit": campaign.participant_units.get(code="XA-PC").pk}
    )
    assert other.context["selected"].name == "Xã Văn Giang"  # not unit A's
    assert f'href="{_entry_url(campaign, unit_b)}"' in other.text
    assert "/tien-do/don-vi/" not in other.text.replace(_entry_url(campaign, unit_b), "")


def test_progress_view_is_hidden_for_draft_campaigns(officer_a_client, campaign):
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    assert officer_a_client.get(_view_url(campaign)).status_code == 404


def test_progress_export_has_a_row_per_unit_and_target(staff_client, campaign, target, qualitative, entries):
    response = staff_client.get(_view_url(campaign), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0] == (
        "Cluster or bloc",
        "Unit",
        "Target",
        "Unit of measure",
        "Direction",
        "Target value",
        "Actual",
        "As of",
        "Achievement (%)",
        "Status",
    )
    assert rows[1][:7] == ("Cụm Bắc", "Xã Phụng Công", "Nhà ở", "căn", "At least", 200, 100)
    assert rows[1][8:] == (50, "On track")
    assert rows[2][6] == "Done"
    assert rows[3][1:3] == ("Xã Văn Giang", "Nhà ở")
    assert rows[4][6:] == (None, None, None, "Not reported")
    assert len(rows) == 5


def test_a_unit_exports_only_its_own_rows(officer_b_client, campaign, target, entries):
    response = officer_b_client.get(_view_url(campaign), {"export": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert {row[1] for row in rows[1:]} == {"Xã Văn Giang"}


def _grow(campaign, targets, *, count: int, start: int, per_pair: int, staff) -> None:
    units = factories.bulk_units(count, prefix=f"Xã Tiến Độ {start}", start=start)
    campaign.participant_units.add(*units)
    term = factories.ClusterTermFactory(year=2025)
    ClusterMembership.objects.bulk_create(ClusterMembership(term=term, unit=u, year=2025) for u in units)
    ProgressEntry.objects.bulk_create(
        ProgressEntry(target=t, unit=u, as_of=dt.date(2025, 1, 2 + i), value=i, recorded_by=staff)
        for u in units
        for t in targets
        for i in range(per_pair)
    )


def test_progress_view_query_count_is_flat_under_tenfold_data(
    staff_client, officer_a_client, staff_user, campaign, target, entries, django_assert_num_queries
):
    """The same queries for 5 units as for 50 units with ten times the entries, for staff and
    for a unit officer."""
    second = factories.TargetFactory(campaign=campaign)
    _grow(campaign, [target, second], count=3, start=0, per_pair=2, staff=staff_user)
    with django_assert_num_queries(VIEW_QUERIES):
        staff_client.get(_view_url(campaign))
    with django_assert_num_queries(VIEW_OFFICER_QUERIES):
        officer_a_client.get(_view_url(campaign))
    _grow(campaign, [target, second], count=45, start=100, per_pair=20, staff=staff_user)
    with django_assert_num_queries(VIEW_QUERIES):
        response = staff_client.get(_view_url(campaign))
    with django_assert_num_queries(VIEW_QUERIES):
        staff_client.get(_view_url(campaign), {"cluster": "0"}, **HTMX)
    with django_assert_num_queries(VIEW_OFFICER_QUERIES):
        officer_a_client.get(_view_url(campaign))
    assert len(response.context["units"]) == 50


# --- The unit's entry form ----------------------------------------------------------------------


def test_entry_form_shows_each_target_with_the_units_goal_and_latest_value(
    officer_a_client, campaign, target, qualitative, entries, unit_a
):
    response = officer_a_client.get(_entry_url(campaign, unit_a))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["target"].name, r["goal"], r["latest"].as_of) for r in rows] == [
        ("Nhà ở", Decimal(200), dt.date(2025, 2, 1)),
        ("Ban hành kế hoạch", None, dt.date(2025, 2, 1)),
    ]
    assert response.context["form"]["as_of"].value() == dt.date(2025, 2, 19)
    assert len(response.context["history"]) == 2


def test_officer_records_values_as_of_a_date(
    officer_a_client, officer_a, campaign, target, qualitative, unit_a
):
    """Filled targets are recorded as of the date; the page then shows the unit's progress."""
    data = {
        "as_of": "15/02/2025",
        f"value_{target.pk}": "120,5",
        f"done_{qualitative.pk}": "0",
        f"note_{target.pk}": "Đợt 1",
    }
    response = officer_a_client.post(_entry_url(campaign, unit_a), data)
    assert response.status_code == 302
    assert response["Location"] == f"{_view_url(campaign)}?unit={unit_a.pk}"
    recorded = {e.target_id: e for e in ProgressEntry.objects.filter(unit=unit_a)}
    assert recorded[target.pk].value == Decimal("120.5")
    assert recorded[target.pk].note == "Đợt 1"
    assert recorded[target.pk].as_of == dt.date(2025, 2, 15)
    assert recorded[target.pk].recorded_by == officer_a
    assert (recorded[qualitative.pk].done, recorded[qualitative.pk].value) == (False, None)


def test_empty_targets_are_not_recorded(officer_a_client, campaign, target, qualitative, unit_a):
    data = {"as_of": "15/02/2025", f"value_{target.pk}": "5"}
    officer_a_client.post(_entry_url(campaign, unit_a), data)
    assert list(ProgressEntry.objects.values_list("target_id", flat=True)) == [target.pk]


def test_officer_of_another_unit_cannot_open_or_post_progress(officer_b_client, campaign, target, unit_a):
    """The officer of unit B gets 403 on unit A's progress form, and nothing is recorded."""
    url = _entry_url(campaign, unit_a)
    assert officer_b_client.get(url).status_code == 403
    assert officer_b_client.post(url, {"as_of": "15/02/2025", f"value_{target.pk}": "5"}).status_code == 403
    assert not ProgressEntry.objects.exists()


def test_non_participants_council_and_plain_users_cannot_record(
    login_as, council_member, plain_user, campaign, target, unit_a
):
    outsider = factories.UnitFactory()
    client = login_as(factories.make_officer(outsider))
    assert client.get(_entry_url(campaign, outsider)).status_code == 403
    assert login_as(council_member).get(_entry_url(campaign, unit_a)).status_code == 403
    assert login_as(plain_user).post(_entry_url(campaign, unit_a), {}).status_code == 403
    assert not ProgressEntry.objects.exists()


def test_staff_record_for_any_participant_but_not_for_others(staff_client, campaign, target, unit_b):
    response = staff_client.post(
        _entry_url(campaign, unit_b), {"as_of": "15/02/2025", f"value_{target.pk}": "5"}
    )
    assert response.status_code == 302
    assert staff_client.get(_entry_url(campaign, factories.UnitFactory())).status_code == 404


def test_closed_campaign_refuses_units(officer_a_client, campaign, unit_a):
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    assert officer_a_client.get(_entry_url(campaign, unit_a)).status_code == 403


def test_bad_input_is_shown_again_with_clear_errors(officer_a_client, campaign, target, qualitative, unit_a):
    """A bad number, an ambiguous one, a date out of the period: errors, typing kept."""
    other = factories.TargetFactory(campaign=campaign, name="Đường", target_value=10)
    data = {
        "as_of": "15/02/2025",
        f"value_{target.pk}": "một trăm",
        f"value_{other.pk}": "1.000",
        f"note_{target.pk}": "Ghi chú giữ lại",
        f"done_{qualitative.pk}": "1",
    }
    response = officer_a_client.post(_entry_url(campaign, unit_a), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"value_{target.pk}"] == ["Enter a number, for example 1500 or 12,5."]
    assert errors[f"value_{other.pk}"][0].startswith("“1.000” could be read two ways")
    assert 'value="một trăm"' in response.text
    assert "Ghi chú giữ lại" in response.text
    assert '<option value="1" selected>' in response.text

    data.update({f"value_{target.pk}": "5", f"value_{other.pk}": "1000", "as_of": "20/02/2025"})
    response = officer_a_client.post(_entry_url(campaign, unit_a), data)
    assert response.status_code == 200
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("The date must be within the campaign period")
    )
    assert 'value="20/02/2025"' in response.text
    assert not ProgressEntry.objects.exists()  # nothing half-recorded


def test_an_empty_form_asks_for_a_value(officer_a_client, campaign, target, unit_a):
    response = officer_a_client.post(_entry_url(campaign, unit_a), {"as_of": "15/02/2025"})
    assert response.context["form"].non_field_errors() == ["Enter at least one value."]
    response = officer_a_client.post(
        _entry_url(campaign, unit_a), {"as_of": "30/02/2025", f"value_{target.pk}": "1"}
    )
    assert "as_of" in response.context["form"].errors


def test_progress_mine_redirects(officer_a_client, staff_client, campaign, unit_a):
    url = reverse("campaigns:progress_mine", args=[campaign.pk])
    assert officer_a_client.get(url)["Location"] == _entry_url(campaign, unit_a)
    assert staff_client.get(url)["Location"] == _view_url(campaign)


def test_entry_form_query_count_is_flat(
    officer_a_client, staff_user, campaign, target, unit_a, django_assert_num_queries
):
    with django_assert_num_queries(ENTRY_QUERIES):
        officer_a_client.get(_entry_url(campaign, unit_a))
    others = factories.TargetFactory.create_batch(9, campaign=campaign)
    ProgressEntry.objects.bulk_create(
        ProgressEntry(target=t, unit=unit_a, as_of=dt.date(2025, 1, 2 + i), value=i, recorded_by=staff_user)
        for t in [target, *others]
        for i in range(10)
    )
    with django_assert_num_queries(ENTRY_QUERIES):
        response = officer_a_client.get(_entry_url(campaign, unit_a))
    assert len(response.context["rows"]) == 10


# --- The campaign page's section --------------------------------------------------------------


def _section(campaign) -> str:
    return f"{campaign.get_absolute_url()}?section=progress"


def test_section_full_page_and_partial(officer_a_client, campaign, target, qualitative, entries):
    """The progress tab shows the province, the unit's own figure and charts, as a page or
    as the htmx partial."""
    response = officer_a_client.get(_section(campaign))
    assert response.status_code == 200
    assert "<html" in response.text
    assert response.context["own_progress"].name == "Xã Phụng Công"
    assert response.context["can_record_progress"] is True
    partial = officer_a_client.get(_section(campaign), **HTMX)
    assert partial.text.lstrip().startswith('<section id="campaign-section"')
    assert "<svg" in partial.text
    assert reverse("campaigns:progress_mine", args=[campaign.pk]) in partial.text
    assert "style=" not in partial.text


def test_section_escapes_unit_and_cluster_names(staff_client, campaign, target, unit_a, staff_user):
    """A cluster named with markup shows as text in the SVG and the tables."""
    cluster = campaign_cluster(campaign)
    cluster.name = "<script>alert(1)</script>"
    cluster.save()
    ProgressEntry.objects.create(
        target=target, unit=unit_a, as_of=dt.date(2025, 2, 1), value=5, recorded_by=staff_user
    )
    response = staff_client.get(_section(campaign), **HTMX)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
