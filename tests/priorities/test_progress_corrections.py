"""Putting a progress entry right (issue 14, item 3): its author or a sergeant or inspector of
the team edits or withdraws it, in the open (the public timeline says so) and with both versions
in the audit; a withdrawn entry leaves the monthly facts and is never emailed to followers."""

import datetime
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboundEmail
from core.recipients import recipient_confirmed
from priorities.errors import PrioritiesError
from priorities.models import Priority, ProgressEntry
from priorities.selectors.progress import public_entries, stale_priorities
from priorities.services import concern_follow as follow
from priorities.services import concerns as concern_services
from priorities.services import progress as services
from tests.core.factories import UserFactory
from tests.priorities.factories import (
    CategoryFactory,
    MeetingFactory,
    PanelFactory,
    PartnerAgencyFactory,
    PartnerUserFactory,
    PriorityFactory,
)
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def priority(ward_a):
    return PriorityFactory(
        ward=ward_a, slot=1, title="Speeding on the London Road", agreed_on=datetime.date(2026, 1, 5)
    )


@pytest.fixture
def entry(officer, priority):
    return services.progress_add(
        actor=officer,
        priority=priority,
        happened_on=datetime.date(2026, 11, 18),
        text="Speed checks on Mrs Smith's drive at 14 London Road.",
        visibility="public",
    )


def _edit(actor, entry, **changes):
    values = {"happened_on": entry.happened_on, "text": "Speed checks on the London Road.", **changes}
    return services.progress_edit(actor=actor, entry=entry, **values)


def _edit_url(entry):
    return reverse("priorities:staff_progress_edit", args=[entry.priority_id, entry.pk])


def _withdraw_url(entry):
    return reverse("priorities:staff_progress_withdraw", args=[entry.priority_id, entry.pk])


def _post(text="Speed checks on the London Road.", day=TODAY, **changes):
    return {"happened_on_0": day.day, "happened_on_1": day.month, "happened_on_2": day.year, "text": text, **changes}


# Who may put an entry right


def test_progress_edit_by_author_keeps_both_versions_in_audit(officer, entry):
    edited = _edit(officer, entry)

    assert edited.text == "Speed checks on the London Road."
    assert edited.edited_at == timezone.now()
    event = AuditEvent.objects.get(action="priorities.progress.edited")
    assert event.actor == officer
    assert event.data["before"]["text"] == "Speed checks on Mrs Smith's drive at 14 London Road."
    assert event.data["after"]["text"] == "Speed checks on the London Road."


def test_progress_edit_by_supervisor_of_the_team(sergeant, entry):
    edited = _edit(sergeant, entry, happened_on=datetime.date(2026, 11, 17))

    assert edited.happened_on == datetime.date(2026, 11, 17)
    assert AuditEvent.objects.get(action="priorities.progress.edited").actor == sergeant


def test_progress_edit_by_inspector_of_the_team(ward_a, entry):
    inspector = UserFactory(username="inspector", roles=["officer"])
    OfficerFactory(team=ward_a.team, user=inspector, rank="inspector")

    assert services.progress_withdraw(actor=inspector, entry=entry).is_withdrawn


@pytest.mark.parametrize("who", ["pc_of_team", "other_team_sergeant", "administrator", "partner"])
def test_progress_edit_and_withdraw_refused_for_others(who, ward_a, ward_b, entry, admin_user):
    if who == "pc_of_team":
        actor = UserFactory(username="pc2", roles=["officer"])
        OfficerFactory(team=ward_a.team, user=actor, rank="pc")
    elif who == "other_team_sergeant":
        actor = UserFactory(username="sgt2", roles=["officer"])
        OfficerFactory(team=ward_b.team, user=actor, rank="sergeant")
    elif who == "administrator":
        actor = admin_user
    else:
        agency = PartnerAgencyFactory()
        agency.wards.add(ward_a)
        entry.priority.partners.add(agency)
        actor = PartnerUserFactory(agency=agency).user

    with pytest.raises(PrioritiesError, match="Only the entry's author or a sergeant or inspector"):
        _edit(actor, entry)
    with pytest.raises(PrioritiesError, match="Only the entry's author or a sergeant or inspector"):
        services.progress_withdraw(actor=actor, entry=entry)
    entry.refresh_from_db()
    assert (entry.edited_at, entry.withdrawn_at) == (None, None)


def test_progress_edit_by_partner_author_stays_by_their_agency(ward_a, priority):
    agency = PartnerAgencyFactory(name="Maidstone Borough Council")
    agency.wards.add(ward_a)
    priority.partners.add(agency)
    partner = PartnerUserFactory(agency=agency).user
    entry = services.progress_add(
        actor=partner, priority=priority, happened_on=TODAY, text="Signs ordered.", visibility="public"
    )

    edited = _edit(partner, entry, text="New signs ordered.")

    assert (edited.text, edited.agency) == ("New signs ordered.", agency)


def test_progress_edit_refuses_no_change_future_date_and_withdrawn(officer, entry):
    with pytest.raises(PrioritiesError, match="Change the date, what was done or who did it"):
        _edit(officer, entry, text=entry.text)
    with pytest.raises(PrioritiesError, match="must be today or in the past"):
        _edit(officer, entry, happened_on=TODAY + datetime.timedelta(days=1))
    services.progress_withdraw(actor=officer, entry=entry)
    with pytest.raises(PrioritiesError, match="has been withdrawn"):
        _edit(officer, entry)
    with pytest.raises(PrioritiesError, match="has been withdrawn"):
        services.progress_withdraw(actor=officer, entry=entry)
    assert AuditEvent.objects.filter(action="priorities.progress.withdrawn").count() == 1


def test_progress_withdraw_audits_what_it_said(officer, entry):
    services.progress_withdraw(actor=officer, entry=entry)

    event = AuditEvent.objects.get(action="priorities.progress.withdrawn")
    assert event.data["before"]["text"] == "Speed checks on Mrs Smith's drive at 14 London Road."
    assert event.data["after"]["withdrawn_at"] == DAY.isoformat()


# What the public sees


def test_priority_page_says_edited_with_the_new_text_only(client, officer, entry):
    _edit(officer, entry)

    content = client.get(reverse("priorities:priority_detail", args=[entry.priority_id])).content.decode()

    assert "Speed checks on the London Road." in content
    assert "Mrs Smith" not in content
    assert "Edited on 20 November 2026" in content


def test_priority_page_says_withdrawn_without_its_text(client, officer, entry):
    url = reverse("priorities:priority_detail", args=[entry.priority_id])
    assert "Mrs Smith" in client.get(url).content.decode()  # cached now

    services.progress_withdraw(actor=officer, entry=entry)

    content = client.get(url).content.decode()
    assert "This entry was withdrawn on 20 November 2026." in content
    assert "Mrs Smith" not in content


def test_withdrawn_entry_leaves_latest_action_and_counts_as_no_progress(officer, entry):
    services.progress_withdraw(actor=officer, entry=entry)

    assert not public_entries().exists()
    with time_machine.travel(DAY + datetime.timedelta(days=20), tick=False):
        # Agreed in January; the only entry withdrawn: stale.
        assert entry.priority in stale_priorities()


def test_staff_list_shows_withdrawn_text_and_change_links_to_who_may(client, officer, ward_a, entry):
    ProgressEntry.objects.filter(pk=entry.pk).update(withdrawn_at=timezone.now())
    other = services.progress_add(
        actor=officer, priority=entry.priority, happened_on=TODAY, text="Leaflets.", visibility="public"
    )
    pc = UserFactory(username="pc2", roles=["officer"])
    OfficerFactory(team=ward_a.team, user=pc, rank="pc")
    url = reverse("priorities:staff_progress", args=[entry.priority_id])

    client.force_login(officer)
    content = client.get(url).content.decode()
    assert "It said: Speed checks on Mrs Smith" in content
    assert _edit_url(other) in content
    assert _edit_url(entry) not in content
    client.force_login(pc)
    assert _edit_url(other) not in client.get(url).content.decode()


# The pages


def test_progress_edit_page_edits_with_message(client, officer, entry):
    client.force_login(officer)
    page = client.get(_edit_url(entry)).content.decode()
    assert "Mrs Smith" in page
    assert 'name="visibility"' not in page

    response = client.post(_edit_url(entry), _post(by=f"officer-{officer.officer.pk}"))

    assert response.url == reverse("priorities:staff_progress", args=[entry.priority_id])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Progress entry edited: the public page shows it was edited"
    ]
    entry.refresh_from_db()
    assert (entry.text, entry.happened_on) == ("Speed checks on the London Road.", TODAY)


def test_progress_edit_page_shows_errors(client, officer, entry):
    client.force_login(officer)

    response = client.post(_edit_url(entry), _post(text="", by=f"officer-{officer.officer.pk}"))

    content = response.content.decode()
    assert "<title>Error: Edit progress" in content
    assert "Enter what was done" in content


def test_progress_withdraw_page_confirms_then_withdraws(client, sergeant, entry):
    client.force_login(sergeant)
    assert "Withdraw this progress entry?" in client.get(_withdraw_url(entry)).content.decode()

    response = client.post(_withdraw_url(entry))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Progress entry withdrawn: the public page shows the date it was withdrawn"
    ]
    entry.refresh_from_db()
    assert entry.withdrawn_at == timezone.now()
    assert client.get(_withdraw_url(entry)).status_code == 403


def test_progress_change_pages_refuse_a_pc_who_is_not_the_author(client, ward_a, entry):
    pc = UserFactory(username="pc2", roles=["officer"])
    OfficerFactory(team=ward_a.team, user=pc, rank="pc")
    client.force_login(pc)

    for url in (_edit_url(entry), _withdraw_url(entry)):
        assert client.get(url).status_code == 403
        assert client.post(url, _post()).status_code == 403
    entry.refresh_from_db()
    assert entry.withdrawn_at is None


def test_progress_change_pages_hide_entry_of_another_priority(client, officer, entry, ward_a):
    elsewhere = PriorityFactory(ward=ward_a, slot=2)
    client.force_login(officer)

    url = reverse("priorities:staff_progress_edit", args=[elsewhere.pk, entry.pk])
    assert client.get(url).status_code == 404


def test_progress_add_form_date_defaults_to_today(client, officer, priority):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_progress_add", args=[priority.pk])).content.decode()

    assert re.search(r'name="happened_on_0"[^>]*value="20"', content)
    assert re.search(r'name="happened_on_2"[^>]*value="2026"', content)


# Residents following a concern


def _followed_priority(ward, officer):
    recipient_confirmed(email="follower@example.com")
    concern = concern_services.concern_raise(
        ward=ward,
        category=CategoryFactory(),
        description="Cars racing.",
        contact_email="follower@example.com",
        follow_by_email=True,
    )
    follow.concern_follow_updates_send()
    return Priority.objects.create(
        ward=ward,
        slot=3,
        title="Racing",
        category=concern.category,
        concern=concern,
        agreed_on=TODAY,
        agreed_at=MeetingFactory(panel=PanelFactory(wards=[ward])),
    )


def _follow_emails():
    return list(OutboundEmail.objects.filter(key__startswith="concern-follow:").order_by("pk"))


def test_withdrawn_entry_is_never_sent_to_followers(officer, ward_a):
    priority = _followed_priority(ward_a, officer)
    entry = services.progress_add(
        actor=officer, priority=priority, happened_on=TODAY, text="Wrong house named.", visibility="public"
    )
    services.progress_withdraw(actor=officer, entry=entry)

    follow.concern_follow_updates_send()

    assert all("Wrong house named." not in email.body_text for email in _follow_emails())


def test_edited_entry_is_sent_once_as_it_reads_and_not_again(officer, ward_a, clock):
    priority = _followed_priority(ward_a, officer)
    entry = services.progress_add(
        actor=officer, priority=priority, happened_on=TODAY, text="Camera up.", visibility="public"
    )
    _edit(officer, entry, text="Camera up on the bridge.")
    follow.concern_follow_updates_send()
    before = len(_follow_emails())
    assert "Camera up on the bridge." in _follow_emails()[-1].body_text

    _edit(officer, entry, text="Camera up on the old bridge.")
    clock.shift(datetime.timedelta(days=1))
    follow.concern_follow_updates_send()

    assert len(_follow_emails()) == before


# A published monthly update that lists the entry


def _listed(update):
    update.refresh_from_db()
    return [e["text"] for w in update.content["wards"] for p in w["priorities"] for e in p["entries"]]


def test_withdrawn_entry_leaves_the_published_update_as_a_public_revision(sergeant, ward_a):
    from priorities.models import MonthlyUpdateRevision
    from tests.priorities.test_updates_services import make_priority, progress, publish

    entry = progress(make_priority(ward=ward_a, title="Speeding"), datetime.date(2026, 10, 3), text="Wrong street")
    kept = progress(entry.priority, datetime.date(2026, 10, 4), text="Speed checks")
    update = publish(ward_a.team)[0]

    services.progress_withdraw(actor=sergeant, entry=entry)

    assert _listed(update) == ["Speed checks"]
    assert update.revision == 2
    revision = MonthlyUpdateRevision.objects.get(update=update)
    assert revision.reason == "An action listed here was withdrawn by the team"
    assert "Wrong street" in str(revision.content)
    assert AuditEvent.objects.filter(action="priorities.monthly_update.entry_corrected", actor=sergeant).exists()
    assert kept.text == "Speed checks"


def test_edited_entry_is_corrected_in_the_published_update(sergeant, ward_a):
    from tests.priorities.test_updates_services import make_priority, progress, publish

    entry = progress(make_priority(ward=ward_a, title="Speeding"), datetime.date(2026, 10, 3), text="Sped checks")
    update = publish(ward_a.team)[0]

    _edit(sergeant, entry, text="Speed checks", officer=entry.officer)
    _edit(sergeant, entry, happened_on=datetime.date(2026, 10, 5), text="Speed checks", officer=entry.officer)

    assert _listed(update) == ["Speed checks"]
    assert update.revision == 2  # a change of date alone leaves the listed text as it is
