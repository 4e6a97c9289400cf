"""Two-factor authentication in a real browser, with the keyboard alone: a first sign-in asks for
a set-up link, the link leads to setting the app up from the key on the page, a later sign-in
uses the app's code, then a backup code; axe-core finds no WCAG 2.2 AA violation on any step."""

import re
import time
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible, next_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, predicate: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def _password_step(page, username: str) -> None:
    page.goto("/staff/sign-in/")
    _tab_to(page, "el.id === 'id_username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def _enter_code(page, code: str) -> None:
    _tab_to(page, "el.id === 'id_code'")
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def _sign_out(page) -> None:
    _tab_to(page, "el.textContent.trim() === 'Sign out'")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def test_officer_sets_up_the_app_and_signs_in_with_a_code_then_a_backup_code(page, officer):
    from core.two_factor import enrolment_link_issue

    # The password alone shows no key: the set-up page asks for the administrator's link.
    _password_step(page, "officer")
    page.wait_for_url(re.compile(r"/staff/two-factor/set-up/"))
    expect(page.get_by_role("heading", name="You need a set-up link")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/staff/two-factor/enrol/{enrolment_link_issue(actor=None, user=officer)}/")
    page.wait_for_url(re.compile(r"/staff/two-factor/set-up/"))
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert_accessible(page)

    # The person cannot scan: they open the details and type the key into their app.
    _tab_to(page, "el.textContent.trim() === 'I cannot scan the QR code'")
    page.keyboard.press("Enter")
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    assert_accessible(page)
    _enter_code(page, "12")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.get_by_role("link", name="Enter the 6-digit code from your authenticator app").is_visible()
    assert_accessible(page)
    _enter_code(page, pyotp.TOTP(key).at(time.time()))

    expect(page.get_by_role("heading", name="Your authenticator app is set up")).to_be_visible()
    codes = page.locator(".pact-backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    _tab_to(page, "el.textContent.trim() === 'Continue'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/$"))
    _sign_out(page)

    _password_step(page, "officer")
    page.wait_for_url(re.compile(r"/staff/two-factor/check/"))
    assert_accessible(page)
    _enter_code(page, next_code(officer))
    page.wait_for_url(re.compile(r"/staff/$"))
    _sign_out(page)

    _password_step(page, "officer")
    page.wait_for_url(re.compile(r"/staff/two-factor/check/"))
    _enter_code(page, codes[0])
    page.wait_for_url(re.compile(r"/staff/$"))
    expect(page.get_by_text("You have 9 backup codes left.")).to_be_visible()
    assert_accessible(page)


def test_manage_page_and_new_backup_codes_are_accessible(page, officer):
    from tests.browser.conftest import sign_in

    sign_in(page, "officer")
    page.goto("/staff/two-factor/")
    assert_accessible(page)

    _tab_to(page, "el.textContent.trim() === 'Make new backup codes'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your new backup codes")).to_be_visible()
    assert len(page.locator(".pact-backup-codes code").all_inner_texts()) == 10
    assert_accessible(page)


def test_a_set_up_link_opened_first_leads_through_the_password_and_works_once(page, officer):
    from core.two_factor import enrolment_link_issue

    link = f"/staff/two-factor/enrol/{enrolment_link_issue(actor=None, user=officer)}/"
    page.goto(link)
    page.wait_for_url(re.compile(r"/staff/sign-in/"))
    expect(page.get_by_text("Sign in with your username and password to set up")).to_be_visible()
    assert_accessible(page)
    _password_step(page, "officer")
    page.wait_for_url(re.compile(r"/staff/two-factor/set-up/"))
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()

    page.goto(link)
    expect(page.get_by_role("heading", name="This set-up link does not work")).to_be_visible()
    assert_accessible(page)
