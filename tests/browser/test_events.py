import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, describe, sign_in
from tests.priorities.factories import EventFactory, MeetingFactory, PanelFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT_YEAR = timezone.localdate().year + 1


def test_officer_schedules_surgery_and_residents_see_it(page, officer, ward_a):
    sign_in(page, "officer")
    page.goto("/staff/events/new/")
    assert axe_violations(page) == [], describe(axe_violations(page))

    page.get_by_label("Surgery").check()
    page.get_by_label(ward_a.name).check()
    page.get_by_label("Title").fill("Abbey street surgery")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill(str(NEXT_YEAR))
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("End time").fill("20:30")
    page.get_by_label("Venue (optional)").fill("Abbey library")
    page.get_by_role("button", name="Schedule event").click()

    page.wait_for_url(re.compile(r"/staff/events/$"))
    assert "Abbey street surgery has been scheduled" in page.locator(".govuk-notification-banner").inner_text()
    assert axe_violations(page) == [], describe(axe_violations(page))

    page.goto(f"/wards/{ward_a.code}/")
    link = page.get_by_role("link", name="Abbey street surgery")
    assert link.is_visible()
    assert "7pm to 8:30pm" in page.locator("#main-content").inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/events/[0-9a-f-]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Abbey street surgery"


def test_schedule_form_errors_are_accessible_and_linked(page, officer, ward_a):
    sign_in(page, "officer")
    page.goto("/staff/events/new/")
    page.get_by_role("button", name="Schedule event").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    assert "Enter the start time, like 19:00" in summary.inner_text()
    assert axe_violations(page) == [], describe(axe_violations(page))


def test_public_event_pages_have_no_axe_violations(page, ward_a):
    start = timezone.now() + datetime.timedelta(days=3)
    upcoming = EventFactory(wards=[ward_a], title="Abbey surgery", accessibility_notes="Step-free access")
    cancelled = EventFactory(wards=[ward_a], starts_at=start, status="cancelled", cancellation_reason="Flooded")
    held = MeetingFactory(
        panel=PanelFactory(wards=[ward_a]),
        status="held",
        starts_at=start - datetime.timedelta(days=30),
        minutes="The panel agreed speeding as a priority.",
        residents_attending=12,
    )

    for url in [
        f"/events/{upcoming.uid}/",
        f"/events/{cancelled.uid}/",
        f"/events/{held.uid}/",
        f"/wards/{ward_a.code}/events/",
        f"/wards/{ward_a.code}/",
        f"/teams/{ward_a.team.slug}/",
    ]:
        page.goto(url)
        violations = axe_violations(page)
        assert violations == [], f"{url}\n{describe(violations)}"
