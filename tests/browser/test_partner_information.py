"""Partner information and residents' incident logs in Chromium: keyboard only, axe-core clean."""

import re

import pytest
from playwright.sync_api import expect

from priorities.models import IncidentLogEntry, InformationReport
from tests.browser.conftest import assert_accessible, sign_in
from tests.core.factories import UserFactory
from tests.priorities.factories import (
    CategoryFactory,
    ConcernFactory,
    IncidentLogEntryFactory,
    IncidentLogFactory,
    InformationReportFactory,
    PartnerAgencyFactory,
    PartnerUserFactory,
)
from tests.wards.factories import OfficerFactory, TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chatham():
    team = TeamFactory(name="Rochester and Chatham", slug="medway-rochester-and-chatham", is_demo=True)
    CategoryFactory()
    CategoryFactory(slug="street-drinking", name="Street drinking", is_police_uk=False)
    return WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)


@pytest.fixture
def agency(chatham):
    agency = PartnerAgencyFactory(name="Safer Medway Partnership")
    agency.wards.add(chatham)
    return agency


def _tab_to(page, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Keyboard focus never reached an element where {predicate}")


def _type_into(page, element_id: str, text: str) -> None:
    _tab_to(page, f"el.id === '{element_id}'")
    page.keyboard.type(text)


def test_partner_sends_information_with_the_keyboard_alone(page, chatham, agency):
    PartnerUserFactory(agency=agency, user__username="medway")
    sign_in(page, "medway")
    page.goto("/staff/partner/information/new/")
    assert_accessible(page)

    _tab_to(page, "el.id === 'id_ward'")
    page.keyboard.type("Chatham")
    _tab_to(page, "el.type === 'radio' && el.value === 'incident'")
    page.keyboard.press("ArrowRight")
    _type_into(page, "id_category", "Street")
    _type_into(page, "id_happened_on_0", "2")
    _type_into(page, "id_happened_on_1", "3")
    _type_into(page, "id_happened_on_2", "2026")
    _type_into(page, "id_happened_time", "22:10")
    _type_into(page, "id_what_happened", "Group drinking outside the station, shouting at passers-by.")
    _type_into(page, "id_location_text", "Chatham station forecourt")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Send information')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/staff/partner/information/$"))
    report = InformationReport.objects.get()
    assert (report.kind, report.category.slug, report.ward.code) == ("sighting", "street-drinking", "E05002160")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Chatham Central neighbourhood team")
    assert page.locator("tbody tr").count() == 1
    assert_accessible(page)


def test_partner_form_errors_are_accessible(page, chatham, agency):
    PartnerUserFactory(agency=agency, user__username="medway")
    sign_in(page, "medway")
    page.goto("/staff/partner/information/new/")
    page.get_by_role("button", name="Send information").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    assert "Enter what happened" in summary.inner_text()
    assert_accessible(page)


def test_team_list_and_report_are_accessible(page, chatham, agency):
    OfficerFactory(team=chatham.team, user=UserFactory(username="pc.chatham", roles=["officer"]))
    for _ in range(3):
        InformationReportFactory(agency=agency, ward=chatham)
    sign_in(page, "pc.chatham")
    assert_accessible(page)

    page.goto("/staff/information/")
    assert page.locator("tbody tr").count() == 3
    assert_accessible(page)

    _tab_to(page, "el.textContent.startsWith('Report ')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/information/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Information report")
    assert_accessible(page)

    page.get_by_role("button", name="Turn into a PACT concern").click()
    page.wait_for_url(re.compile(r"/concern/$"))
    assert_accessible(page)


def test_resident_keeps_a_log_with_the_keyboard_alone(page, chatham):
    concern = ConcernFactory(ward=chatham, reference="PACT-ABC234")
    page.goto(f"/concerns/{concern.follow_code}/sent/")
    _tab_to(page, f"el.getAttribute('href') === '/concerns/{concern.reference}/log/'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/log/$"))
    assert_accessible(page)

    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Start my log')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/logs/[^/]+/\?started=1$"))
    expect(page.locator(".govuk-panel")).to_contain_text("Log started")
    assert_accessible(page)

    _type_into(page, "id_happened_on_0", "1")
    _type_into(page, "id_happened_on_1", "3")
    _type_into(page, "id_happened_on_2", "2026")
    _type_into(page, "id_happened_time", "23:30")
    _type_into(page, "id_what_happened", "Fireworks thrown at the windows.")
    _type_into(page, "id_effect", "My daughter could not sleep.")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Add to my log')")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"\?added=1#entries$"))
    assert IncidentLogEntry.objects.get().what_happened == "Fireworks thrown at the windows."
    expect(page.locator(".govuk-summary-card")).to_contain_text("Fireworks thrown at the windows.")
    assert_accessible(page)


def test_log_errors_and_turning_off_are_accessible(page, chatham):
    log = IncidentLogFactory(concern=ConcernFactory(ward=chatham), token="browser-token")
    IncidentLogEntryFactory(log=log)
    page.goto("/logs/browser-token/")
    page.get_by_role("button", name="Add to my log").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert "Enter how it affected you" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Turn off this link").click()
    page.wait_for_url(re.compile(r"/turn-off/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Turn off the link").click()
    expect(page.locator("h1")).to_have_text("Your log's link is turned off")
    assert_accessible(page)
