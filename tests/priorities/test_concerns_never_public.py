"""A rejected concern's words and its resident's address appear in no public response (issue 13,
"How it is checked").

Every public page that could mention a concern is crawled, following every link a visitor
could follow from the ward, its team, the meeting and the concern's own pages, with the API,
feeds and calendars: one concern was shortlisted and on a published agenda (its words public,
and the public pages cached) before it was rejected, another was rejected straight away.
"""

import datetime
import re
from collections import deque
from urllib.parse import urldefrag

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from priorities.models import Ballot
from priorities.services import agendas as agenda_services
from priorities.services import ballots as ballot_services
from priorities.services import concerns as services
from tests.priorities.factories import (
    CategoryFactory,
    ConcernFactory,
    MeetingFactory,
    PanelFactory,
    PriorityFactory,
    ballot_meeting,
)

pytestmark = pytest.mark.django_db

SHORTLISTED_TEXT = "Someone keeps dumping rubbish behind number 12 Mill Lane, it is Mr Jones at number 14."
SHORTLISTED_WHERE = "Behind 12 Mill Lane"
SHORTLISTED_EMAIL = "mill.lane.private@example.com"
RECEIVED_TEXT = "My neighbour Ann Smith at 3 Orchard Close parks across the dropped kerb every day."
RECEIVED_WHERE = "3 Orchard Close"
RECEIVED_EMAIL = "orchard.close.private@example.com"
SECRETS = (SHORTLISTED_TEXT, SHORTLISTED_WHERE, SHORTLISTED_EMAIL, RECEIVED_TEXT, RECEIVED_WHERE, RECEIVED_EMAIL)

# Not for visitors, or not about concerns: the staff area, the admin, files, and links that
# act for the person holding them (confirming an address, a subscription or an incident log).
SKIPPED = re.compile(r"^/(staff|admin|static|media|email|subscriptions|logs|events/support)/")
MOST_PAGES = 400


def _seeds(ward, team, meeting, concerns) -> list[str]:
    """Where a visitor starts: the site, the ward, its team, the meeting, each concern's own
    addresses (its follow code, and the short reference of its incident log), the API and feeds."""
    pages = [
        reverse("home"),
        reverse("wards:index"),
        reverse("wards:detail", args=[ward.code]),
        reverse("wards:team", args=[team.slug]),
        reverse("wards:search") + "?q=Mill+Lane",
        reverse("wards:place_suggestions") + "?q=Mill+Lane",
        reverse("priorities:ward_concerns", args=[ward.code]),
        reverse("priorities:ward_events", args=[ward.code]),
        reverse("priorities:ward_priorities", args=[ward.code]),
        reverse("priorities:ward_feed", args=[ward.code]),
        reverse("priorities:team_feed", args=[team.slug]),
        reverse("priorities:team_news", args=[team.slug]),
        reverse("priorities:update_archive", args=[team.slug]),
        reverse("priorities:update_feed", args=[team.slug]),
        reverse("priorities:event_detail", args=[meeting.uid]),
        reverse("priorities:meeting_support", args=[meeting.uid]),
        reverse("api:ward_detail", args=[ward.code]),
        reverse("api:priority_list"),
        reverse("api:event_list"),
        reverse("api:update_list"),
        reverse("policeuk:neighbourhood", args=[ward.code]),
        reverse("policeuk_priorities:events", args=[ward.code]),
        reverse("policeuk_priorities:priorities", args=[ward.code]),
    ]
    for concern in concerns:
        pages += [
            reverse("priorities:concern_status", args=[concern.follow_code]),
            reverse("priorities:concern_raised", args=[concern.follow_code]),
            reverse("priorities:concern_follow_lookup") + f"?code={concern.follow_code}",
            reverse("priorities:concern_satisfaction", args=[concern.follow_code]),
            reverse("priorities:incident_log_start", args=[concern.reference]),
        ]
    return pages


def _crawl(seeds: list[str]) -> dict[str, str]:
    """Every page reachable from ``seeds`` by the links on them (GET, as an anonymous visitor,
    redirects followed): address -> body."""
    client = Client()
    found: dict[str, str] = {}
    queue = deque(seeds)
    while queue and len(found) < MOST_PAGES:
        address = urldefrag(queue.popleft()).url
        if address in found or SKIPPED.match(address):
            continue
        response = client.get(address, follow=True)
        assert response.status_code in (200, 404), (address, response.status_code)
        body = response.content.decode()
        found[address] = body
        if "html" in response.get("Content-Type", ""):
            for link in re.findall(r'href="(/[^/"][^"]*|/)"', body):
                queue.append(link.replace("&amp;", "&"))
    assert len(found) < MOST_PAGES, "the crawl did not finish"
    return found


def _leaks(pages: dict[str, str], secrets=SECRETS) -> list[tuple[str, str]]:
    return [(address, secret) for address, body in pages.items() for secret in secrets if secret in body]


@pytest.fixture
def world(officer, ward_a, ward_b):
    category = CategoryFactory(slug="fly-tipping", name="Fly-tipping", is_police_uk=False)
    meeting = MeetingFactory(
        panel=PanelFactory(wards=[ward_a]),
        title="Abbey PACT meeting",
        starts_at=timezone.now().replace(microsecond=0) + datetime.timedelta(days=6),
    )
    ConcernFactory(ward=ward_a, status="accepted", description="Litter by the bus stop on the High Street.")
    PriorityFactory(ward=ward_a, title="Speeding on London Road")
    shortlisted = services.concern_raise(
        ward=ward_a,
        category=category,
        description=SHORTLISTED_TEXT,
        location_text=SHORTLISTED_WHERE,
        contact_email=SHORTLISTED_EMAIL,
        follow_by_email=True,
    )
    received = services.concern_raise(
        ward=ward_a,
        category=category,
        description=RECEIVED_TEXT,
        location_text=RECEIVED_WHERE,
        contact_email=RECEIVED_EMAIL,
        follow_by_email=True,
    )
    services.concern_shortlist(actor=officer, concern=shortlisted, meeting=meeting)
    agenda_services.agenda_publish(
        actor=officer, event_id=meeting.pk, matters_arising="Parking on Mill Road: done.", accessibility_notes=""
    )
    return ward_a, meeting, shortlisted, received


def test_a_rejected_concerns_words_and_address_are_in_no_public_response(officer, world):
    ward, meeting, shortlisted, received = world
    seeds = _seeds(ward, ward.team, meeting, [shortlisted, received])
    # Before: the shortlisted concern's words are public (and now cached), so the crawl can
    # find them where they are; the unpublished concern's and both addresses are nowhere.
    before = _crawl(seeds)
    shown = {address for address, _ in _leaks(before, [SHORTLISTED_TEXT])}
    assert reverse("priorities:event_detail", args=[meeting.uid]) in shown
    assert reverse("priorities:ward_concerns", args=[ward.code]) in shown
    assert reverse("priorities:concern_status", args=[shortlisted.follow_code]) in shown
    assert _leaks(before, [RECEIVED_TEXT, RECEIVED_WHERE, SHORTLISTED_EMAIL, RECEIVED_EMAIL]) == []

    reason = "This is for the council environmental team: we have passed it to them."
    services.concern_reject(actor=officer, concern=shortlisted, reason=reason)
    services.concern_reject(actor=officer, concern=received, reason="A matter between neighbours.")

    after = _crawl(seeds)
    assert _leaks(after) == []
    assert set(before) <= set(after)  # every page seen before was looked at again
    assert reason in after[reverse("priorities:concern_status", args=[shortlisted.follow_code])]


def test_a_concern_rejected_after_losing_the_vote_is_withheld_from_the_result(officer, chair, ward_a):
    # A concern that lost stays shortlisted, and may be rejected later: the public result of
    # the vote, which its status page links to, then no longer repeats its words.
    setup = ballot_meeting(ward_a, chair_user=chair)
    lost = setup.concerns[1]
    lost.description, lost.contact_email = SHORTLISTED_TEXT, SHORTLISTED_EMAIL
    lost.save(update_fields=["description", "contact_email"])
    ballot = ballot_services.ballot_open(
        actor=chair, meeting=setup.meeting, ward=ward_a, method=Ballot.Method.SHOW_OF_HANDS
    )
    counts = {option.pk: 0 if option.concern_id == lost.pk else 2 for option in ballot.options.all()}
    ballot_services.ballot_hands_record(actor=chair, ballot=ballot, people_voting=3, counts=counts)
    ballot_services.ballot_close(actor=chair, ballot=ballot)
    result = reverse("priorities:ballot_result", args=[ballot.pk])
    seeds = [reverse("priorities:concern_status", args=[lost.follow_code]), reverse("wards:detail", args=[ward_a.code])]
    assert result in {address for address, _ in _leaks(_crawl(seeds), [SHORTLISTED_TEXT])}

    services.concern_reject(actor=officer, concern=lost, reason="Passed to the council.")

    after = _crawl(seeds)
    assert result in after
    assert _leaks(after) == []
    assert "A concern the neighbourhood team later did not take forward" in after[result]
    assert "Concern 1." in after[result]  # the others stand
