"""The staff personal data pages in a real browser: an administrator searches, sees what is held
and erases it with the keyboard alone; axe-core finds no WCAG 2.2 AA violation on any step."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Feedback
from feedback.services import feedback as feedback_services
from priorities.models import Subscription
from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import ConcernFactory, SubscriptionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "sam.resident@example.org"


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


@pytest.fixture
def held(ward_a):
    feedback_services.feedback_give(
        kind="suggestion",
        ward=ward_a,
        description="Brighter street lights.",
        wants_reply=True,
        contact_name="Sam Resident",
        contact_email=EMAIL,
    )
    ConcernFactory(ward=ward_a, contact_email=EMAIL, description="Speeding on the High Street.")
    SubscriptionFactory(email=EMAIL, ward=ward_a)


def test_administrator_finds_and_erases_personal_data_with_the_keyboard(page, admin_user, held):
    sign_in(page, "administrator")
    page.goto("/staff/personal-data/")
    assert_accessible(page)

    _tab_to(page, "el.id === 'id_email'")
    page.keyboard.type("not an address")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Email address").press("Enter")
    expect(page.locator("h1")).to_have_text(EMAIL)
    assert "Speeding on the High Street." in page.locator("main").inner_text()
    assert_accessible(page)

    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Erase this data')")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Type the email address again to confirm")).to_be_visible()
    assert_accessible(page)

    _tab_to(page, "el.id === 'id_confirm_email'")
    page.keyboard.type("wrong@example.org")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Erase the data')")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    assert Subscription.objects.filter(email=EMAIL).exists()

    page.get_by_label("Type the email address again to confirm").fill(EMAIL)
    page.get_by_label("Type the email address again to confirm").press("Enter")
    page.wait_for_url(re.compile(r"/staff/personal-data/$"))
    assert "Personal data erased" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    assert not Subscription.objects.filter(email=EMAIL).exists()
    assert Feedback.objects.get().anonymised_at is not None


def test_personal_data_empty_state_is_accessible(page, admin_user):
    sign_in(page, "administrator")
    page.goto("/staff/personal-data/")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Search").click()

    expect(page.locator("main")).to_contain_text("PACT holds nothing about this address.")
    assert_accessible(page)
