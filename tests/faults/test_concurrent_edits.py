"""Two people edit the same report, registration or score at once.

Each opens the form, then both save. The first save wins; the second is refused with a message
that says what changed (and, for scores, who saved what and when), the stored data stays the
first person's, and what the second person typed comes back in the form so that saving again
knowingly replaces it. Nothing is silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from campaigns.models import CampaignStatus, ParticipantMode, Registration, TargetAssignment
from clusters.models import ScoreEntry, ScoreStage, ScoringStage, TermScoring
from clusters.scoring import scores
from clusters.scoring.scores import ScoreInput
from reports import services
from reports.models import Report
from tests import factories
from tests.reports.factories import local

pytestmark = [pytest.mark.integration, pytest.mark.faults, pytest.mark.django_db]

D = dt.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def hidden(page: str, name: str) -> str:
    """The value of a hidden input as the page rendered it (what the browser would post back)."""
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)
    assert match, f"no hidden input {name!r} in the page"
    return match[1]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Report -----------------------------------------------------------------------------------------


def test_second_save_of_a_report_is_refused_and_shows_what_is_saved(unit_a, staff_user, time_machine):
    """Two officers of one unit open the draft report; the first saves, the second's save is
    refused with what is saved now beside the kept typing; saving again replaces it."""
    time_machine.move_to(local(D(2026, 6, 15), 9), tick=False)
    campaign = factories.CampaignFactory(
        start_date=D(2026, 1, 1), end_date=D(2026, 12, 31), participant_mode=ParticipantMode.UNITS
    )
    campaign.participant_units.set([unit_a])
    deadline = services.deadline_create(
        by=staff_user,
        campaign=campaign,
        data=services.DeadlineData(
            title="Báo cáo tháng 6", kind="monthly", due_on=D(2026, 6, 19), sections=["Kết quả"]
        ),
    )
    first = client_for(factories.make_officer(unit_a, username="canbo_1"))
    second = client_for(factories.make_officer(unit_a, username="canbo_2"))
    url = reverse("reports:report_detail", args=[deadline.pk, unit_a.pk])
    seen_1 = first.get(url).context["form"]["version"].value()
    seen_2 = second.get(url).context["form"]["version"].value()

    assert (
        first.post(url, {"version": seen_1, "section_0": "Bản của người thứ nhất", "save": "1"}).status_code
        == 302
    )
    refused = second.post(url, {"version": seen_2, "section_0": "Bản của người thứ hai", "save": "1"})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone saved this report after you opened it" in page
    assert "What is saved now" in page
    assert "Bản của người thứ nhất" in page  # what is saved now
    assert "Bản của người thứ hai" in page  # what was typed, kept
    assert Report.objects.get().narrative == {"0": "Bản của người thứ nhất"}
    # The kept form carries the current version: saving again knowingly replaces the report.
    current = refused.context["form"]["version"].value()
    assert current == str(Report.objects.get().version)
    again = second.post(url, {"version": current, "section_0": "Bản của người thứ hai", "save": "1"})
    assert again.status_code == 302
    assert Report.objects.get().narrative == {"0": "Bản của người thứ hai"}


# --- Registration -----------------------------------------------------------------------------------


def test_second_save_of_a_registration_is_refused_and_shows_what_is_saved(unit_a, time_machine):
    """Two people of one unit open the registration form; the second save is refused and the
    commitment stored is the first person's."""
    time_machine.move_to(dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC), tick=False)
    campaign = factories.CampaignFactory(
        start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31),
        status=CampaignStatus.UNDER_WAY,
        participant_mode=ParticipantMode.UNITS,
        registration_opens=D(2025, 1, 1),
        registration_closes=D(2025, 1, 20),
    )
    campaign.participant_units.set([unit_a])
    target = factories.TargetFactory(campaign=campaign, name="Nhà văn hóa thôn", target_value=100)
    TargetAssignment.objects.create(target=target, unit=unit_a, value=Decimal(10))
    first = client_for(factories.make_officer(unit_a, username="canbo_1"))
    second = client_for(factories.make_unit_head(unit_a, username="thutruong_1"))
    url = reverse("campaigns:registration_edit", args=[campaign.pk, unit_a.pk])
    seen_1 = first.get(url).context["form"]["version"].value()
    seen_2 = second.get(url).context["form"]["version"].value()

    def post(client, version, value):
        data = {"version": str(version), "person_rows": "3", f"commit_{target.pk}": "on"}
        return client.post(url, {**data, f"target_{target.pk}": value, "note": "", "save": "1"})

    assert post(first, seen_1, "20").status_code == 302
    refused = post(second, seen_2, "33")

    assert refused.status_code == 200
    assert "Someone else saved this registration" in refused.context["form"].non_field_errors()[0]
    assert "What is saved now" in refused.text
    assert 'value="33"' in refused.text
    assert Registration.objects.get().target_commitments.get().value == 20


# --- Scores -----------------------------------------------------------------------------------------


@pytest.fixture
def year(cluster_with_head, staff_user):
    table, criteria = factories.make_score_table(cluster_with_head.term, by=staff_user)
    factories.sign_pledge(cluster_with_head.term, table, by=staff_user)
    TermScoring.objects.filter(term=cluster_with_head.term).update(stage=ScoringStage.SELF)
    cluster_with_head.c = criteria
    return cluster_with_head


def test_second_self_score_save_is_refused_naming_the_criterion_who_and_when(year, time_machine):
    """The unit's officer and its head open the self-scoring form. The officer saves 7 on 2.1;
    the head's 9 is refused with the criterion, the 7 now stored, the officer's name and the
    time, the 9 kept in the form. Saving again from that form replaces it."""
    time_machine.move_to(local(D(2026, 3, 2), 10, 15), tick=False)
    unit = year.members[0]
    officer = year.member_officer
    head = factories.make_unit_head(unit, username="thutruong_dt", full_name="Vũ Thị Lan")
    officer_client, head_client = client_for(officer), client_for(head)
    url = reverse("clusters:score_self", args=[year.term.pk, unit.pk])
    criterion = year.c["2.1"]
    field = f"points-{criterion.pk}"
    officer_seen = hidden(officer_client.get(url).content.decode(), f"seen-{criterion.pk}")
    head_seen = hidden(head_client.get(url).content.decode(), f"seen-{criterion.pk}")

    saved = officer_client.post(url, {field: "7", f"seen-{criterion.pk}": officer_seen})
    assert saved.status_code == 302
    refused = head_client.post(
        url, {field: "9", f"explanation-{criterion.pk}": "Theo chỉ số", f"seen-{criterion.pk}": head_seen}
    )

    assert refused.status_code == 200
    page = refused.content.decode()
    message = refused.context["errors"][criterion.pk]
    assert "2.1. Chỉ số cải cách hành chính" in message
    assert "it is now 7 points" in message
    assert officer.get_full_name() in message
    assert "10:15 02/03/2026" in message
    assert "Someone saved some of these scores after you opened the form" in page
    assert f'name="{field}" value="9"' in page  # the head's typing is kept
    entry = ScoreEntry.objects.get(unit=unit, criterion=criterion, stage=ScoreStage.SELF)
    assert (entry.points, entry.updated_by) == (Decimal(7), officer)

    again = head_client.post(
        url,
        {
            field: "9",
            f"explanation-{criterion.pk}": "Theo chỉ số",
            f"seen-{criterion.pk}": hidden(page, f"seen-{criterion.pk}"),
        },
    )
    assert again.status_code == 302
    entry.refresh_from_db()
    assert (entry.points, entry.updated_by) == (Decimal(9), head)


def test_a_stale_self_score_save_changes_nothing_at_all(year):
    """All or nothing: one stale criterion refuses the others in the same save too."""
    unit = year.members[0]
    other = factories.make_unit_head(unit, username="thutruong_dt")
    c21, c22 = year.c["2.1"], year.c["2.2"]
    seen = scores.seen_token(None)
    scores.self_scores_save(
        term=year.term, unit=unit, inputs=[ScoreInput(criterion=c21, points=Decimal(7), seen=seen)], by=other
    )
    with pytest.raises(scores.StaleScoreError) as refused:
        scores.self_scores_save(
            term=year.term,
            unit=unit,
            inputs=[
                ScoreInput(criterion=c21, points=Decimal(9), seen=seen),
                ScoreInput(criterion=c22, points=Decimal(15), seen=seen),
            ],
            by=year.member_officer,
        )
    assert list(refused.value.cells) == [c21.pk]
    assert dict(ScoreEntry.objects.values_list("criterion_id", "points")) == {c21.pk: Decimal(7)}


def test_re_saving_the_value_now_stored_is_no_conflict(year):
    """Both typed 7: the second save from the old form finds 7 stored and is accepted."""
    unit = year.members[0]
    seen = scores.seen_token(None)
    typed = [ScoreInput(criterion=year.c["2.1"], points=Decimal(7), seen=seen)]
    scores.self_scores_save(term=year.term, unit=unit, inputs=typed, by=year.member_officer)
    head = factories.make_unit_head(unit, username="thutruong_dt")
    assert scores.self_scores_save(term=year.term, unit=unit, inputs=typed, by=head) == 1
    assert ScoreEntry.objects.get().updated_by == year.member_officer


@pytest.fixture
def cross(year, staff_user):
    for unit in [year.head_unit, year.deputy_unit, *year.members]:
        scores.self_scores_save(
            term=year.term,
            unit=unit,
            inputs=[ScoreInput(criterion=year.c["2.1"], points=Decimal(8))],
            by=staff_user,
        )
    TermScoring.objects.filter(term=year.term).update(stage=ScoringStage.CROSS)
    return year


def test_second_cross_score_is_refused_in_the_grid(cross, time_machine):
    """The head and the deputy open the cross-scoring grid. The head saves 6 on a member's cell
    (htmx); the deputy's "Save all" with 5 is refused for that cell with the head's 6, name and
    time; the stored score stays 6. A second htmx save by the deputy from the refreshed cell
    replaces it."""
    time_machine.move_to(local(D(2026, 3, 20), 14, 5), tick=False)
    unit, criterion = cross.members[0], cross.c["2.1"]
    name = f"{unit.pk}-{criterion.pk}"
    head, deputy = client_for(cross.head_officer), client_for(cross.deputy_officer)
    grid = reverse("clusters:score_grid", args=[cross.term.pk])
    cell = reverse("clusters:score_grid_cell", args=[cross.term.pk, unit.pk, criterion.pk])
    head_seen = hidden(head.get(grid).content.decode(), f"s-{name}")
    deputy_seen = hidden(deputy.get(grid).content.decode(), f"s-{name}")

    answer = head.post(
        cell,
        {f"p-{name}": "6", f"r-{name}": "Thiếu minh chứng", f"s-{name}": head_seen},
        HTTP_HX_REQUEST="true",
    )
    assert "field-error" not in answer.content.decode()
    refused = deputy.post(grid, {f"p-{name}": "5", f"r-{name}": "Chưa đạt", f"s-{name}": deputy_seen})

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "One cell is wrong and was not saved" in page
    assert "it is now 6 points" in page
    assert cross.head_officer.get_full_name() in page
    assert "14:05 20/03/2026" in page
    assert f'name="p-{name}" value="5"' in page
    entry = ScoreEntry.objects.get(unit=unit, criterion=criterion, stage=ScoreStage.REVIEW)
    assert (entry.points, entry.updated_by) == (Decimal(6), cross.head_officer)

    again = deputy.post(
        cell,
        {f"p-{name}": "5", f"r-{name}": "Chưa đạt", f"s-{name}": hidden(page, f"s-{name}")},
        HTTP_HX_REQUEST="true",
    )
    assert "field-error" not in again.content.decode()
    entry.refresh_from_db()
    assert (entry.points, entry.updated_by) == (Decimal(5), cross.deputy_officer)
