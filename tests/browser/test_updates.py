"""The monthly update pages in a real browser: axe-core finds no WCAG 2.2 AA violations, and an
officer corrects an update with the keyboard-reachable form."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from priorities.services import updates as services
from tests.browser.conftest import axe_violations, describe, sign_in
from tests.priorities.test_updates_services import UTC, held_on, make_priority, progress, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def update(ward_a, admin_user):
    shops = make_priority(ward=ward_a, title="Anti-social behaviour by the shops", agreed_on=datetime.date(2026, 9, 2))
    progress(shops, datetime.date(2026, 10, 3), "Dispersal order on Friday night")
    held_on(ward_a, datetime.datetime(2026, 10, 14, 18, tzinfo=UTC), title="Abbey PACT meeting")
    publish(ward_a.team, datetime.date(2026, 9, 1))
    update, _ = publish(ward_a.team)
    services.monthly_update_correct(actor=admin_user, update=update, summary="Corrected", reason="A typo")
    return update


def _paths(update):
    args = [update.team.slug, f"{update.month:%Y}", f"{update.month:%m}"]
    return [
        reverse("priorities:update_detail", args=args),
        reverse("priorities:update_revisions", args=args),
        reverse("priorities:update_archive", args=[update.team.slug]),
        reverse("wards:team", args=[update.team.slug]),
        reverse("wards:detail", args=[update.team.wards.first().code]),
    ]


def test_update_pages_have_no_accessibility_violations(page, update):
    for path in _paths(update):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        violations = axe_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"


def test_update_page_on_a_phone_has_no_accessibility_violations(mobile_page, update):
    mobile_page.goto(_paths(update)[0])

    assert axe_violations(mobile_page) == [], describe(axe_violations(mobile_page))


def test_officer_corrects_an_update(page, officer, update):
    sign_in(page, "officer")

    page.goto(reverse("priorities:staff_update_list"))
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("link", name=re.compile("Correct the October 2026 update")).click()
    page.get_by_role("button", name="Publish correction").click()
    # The title changes when the refused form's page has loaded: wait for it, do not read it at once.
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 800})
    page.get_by_label("Message from the team").fill("In October 2026 the team recorded 1 action; 1 meeting was held.")
    page.get_by_label("Reason for the correction").fill("The summary missed the meeting")
    page.get_by_role("button", name="Publish correction").click()

    page.wait_for_url(re.compile(r"/staff/updates/$"))
    assert "has been corrected" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(_paths(update)[0])
    assert "Corrected on" in page.locator("main").inner_text()
    assert "The summary missed the meeting" in page.locator("main").inner_text()


# The team's own words: a sergeant writes and approves the draft, keyboard only, on a 320 px screen.


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} was not reached with Tab")


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways: {width}px"


def test_sergeant_writes_and_approves_an_update_keyboard_only_at_320px(browser, live_server, sergeant, ward_a):
    from priorities.selectors.updates import now_month

    make_priority(ward=ward_a, title="Speeding on Tonbridge Road", agreed_on=datetime.date(2026, 1, 2))
    draft, _ = services.monthly_draft_prepare(team_id=ward_a.team_id, month=now_month())
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        path = reverse("priorities:staff_draft_edit", args=[draft.pk])
        sign_in(page, "sergeant", next_path=path)
        assert axe_violations(page) == [], describe(axe_violations(page))
        _no_sideways_scroll(page)

        _tab_to(page, "textarea[name=message]")
        page.keyboard.type("Thank you to everyone who came to the meeting.")
        _tab_to(page, "textarea[name^=said_]")
        page.keyboard.type("Cars race past the school at home time.")
        _tab_to(page, "button[name=preview]")
        page.keyboard.press("Enter")
        expect(page.locator("#preview")).to_contain_text("unsaved changes")
        assert "You said: Cars race past the school at home time." in page.locator("main").inner_text()
        assert axe_violations(page) == [], describe(axe_violations(page))
        _no_sideways_scroll(page)

        _tab_to(page, "button[name=save]")
        page.keyboard.press("Enter")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("has been saved")
        _tab_to(page, "form[action$='/approve/'] button")
        page.keyboard.press("Enter")
        expect(page.locator(".govuk-notification-banner")).to_contain_text("is approved")
        assert axe_violations(page) == [], describe(axe_violations(page))
        _no_sideways_scroll(page)
    finally:
        context.close()
    draft.refresh_from_db()
    assert draft.approved_by == sergeant
