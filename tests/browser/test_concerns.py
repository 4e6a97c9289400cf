import re

import pytest
from playwright.sync_api import expect

from priorities.models import Concern
from tests.browser.conftest import axe_violations, describe
from tests.priorities.factories import CategoryFactory, ConcernFactory
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chatham():
    team = TeamFactory(name="Rochester and Chatham", slug="medway-rochester-and-chatham", is_demo=True)
    CategoryFactory()
    CategoryFactory(slug="speeding", name="Speeding and dangerous driving", is_police_uk=False)
    return WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def test_resident_raises_a_concern_with_the_keyboard_alone(page, chatham):
    page.goto("/wards/E05002160/")
    _tab_to(page, "el.getAttribute('href') === '/wards/E05002160/concerns/new/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/wards/E05002160/concerns/new/$"))

    _tab_to(page, "el.id === 'id_category'")
    page.keyboard.type("Speeding")
    _tab_to(page, "el.id === 'id_description'")
    page.keyboard.type("Cars race along New Road after 10pm.")
    _tab_to(page, "el.id === 'id_location_text'")
    page.keyboard.type("New Road")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send concern')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/concerns/[A-Z2-9]{4}(-[A-Z2-9]{4}){3}/sent/$"))
    concern = Concern.objects.get()
    assert concern.category.slug == "speeding"
    assert concern.location_text == "New Road"
    assert concern.reference in page.locator(".govuk-panel").inner_text()
    assert axe_violations(page) == []


def test_concern_form_has_no_wcag_violations(page, chatham):
    page.goto("/wards/E05002160/concerns/new/")

    violations = axe_violations(page)

    assert violations == [], describe(violations)


def test_concern_form_errors_are_linked_and_have_no_wcag_violations(page, chatham):
    page.goto("/wards/E05002160/concerns/new/")
    page.get_by_label("Where does it happen? (optional)").fill("Station Road")
    page.get_by_role("button", name="Send concern").click()

    summary = page.locator(".govuk-error-summary")
    assert "Select what the concern is about" in summary.inner_text()
    assert "Enter a description of the concern" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.get_by_label("Where does it happen? (optional)").input_value() == "Station Road"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    summary.get_by_role("link", name="Enter a description of the concern").click()
    assert page.evaluate("() => document.activeElement.id") == "id_description"


def test_concern_character_count_tells_how_many_are_left(page, chatham):
    page.goto("/wards/E05002160/concerns/new/")
    page.get_by_label("Describe the concern").fill("x" * 1990)

    assert "10 characters remaining" in page.locator(".govuk-character-count__status").inner_text()


def test_concern_list_has_no_wcag_violations(page, chatham):
    for status in ("accepted", "shortlisted", "adopted"):
        ConcernFactory(ward=chatham, status=status, location_text="High Street")

    page.goto("/wards/E05002160/concerns/")

    assert page.locator(".pact-concern").count() == 3
    violations = axe_violations(page)
    assert violations == [], describe(violations)
