"""A meeting's agenda, published by an officer and supported by a resident: axe on every page,
nothing wider than 320 CSS px, the support counted only through the emailed link."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from core.models import OutboundEmail
from priorities.models import Concern
from priorities.selectors.agendas import support_counts
from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import ConcernFactory, MeetingFactory, PanelFactory, PriorityFactory
from tests.wards.factories import PostcodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shoot(page, name):
    folder = os.environ.get("PACT_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _fits(page, name, width=320):
    page.set_viewport_size({"width": width, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    _shoot(page, f"agenda-{name}-{width}")
    page.set_viewport_size({"width": 1024, "height": 800})


def test_officer_publishes_the_agenda_and_a_resident_supports_two_concerns(page, ward_a, officer):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=8)
    meeting = MeetingFactory(panel=PanelFactory(wards=[ward_a]), starts_at=starts_at, title="Abbey PACT meeting")
    concerns = [
        ConcernFactory(
            ward=ward_a,
            status=Concern.Status.SHORTLISTED,
            shortlisted_for=meeting,
            description=f"Concern {n} near the park",
        )
        for n in (1, 2, 3)
    ]
    PriorityFactory(ward=ward_a, title="Speeding on London Road")
    postcode = PostcodeFactory(ward=ward_a).postcode

    sign_in(page, "officer", next_path=f"/staff/events/{meeting.pk}/agenda/")
    assert_accessible(page)
    _fits(page, "staff-form")
    page.get_by_label("Matters arising from the last meeting").fill("Parking enforcement on Mill Lane: done.")
    page.get_by_label("Venue accessibility").fill("Step-free entrance and a hearing loop.")
    page.get_by_role("button", name="Publish the agenda").click()
    page.wait_for_url(re.compile(r"/staff/events/$"))
    assert "The agenda of Abbey PACT meeting has been published" in page.content()
    page.context.clear_cookies()

    page.goto(f"/events/{meeting.uid}/")
    assert "Parking enforcement on Mill Lane: done." in page.content()
    assert "Speeding on London Road" in page.content()
    assert_accessible(page)
    _fits(page, "meeting")

    page.get_by_role("link", name=re.compile("Support up to three")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Send me the link").click()
    assert "There is a problem" in page.content()
    assert_accessible(page)
    _fits(page, "support-errors")

    page.get_by_label("Concern 1 near the park", exact=False).check()
    page.get_by_label("Concern 3 near the park", exact=False).check()
    page.get_by_label("Your postcode").fill(postcode)
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_role("button", name="Send me the link").click()
    page.wait_for_url(re.compile(r"/support/sent/$"))
    assert_accessible(page)

    link = re.search(
        r"https?://\S+/events/support/\S+/", OutboundEmail.objects.get(to="resident@example.org").body_text
    )
    page.goto(re.sub(r"^https?://[^/]+", "", link.group(0)))
    assert_accessible(page)
    assert support_counts(meeting.pk) == {}
    page.get_by_role("button", name="Count my support").click()
    assert "Your support is counted" in page.content()
    assert_accessible(page)
    _fits(page, "counted")
    assert support_counts(meeting.pk) == {concerns[0].pk: 1, concerns[2].pk: 1}
