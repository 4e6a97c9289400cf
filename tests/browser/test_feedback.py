import re

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def test_resident_makes_a_complaint_with_the_keyboard_alone(page):
    page.goto("/have-your-say/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    _tab_to(page, "el.getAttribute('href') === '/have-your-say/complaint/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/have-your-say/complaint/$"))
    assert axe_violations(page) == [], describe(axe_violations(page))

    _tab_to(page, "el.id === 'id_description'")
    page.keyboard.type("The officer did not listen to me.")
    _tab_to(page, "el.name === 'wants_reply'")
    # Arrow keys move through a radio group and select: Yes, then No.
    page.keyboard.press("ArrowRight")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/have-your-say/sent/FB-[A-Z0-9]{6}/$"))
    feedback = Feedback.objects.get()
    assert feedback.kind == "complaint"
    assert not feedback.wants_reply
    assert feedback.reference in page.locator(".govuk-panel").inner_text()
    assert "Independent Office for Police Conduct" in page.content()
    assert axe_violations(page) == [], describe(axe_violations(page))


def test_feedback_service_form_with_errors_is_accessible(page):
    page.goto("/have-your-say/service/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("button", name="Send").click()
    # Waits for the answer page: reading the title at once can catch the page mid-navigation.
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == [], describe(axe_violations(page))
