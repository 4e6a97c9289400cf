import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import OutboundEmail
from priorities.models import MonthlyUpdate, Subscription
from priorities.selectors.updates import month_before, month_content
from priorities.services.subscriptions import update_emails_queue
from tests.browser.conftest import axe_violations, describe
from tests.wards.factories import TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBSCRIBE = "/wards/E05002160/subscribe/"


@pytest.fixture
def chatham():
    team = TeamFactory(name="Rochester and Chatham", slug="medway-rochester-and-chatham", is_demo=True)
    return WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def _no_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def _link_path(text: str, kind: str) -> str:
    return re.search(rf"/subscriptions/{kind}/[^/\s\"]+/", text).group(0)


def _subscribe_with_the_keyboard(page) -> None:
    page.goto("/wards/E05002160/")
    _tab_to(page, f"el.getAttribute('href') === '{SUBSCRIBE}'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{SUBSCRIBE}$"))
    _no_violations(page)
    _tab_to(page, "el.id === 'id_email'")
    page.keyboard.type("resident@example.org")
    _tab_to(page, "el.id === 'id_wants_2'")
    page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Subscribe')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{SUBSCRIBE}sent/$"))


def test_resident_subscribes_confirms_and_unsubscribes(page, chatham):
    _subscribe_with_the_keyboard(page)
    assert page.locator("h1").inner_text() == "Check your email"
    _no_violations(page)

    page.goto(_link_path(OutboundEmail.objects.get().body_text, "confirm"))
    _no_violations(page)
    page.get_by_role("button", name="Confirm").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Subscription confirmed"
    _no_violations(page)
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.wants_meetings is True

    month = month_before(timezone.now())
    update = MonthlyUpdate.objects.create(
        team=chatham.team,
        month=month,
        content=month_content(team=chatham.team, month=month),
        published_at=timezone.now(),
    )
    update_emails_queue(update_id=update.pk)
    page.goto(_link_path(OutboundEmail.objects.get(key__startswith="update:").body_text, "unsubscribe"))
    _no_violations(page)
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.locator(".govuk-panel__title").inner_text() == "You have unsubscribed"
    _no_violations(page)
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_subscribe_form_errors_are_linked_and_have_no_wcag_violations(page, chatham):
    page.goto(SUBSCRIBE)
    page.get_by_label("Monthly updates").uncheck()
    page.get_by_role("button", name="Subscribe").click()

    summary = page.locator(".govuk-error-summary")
    assert "Enter your email address" in summary.inner_text()
    assert "Select what you would like to get by email" in summary.inner_text()
    expect(page).to_have_title(re.compile(r"^Error: "))
    _no_violations(page)
    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("() => document.activeElement.id") == "id_email"
