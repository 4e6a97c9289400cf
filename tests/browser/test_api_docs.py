"""The API's own page in Chromium: accessible, and its links reached with the keyboard alone."""

import json

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_page_is_accessible_and_leads_to_the_description_by_keyboard(page):
    page.goto("/api/")
    page.wait_for_selector("h1")
    assert page.title().startswith("Open data API")
    assert_accessible(page)

    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/api/openapi.json":
            break
    else:
        pytest.fail("the link to openapi.json was not reached with Tab")
    page.keyboard.press("Enter")

    page.wait_for_url("**/api/openapi.json")
    assert json.loads(page.locator("body").inner_text())["openapi"].startswith("3.")
