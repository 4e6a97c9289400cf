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
    assert page.get_by_text("This cannot be undone").is_visible()
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
