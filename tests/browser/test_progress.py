import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import PriorityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_adds_progress_and_residents_see_it(page, officer, ward_a):
    priority = PriorityFactory(ward=ward_a, title="Speeding on the London Road", agreed_on=timezone.localdate())
    today = timezone.localdate()
    sign_in(page, "officer")
    page.get_by_role("link", name="Add progress to Speeding on the London Road").click()
    page.wait_for_url(re.compile(rf"/staff/priorities/{priority.pk}/progress/new/$"))
    assert_accessible(page)

    page.get_by_role("button", name="Add progress").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("What was done").fill("Speed checks with the community speedwatch.")
    page.get_by_label("Public").check()
    page.get_by_role("button", name="Add progress").click()

    page.wait_for_url(re.compile(rf"/staff/priorities/{priority.pk}/progress/$"))
    assert "Progress added" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)

    page.goto(f"/priorities/{priority.pk}/")
    assert "Speed checks with the community speedwatch." in page.locator("#main-content").inner_text()
    assert_accessible(page)
    page.goto(f"/wards/{ward_a.code}/")
    assert "Speed checks with the community speedwatch." in page.locator("#main-content").inner_text()


def test_officer_publishes_news_and_residents_see_it(page, officer, ward_a):
    sign_in(page, "officer")
    page.goto("/staff/news/new/")
    assert_accessible(page)

    page.get_by_label("Who is it for?").select_option(label=ward_a.name)
    page.get_by_label("Crime-prevention advice").check()
    page.get_by_label("Title").fill("Lock your sheds")
    page.get_by_label("The news").fill("Shed thefts are up this month: lock them and mark your tools.")
    page.get_by_role("button", name="Publish").click()

    page.wait_for_url(re.compile(r"/staff/news/$"))
    assert "Lock your sheds has been published" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)

    page.goto(f"/wards/{ward_a.code}/")
    # News is folded on the ward page, behind its summary.
    page.get_by_text("Show local news").click()
    page.get_by_role("link", name="Lock your sheds").click()
    page.wait_for_url(re.compile(r"/news/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Lock your sheds"
    assert_accessible(page)

    page.get_by_role("link", name=f"More news from {ward_a.team.name}").click()
    page.wait_for_url(re.compile(rf"/teams/{ward_a.team.slug}/news/$"))
    assert "Lock your sheds" in page.locator("#main-content").inner_text()
    assert_accessible(page)
