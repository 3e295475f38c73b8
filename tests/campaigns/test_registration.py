"""Registration services and reads (campaigns.progress): rules, refusals, optimistic locking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from campaigns.models import Campaign, CampaignStatus, ParticipantMode, Registration, RegistrationStatus
from campaigns.progress import (
    Commitment,
    StaleRegistrationError,
    TitleChoice,
    registration_board,
    registration_counts,
    registration_save,
    registration_submit,
    registration_window_open,
    unit_registration,
)
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are matched in English; the Vietnamese catalogue is tested in test_i18n."""
    with translation.override("en"):
        yield


@pytest.fixture
def setup(db):
    """A campaign under way, registration open 1–20 January 2025, units A and B taking part."""
    campaign = factories.CampaignFactory(
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        status=CampaignStatus.UNDER_WAY,
        participant_mode=ParticipantMode.UNITS,
        registration_opens=dt.date(2025, 1, 1),
        registration_closes=dt.date(2025, 1, 20),
    )
    a, b = factories.UnitFactory(name="Xã A"), factories.UnitFactory(name="Xã B")
    campaign.participant_units.set([a, b])
    return {
        "campaign": campaign,
        "a": a,
        "b": b,
        "officer_a": factories.make_officer(a),
        "target": factories.TargetFactory(campaign=campaign, target_value=100),
        "qualitative": factories.TargetFactory(campaign=campaign, kind="qualitative", target_value=None),
        "person": factories.PersonFactory(unit=a, full_name="Nguyễn Thị Hoa"),
    }


def _save(setup, *, by=None, unit=None, version=0, submit=False, **kwargs):
    service = registration_submit if submit else registration_save
    defaults = {
        "commitments": [Commitment(target_id=setup["target"].pk, value=Decimal(120))],
        "titles": [],
    }
    return service(
        campaign=setup["campaign"],
        unit=unit or setup["a"],
        by=by or setup["officer_a"],
        version=version,
        **{**defaults, **kwargs},
    )


def _messages(error: ValidationError) -> list[str]:
    return list(error.messages)


@time_machine.travel(NOW, tick=False)
def test_save_draft_then_register(setup):
    """A draft keeps commitments and titles; registering marks who and when; each save
    moves the version on."""
    officer = setup["officer_a"]
    tap_the = factories.category("TTLDTT")
    ldtt = factories.category("LDTT")
    draft = _save(
        setup,
        commitments=[
            Commitment(target_id=setup["target"].pk, value=Decimal("150.5")),
            Commitment(target_id=setup["qualitative"].pk),
        ],
        titles=[
            TitleChoice(category_id=tap_the.pk),
            TitleChoice(category_id=ldtt.pk, person_id=setup["person"].pk),
        ],
        note="Phấn đấu vượt chỉ tiêu",
    )
    assert (draft.status, draft.version, draft.submitted_at) == (RegistrationStatus.DRAFT, 1, None)
    submitted = _save(setup, version=1, submit=True, commitments=[Commitment(target_id=setup["target"].pk)])
    assert submitted.pk == draft.pk
    assert (submitted.status, submitted.version, submitted.submitted_by) == (
        RegistrationStatus.SUBMITTED,
        2,
        officer,
    )
    assert submitted.submitted_at is not None
    stored = unit_registration(setup["campaign"], setup["a"])
    assert [(c.target_id, c.value, c.committed) for c in stored.target_commitments.all()] == [
        (setup["target"].pk, None, True)
    ]
    assert list(stored.titles.all()) == []  # the second save replaced them


@time_machine.travel(NOW, tick=False)
def test_titles_and_values_are_stored(setup):
    ldtt = factories.category("LDTT")
    registration = _save(
        setup,
        commitments=[
            Commitment(target_id=setup["target"].pk, value=Decimal(130)),
            Commitment(target_id=setup["qualitative"].pk, committed=False),
        ],
        titles=[TitleChoice(category_id=ldtt.pk, person_id=setup["person"].pk)],
    )
    stored = unit_registration(setup["campaign"], setup["a"])
    assert {(c.target_id, c.value, c.committed) for c in stored.target_commitments.all()} == {
        (setup["target"].pk, Decimal(130), True),
        (setup["qualitative"].pk, None, False),
    }
    assert [(t.category.code, t.person.full_name) for t in stored.titles.all()] == [
        ("LDTT", "Nguyễn Thị Hoa")
    ]
    assert registration.version == 1


@time_machine.travel(NOW, tick=False)
def test_second_save_from_the_same_version_is_refused(setup):
    """Two people open the registration at version 1; the first save wins, the second is
    refused with a clear message and changes nothing."""
    _save(setup)
    _save(setup, version=1, commitments=[Commitment(target_id=setup["target"].pk, value=Decimal(200))])
    with pytest.raises(StaleRegistrationError) as error:
        _save(setup, version=1, commitments=[Commitment(target_id=setup["target"].pk, value=Decimal(999))])
    assert error.value.code == "stale"
    assert error.value.current_version == 2
    assert "Someone else saved this registration" in error.value.messages[0]
    stored = unit_registration(setup["campaign"], setup["a"])
    assert stored.version == 2
    assert [c.value for c in stored.target_commitments.all()] == [Decimal(200)]


@time_machine.travel(NOW, tick=False)
def test_first_save_from_a_form_opened_before_someone_else_created_it_is_refused(setup):
    """Version 0 means "there was no registration"; if one exists now, the save is stale."""
    _save(setup)
    with pytest.raises(StaleRegistrationError) as error:
        _save(setup, version=0)
    assert error.value.current_version == 1
    assert Registration.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_officer_of_another_unit_is_refused(setup):
    """The officer of unit B cannot save unit A's registration."""
    with pytest.raises(PermissionDenied):
        _save(setup, by=factories.make_officer(setup["b"]))
    with pytest.raises(PermissionDenied):
        _save(setup, by=factories.make_council_member())
    assert not Registration.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_non_participant_cannot_register(setup):
    """A unit outside the campaign's participants is refused, even when staff try for it."""
    outsider = factories.UnitFactory()
    for by in [factories.make_officer(outsider), factories.make_staff()]:
        with pytest.raises(ValidationError) as error:
            _save(setup, unit=outsider, by=by)
        assert error.value.code == "not_participant"
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "when", [dt.datetime(2024, 12, 31, 9, tzinfo=dt.UTC), dt.datetime(2025, 1, 21, 9, tzinfo=dt.UTC)]
)
def test_units_are_refused_outside_the_window_but_staff_are_not(setup, when):
    """Before the window opens or after it closes a unit cannot register; staff still can."""
    with time_machine.travel(when, tick=False):
        assert not registration_window_open(setup["campaign"])
        with pytest.raises(ValidationError) as error:
            _save(setup)
        assert error.value.code == "window"
        assert _save(setup, by=factories.make_staff()).status == RegistrationStatus.DRAFT


@time_machine.travel(NOW, tick=False)
def test_window_is_open_only_while_the_campaign_is(setup):
    campaign = setup["campaign"]
    assert registration_window_open(campaign)
    campaign.registration_opens = campaign.registration_closes = None
    assert registration_window_open(campaign)  # no dates: open while the campaign is
    campaign.status = CampaignStatus.CLOSED
    assert not registration_window_open(campaign)


@time_machine.travel(NOW, tick=False)
def test_draft_campaign_cannot_be_registered_for(setup):
    setup["campaign"].status = CampaignStatus.DRAFT
    setup["campaign"].save()
    with pytest.raises(ValidationError) as error:
        _save(setup, by=factories.make_staff())
    assert error.value.code == "draft"


@time_machine.travel(NOW, tick=False)
def test_committed_values_must_not_be_negative(setup):
    with pytest.raises(ValidationError) as error:
        _save(setup, commitments=[Commitment(target_id=setup["target"].pk, value=Decimal(-1))])
    assert _messages(error.value) == [
        f"The committed value for “{setup['target'].name}” must be a number of 0 or more."
    ]


@time_machine.travel(NOW, tick=False)
def test_targets_of_another_campaign_are_refused(setup):
    other = factories.TargetFactory()
    with pytest.raises(ValidationError):
        _save(setup, commitments=[Commitment(target_id=other.pk, value=Decimal(1))])


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("code", "with_person", "message"),
    [
        ("BKCT.HGD", False, "Only emulation titles"),  # a certificate, not a title
        ("GDVH", False, "Only emulation titles"),  # a household title
        ("LDTT", False, "is a title for individuals"),  # individual title without a person
        ("TTLDTT", True, "is a title for collectives"),  # collective title for a person
    ],
)
def test_titles_must_fit_the_recipient(setup, code, with_person, message):
    """Collective titles are for the unit itself, individual titles for a person of it."""
    category = factories.category(code)
    title = TitleChoice(category_id=category.pk, person_id=setup["person"].pk if with_person else None)
    with pytest.raises(ValidationError) as error:
        _save(setup, titles=[title])
    assert message in _messages(error.value)[0]


@time_machine.travel(NOW, tick=False)
def test_individual_titles_only_for_people_of_the_unit(setup):
    stranger = factories.PersonFactory(unit=setup["b"])
    with pytest.raises(ValidationError) as error:
        _save(setup, titles=[TitleChoice(category_id=factories.category("LDTT").pk, person_id=stranger.pk)])
    assert _messages(error.value) == ["Titles for individuals can only be registered for people of the unit."]


@time_machine.travel(NOW, tick=False)
def test_titles_not_in_use_and_duplicates_are_refused(setup):
    retired = factories.category("DVTT")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError):
        _save(setup, titles=[TitleChoice(category_id=retired.pk)])
    twice = TitleChoice(category_id=factories.category("TTLDTT").pk)
    with pytest.raises(ValidationError) as error:
        _save(setup, titles=[twice, twice])
    assert "registered twice for Xã A" in _messages(error.value)[0]


@time_machine.travel(NOW, tick=False)
def test_registering_nothing_is_refused_but_a_draft_may_be_empty(setup):
    nothing = [Commitment(target_id=setup["target"].pk, committed=False)]
    assert _save(setup, commitments=nothing).status == RegistrationStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        _save(setup, version=1, submit=True, commitments=nothing)
    assert _messages(error.value) == ["Commit to at least one target or title before registering."]


# --- Reads -------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_board_and_counts(setup, django_assert_num_queries):
    """Every participant with its status, cluster and title count; counts by status."""
    term = factories.ClusterTermFactory(year=2025, cluster=factories.ClusterFactory(name="Cụm 1"))
    factories.ClusterMembershipFactory(term=term, unit=setup["a"])
    _save(setup, submit=True, titles=[TitleChoice(category_id=factories.category("TTLDTT").pk)])
    c = factories.UnitFactory(name="Xã C")
    setup["campaign"].participant_units.add(c)
    Registration.objects.create(campaign=setup["campaign"], unit=c)
    with django_assert_num_queries(1):
        rows = {u.name: u for u in registration_board(setup["campaign"])}
    assert (rows["Xã A"].registration_status, rows["Xã A"].cluster_name, rows["Xã A"].title_count) == (
        "submitted",
        "Cụm 1",
        1,
    )
    assert rows["Xã A"].registered_by == setup["officer_a"].full_name
    assert (rows["Xã B"].registration_status, rows["Xã B"].cluster_name) == (None, None)
    assert rows["Xã C"].registration_status == "draft"
    fresh = Campaign.objects.get(pk=setup["campaign"].pk)  # participant ids are cached per object
    assert registration_counts(fresh) == {"submitted": 1, "draft": 1, "none": 1, "total": 3}


@time_machine.travel(NOW, tick=False)
def test_saves_are_audited_with_who_and_why(setup):
    """Each save is in the registration's history with the user and the action."""
    from core.audit import audit_enabled

    if not audit_enabled():
        pytest.skip("history is recorded by PostgreSQL triggers")
    _save(setup)
    registration = _save(setup, version=1, submit=True)
    events = list(registration.events.order_by("pgh_id"))
    assert [e.pgh_context.metadata for e in events] == [
        {"user": setup["officer_a"].pk, "reason": "registration saved"},
        {"user": setup["officer_a"].pk, "reason": "registration submitted"},
    ]
