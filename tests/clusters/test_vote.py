"""The year-end vote: secret ballots, quotas, the threshold, proposals and next year's leaders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from clusters.models import (
    AwardProposal,
    BallotCast,
    BallotCategory,
    BallotChoice,
    ClusterMembership,
    ClusterTerm,
    MemberRole,
    ScoringStage,
    TermScoring,
)
from clusters.scoring import scores, votes
from clusters.scoring.scores import ScoreInput
from tests import factories

pytestmark = pytest.mark.django_db


def publish(cluster_with_head, staff_user, *, hold_on=None):
    """Publish the year with the head first, then the deputy and the members; the vote opens.

    `hold_on` gets an open complaint hold before publication."""
    term = cluster_with_head.term
    table, c = factories.make_score_table(term, by=staff_user)
    factories.sign_pledge(term, table, by=staff_user)
    TermScoring.objects.filter(term=term).update(stage=ScoringStage.SELF)
    units = [cluster_with_head.head_unit, cluster_with_head.deputy_unit, *cluster_with_head.members]
    for points, unit in zip(["10", "9", "8", "7"], units, strict=True):
        scores.self_scores_save(
            term=term, unit=unit, inputs=[ScoreInput(criterion=c["2.1"], points=D(points))], by=staff_user
        )
    if hold_on is not None:
        scores.unit_flag_add(
            term=term, unit=hold_on, kind="complaint", opened_on=date(term.year, 11, 1), by=staff_user
        )
    TermScoring.objects.filter(term=term).update(stage=ScoringStage.OFFICE)
    scores.scoring_advance(term=term, by=staff_user)
    cluster_with_head.units = units
    return cluster_with_head


@pytest.fixture
def voting(cluster_with_head, staff_user):
    return publish(cluster_with_head, staff_user)


def cast(term, unit, flag=(), merit=(), by=None):
    return votes.ballot_cast(term=term, unit=unit, flag=list(flag), merit=list(merit), by=by)


def test_the_choices_cannot_be_linked_to_the_voter(voting, staff_user):
    """What a unit chose is stored with no voter, no time, no sequential key and no history."""
    head, deputy, m1, _m2 = voting.units
    cast(voting.term, m1, flag=[head], merit=[deputy], by=voting.member_officer)
    field_names = {f.name for f in BallotChoice._meta.get_fields()}
    assert field_names == {"id", "term", "category", "candidate"}
    assert BallotChoice._meta.pk.get_internal_type() == "UUIDField"
    assert not hasattr(BallotChoice, "pgh_event_model")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name ILIKE '%%ballotchoice%%'"
        )
        assert [row[0] for row in cursor.fetchall()] == ["clusters_ballotchoice"]
    assert BallotCast.objects.get().unit == m1
    assert BallotChoice not in admin.site._registry


def test_nobody_can_read_per_voter_choices_on_the_screens(voting, staff_user, council_member, login_as):
    """Staff, the council and the head see who voted and the counts, never a voter's choices."""
    head, deputy, m1, m2 = voting.units
    cast(voting.term, m1, flag=[head], merit=[deputy], by=voting.member_officer)
    cast(voting.term, m2, flag=[head], merit=[m1], by=voting.member_officer)
    url = reverse("clusters:vote_page", args=[voting.term.pk])
    for user in (staff_user, council_member, voting.head_officer):
        response = login_as(user).get(url)
        assert response.status_code == 200
        results = response.context["results"]
        assert {line.result.unit_id: line.votes for line in results.lines[BallotCategory.FLAG]}[head.pk] == 2
        # Nothing in the context pairs a voter with a choice.
        assert all(set(row) == {"membership", "cast"} for row in response.context["turnout"])
    member = login_as(voting.member_officer).get(url)
    assert member.context["results"] is None


def test_a_unit_votes_once_within_the_quotas(voting):
    head, deputy, m1, m2 = voting.units
    with pytest.raises(ValidationError):
        cast(voting.term, m1, flag=[head, deputy])  # flag quota 1
    with pytest.raises(ValidationError):
        cast(voting.term, m1, merit=[head, deputy, m2])  # merit quota 2
    with pytest.raises(ValidationError):
        cast(voting.term, m1, flag=[m1])  # not for itself
    with pytest.raises(ValidationError):
        cast(voting.term, m1, flag=[head], merit=[head])  # one award per unit
    cast(voting.term, m1, flag=[head], merit=[deputy])
    with pytest.raises(ValidationError):
        cast(voting.term, m1, flag=[deputy])
    assert BallotCast.objects.count() == 1
    assert BallotChoice.objects.count() == 2


def test_ineligible_units_are_not_flag_candidates(cluster_with_head, staff_user):
    """A hold open at publication makes the unit ineligible for the flag, not for merit."""
    year = publish(cluster_with_head, staff_user, hold_on=cluster_with_head.head_unit)
    head, deputy, m1, _m2 = year.units
    pool = votes.candidates(year.term)
    assert head.pk not in {r.unit_id for r in pool[BallotCategory.FLAG]}
    assert head.pk in {r.unit_id for r in pool[BallotCategory.MERIT]}
    with pytest.raises(ValidationError):
        cast(year.term, m1, flag=[head])
    cast(year.term, m1, flag=[deputy], merit=[head])


def test_only_members_vote_and_only_while_the_vote_is_open(voting, unit_b):
    head = voting.units[0]
    with pytest.raises(ValidationError):
        cast(voting.term, unit_b, flag=[head])
    TermScoring.objects.filter(term=voting.term).update(stage=ScoringStage.CLOSED)
    with pytest.raises(ValidationError):
        cast(voting.term, voting.units[1], flag=[head])


def test_results_apply_the_threshold_and_the_quotas(voting):
    """4 members, threshold 50 %: 3 votes pass, 2 do not; a flag winner is not also a merit winner;
    at equal votes the better published rank wins."""
    head, deputy, m1, m2 = voting.units
    cast(voting.term, deputy, flag=[head], merit=[m1, m2])
    cast(voting.term, m1, flag=[head], merit=[deputy, m2])
    cast(voting.term, m2, flag=[head], merit=[deputy, m1])
    cast(voting.term, head, flag=[deputy], merit=[m1, m2])
    scoring = TermScoring.objects.get(term=voting.term)
    outcome = votes.vote_results(voting.term, scoring)
    assert (outcome.members, outcome.cast) == (4, 4)
    assert [line.result.unit_id for line in outcome.chosen(BallotCategory.FLAG)] == [head.pk]
    merit = {
        line.result.unit_id: (line.votes, line.passed, line.chosen)
        for line in outcome.lines[BallotCategory.MERIT]
    }
    assert merit[m1.pk] == (3, True, True)
    assert merit[m2.pk] == (3, True, True)
    assert merit[deputy.pk] == (2, False, False)


def test_closing_makes_proposals_and_next_years_term(voting, staff_user):
    head, deputy, m1, m2 = voting.units
    for voter, flag in [(deputy, head), (m1, head), (m2, head)]:
        cast(voting.term, voter, flag=[flag])
    proposals = votes.vote_close(
        term=voting.term,
        meeting_on=date(voting.term.year, 12, 18),
        meeting_place="Hội trường xã Mễ Sở",
        chair_name="Nguyễn Văn Hùng",
        secretary_name="Trần Thị Mai",
        next_head=deputy,
        next_deputy=m1,
        by=voting.head_officer,
    )
    assert [(p.unit_id, p.category.code, p.votes, p.voters) for p in proposals] == [(head.pk, "COTINH", 3, 4)]
    assert AwardProposal.objects.get().status == "proposed"
    following = ClusterTerm.objects.get(cluster=voting.cluster, year=voting.term.year + 1)
    roles = dict(ClusterMembership.objects.filter(term=following).values_list("unit_id", "role"))
    assert roles == {
        head.pk: MemberRole.MEMBER,
        deputy.pk: MemberRole.HEAD,
        m1.pk: MemberRole.DEPUTY,
        m2.pk: MemberRole.MEMBER,
    }
    assert TermScoring.objects.get(term=voting.term).stage == ScoringStage.CLOSED


@pytest.mark.parametrize("who", ["member_officer", "council", "officer_b"])
def test_only_the_leaders_or_staff_close_the_vote(voting, login_as, council_member, officer_b, who):
    user = {"member_officer": voting.member_officer, "council": council_member, "officer_b": officer_b}[who]
    response = login_as(user).get(reverse("clusters:vote_close", args=[voting.term.pk]))
    assert response.status_code == 403


def test_the_ballot_screen_casts_once(voting, login_as, settings):
    settings.LANGUAGE_CODE = "en"
    head, deputy, m1, _m2 = voting.units
    client = login_as(voting.member_officer)
    url = reverse("clusters:vote_page", args=[voting.term.pk])
    page = client.get(url)
    assert page.context["can_vote"]
    assert m1.pk not in [u.pk for u in page.context["form"].fields["flag"].queryset]
    assert client.post(url, {"flag": [head.pk], "merit": [deputy.pk]}).status_code == 302
    again = client.get(url)
    assert not again.context["can_vote"]
    assert again.context["voted"]
    assert client.post(url, {"flag": [deputy.pk]}).status_code == 403
