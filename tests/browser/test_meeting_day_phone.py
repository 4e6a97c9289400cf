"""Meeting day on a phone held upright (320 CSS px): a chair moves the meeting, records who came,
runs the ballot through a tie and a casting vote, names the new priorities and their leads, and
reads the public result. Every page passes axe-core and none scrolls sideways."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from priorities.models import Concern, Event, Priority
from tests.browser.conftest import assert_accessible, sign_in
from tests.core.factories import UserFactory
from tests.priorities.factories import ChairFactory, ConcernFactory, MeetingFactory, PanelFactory, PanelMemberFactory
from tests.wards.factories import OfficerFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONCERNS = [
    "Cars race along the High Street past the primary school every evening after six.",
    "People are dealing drugs in the car park behind the shops.",
    "Vans park on the pavement so prams and wheelchairs have to go in the road.",
    "Graffiti on the underpass keeps coming back.",
]
# The elements reaching past the page's right edge, to name the culprit when a page scrolls sideways.
WIDER_THAN_PAGE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map((e) => `${e.tagName}.${e.className}`)"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def meeting():
    """Next week's meeting of the Chatham panel, its four concerns shortlisted; a constable of the team."""
    ward = WardFactory(code="E05002160", name="Chatham Central")
    panel = PanelFactory(wards=[ward], name="Chatham PACT panel")
    ChairFactory(panel=panel, name="Pat Okafor", user=UserFactory(username="pat", roles=["chair"]))
    for number in (1, 2, 3):
        PanelMemberFactory(panel=panel, name=f"Member {number}")
    OfficerFactory(team=ward.team, first_name="Dana", last_name="Adeyemi", rank="pc")
    day = timezone.localdate() + datetime.timedelta(days=7)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19)))
    event = MeetingFactory(
        panel=panel, title="Chatham PACT meeting", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    event.wards.set([ward])
    for description in CONCERNS:
        ConcernFactory(ward=ward, description=description, status=Concern.Status.SHORTLISTED, shortlisted_for=event)
    return event


def _fits(page) -> None:
    """Accessible, and the document is no wider than the 320 px screen."""
    assert_accessible(page)
    scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert client == 320
    if scroll > client:
        pytest.fail(f"{page.url} scrolls sideways: {scroll} > {client}; wider: {page.evaluate(WIDER_THAN_PAGE)}")


def _vote(page, member: str, *options: str) -> None:
    form = page.locator("form[action$='/vote/']")
    form.get_by_label("Member voting").select_option(label=member)
    for option in options:
        form.get_by_label(option).check()
    form.get_by_role("button", name="Record the vote").click()
    page.get_by_text(f"Vote of {member} recorded").wait_for()


def _short(description: str) -> str:
    return description.split(".")[0] + "."


def test_a_chair_runs_meeting_day_from_a_phone(phone, meeting):
    page = phone
    sign_in(page, "pat", next_path="/staff/events/")
    _fits(page)

    # Move: the meeting is a day later; its shortlist goes with it.
    new_day = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=1)
    page.get_by_role("link", name="Move Chatham PACT meeting").click()
    _fits(page)
    page.get_by_label("Day").fill(str(new_day.day))
    page.get_by_label("Month").fill(str(new_day.month))
    page.get_by_label("Year").fill(str(new_day.year))
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("End time").fill("21:00")
    page.get_by_role("button", name="Move event").click()
    page.get_by_text("Chatham PACT meeting has been moved").wait_for()
    _fits(page)

    evening = timezone.make_aware(datetime.datetime.combine(new_day, datetime.time(20, 30)))
    with time_machine.travel(evening, tick=True):
        sign_in(page, "pat", next_path="/staff/events/")  # a week on, the earlier session has expired

        # Attendance, saved in one submission; the page keeps the ticks if anything is wrong.
        page.get_by_role("link", name="Record attendance and minutes of Chatham PACT meeting").click()
        _fits(page)
        for number in (1, 2, 3):
            page.get_by_label(f"Member {number}").check()
        page.get_by_label("Minutes").fill("Residents raised four concerns; the panel voted.")
        page.get_by_role("button", name="Save attendance and minutes").click()
        page.get_by_text("have been recorded").wait_for()

        # The ballot, with the shortlist of the moved meeting.
        page.goto("/staff/ballots/")
        _fits(page)
        page.get_by_role("link", name=re.compile("Open a ballot")).click()
        _fits(page)
        page.get_by_label("Chatham Central").check()
        page.get_by_label("Each member present chooses up to three").check()
        page.get_by_role("button", name="Open the ballot").click()
        page.get_by_text("Ballot opened for Chatham Central").wait_for()
        _fits(page)
        speeding, drugs, parking, graffiti = (_short(text) for text in CONCERNS)
        _vote(page, "Member 1", speeding, drugs, parking)
        _vote(page, "Member 2", speeding, drugs, graffiti)
        assert page.get_by_text("Tie for").count() == 0  # two of three votes in: no tie yet
        _vote(page, "Member 3", speeding)
        assert page.get_by_role("heading", name="Tie for the third place").is_visible()
        _fits(page)
        page.locator("form[action$='/casting-vote/']").get_by_label(graffiti).check()
        page.get_by_role("button", name="Record the casting vote").click()
        page.get_by_text("Casting vote recorded").wait_for()
        _fits(page)

        page.get_by_role("link", name="Close the ballot").click()
        assert page.get_by_text("3 votes recorded; 3 members present.").is_visible()
        _fits(page)
        page.get_by_role("button", name="Close the ballot").click()
        page.get_by_text("Ballot closed").wait_for()

        # Adoption: a short title for each, a lead for two, the third left for the sergeant.
        assert page.get_by_role("heading", name="Name the new priorities").is_visible()
        _fits(page)
        sections = page.locator("section[id^=priority-]")
        assert sections.count() == 3
        titles = ["Speeding by the school", "Drug dealing behind the shops", "Underpass graffiti"]
        for index, title in enumerate(titles):
            section = page.locator("section[id^=priority-]").nth(index)
            section.get_by_label("Short title").fill(title)
            if index < 2:
                section.get_by_label("Lead officer").select_option(label="Police Constable Dana Adeyemi")
            section.get_by_role("button", name=re.compile("Save")).click()
            page.get_by_text(f"Saved: {title}").wait_for()
        _fits(page)
        # An empty title is refused with a message, and the other fields keep their input.
        section = page.locator("section[id^=priority-]").nth(2)
        section.get_by_label("Short title").fill("")
        section.get_by_label("Lead officer").select_option(label="Police Constable Dana Adeyemi")
        section.get_by_role("button", name=re.compile("Save")).click()
        page.get_by_role("heading", name="There is a problem").wait_for()
        assert page.locator("section[id^=priority-]").nth(2).get_by_label("Lead officer").input_value() != ""
        _fits(page)

        page.get_by_role("link", name="See the public result").click()
        assert page.get_by_text("Tie for third place decided by the chair's casting vote (Pat Okafor)").is_visible()
        assert page.get_by_role("link", name="Speeding by the school").is_visible()
        assert page.get_by_text("lead officer not yet named").is_visible()
        _fits(page)

    priorities = Priority.objects.filter(ward__code="E05002160", status="current").order_by("slot")
    assert [p.title for p in priorities] == titles
    assert [p.description for p in priorities] == [CONCERNS[0], CONCERNS[1], CONCERNS[3]]
    assert [bool(p.lead_officer_id) for p in priorities] == [True, True, False]
    assert Event.objects.get(pk=meeting.pk).priorities_agreed.count() == 3


def test_the_reopen_and_priority_pages_fit_a_phone(phone, meeting, browser, live_server):
    """The pages after the meeting: the priority's public page with the resident's words; the
    chair asks for the ballot to be reopened, the sergeant confirms, the result says so."""
    from priorities.models import Ballot
    from priorities.services import ballots
    from tests.priorities.factories import EventAttendanceFactory

    Event.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now()
    )
    meeting.refresh_from_db()
    chair = meeting.panel.members.get(role="chair").user
    ward = meeting.wards.get()
    members = list(meeting.panel.members.exclude(role="chair"))
    for member in members:
        EventAttendanceFactory(event=meeting, member=member)
    ballot = ballots.ballot_open(actor=chair, meeting=meeting, ward=ward, method=Ballot.Method.MEMBERS)
    options = list(ballot.options.order_by("pk"))
    for member in members:
        ballots.ballot_vote_record(actor=chair, ballot=ballot, member=member, options=options[:3])
    ballots.ballot_close(actor=chair, ballot=ballot)
    page = phone

    priority = Priority.objects.get(ward=ward, slot=1)
    Priority.objects.filter(pk=priority.pk).update(title="Speeding by the school")
    page.goto(f"/priorities/{priority.pk}/")
    assert page.get_by_text("Raised by a resident").is_visible()
    assert page.get_by_text(CONCERNS[0]).is_visible()
    _fits(page)
    sign_in(page, "pat", next_path=f"/staff/ballots/{ballot.pk}/reopen/")
    _fits(page)
    page.get_by_label("Why should the ballot be reopened?").fill("Member 3's vote was written on the wrong sheet")
    page.get_by_role("button", name="Ask to reopen the ballot").click()
    page.get_by_text("Reopening asked for").wait_for()
    _fits(page)

    OfficerFactory(
        team=ward.team,
        first_name="Sam",
        last_name="Reid",
        rank="sergeant",
        user=UserFactory(username="sam", roles=["officer"]),
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640}, is_mobile=True)
    sergeant = context.new_page()
    sign_in(sergeant, "sam", next_path=f"/staff/ballots/{ballot.pk}/reopen/")
    _fits(sergeant)
    sergeant.get_by_role("button", name="Confirm and reopen the ballot").click()
    sergeant.get_by_text("Ballot reopened").wait_for()
    sergeant.goto(f"/ballots/{ballot.pk}/")
    assert sergeant.get_by_text("asked by the chair, Pat Okafor, confirmed by Sergeant Sam Reid").is_visible()
    _fits(sergeant)
    context.close()
