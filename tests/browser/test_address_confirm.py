"""A resident confirms their email address from a confirmation request, by keyboard, and what
waited for the address is released (core.recipients)."""

import pytest

from core.models import OutboundEmail
from core.recipients import email_queue_for_resident, recipient_confirm_token
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "resident@example.org"


def test_a_resident_confirms_their_address_and_what_waited_is_released(page):
    email_queue_for_resident(
        key="feedback-acknowledge-FB-TEST42", to=EMAIL, template="address_confirm", context={}, purpose="a copy"
    )

    page.goto(f"/email/confirm/{recipient_confirm_token(EMAIL)}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email address"
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").focus()
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Email address confirmed").wait_for()
    assert "The email waiting for you is on its way" in page.content()
    assert_accessible(page)
    assert OutboundEmail.objects.get(key="feedback-acknowledge-FB-TEST42").status == "pending"


def test_a_bad_link_says_so_plainly(page):
    page.goto("/email/confirm/not-a-real-link/")

    assert "This link is not valid or has expired" in page.content()
    assert_accessible(page)
