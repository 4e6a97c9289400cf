"""A chair runs a ballot end to end in the browser, and the ballot pages pass axe-core."""

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.core.factories import UserFactory
from tests.priorities.factories import ballot_meeting
from tests.wards.factories import WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting():
    ward = WardFactory(code="E05002160", name="Chatham Central")
    user = UserFactory(username="pat", roles=["chair"])
    return ballot_meeting(ward, chair_user=user, members=3, concerns=4)


def _sign_in(page) -> None:
    sign_in(page, "pat", next_path="/staff/ballots/")


def _vote(page, member: str, *options: str) -> None:
    form = page.locator("form[action$='/vote/']")
    form.get_by_label("Member voting").select_option(label=member)
    for option in options:
        form.get_by_label(option).check()
    form.get_by_role("button", name="Record the vote").click()
    page.get_by_text(f"Vote of {member} recorded").wait_for()


def test_chair_runs_ballot_with_casting_vote_and_ward_page_shows_top_three(page, meeting):
    _sign_in(page)
    page.get_by_role("link", name=re.compile("Open a ballot")).click()
    page.get_by_label("Chatham Central").check()
    page.get_by_label("Each member present chooses up to three").check()
    assert_accessible(page)
    page.get_by_role("button", name="Open the ballot").click()
    page.get_by_text("Ballot opened for Chatham Central").wait_for()
    assert_accessible(page)

    _vote(page, "Member 1", "Concern 1.", "Concern 2.", "Concern 3.")
    _vote(page, "Member 2", "Concern 1.", "Concern 2.", "Concern 4.")
    _vote(page, "Member 3", "Concern 1.")
    assert page.get_by_role("heading", name="Tie for the third place").is_visible()
    assert_accessible(page)
    page.locator("form[action$='/casting-vote/']").get_by_label("Concern 4.").check()
    page.get_by_role("button", name="Record the casting vote").click()
    page.get_by_text("Casting vote recorded").wait_for()

    page.get_by_role("link", name="Close the ballot").click()
    assert page.get_by_text("together can undo this, by reopening the ballot").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Close the ballot").click()
    page.get_by_text("Ballot closed").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="See the public result").click()
    assert page.get_by_text("Tie for third place decided by the chair's casting vote (Pat Okafor)").is_visible()
    assert_accessible(page)

    page.goto("/wards/E05002160/")
    priorities = page.locator(".pact-priority h3").all_inner_texts()
    assert priorities == ["Concern 1.", "Concern 2.", "Concern 4."]
    assert_accessible(page)


# The elements reaching past the page's right edge, to name the culprit when a page scrolls sideways.
WIDER_THAN_PAGE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map((e) => `${e.tagName}.${e.className}`)"""


@pytest.fixture
def phone_page(browser, live_server):
    """The narrowest phone the pages must fit: 320 CSS px."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 700}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def _fits(page) -> None:
    """Accessible, and nothing pushes the page sideways on the phone."""
    assert_accessible(page)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if width[0] > width[1]:
        wide = page.evaluate(WIDER_THAN_PAGE)
        pytest.fail(f"{page.url} scrolls sideways: {width}; wider than the page: {wide}")


def test_chair_on_a_phone_corrects_options_and_decides_a_tie_when_counting_is_done(phone_page, meeting):
    page = phone_page
    _sign_in(page)
    page.get_by_role("link", name=re.compile("Open a ballot")).click()
    page.get_by_label("Chatham Central").check()
    page.get_by_label("Each member present chooses up to three").check()
    page.get_by_role("button", name="Open the ballot").click()
    page.get_by_text("Ballot opened for Chatham Central").wait_for()
    _fits(page)

    page.get_by_role("button", name="Remove Concern 4.").click()
    page.get_by_text("Option removed: Concern 4.").wait_for()
    page.get_by_label("Concern or priority to add").select_option(index=1)  # the one left off: Concern 4.
    page.get_by_role("button", name="Add the option").click()
    page.get_by_text("Option added: Concern 4.").wait_for()
    _fits(page)

    _vote(page, "Member 1", "Concern 1.", "Concern 2.", "Concern 3.")
    _vote(page, "Member 2", "Concern 1.", "Concern 2.", "Concern 4.")
    assert page.get_by_text("Change the options").count() == 0
    assert page.get_by_text("Tie for").count() == 0
    _fits(page)

    page.get_by_role("link", name="Close the ballot").click()
    assert page.get_by_text("2 votes recorded; 3 members present.").is_visible()
    assert page.get_by_text("Not every member present has voted").is_visible()
    assert page.get_by_role("heading", name="Tie for the third place").is_visible()
    _fits(page)
    page.locator("form[action$='/casting-vote/']").get_by_label("Concern 4.").check()
    page.get_by_role("button", name="Record the casting vote").click()
    page.get_by_text("Casting vote recorded").wait_for()
    page.get_by_role("button", name="Close the ballot").click()
    page.get_by_text("Ballot closed").wait_for()
    _fits(page)


def test_chair_on_a_phone_cancels_a_ballot_and_the_public_page_says_why(phone_page, meeting):
    page = phone_page
    _sign_in(page)
    page.get_by_role("link", name=re.compile("Open a ballot")).click()
    page.get_by_label("Chatham Central").check()
    page.get_by_label("Show of hands").check()
    page.get_by_role("button", name="Open the ballot").click()
    page.get_by_text("Ballot opened for Chatham Central").wait_for()
    result_path = page.url.replace("/staff/ballots/", "/ballots/")

    page.get_by_role("link", name="Cancel this ballot").click()
    _fits(page)
    page.get_by_label("Why is the ballot cancelled?").fill("Opened before the members arrived")
    page.get_by_role("button", name="Cancel the ballot").click()
    page.get_by_text("Ballot cancelled: you can open a new one at this meeting").wait_for()

    page.goto(result_path)
    assert page.get_by_text("Opened before the members arrived").is_visible()
    _fits(page)
