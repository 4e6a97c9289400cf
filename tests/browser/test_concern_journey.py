"""A resident follows their concern from the form to "How did we do?" on a phone (issue 13).

They raise it asking to be told, confirm their address from the email, and then only read
their emails and follow the links in them, while the team shortlists it, publishes the
meeting's agenda, the panel votes, progress is recorded and the priority is resolved (staff
steps through the services, as the staff pages do). Every page the resident sees passes axe
and fits a 390 CSS px phone; each change is one email, and nothing reaches the address
before it is confirmed.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from core.models import OutboundEmail
from feedback.models import Feedback
from priorities.models import Ballot, Concern, Priority
from priorities.services import agendas as agenda_services
from priorities.services import ballots as ballot_services
from priorities.services import concerns as concern_services
from priorities.services import priorities as priority_services
from priorities.services import progress as progress_services
from priorities.services.concern_follow import concern_follow_updates_send
from priorities.tasks import agenda_emails_start_task
from tests.browser.conftest import assert_accessible
from tests.priorities.factories import (
    CategoryFactory,
    ChairFactory,
    ConcernFactory,
    EventAttendanceFactory,
    MeetingFactory,
    PanelFactory,
    PanelMemberFactory,
    SubscriptionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
EMAIL = "mill.lane.resident@example.org"
TEXT = "Vans dump rubbish behind the shops on Mill Lane most nights."
AGENDA_NOTE = "Step-free entrance from the car park; a hearing loop in the main hall."
PROGRESS = "Cameras installed behind the shops; two vans stopped and the drivers fined."
OUTCOME = "No fly-tipping reported behind the shops for three months."


def _shoot(page, name):
    folder = os.environ.get("PACT_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"journey-{name}.png"), full_page=True)


def _look(page, name):
    """What every page of the journey must be: nothing wider than the phone, nothing axe finds."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the document is {width} px wide on a {PHONE['width']} px phone"
    assert_accessible(page)
    _shoot(page, name)


class Inbox:
    """The resident's mail: the outbox rows on their way to their address (not those held until it
    is confirmed), read once each, in order."""

    def __init__(self):
        self.seen: set[int] = set()

    def new(self) -> list[OutboundEmail]:
        emails = list(
            OutboundEmail.objects.filter(to=EMAIL)
            .exclude(status=OutboundEmail.Status.HELD)
            .exclude(pk__in=self.seen)
            .order_by("pk")
        )
        self.seen.update(email.pk for email in emails)
        return emails

    def one(self) -> OutboundEmail:
        """The one new email: one email per change, never two."""
        emails = self.new()
        assert len(emails) == 1, [email.subject for email in emails]
        return emails[0]


def _link(email: OutboundEmail, pattern: str) -> str:
    """The path of the first link in the email's text that matches ``pattern`` (the email's links
    name the configured site; the browser opens the same path on the test server)."""
    for url in re.findall(r"https?://\S+", email.body_text):
        path = re.sub(r"^https?://[^/]+", "", url)
        if re.search(pattern, path):
            return path
    raise AssertionError(f"no link matching {pattern} in:\n{email.body_text}")


def _open(page, path: str) -> None:
    """Open a link from an email, as a new tab would: a fresh load even when only the fragment
    differs from the page already shown."""
    page.goto("about:blank")
    page.goto(path)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def test_a_resident_follows_their_concern_from_raising_it_to_saying_how_we_did(
    phone, ward_a, officer, chair, celery_eager
):
    page, inbox = phone, Inbox()
    CategoryFactory(slug="fly-tipping", name="Fly-tipping", is_police_uk=False)
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=6)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]), starts_at=starts_at, title="Abbey PACT meeting")
    ChairFactory(panel=meeting.panel, user=chair)
    SubscriptionFactory(email=EMAIL, ward=ward_a)  # the resident also has the ward's news
    neighbours = ConcernFactory(
        ward=ward_a, status=Concern.Status.SHORTLISTED, shortlisted_for=meeting, description="Speeding on Mill Road."
    )
    day = timezone.localdate()

    # Raise: from the ward page, asking to be told what happens.
    page.goto(f"/wards/{ward_a.code}/")
    _look(page, "ward")
    page.get_by_role("button", name="Raise a local concern").click()
    page.wait_for_url(re.compile(rf"/wards/{ward_a.code}/concerns/new/$"))
    _look(page, "form")
    page.get_by_label("What is the concern about?").select_option(label="Fly-tipping")
    page.get_by_label("Describe the concern").fill(TEXT)
    page.get_by_label("Where does it happen? (optional)").fill("Mill Lane")
    page.get_by_label("Email address (optional)").fill(EMAIL)
    page.get_by_label("Email me when my concern moves").check()
    page.get_by_role("button", name="Send concern").click()
    page.wait_for_url(re.compile(r"/concerns/[A-Z2-9]{4}(-[A-Z2-9]{4}){3}/sent/$"))
    concern = Concern.objects.get(description=TEXT)
    assert concern.reference in page.locator(".govuk-panel").inner_text()
    _look(page, "sent")

    # Confirm the address: the only email sent to it so far is the request to confirm it.
    request = inbox.one()
    assert "Confirm your email address" in request.subject
    assert OutboundEmail.objects.filter(to=EMAIL, status=OutboundEmail.Status.HELD).count() == 1
    assert concern_follow_updates_send(today=day) == 0  # nothing more while it is unconfirmed
    _open(page, _link(request, r"^/email/confirm/"))
    _look(page, "confirm")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Email address confirmed").wait_for()
    _look(page, "confirmed")
    first = inbox.one()  # the first news, released
    assert "we will tell you what happens" in first.subject
    _open(page, _link(first, rf"^/concerns/{concern.follow_code}/$"))
    assert "Received" in page.locator("main").inner_text()
    assert TEXT not in page.content()  # not published yet
    _look(page, "status-received")

    # Shortlisted for the meeting: one email, whose link leads to the meeting.
    concern_services.concern_shortlist(actor=officer, concern=concern, meeting=meeting)
    assert concern_follow_updates_send(today=day) == 1
    email = inbox.one()
    assert "shortlisted for the PACT meeting at Abbey PACT meeting" in email.body_text
    _open(page, _link(email, rf"^/concerns/{concern.follow_code}/$"))
    _look(page, "status-shortlisted")
    page.get_by_role("link", name="Abbey PACT meeting").click()
    page.wait_for_url(re.compile(rf"/events/{meeting.uid}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Abbey PACT meeting"
    _look(page, "meeting")

    # The agenda: published a week before, emailed once to the ward's subscribers (two beats),
    # and the concern's next email says it is on it.
    agenda_services.agenda_publish(
        actor=officer,
        event_id=meeting.pk,
        matters_arising="Parking on Mill Lane: done.",
        accessibility_notes=AGENDA_NOTE,
    )
    assert agenda_emails_start_task() == 1
    agenda_emails_start_task()
    email = inbox.one()
    assert TEXT in email.body_text
    assert AGENDA_NOTE in email.body_text
    _open(page, _link(email, rf"^/events/{meeting.uid}/$"))
    assert TEXT in page.content()
    assert AGENDA_NOTE in page.content()
    _look(page, "meeting-agenda")
    assert concern_follow_updates_send(today=day + datetime.timedelta(days=1)) == 1
    email = inbox.one()
    assert "on the published agenda of the PACT meeting at Abbey PACT meeting" in email.body_text
    _open(page, _link(email, rf"^/concerns/{concern.follow_code}/$"))
    page.get_by_role("link", name="Abbey PACT meeting").last.click()
    page.wait_for_url(re.compile(rf"/events/{meeting.uid}/#agenda$"))

    # The meeting is held and the panel votes by a show of hands: adopted as a priority.
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=2)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(hours=1)
    meeting.save(update_fields=["starts_at", "ends_at"])
    for n in (1, 2, 3):
        EventAttendanceFactory(event=meeting, member=PanelMemberFactory(panel=meeting.panel, name=f"Member {n}"))
    ballot = ballot_services.ballot_open(actor=chair, meeting=meeting, ward=ward_a, method=Ballot.Method.SHOW_OF_HANDS)
    counts = {option.pk: 3 if option.concern_id == concern.pk else 1 for option in ballot.options.all()}
    ballot_services.ballot_hands_record(actor=chair, ballot=ballot, people_voting=3, counts=counts)
    ballot_services.ballot_close(actor=chair, ballot=ballot)
    priority = Priority.objects.get(concern=concern)
    assert Priority.objects.get(concern=neighbours).slot != priority.slot
    assert concern_follow_updates_send(today=day + datetime.timedelta(days=2)) == 1
    email = inbox.one()
    assert "chosen by the panel's vote at Abbey PACT meeting: it is now a priority" in email.body_text
    _open(page, _link(email, rf"^/concerns/{concern.follow_code}/$"))
    _look(page, "status-adopted")
    page.get_by_role("link", name=priority.title).click()
    page.wait_for_url(re.compile(rf"/priorities/{priority.pk}/$"))
    _look(page, "priority")

    # Progress on the priority: one email, and the status page shows it.
    progress_services.progress_add(
        actor=officer, priority=priority, happened_on=timezone.localdate(), text=PROGRESS, visibility="public"
    )
    progress_services.progress_add(
        actor=officer,
        priority=priority,
        happened_on=timezone.localdate(),
        text="Internal: CCTV log.",
        visibility="internal",
    )
    assert concern_follow_updates_send(today=day + datetime.timedelta(days=3)) == 1
    email = inbox.one()
    assert PROGRESS in email.body_text
    assert "Internal" not in email.body_text
    assert "How did we do?" not in email.body_text
    _open(page, _link(email, rf"^/concerns/{concern.follow_code}/$"))
    assert PROGRESS in page.content()
    assert "How did we do?" not in page.content()
    _look(page, "status-progress")

    # Resolved: the last email says what was achieved and asks how we did.
    priority_services.priority_resolve(actor=officer, priority=priority, outcome=OUTCOME)
    assert concern_follow_updates_send(today=day + datetime.timedelta(days=4)) == 1
    email = inbox.one()
    assert OUTCOME in email.body_text
    assert "This is the last email about this concern" in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    _open(page, _link(email, rf"^/concerns/{concern.follow_code}/#how-did-we-do$"))
    assert OUTCOME in page.content()
    _look(page, "status-resolved")

    # How did we do? Answered once, on the status page.
    page.get_by_label("4: Satisfied").check()
    page.get_by_label("Partly").check()
    page.get_by_label("Anything you would like to add? (optional)").fill("Much better, though it still happens.")
    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_url(re.compile(r"\?answered=1#how-did-we-do$"))
    assert "Thank you: your answer has been sent" in page.locator(".govuk-notification-banner").inner_text()
    assert "Send your answer" not in page.content()
    _look(page, "satisfaction-thanks")
    answer = Feedback.objects.get(kind=Feedback.Kind.SATISFACTION)
    assert (answer.concern_score, answer.concern_fixed) == (4, "partly")
    assert EMAIL not in page.content()

    # Nothing more: the end was the last email, and the stop link still works.
    assert concern_follow_updates_send(today=day + datetime.timedelta(days=5)) == 0
    _open(page, _link(email, r"^/concerns/stop/"))
    _look(page, "stop")
    page.get_by_role("button", name="Stop the emails").click()
    page.get_by_role("heading", name="Emails stopped").wait_for()
    _look(page, "stopped")
    concern.refresh_from_db()
    assert concern.follow_stopped_at is not None
    assert inbox.new() == []
