"""The ward page's crime figures in Chromium: axe-core and the keyboard."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.wards.factories import (
    CrimeCategoryFactory,
    CrimeMonthFactory,
    TeamFactory,
    WardCrimeCountFactory,
    WardFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATEGORIES = (
    ("anti-social-behaviour", "Anti-social behaviour"),
    ("burglary", "Burglary"),
    ("violent-crime", "Violence and sexual offences"),
    ("drugs", "Drugs"),
)


@pytest.fixture
def ward_with_figures():
    team = TeamFactory(name="Rochester and Chatham")
    ward = WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)
    categories = [CrimeCategoryFactory(slug=slug, name=name) for slug, name in CATEGORIES]
    for number in range(1, 7):
        month = CrimeMonthFactory(month=datetime.date(2019, number, 1))
        for position, category in enumerate(categories):
            if position < 3:  # drugs: none at all, a zero bar
                WardCrimeCountFactory(ward=ward, month=month, category=category, count=number * (position + 1))
    return ward


def test_ward_page_crime_figures_are_accessible_and_reachable_by_keyboard(page, ward_with_figures):
    page.goto(f"/wards/{ward_with_figures.code}/")

    expect(page.get_by_role("heading", name="Crime and anti-social behaviour")).to_be_visible()
    # Folded on the ward page (issue 13, phone first): opened from the keyboard.
    chart = page.get_by_role("img", name="Bar chart of crimes by category in Chatham Central")
    expect(chart).to_be_hidden()
    page.locator("summary", has_text="Show crime and anti-social behaviour").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="Bar chart of crimes by category in Chatham Central")).to_be_visible()
    table = page.get_by_role("table", name="Crimes by category in Chatham Central, April to June 2019")
    expect(table.get_by_role("row", name="Burglary 30 12 Up 18")).to_be_visible()
    assert_accessible(page)

    link = page.get_by_role("link", name="Search for a street on police.uk to see crimes on a map")
    for _ in range(80):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Keyboard focus never reached the police.uk link")
