"""A concern's public status page in each state: axe, 320 CSS px, and finding it by keyboard."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from priorities.models import Priority
from priorities.services import concerns as services
from priorities.services import priorities as priority_services
from priorities.services import progress as progress_services
from tests.browser.conftest import axe_violations, describe
from tests.priorities.factories import CategoryFactory, MeetingFactory, PanelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Vans dumping rubbish behind the shops on Mill Lane at night."


def _concerns(ward, officer):
    category = CategoryFactory(slug="fly-tipping", name="Fly-tipping", is_police_uk=False)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward]), title="Abbey PACT meeting")

    def raised():
        return services.concern_raise(ward=ward, category=category, description=TEXT, location_text="Mill Lane")

    received = raised()
    shortlisted = services.concern_shortlist(actor=officer, concern=raised(), meeting=meeting)
    rejected = services.concern_reject(
        actor=officer, concern=raised(), reason="This is for the council: we have passed it to their team."
    )
    resolved = services.concern_shortlist(actor=officer, concern=raised(), meeting=meeting)
    resolved.status = "adopted"
    resolved.save(update_fields=["status"])
    priority = Priority.objects.create(
        ward=ward,
        slot=1,
        title="Fly-tipping behind the shops",
        category=category,
        concern=resolved,
        agreed_on=timezone.localdate(),
        agreed_at=meeting,
    )
    services.concern_history_add(concern=resolved, kind="adopted", priority=priority, meeting=meeting)
    progress_services.progress_add(
        actor=officer,
        priority=priority,
        happened_on=timezone.localdate(),
        text="Cameras installed behind the shops; two vans stopped and the drivers fined.",
        visibility="public",
    )
    priority_services.priority_resolve(
        actor=officer, priority=priority, outcome="No fly-tipping reported there for three months."
    )
    return {"received": received, "shortlisted": shortlisted, "rejected": rejected, "resolved": resolved}


def _shoot(page, name):
    folder = os.environ.get("PACT_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_status_pages_are_accessible_and_fit_320_px(browser, live_server, ward_a, officer):
    concerns = _concerns(ward_a, officer)
    for width in (320, 390, 1024):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
        page = context.new_page()
        for state, concern in concerns.items():
            page.goto(f"/concerns/{concern.follow_code}/")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (state, width)
            if width == 1024:
                violations = axe_violations(page)
                assert not violations, describe(violations)
            if state == "rejected":
                assert TEXT not in page.content()
            _shoot(page, f"status-{state}-{width}")
        context.close()


def test_resident_finds_a_concern_from_the_ward_page_by_keyboard(page, ward_a):
    concern = services.concern_raise(
        ward=ward_a, category=CategoryFactory(), description=TEXT, location_text="Mill Lane"
    )
    page.goto(f"/wards/{ward_a.code}/")
    page.focus("#ward-follow-code")
    page.keyboard.type(concern.follow_code.lower())
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"/concerns/{concern.follow_code}/$"))
    assert "What has happened to your concern" in page.content()

    page.goto("/concerns/follow/?code=ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert "We found no concern with that follow code" in page.content()
    violations = axe_violations(page)
    assert not violations, describe(violations)
