"""A chair runs a whole PACT meeting in the browser: schedule it, shortlist the concerns
residents raised, record who came, run the ballot through a tie, and see the new top three
on the public ward page."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from priorities.models import Priority
from tests.browser.conftest import assert_accessible, sign_in
from tests.core.factories import UserFactory
from tests.priorities.factories import (
    ChairFactory,
    ConcernFactory,
    PanelFactory,
    PanelMemberFactory,
    PriorityFactory,
)
from tests.wards.factories import WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
CONCERNS = ["Speeding past the school.", "Drug dealing in the car park.", "Pavement parking.", "Graffiti."]


@pytest.fixture
def ward():
    ward = WardFactory(code="E05002160", name="Chatham Central")
    panel = PanelFactory(wards=[ward], name="Chatham PACT panel")
    ChairFactory(panel=panel, name="Pat Okafor", user=UserFactory(username="pat", roles=["chair"]))
    for number in (1, 2, 3):
        PanelMemberFactory(panel=panel, name=f"Member {number}")
    for description in CONCERNS:
        ConcernFactory(ward=ward, description=description)
    return ward


def _schedule(page, day: datetime.date) -> None:
    page.get_by_role("link", name="Schedule a meeting or surgery").click()
    page.get_by_label("PACT meeting", exact=True).check()
    page.get_by_label("Title").fill("Chatham PACT meeting")
    page.get_by_label("Chatham Central").check()
    page.get_by_label("Panel (PACT meetings only)").select_option(label="Chatham PACT panel")
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("End time").fill("20:30")
    page.get_by_role("button", name="Schedule event").click()
    page.get_by_text("scheduled", exact=False).first.wait_for()


def _shortlist_all(page) -> None:
    for description in CONCERNS:
        page.goto("/staff/concerns/")
        page.locator("tr", has_text=description).get_by_role("link").first.click()
        page.get_by_label("PACT meeting").select_option(index=1)
        page.get_by_role("button", name="Shortlist").click()
        page.get_by_text("shortlisted", exact=False).first.wait_for()


def _record_held(page) -> None:
    page.goto("/staff/")
    page.get_by_role("link", name=re.compile("Record Chatham PACT meeting")).click()
    for number in (1, 2, 3):
        page.get_by_label(f"Member {number}").check()
    page.get_by_label("Minutes").fill("Residents raised four concerns; the panel voted.")
    page.get_by_role("button", name="Save attendance and minutes").click()
    page.get_by_text("held", exact=False).first.wait_for()


def _vote(page, member: str, *options: str) -> None:
    form = page.locator("form[action$='/vote/']")
    form.get_by_label("Member voting").select_option(label=member)
    for option in options:
        form.get_by_label(option).check()
    form.get_by_role("button", name="Record the vote").click()
    page.get_by_text(f"Vote of {member} recorded").wait_for()


def _run_ballot(page) -> None:
    page.goto("/staff/ballots/")
    page.get_by_role("link", name=re.compile("Open a ballot")).click()
    page.get_by_label("Chatham Central").check()
    page.get_by_label("Each member present chooses up to three").check()
    page.get_by_role("button", name="Open the ballot").click()
    page.get_by_text("Ballot opened for Chatham Central").wait_for()
    speeding, drugs, parking, graffiti = CONCERNS
    _vote(page, "Member 1", speeding, drugs, parking)
    _vote(page, "Member 2", speeding, drugs, graffiti)
    _vote(page, "Member 3", speeding)
    assert page.get_by_role("heading", name="Tie for the third place").is_visible()
    page.locator("form[action$='/casting-vote/']").get_by_label(graffiti).check()
    page.get_by_role("button", name="Record the casting vote").click()
    page.get_by_text("Casting vote recorded").wait_for()
    page.get_by_role("link", name="Close the ballot").click()
    page.get_by_role("button", name="Close the ballot").click()
    page.get_by_text("Ballot closed").wait_for()


def test_chair_runs_a_whole_meeting_and_the_ward_shows_its_new_top_three(page, ward):
    meeting_day = timezone.localdate() + datetime.timedelta(days=7)
    sign_in(page, "pat")
    _schedule(page, meeting_day)
    _shortlist_all(page)

    # The evening of the meeting: the server's clock moves on; the browser's does not matter.
    evening = timezone.make_aware(datetime.datetime.combine(meeting_day, datetime.time(21)))
    with time_machine.travel(evening, tick=True):
        sign_in(page, "pat")  # a week on, the earlier session has expired
        _record_held(page)
        _run_ballot(page)

        page.goto("/wards/E05002160/")
        priorities = page.locator(".pact-priority h3").all_inner_texts()

    assert priorities == [CONCERNS[0], CONCERNS[1], CONCERNS[3]]


@pytest.fixture
def history(ward):
    """The ward after its meeting: three current priorities and one resolved."""
    current = [PriorityFactory(ward=ward, slot=slot, title=f"Priority {slot}") for slot in (1, 2, 3)]
    PriorityFactory(
        ward=ward, slot=1, title="Old priority", status=Priority.Status.RESOLVED,
        outcome="Patrols stopped the problem.", ended_on=datetime.date(2026, 6, 1),
    )  # fmt: skip
    return current


@pytest.mark.parametrize("path", ["/priorities/{pk}/", "/wards/E05002160/priorities/"])
def test_priority_pages_have_no_wcag_violations(page, history, path):
    page.goto(path.format(pk=history[0].pk))

    assert_accessible(page)
