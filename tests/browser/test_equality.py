import datetime
import re

import pytest
from django.utils import timezone

from feedback.models import EqualityResponse
from feedback.services.equality import equality_record
from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import MeetingFactory, PanelFactory
from tests.wards.factories import WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting():
    ward = WardFactory(name="Abbey")
    return MeetingFactory(panel=PanelFactory(wards=[ward]), starts_at=timezone.now() - datetime.timedelta(hours=1))


def _tab_to(page, predicate: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def test_attendee_answers_about_themselves_with_the_keyboard_alone(page, meeting):
    page.goto(f"/events/{meeting.uid}/")
    _tab_to(page, "el.textContent.includes('Tell us about yourself')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/events/{meeting.uid}/about-you/$"))
    assert_accessible(page)

    _tab_to(page, "el.name === 'age_band'")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 16 to 24 → 45 to 54
    _tab_to(page, "el.name === 'ethnicity'")
    page.keyboard.press("Space")  # the first answer
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send answers')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/about-you/thank-you/$"))
    assert "Your answers have been sent" in page.locator(".govuk-panel").inner_text()
    stored = EqualityResponse.objects.get()
    assert (stored.context, stored.age_band, stored.ethnicity) == ("meeting_attendee", "45_54", "asian")
    assert_accessible(page)


def test_about_you_errors_are_accessible(page, meeting):
    page.goto(f"/events/{meeting.uid}/about-you/")
    page.get_by_role("button", name="Send answers").click()
    page.wait_for_selector(".govuk-error-summary")

    assert "Answer at least one question" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)


def test_paper_forms_page_is_accessible_and_keyboard_usable(page, meeting, admin_user):
    sign_in(page, admin_user.username)
    page.goto(f"/staff/events/{meeting.pk}/monitoring-forms/")
    assert_accessible(page)

    _tab_to(page, "el.name === 'role'")
    page.keyboard.press("Space")
    _tab_to(page, "el.name === 'sex'")
    page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Save and add another')")
    page.keyboard.press("Enter")

    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Forms entered for this meeting so far: 1" in page.locator("#entered").inner_text()
    assert EqualityResponse.objects.get().sex == "female"
    assert_accessible(page)


def test_equality_report_is_accessible(page, meeting, admin_user):
    for _ in range(12):
        equality_record(context="meeting_attendee", district=meeting.wards.get().district, answers={"sex": "male"})
    sign_in(page, admin_user.username)
    page.goto("/staff/equality/")

    sex = page.get_by_role("table", name="Sex", exact=True)
    assert sex.get_by_role("row", name=re.compile("^Abbey|^District")).count() >= 1
    assert "12 (100%)" in sex.inner_text()
    assert_accessible(page)
