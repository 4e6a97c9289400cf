"""Issue 13 at 320 CSS px: the 999 panel on the concern and feedback forms, the shorter feedback
form and its separate equality step, and publishing a concern with its personal data redacted.
axe finds nothing on each and nothing scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import EqualityResponse, Feedback
from priorities.models import Concern
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.priorities.factories import CategoryFactory, ConcernFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "Mr Smith at 12 Acacia Avenue races AB12 CDE past the school; call me on 07700 900982."


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def _check(page) -> None:
    """axe finds no WCAG 2.2 A or AA violation, and the page does not scroll sideways."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width} px wide"


def test_concern_that_reads_urgent_shows_the_999_panel_and_can_still_be_sent(phone, ward_a):
    CategoryFactory(slug="speeding", name="Speeding and dangerous driving", is_police_uk=False)
    phone.goto(f"/wards/{ward_a.code}/concerns/new/")
    phone.get_by_label("What is the concern about?").select_option("speeding")
    phone.get_by_label("Describe the concern").fill("Someone is breaking in next door and he has a knife")
    phone.get_by_role("button", name="Send concern").click()

    banner = phone.get_by_role("alert")
    expect(banner).to_contain_text("call 999 now")
    expect(phone.get_by_role("link", name="101")).to_have_attribute("href", "tel:101")
    # GOV.UK Frontend moves focus to an alert banner, so a screen reader hears it first.
    expect(banner).to_be_focused()
    assert not Concern.objects.exists()
    _check(phone)

    phone.get_by_role("button", name="Send my concern anyway").click()
    phone.wait_for_url(re.compile(r"/concerns/[A-Z2-9]{4}(-[A-Z2-9]{4}){3}/sent/$"))
    assert Concern.objects.get().description == "Someone is breaking in next door and he has a knife"


def test_feedback_service_form_is_short_then_offers_equality_as_a_step(phone):
    phone.goto("/have-your-say/service/")
    _check(phone)
    assert phone.locator("input[type=radio]").count() == 2
    phone.get_by_label("How satisfied are you with how you were treated?").select_option("8")
    phone.get_by_label("How satisfied are you with how you were kept informed?").select_option("1")
    phone.get_by_label("How satisfied are you with the service overall?").select_option("10")
    phone.get_by_label("What could have been better? (optional)").fill("I am scared for my safety since")
    phone.get_by_label("No").check()
    phone.get_by_role("button", name="Send", exact=True).click()

    expect(phone.get_by_role("alert")).to_contain_text("call 999 now")
    _check(phone)
    phone.get_by_role("button", name="Send my feedback anyway").click()
    phone.wait_for_url(re.compile(r"/have-your-say/sent/FB-[A-Z0-9]{6}/$"))
    feedback = Feedback.objects.get()
    assert (feedback.treated_score, feedback.informed_score, feedback.overall_score) == (8, 1, 10)
    _check(phone)

    phone.get_by_role("link", name="Answer questions about you").click()
    phone.wait_for_url(re.compile(r"/about-you/$"))
    _check(phone)
    phone.get_by_label("Prefer not to say").first.check()
    phone.get_by_role("button", name="Send answers").click()
    phone.wait_for_url(re.compile(r"/about-you/thank-you/$"))
    _check(phone)
    assert EqualityResponse.objects.get().context == "feedback"


def test_moderator_publishes_a_concern_with_its_personal_data_redacted(phone, officer, ward_a):
    concern = ConcernFactory(ward=ward_a, description=WORDS)
    sign_in(phone, officer.username, next_path=f"/staff/concerns/{concern.reference}/")

    expect(phone.locator("mark.pact-personal-data")).to_have_count(4)
    _check(phone)
    text = phone.get_by_label("Text to publish")
    expect(text).to_have_value(re.compile(r"^\[name removed\] at \[address removed\]"))
    text.fill(text.input_value().replace("past the school", "past a school"))
    phone.get_by_role("button", name="Accept and publish").click()
    expect(phone.get_by_text("accepted and published")).to_be_visible()
    _check(phone)

    concern.refresh_from_db()
    assert "past a school" in concern.description
    assert concern.original_description == WORDS
    phone.goto(f"/wards/{ward_a.code}/concerns/")
    expect(phone.get_by_text("[phone number removed]", exact=False)).to_be_visible()
    assert "07700 900982" not in phone.content()
