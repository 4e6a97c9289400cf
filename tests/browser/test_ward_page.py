"""The ward page on a phone (issue 13, item 7; issue 14, item 4): what a resident came for comes
first, the rest is folded, nothing scrolls sideways, and axe-core finds nothing."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.priorities.factories import (
    ConcernFactory,
    MeetingFactory,
    NewsItemFactory,
    PanelFactory,
    PriorityFactory,
    ProgressEntryFactory,
)
from tests.wards.factories import (
    CrimeCategoryFactory,
    CrimeMonthFactory,
    OfficerFactory,
    TeamFactory,
    WardCrimeCountFactory,
    WardFactory,
)
from wards.models import Officer, OfficerWard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("PACT_SCREENSHOTS")  # a folder to save the phone screenshot in, if set


@pytest.fixture
def busy_ward():
    """A ward with everything its page can show, as much of it as a real one has."""
    team = TeamFactory(name="Rochester and Chatham", email="rochester.chatham@example.invalid")
    ward = WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)
    for name in ["Rochester East", "Rochester West", "Luton and Wayfield"]:
        WardFactory(name=name, team=team, district=team.district)
    officers = [
        OfficerFactory(team=team, rank=rank, phone="01634 792 000")
        for rank in ["inspector", "sergeant", "pc", "pc", "pc", "special", "pcso", "pcso", "pcso", "warden"]
    ]
    for officer in officers[4:8]:
        OfficerWard.objects.create(officer=officer, ward=ward)
    for slot, title in enumerate(["Speeding on Maidstone Road", "Drug dealing in the park", "Shop theft"], 1):
        priority = PriorityFactory(ward=ward, slot=slot, title=title, lead_officer=officers[2])
        ProgressEntryFactory(priority=priority, text="Patrols on Friday and Saturday evenings. " * 6)
    MeetingFactory(
        panel=PanelFactory(wards=[ward]), title="Chatham Central PACT meeting", venue="St John's Church hall"
    )
    for number in range(4):
        ConcernFactory(ward=ward, status="accepted", description="Cars parked on the pavement near the school. " * 4)
        NewsItemFactory(team=team, ward=ward, title=f"Witness appeal {number}", body="Did you see anything? " * 20)
    category = CrimeCategoryFactory(slug="burglary", name="Burglary")
    for month in range(1, 7):
        WardCrimeCountFactory(
            ward=ward, month=CrimeMonthFactory(month=datetime.date(2019, month, 1)), category=category, count=month
        )
    return ward


def test_ward_page_puts_priorities_meeting_and_officers_in_the_first_two_screens_of_a_phone(
    browser, live_server, busy_ward
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"/wards/{busy_ward.code}/")

    def top(selector: str) -> float:
        return page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top + window.scrollY")

    two_screens = 2 * PHONE["height"]
    if SCREENSHOTS:
        for screen in (0, 1, 2):
            clip = {"x": 0, "y": screen * PHONE["height"], **PHONE}
            page.screenshot(path=os.path.join(SCREENSHOTS, f"ward-page-390-{screen}.png"), clip=clip, full_page=True)
    assert top("#priorities") < PHONE["height"]
    assert top(".pact-priority:nth-child(3)") < two_screens
    assert top("#meetings") < two_screens
    assert top(".pact-events li") < two_screens
    assert top("#officers ~ .pact-officers .pact-officer") < two_screens
    expect(page.get_by_role("link", name="01634 792 000").first).to_have_attribute("href", "tel:01634792000")
    # Folded: the news is one tap away, the crime figures too.
    expect(page.get_by_text("Witness appeal 3")).to_be_hidden()
    page.get_by_text("Show local news").click()
    expect(page.get_by_text("Witness appeal 3")).to_be_visible()
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "ward-page-390.png"), full_page=True)
    assert_accessible(page)
    context.close()


def test_ward_page_contents_link_to_a_folded_section(page, busy_ward):
    page.goto(f"/wards/{busy_ward.code}/")

    page.get_by_role("navigation", name="Contents").get_by_role("link", name="Monthly updates").click()

    expect(page.get_by_role("heading", name="Monthly updates", level=2)).to_be_in_viewport()


def test_ward_page_does_not_scroll_sideways_at_320_px_with_every_fold_open(browser, live_server, busy_ward):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"/wards/{busy_ward.code}/")
    page.evaluate("() => document.querySelectorAll('details').forEach((fold) => { fold.open = true; })")

    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 321)"
        ".slice(0, 5).map((el) => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)"
    )

    assert width[0] <= width[1], wide
    assert_accessible(page)
    context.close()


def test_sergeant_says_who_covers_a_ward_by_keyboard_at_320_px(browser, live_server, sergeant, ward_a):
    from tests.browser.conftest import sign_in

    team = ward_a.team
    WardFactory(name="Allington", team=team, district=team.district)
    OfficerFactory(team=team, rank=Officer.Rank.PCSO, first_name="Sam", last_name="Patel")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 700})
    page = context.new_page()
    sign_in(page, "sergeant", next_path="/staff/")

    page.get_by_role("link", name="Your team").click()
    expect(page.get_by_role("heading", name=team.name, level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change wards Sam Patel covers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wards Police Community Support Officer Sam Patel covers")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.get_by_label("Abbey").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save wards").focus()
    page.keyboard.press("Enter")

    expect(
        page.get_by_text("The wards Police Community Support Officer Sam Patel covers have been saved")
    ).to_be_visible()
    expect(page.get_by_text("Abbey", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, "staff-team-320.png"))
    page.goto(f"/wards/{ward_a.code}/")
    officers = page.locator("#officers ~ .pact-officers").first
    expect(officers).to_contain_text("Police Community Support Officer Sam Patel")
    context.close()
