"""A chair runs their panel's membership from a phone: every page passes axe and nothing
scrolls sideways at 320 CSS px; an invitee creates their account and reaches the
authenticator set-up."""

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.core.factories import UserFactory
from tests.priorities.factories import ChairFactory, PanelFactory, PanelMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def narrow_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def _check(page) -> None:
    assert_accessible(page)
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width} px wide at {inner} px"


def test_chair_runs_membership_from_a_phone(narrow_page, chair, ward_a):
    page = narrow_page
    panel = PanelFactory(name="Abbey PACT panel", wards=[ward_a])
    ChairFactory(panel=panel, user=chair, name="Carol Chair")
    PanelMemberFactory(panel=panel, name="Dev Patel", user=UserFactory(username="dev"))
    PanelMemberFactory(panel=panel, name="Old Timer", ended_on="2025-06-01")
    sign_in(page, "chair")

    page.goto("/staff/panels/")
    _check(page)
    page.get_by_role("link", name="Abbey PACT panel").click()
    page.wait_for_url(re.compile(r"/staff/panels/\d+/$"))
    _check(page)

    page.get_by_role("link", name="Add a member").click()
    page.get_by_role("button", name="Add member").click()
    assert "Enter the member's name" in page.locator(".govuk-error-summary").inner_text()
    _check(page)
    page.get_by_label("Full name").fill("Rita Resident")
    page.get_by_label("Co-opted member").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add member").click()
    page.wait_for_url(re.compile(r"/staff/panels/\d+/$"))
    assert "Rita Resident has been added" in page.locator(".govuk-notification-banner").inner_text()
    _check(page)

    page.get_by_role("link", name="Change Rita Resident's membership").click()
    _check(page)
    page.go_back()
    page.get_by_role("link", name="End membership of Rita Resident").click()
    _check(page)
    page.go_back()

    page.get_by_role("link", name="Invite a new member by email").click()
    _check(page)
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_label("Email address").fill("nia.new.member.with.a.long.address@example-parish-council.org.uk")
    page.get_by_label("Residents' representative").check()
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile(r"/staff/panels/\d+/$"))
    _check(page)

    page.get_by_role("link", name="Hand over the chair").click()
    _check(page)
    page.get_by_label("Dev Patel").check()
    page.get_by_role("button", name="Hand over").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "Dev Patel is now the chair of Abbey PACT panel" in page.locator(".govuk-notification-banner").inner_text()
    assert page.goto(f"/staff/panels/{panel.pk}/").status == 403


def test_invitee_creates_account_and_reaches_authenticator_setup(narrow_page, chair, ward_a):
    from priorities.services.panels import panel_invitation_issue

    page = narrow_page
    panel = PanelFactory(name="Abbey PACT panel", wards=[ward_a])
    ChairFactory(panel=panel, user=chair)
    token = panel_invitation_issue(actor=chair, panel=panel, email="nia@example.org", name="Nia New", kind="resident")

    page.goto(f"/staff/invitations/{token}/")
    _check(page)
    page.get_by_role("button", name="Create account").click()
    assert "Enter a password" in page.locator(".govuk-error-summary").inner_text()
    _check(page)
    page.get_by_label("Create a password").fill("violet lantern orchard 42")
    page.get_by_label("Enter the password again").fill("violet lantern orchard 42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/staff/two-factor/set-up/"))
    assert page.locator(".pact-qr-code").is_visible()
    _check(page)

    page.context.clear_cookies()  # someone else, later, with the same link
    page.goto(f"/staff/invitations/{token}/")
    assert "This invitation does not work" in page.get_by_role("heading", level=1).inner_text()
    _check(page)
