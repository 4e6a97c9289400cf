import re

import pytest

from tests.browser.conftest import axe_violations, describe
from tests.wards.factories import OfficerFactory, PostcodeFactory, TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chatham():
    team = TeamFactory(name="Rochester and Chatham", slug="medway-rochester-and-chatham", is_demo=True)
    ward = WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)
    WardFactory(name="Rochester West", team=team, district=team.district)
    PostcodeFactory(postcode="ME4 4TR", outward="ME4", ward=ward)
    OfficerFactory(team=team, rank="sergeant", first_name="Alex", last_name="Morgan")
    OfficerFactory(team=team, rank="pcso", first_name="Sam", last_name="Patel")
    return ward


def test_journey_home_postcode_ward_team(page, chatham):
    page.goto("/")
    page.get_by_label("Postcode, town or ward").fill("me4 4tr")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url(re.compile(r"/wards/E05002160/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Chatham Central"
    assert page.get_by_text("Sergeant Alex Morgan").is_visible()

    page.get_by_role("link", name="Rochester and Chatham neighbourhood team").click()
    page.wait_for_url(re.compile(r"/teams/medway-rochester-and-chatham/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Rochester and Chatham"
    assert page.get_by_role("link", name="Rochester West").is_visible()


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def test_journey_by_keyboard_alone(page, chatham):
    page.goto("/")
    _tab_to(page, "el.id === 'id_q'")
    page.keyboard.type("ME4 4TR")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/wards/E05002160/$"))

    _tab_to(page, "el.getAttribute('href') === '/teams/medway-rochester-and-chatham/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/teams/medway-rochester-and-chatham/$"))


def test_search_error_is_announced_and_linked_to_field(page, chatham):
    page.goto("/search/?q=ME4+4T")

    summary = page.locator(".govuk-error-summary")
    assert "Enter a full postcode" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") == "id_q"


PUBLIC_PAGES = [
    "/",
    "/search/",
    "/search/?q=ME4",
    "/search/?q=chatham",
    "/search/?q=ME4+4T",
    "/search/?q=SW1A+1AA",
    "/search/?q=ME4+9ZZ",
    "/search/?q=Atlantis",
    "/wards/E05002160/",
    "/teams/medway-rochester-and-chatham/",
    "/wards/",
    "/map/",
    "/accessibility/",
    "/privacy/",
    "/staff/sign-in/",
    "/wards/E05999999/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(page, chatham, path):
    page.goto(path)

    violations = axe_violations(page)

    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["/", "/wards/E05002160/", "/map/"])
def test_public_page_on_a_phone_has_no_wcag_violations(mobile_page, chatham, path):
    mobile_page.goto(path)

    violations = axe_violations(mobile_page)

    assert violations == [], describe(violations)
