"""The service navigation and the home and ward pages it leads from (issue 13, item 8)."""

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.priorities.factories import SurveyFactory
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ward():
    team = TeamFactory(name="Rochester and Chatham")
    ward = WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)
    SurveyFactory(title="Chatham night-time safety").districts.add(ward.district)
    return ward


def test_home_and_ward_pages_pass_axe(page, ward):
    page.goto("/")
    assert page.locator('[aria-current="page"]').inner_text() == "Find your area"
    assert_accessible(page)

    page.goto(f"/wards/{ward.code}/")
    assert page.get_by_role("link", name="Chatham night-time safety").is_visible()
    assert_accessible(page)


def test_phone_menu_opens_by_keyboard_and_leads_to_surveys(mobile_page, ward):
    mobile_page.goto("/")
    toggle = mobile_page.get_by_role("button", name="Menu")
    toggle.focus()
    mobile_page.keyboard.press("Enter")
    link = mobile_page.get_by_role("link", name="Surveys")
    assert link.is_visible()
    link.focus()
    mobile_page.keyboard.press("Enter")
    mobile_page.wait_for_url(re.compile(r"/surveys/$"))
    assert mobile_page.locator('[aria-current="page"]').inner_text() == "Surveys"


def test_phone_menu_takes_its_place_before_its_script_runs(mobile_page, ward):
    # GOV.UK Frontend folds the phone menu only when its script runs, after the first paint,
    # and everything below the header jumps up (a layout shift; govuk-frontend issue 6031).
    # The folded menu's place is kept from the first paint instead, so the script moves nothing.
    script = re.compile(r"/govuk-frontend\.min\.[0-9a-f.]*js$")
    mobile_page.route(script, lambda route: route.abort())
    mobile_page.goto("/")
    menu = mobile_page.get_by_role("navigation", name="Menu")
    assert not menu.get_by_role("link", name="Surveys").is_visible()
    before = mobile_page.locator("#main-content").bounding_box()
    mobile_page.unroute(script)

    mobile_page.goto("/")
    mobile_page.locator("[data-govuk-service-navigation-init]").wait_for(state="attached")
    assert menu.get_by_role("button", name="Menu").is_visible()
    assert mobile_page.locator("#main-content").bounding_box() == before
