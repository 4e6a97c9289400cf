"""How did we do? on a resolved concern's status page: axe, 320 CSS px, errors, an answer by
keyboard, and the administrators' report."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from feedback.models import Feedback
from priorities.models import ConcernEvent, Priority
from priorities.services import concerns as services
from priorities.services import priorities as priority_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import CategoryFactory, MeetingFactory, PanelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Vans dumping rubbish behind the shops on Mill Lane at night."


@pytest.fixture
def resolved(ward_a, officer):
    category = CategoryFactory(slug="fly-tipping", name="Fly-tipping", is_police_uk=False)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]), title="Abbey PACT meeting")
    concern = services.concern_shortlist(
        actor=officer,
        concern=services.concern_raise(ward=ward_a, category=category, description=TEXT),
        meeting=meeting,
    )
    concern.status = "adopted"
    concern.save(update_fields=["status"])
    priority = Priority.objects.create(
        ward=ward_a,
        slot=1,
        title="Fly-tipping behind the shops",
        category=category,
        concern=concern,
        agreed_on=timezone.localdate(),
        agreed_at=meeting,
    )
    services.concern_history_add(concern=concern, kind=ConcernEvent.Kind.ADOPTED, priority=priority, meeting=meeting)
    priority_services.priority_resolve(actor=officer, priority=priority, outcome="No fly-tipping there for months.")
    return concern


def _shoot(page, name):
    folder = os.environ.get("PACT_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _tab_to(page, predicate: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def test_the_question_is_accessible_and_fits_320_px(browser, live_server, resolved):
    for width in (320, 390):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"/concerns/{resolved.follow_code}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shoot(page, f"satisfaction-question-{width}")
        context.close()


def test_errors_are_accessible_and_a_resident_answers_by_keyboard(page, resolved):
    page.goto(f"/concerns/{resolved.follow_code}/")
    assert "How satisfied are you with how this was handled?" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_selector(".govuk-error-summary")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select how satisfied you are" in summary
    assert "Select whether it has been fixed" in summary
    assert page.title().startswith("Error:")
    assert_accessible(page)
    _shoot(page, "satisfaction-errors")

    _tab_to(page, "el.name === 'score'")
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # 1 → 4
    _tab_to(page, "el.name === 'fixed'")
    page.keyboard.press("ArrowRight")  # yes → partly
    _tab_to(page, "el.name === 'comment'")
    page.keyboard.type("Much better now, thank you.")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send your answer')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"\?answered=1#how-did-we-do$"))
    assert "Thank you: your answer has been sent" in page.locator(".govuk-notification-banner").inner_text()
    item = Feedback.objects.get()
    assert (item.concern_score, item.concern_fixed, item.description) == (4, "partly", "Much better now, thank you.")
    assert "Send your answer" not in page.content()
    assert_accessible(page)
    _shoot(page, "satisfaction-thanks")


def test_the_satisfaction_report_is_accessible(page, resolved, admin_user):
    from priorities.services.concern_satisfaction import concern_satisfaction_give

    concern_satisfaction_give(concern=resolved, score=5, fixed="yes")
    sign_in(page, admin_user.username, next_path="/staff/satisfaction/")

    assert "Satisfaction after a concern" in page.content()
    assert "[c]" in page.content()
    assert_accessible(page)
    _shoot(page, "satisfaction-report")
