"""The quick exit works by keyboard (issue 13, item 5): Shift pressed three times, or Tab to the
button and Enter, leaves the page for the neutral one."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEUTRAL = re.compile(r"/weather/$")


@pytest.fixture
def ward():
    team = TeamFactory()
    return WardFactory(code="E05002160", team=team, district=team.district)


def test_shift_three_times_leaves_the_complaint_form(page):
    page.goto("/have-your-say/complaint/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL)
    expect(page.locator("h1")).to_have_text("Weather: what to expect this week")


def test_tab_to_the_button_and_enter_leaves_the_concern_form(page, ward):
    page.goto(f"/wards/{ward.code}/concerns/new/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('govuk-exit-this-page__button')"):
            break
    else:
        raise AssertionError("Tab never reached the Exit this page button")
    page.keyboard.press("Enter")
    page.wait_for_url(NEUTRAL)


def test_pages_with_the_quick_exit_pass_axe(page, ward):
    for url in ["/have-your-say/complaint/", f"/wards/{ward.code}/concerns/new/", "/weather/"]:
        page.goto(url)
        assert_accessible(page)
