"""Progress pages: the staff timeline and form, the partner's list, the public timeline and ward page."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from priorities.models import ProgressEntry
from priorities.selectors.priorities import ward_section
from tests.priorities.factories import (
    ChairFactory,
    PartnerAgencyFactory,
    PartnerUserFactory,
    PriorityFactory,
    ProgressEntryFactory,
)
from tests.wards.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority(ward_a):
    return PriorityFactory(
        ward=ward_a, slot=1, title="Speeding on the London Road", agreed_on=datetime.date(2026, 1, 5)
    )


@pytest.fixture
def council(priority):
    agency = PartnerAgencyFactory(name="Maidstone Borough Council")
    agency.wards.add(priority.ward)
    priority.partners.add(agency)
    return agency


def _urls(priority) -> list[str]:
    return [
        reverse("priorities:staff_progress", args=[priority.pk]),
        reverse("priorities:staff_progress_add", args=[priority.pk]),
    ]


def _post(today=None, **changes) -> dict:
    today = today or timezone.localdate()
    data = {
        "happened_on_0": today.day,
        "happened_on_1": today.month,
        "happened_on_2": today.year,
        "text": "Speed checks with the community speedwatch.",
        "visibility": "public",
    }
    return {**data, **changes}


# Who may use the staff pages


def test_progress_pages_refuse_outsider(client, outsider, priority):
    client.force_login(outsider)

    for url in _urls(priority):
        assert client.get(url).status_code == 403
        assert client.post(url, _post()).status_code == 403


def test_progress_pages_send_anonymous_to_sign_in(client, priority):
    for url in _urls(priority):
        assert client.get(url).status_code == 302


def test_progress_pages_hide_priority_from_officer_of_another_team(client, other_officer, priority):
    client.force_login(other_officer)

    for url in _urls(priority):
        assert client.get(url).status_code == 404
        assert client.post(url, _post()).status_code == 404
    assert not ProgressEntry.objects.exists()


def test_progress_pages_hide_priority_from_partner_of_another_agency(client, priority, council):
    client.force_login(PartnerUserFactory(agency=PartnerAgencyFactory(name="Golding Homes")).user)

    for url in _urls(priority):
        assert client.get(url).status_code == 404
        assert client.post(url, _post()).status_code == 404


def test_progress_pages_let_the_ward_chair_see_but_not_add(client, chair, priority, ward_a):
    ChairFactory(user=chair, panel__wards=[ward_a])
    client.force_login(chair)

    list_url, add_url = _urls(priority)
    assert client.get(list_url).status_code == 200
    assert client.get(add_url).status_code == 403


# Adding progress


def test_progress_add_page_adds_with_message_and_audit(client, officer, priority):
    client.force_login(officer)
    url = reverse("priorities:staff_progress_add", args=[priority.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, _post(by=f"officer-{officer.officer.pk}"))

    assert response.url == reverse("priorities:staff_progress", args=[priority.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Progress added to Speeding on the London Road"]
    entry = ProgressEntry.objects.get()
    assert (entry.officer, entry.author, entry.text) == (
        officer.officer,
        officer,
        "Speed checks with the community speedwatch.",
    )
    assert AuditEvent.objects.filter(action="priorities.progress.added", actor=officer).exists()


def test_progress_add_page_offers_team_officers_and_named_agencies(client, officer, priority, council, ward_b):
    OfficerFactory(team=ward_b.team, first_name="Other", last_name="Team")
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_progress_add", args=[priority.pk])).content.decode()

    assert str(officer.officer) in content
    assert "Maidstone Borough Council" in content
    assert "Other Team" not in content


def test_progress_add_page_by_partner_is_by_their_agency(client, priority, council):
    partner = PartnerUserFactory(agency=council).user
    client.force_login(partner)

    response = client.post(
        reverse("priorities:staff_progress_add", args=[priority.pk]), _post(by=f"agency-{council.pk}")
    )

    assert response.status_code == 302
    assert ProgressEntry.objects.get().agency == council


def test_progress_add_page_shows_errors(client, officer, priority):
    client.force_login(officer)
    future = timezone.localdate() + datetime.timedelta(days=2)

    response = client.post(
        reverse("priorities:staff_progress_add", args=[priority.pk]),
        _post(today=future, by=f"officer-{officer.officer.pk}"),
    )

    content = response.content.decode()
    assert "<title>Error: Add progress" in content
    assert "The date it was done must be today or in the past" in content
    assert not ProgressEntry.objects.exists()


def test_progress_add_page_without_text_says_so(client, officer, priority):
    client.force_login(officer)

    response = client.post(
        reverse("priorities:staff_progress_add", args=[priority.pk]), _post(text="", by=f"officer-{officer.officer.pk}")
    )

    assert "Enter what was done" in response.content.decode()


def test_progress_staff_list_shows_internal_entries(client, officer, priority):
    ProgressEntryFactory(priority=priority, text="Visible to all.")
    ProgressEntryFactory(priority=priority, text="Intelligence shared.", visibility="internal")
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_progress", args=[priority.pk])).content.decode()

    assert "Visible to all." in content
    assert "Intelligence shared." in content
    assert "Internal" in content


# The partner's staff home


def test_staff_home_lists_partner_priorities_with_add_progress(client, priority, council, ward_b):
    PriorityFactory(ward=ward_b, title="Not ours")
    client.force_login(PartnerUserFactory(agency=council).user)

    content = client.get(reverse("staff:home")).content.decode()

    assert "Speeding on the London Road" in content
    assert reverse("priorities:staff_progress_add", args=[priority.pk]) in content
    assert "Not ours" not in content


def test_staff_home_partner_with_no_priorities_says_so(client, council):
    client.force_login(PartnerUserFactory(agency=PartnerAgencyFactory(name="Golding Homes")).user)

    assert "Golding Homes is not named on any current priority" in client.get(reverse("staff:home")).content.decode()


def test_staff_priority_edit_links_to_add_progress(client, officer, priority):
    client.force_login(officer)

    content = client.get(reverse("priorities:staff_priority_edit", args=[priority.pk])).content.decode()

    assert reverse("priorities:staff_progress_add", args=[priority.pk]) in content


# Public pages


def test_priority_page_shows_public_timeline_newest_first(client, priority, ward_a, council):
    isla = OfficerFactory(team=ward_a.team, rank="pc", first_name="Isla", last_name="Jackson", email="isla@x.invalid")
    ProgressEntryFactory(priority=priority, officer=isla, happened_on=datetime.date(2026, 2, 3), text="Older patrol.")
    ProgressEntryFactory(
        priority=priority, officer=None, agency=council, happened_on=datetime.date(2026, 3, 4), text="Signs put up."
    )
    ProgressEntryFactory(priority=priority, visibility="internal", text="Secret intelligence.")

    content = client.get(reverse("priorities:priority_detail", args=[priority.pk])).content.decode()

    assert content.index("Signs put up.") < content.index("Older patrol.")
    assert "By PC Isla Jackson" in content
    assert "By Maidstone Borough Council" in content
    assert "Tuesday 3 February 2026" in content
    assert "Secret intelligence." not in content
    assert "isla@x.invalid" not in content


def test_priority_page_without_progress_says_so(client, priority):
    content = client.get(reverse("priorities:priority_detail", args=[priority.pk])).content.decode()

    assert "Nothing has been reported about this priority yet." in content


@pytest.mark.parametrize("entries", [3, 30])
def test_priority_page_timeline_runs_fixed_queries(client, django_assert_num_queries, priority, entries):
    ProgressEntryFactory.create_batch(entries, priority=priority)

    # 1 the priority with ward, category, plan priority, meeting, lead officer, 2 its partners,
    # 3 its public entries with their officer and agency
    with django_assert_num_queries(3):
        response = client.get(reverse("priorities:priority_detail", args=[priority.pk]))

    assert response.content.decode().count('class="pact-progress') == entries


def test_priority_page_shows_new_progress_after_it_was_cached(client, officer, priority):
    url = reverse("priorities:priority_detail", args=[priority.pk])
    client.get(url)

    ProgressEntryFactory(priority=priority, text="Fresh news.")

    assert "Fresh news." in client.get(url).content.decode()


def test_ward_page_shows_latest_public_action_of_each_priority(client, priority, ward_a):
    ProgressEntryFactory(priority=priority, happened_on=datetime.date(2026, 2, 1), text="First patrol.")
    ProgressEntryFactory(priority=priority, happened_on=datetime.date(2026, 3, 9), text="Speed camera van visit.")
    ProgressEntryFactory(
        priority=priority, happened_on=datetime.date(2026, 3, 10), text="Hidden.", visibility="internal"
    )
    PriorityFactory(ward=ward_a, slot=2, title="Litter by the park")

    content = client.get(reverse("wards:detail", args=[ward_a.code])).content.decode()

    assert "9 March 2026: Speed camera van visit." in content
    assert "First patrol." not in content
    assert "Hidden." not in content
    assert "Nothing reported yet" in content


@pytest.mark.parametrize("entries", [3, 30])
def test_ward_page_priorities_section_runs_fixed_queries(django_assert_num_queries, ward_a, entries):
    for slot in (1, 2, 3):
        ProgressEntryFactory.create_batch(entries // 3, priority=PriorityFactory(ward=ward_a, slot=slot))

    # 1 latest closed ballot, 2 current priorities with their latest public action and its
    # date (subqueries); the whole ward page's count is asserted in tests/wards/test_pages.py
    with django_assert_num_queries(2):
        html = render_to_string("priorities/sections/_ward_priorities.html", {"ward": ward_a, **ward_section(ward_a)})

    assert html.count('class="pact-priority"') == 3
    assert html.count("Patrols at the shops on Friday and Saturday evenings.") == 3
