"""An officer puts a progress entry right (issue 14, item 3): edits it, then withdraws it, and
residents see each in the open. Every new page passes axe, fits 320 CSS px, and the journey
works by keyboard."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.priorities.factories import NewsItemFactory, PriorityFactory, ProgressEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} CSS pixels wide at 320"
    page.set_viewport_size({"width": 1024, "height": 800})


def _check(page) -> None:
    assert_accessible(page)
    _fits_320(page)


def test_officer_edits_then_withdraws_an_entry_and_residents_see_so(page, officer, ward_a):
    priority = PriorityFactory(
        ward=ward_a, title="Speeding on the London Road", agreed_on=timezone.localdate() - datetime.timedelta(days=9)
    )
    entry = ProgressEntryFactory(
        priority=priority,
        author=officer,
        officer=officer.officer,
        happened_on=timezone.localdate() - datetime.timedelta(days=2),
        text="Speed checks outside number 14, where Mr Jones lives.",
    )
    sign_in(page, "officer", next_path=f"/staff/priorities/{priority.pk}/progress/")
    _check(page)

    # By keyboard: the edit link is reached and followed with the keyboard alone.
    edit = page.get_by_role("link", name=re.compile(r"^Edit the entry of"))
    edit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/progress/{entry.pk}/edit/$"))
    expect(page).to_have_title(re.compile(r"^Edit progress"))
    _check(page)

    page.get_by_label("What was done").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_title(re.compile(r"^Error: Edit progress"))
    _check(page)

    page.get_by_label("What was done").fill("Speed checks on the London Road.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(rf"/staff/priorities/{priority.pk}/progress/$"))
    assert "Progress entry edited" in page.locator(".govuk-notification-banner").inner_text()

    page.goto(f"/priorities/{priority.pk}/")
    main = page.locator("#main-content").inner_text()
    assert "Speed checks on the London Road." in main
    assert "Edited on" in main
    assert "Mr Jones" not in main

    page.goto(f"/staff/priorities/{priority.pk}/progress/")
    page.get_by_role("link", name=re.compile(r"^Withdraw the entry of")).click()
    page.wait_for_url(re.compile(rf"/progress/{entry.pk}/withdraw/$"))
    _check(page)
    page.get_by_role("button", name="Withdraw entry").click()
    page.wait_for_url(re.compile(rf"/staff/priorities/{priority.pk}/progress/$"))
    assert "Progress entry withdrawn" in page.locator(".govuk-notification-banner").inner_text()
    _check(page)

    page.goto(f"/priorities/{priority.pk}/")
    main = page.locator("#main-content").inner_text()
    assert f"This entry was withdrawn on {timezone.localdate():%-d %B %Y}." in main
    assert "Speed checks on the London Road." not in main
    _check(page)


def test_news_preview_is_accessible_and_fits(page, officer, ward_a):
    NewsItemFactory(team=ward_a.team, title="Bike marking day", author=officer)
    sign_in(page, "officer", next_path="/staff/news/new/")
    page.get_by_label("Who is it for?").select_option(label=ward_a.name)
    page.get_by_label("Crime-prevention advice").check()
    page.get_by_label("Title").fill("Lock your sheds")
    page.get_by_label("The news").fill("Shed thefts are up this month: lock them and mark your tools.")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Preview: not published yet")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/staff/news/$"))
    assert "Lock your sheds has been published" in page.locator(".govuk-notification-banner").inner_text()
