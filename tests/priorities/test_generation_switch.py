"""Moving the PACT cycle to the wards of May 2025 and back (manage.py ward_generation_switch)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from priorities.models import Ballot, Event, Panel, Priority, Subscription
from tests.priorities.factories import (
    EventFactory,
    PanelFactory,
    PriorityFactory,
    SubscriptionFactory,
    held_meeting,
)
from tests.wards.factories import GenerationFactory, OfficerFactory, TeamFactory, WardFactory, WardSuccessionFactory
from wards.models import Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def force():
    """A small force on the 305-ward set: six wards, two teams, and the 2025 wards that replace five of them.

    Ash and Bay merge into New Ash (90% of Ash, 60% of Bay; 40% of Bay goes to New Bay);
    Cove splits equally between Cove North and Cove South (a tie); Dell becomes New Dell
    whole; Kept is in both generations.
    """
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    old = {
        name: WardFactory(name=name, team=team, district=team.district)
        for name, team in [("Ash", east), ("Bay", east), ("Cove", west), ("Dell", west)]
    }
    gen_2025 = GenerationFactory(id=2025)
    kept = WardFactory(name="Kept", team=east, district=east.district, generation_high=gen_2025)
    new = {
        name: WardFactory(name=name, team=None, district=east.district, generation_low=gen_2025)
        for name in ["New Ash", "New Bay", "Cove North", "Cove South", "New Dell"]
    }
    for before, after, share in [
        ("Ash", "New Ash", 0.9),
        ("Bay", "New Ash", 0.6),
        ("Bay", "New Bay", 0.4),
        ("Cove", "Cove North", 0.5),
        ("Cove", "Cove South", 0.5),
        ("Dell", "New Dell", 1.0),
    ]:
        WardSuccessionFactory(predecessor=old[before], successor=new[after], share=share)
    PanelFactory(name="East panel", wards=[old["Ash"], old["Bay"], kept])
    PanelFactory(name="West panel", wards=[old["Cove"], old["Dell"]])

    def priority(ward, slot, title, **kwargs):
        return PriorityFactory(ward=ward, slot=slot, title=title, **kwargs)

    # Ash and Bay: four active priorities between them, more than New Ash may hold.
    for n, (ward, slot) in enumerate([("Ash", 1), ("Ash", 2), ("Bay", 1), ("Bay", 2)]):
        priority(old[ward], slot, f"{ward} priority {n}")
    priority(old["Cove"], 1, "Cove speeding")
    for slot in (1, 2, 3):
        priority(old["Dell"], slot, f"Dell priority {slot}")
    past = priority(
        old["Dell"],
        1,
        "Dell past",
        status=Priority.Status.RESOLVED,
        ended_on=datetime.date(2026, 1, 1),
    )
    upcoming = EventFactory(title="Dell surgery", wards=[old["Dell"], kept])
    held = held_meeting(old["Dell"])
    subscriber = SubscriptionFactory(email="someone@example.org", ward=old["Dell"])
    also = SubscriptionFactory(email="someone@example.org", ward=old["Bay"])
    unconfirmed = SubscriptionFactory(email="new@example.org", ward=old["Dell"], confirmed_at=None)
    already = SubscriptionFactory(email="both@example.org", ward=new["New Dell"])
    twice = SubscriptionFactory(email="both@example.org", ward=old["Dell"])
    return {
        "old": old,
        "new": new,
        "kept": kept,
        "past": past,
        "upcoming": upcoming,
        "held": held,
        "subscriber": subscriber,
        "also": also,
        "unconfirmed": unconfirmed,
        "already": already,
        "twice": twice,
    }


def _state() -> dict:
    """Everything a move may change, to compare before and after a move there and back."""
    now = timezone.now()
    return {
        "active": set(
            Priority.objects.filter(status__in=Priority.ACTIVE_STATUSES).values_list("pk", "ward_id", "slot", "status")
        ),
        "teams": set(Ward.objects.values_list("pk", "team_id")),
        "panels": set(Panel.wards.through.objects.values_list("panel_id", "ward_id")),
        "meetings": {
            event.pk: sorted(event.wards.values_list("pk", flat=True))
            for event in Event.objects.filter(starts_at__gte=now)
        },
        "subscriptions": set(
            Subscription.objects.filter(unsubscribed_at__isnull=True).values_list("pk", "ward_id", "email")
        ),
    }


def _switch(to: int, *mode: str) -> str:
    out = StringIO()
    call_command("ward_generation_switch", str(to), *mode, stdout=out)
    return out.getvalue()


def test_dry_run_says_what_would_move_and_changes_nothing(force):
    before = _state()

    output = _switch(2025, "--dry-run")

    assert _state() == before
    assert "New Dell joins West (from Dell)" in output
    assert "New Ash joins the panel East panel" in output
    assert "“Dell priority 1”: Dell → New Dell, place 1" in output
    assert "Dell surgery" in output
    assert "Dell, Kept → Kept, New Dell" in output
    assert "New Ash would have 4 active priorities, more than three" in output
    assert "Cove North and Cove South take equal parts" in output
    assert "Bay is split" not in output  # its priorities are not carried: New Ash has too many
    assert "Dry run: nothing was changed." in output
    assert not AuditEvent.objects.filter(action="priorities.ward_generation.switch").exists()


def test_commit_moves_the_force_and_keeps_history(client, force, settings):
    active_before = set(Priority.objects.filter(status__in=Priority.ACTIVE_STATUSES).values_list("pk", flat=True))

    _switch(2025, "--commit")
    settings.PACT_WARD_GENERATION = 2025

    # Every ward of the active generation has a team and a panel.
    for ward in Ward.objects.active():
        assert ward.team_id is not None, ward.name
        assert ward.panels.exists(), ward.name
    # No active priority is lost: each is active still, or carried to an active one.
    for priority in Priority.objects.filter(pk__in=active_before):
        if priority.status == Priority.Status.CARRIED:
            assert priority.carried_to.get().status in Priority.ACTIVE_STATUSES
        else:
            assert priority.status in Priority.ACTIVE_STATUSES
    new_dell = force["new"]["New Dell"]
    carried = Priority.objects.filter(ward=new_dell, status__in=Priority.ACTIVE_STATUSES)
    assert sorted(carried.values_list("title", "slot")) == [(f"Dell priority {n}", n) for n in (1, 2, 3)]
    assert all(p.carried_from.ward == force["old"]["Dell"] for p in carried)
    page = client.get(f"/priorities/{carried[0].pk}/").content.decode()
    assert "Carried over from</dt>" in page
    assert f'href="/priorities/{carried[0].carried_from_id}/">Dell</a>' in page
    # More than three for New Ash: none carried, all four still active where they were agreed.
    assert not Priority.objects.filter(ward=force["new"]["New Ash"]).exists()
    assert Priority.objects.filter(ward__name__in=["Ash", "Bay"], status="current").count() == 4
    # The tie stays where it is.
    assert Priority.objects.get(title="Cove speeding").status == Priority.Status.CURRENT
    # History stays with the ward it happened in.
    force["past"].refresh_from_db()
    assert (force["past"].ward, force["past"].status) == (force["old"]["Dell"], Priority.Status.RESOLVED)
    assert list(force["held"].wards.all()) == [force["old"]["Dell"]]
    assert sorted(force["upcoming"].wards.values_list("name", flat=True)) == ["Kept", "New Dell"]
    # Subscriptions moved; an address already on the new ward keeps one subscription there.
    for key in ("subscriber", "unconfirmed"):
        force[key].refresh_from_db()
        assert force[key].ward == new_dell
    force["twice"].refresh_from_db()
    assert force["twice"].unsubscribed_at is not None
    # One email per confirmed address whose area changed; none to an unconfirmed one.
    emails = OutboundEmail.objects.filter(key__startswith="ward-switch:")
    assert sorted(emails.values_list("to", flat=True)) == ["both@example.org", "someone@example.org"]
    body = emails.get(to="someone@example.org").body_text
    assert "You followed Dell" in body
    assert "You followed Bay" in body
    assert AuditEvent.objects.filter(action="priorities.ward_generation.switch").count() == 1


def test_commit_names_the_setting_to_change(force, settings):
    assert "Now set PACT_WARD_GENERATION=2025" in _switch(2025, "--commit")


def test_switching_back_restores_the_previous_state(force, settings):
    before = _state()

    _switch(2025, "--commit")
    settings.PACT_WARD_GENERATION = 2025
    assert _state() != before
    output = _switch(2014, "--commit")
    settings.PACT_WARD_GENERATION = 2014

    assert "This undoes the move" in output
    assert _state() == before
    # The carried rows stay as history of their own.
    assert Priority.objects.filter(ward=force["new"]["New Dell"], status=Priority.Status.CARRIED).count() == 3
    # Back again works too.
    _switch(2025, "--commit")
    assert Priority.objects.filter(ward=force["new"]["New Dell"], status="current").count() == 3


def test_switching_to_the_generation_in_force_is_refused(force):
    with pytest.raises(CommandError, match="on the wards of 2014 already"):
        _switch(2014, "--dry-run")
    with pytest.raises(CommandError, match="no ward generation 2030"):
        _switch(2030, "--dry-run")


# Only the active generation's wards are offered or answered for.


def test_staff_ward_pickers_offer_the_active_generations_wards(force, settings):
    from priorities.selectors.concerns import wards_for_staff
    from priorities.selectors.information import wards_for_partner

    everyone = set(Ward.objects.values_list("pk", flat=True))
    assert {w.name for w in wards_for_staff(ward_ids=None)} == {"Ash", "Bay", "Cove", "Dell", "Kept"}
    assert {w.name for w in wards_for_partner(ward_ids=frozenset(everyone))} == {"Ash", "Bay", "Cove", "Dell", "Kept"}
    settings.PACT_WARD_GENERATION = 2025
    assert "Dell" not in {w.name for w in wards_for_staff(ward_ids=None)}
    assert "New Dell" in {w.name for w in wards_for_staff(ward_ids=None)}


def test_police_uk_priorities_method_answers_for_the_active_generation_only(client, force, settings):
    dell, new_dell = force["old"]["Dell"], force["new"]["New Dell"]
    assert client.get(f"/api/kent/{dell.code}/priorities").status_code == 200
    assert client.get(f"/api/kent/{new_dell.code}/priorities").status_code == 404
    settings.PACT_WARD_GENERATION = 2025
    assert client.get(f"/api/kent/{dell.code}/priorities").status_code == 404
    assert client.get(f"/api/kent/{new_dell.code}/priorities").status_code == 200


# On a copy of the demo data: the demo's history for a team of three wards of the 305.


@pytest.fixture
def demo(settings):
    call_command("import_categories", "--commit", stdout=StringIO())
    team = TeamFactory(name="Rochester and Chatham", slug="medway-rochester-and-chatham")
    old = {
        name: WardFactory(code=code, name=name, team=team, district=team.district)
        for code, name in [("E05002161", "Chatham Central"), ("E05002162", "Rochester West"), ("E05002163", "Strood")]
    }
    OfficerFactory.create_batch(3, team=team, rank="pc")
    call_command("create_demo_history", stdout=StringIO())
    gen_2025 = GenerationFactory(id=2025)
    new = {
        name: WardFactory(name=name, team=None, district=team.district, generation_low=gen_2025)
        for name in ["Chatham Central and Brompton", "Rochester West and Borstal", "Fort Pitt", "Strood West"]
    }
    for before, after, share in [
        ("Chatham Central", "Chatham Central and Brompton", 1.0),
        ("Rochester West", "Rochester West and Borstal", 0.8),
        ("Rochester West", "Fort Pitt", 0.2),
        ("Strood", "Chatham Central and Brompton", 0.6),
        ("Strood", "Strood West", 0.4),
    ]:
        WardSuccessionFactory(predecessor=old[before], successor=new[after], share=share)
    return {"old": old, "new": new}


def test_switching_the_demo_both_ways(demo, settings):
    before = _state()
    active_before = before["active"]
    # Three priorities a ward, less any the demo's concerns to follow resolved.
    active = {
        name: Priority.objects.filter(ward=ward, status__in=Priority.ACTIVE_STATUSES).count()
        for name, ward in demo["old"].items()
    }
    assert len(active_before) == sum(active.values()) >= 7

    output = _switch(2025, "--commit")
    settings.PACT_WARD_GENERATION = 2025

    for ward in Ward.objects.active():
        assert ward.team_id is not None, ward.name
        assert ward.panels.exists(), ward.name
    for pk, *_ in active_before:
        priority = Priority.objects.get(pk=pk)
        assert priority.is_active or priority.carried_to.get().is_active
    carried = Priority.objects.filter(ward=demo["new"]["Rochester West and Borstal"], status="in_progress")
    assert carried.count() == active["Rochester West"]
    # Chatham Central's and Strood's would make more than three: listed for the panel, none moved.
    together = active["Chatham Central"] + active["Strood"]
    assert f"Chatham Central and Brompton would have {together} active priorities, more than three" in output
    assert not Priority.objects.filter(ward=demo["new"]["Chatham Central and Brompton"]).exists()
    # Each ward's ballot stays with it.
    assert set(Ballot.objects.values_list("ward__name", flat=True)) == {"Chatham Central", "Rochester West", "Strood"}

    _switch(2014, "--commit")
    settings.PACT_WARD_GENERATION = 2014

    assert _state() == before
