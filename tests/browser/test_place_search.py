"""Searching by place in Chromium: suggestions as you type, "use my location", and axe on the pages."""

import re

import pytest

from tests.browser.conftest import axe_violations, describe
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.wards.factories import DistrictFactory, PlaceFactory, TeamFactory, WardFactory
from wards.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def swale():
    district = DistrictFactory(name="Swale")
    team = TeamFactory(name="Swale Central", district=district)
    grove, murston = (WardFactory(name=name, district=district, team=team) for name in ("Grove", "Murston"))
    PlaceFactory(name="Sittingbourne", kind=Place.Kind.TOWN, district=district, wards=[murston, grove])
    PlaceFactory(name="Sittingbourne Road", kind=Place.Kind.HAMLET, district=district, wards=[grove])
    PlaceFactory(name="Bredgar", district=district, wards=[grove])
    PlaceFactory(name="Newington", district=district, wards=[grove])
    PlaceFactory(name="Newington", district=DistrictFactory(name="Thanet"), wards=[WardFactory(name="Newington")])
    return {"grove": grove, "murston": murston}


def test_suggestions_are_offered_and_chosen_by_keyboard(page, swale):
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/")
    field = page.get_by_label("Postcode, town or ward")
    field.press_sequentially("sitt")

    options = page.get_by_role("option")
    options.first.wait_for()
    assert options.all_inner_texts() == ["Sittingbourne, town in Swale", "Sittingbourne Road, hamlet in Swale"]
    # The field keeps its hint as well as the component's own instructions.
    hint = page.locator("form[role=search] .govuk-hint").get_attribute("id")
    assert hint in field.get_attribute("aria-describedby").split()

    field.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Sittingbourne$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Wards in Sittingbourne"
    assert page.evaluate("window.__cspViolations") == []


def test_enter_with_suggestions_showing_searches_for_what_was_typed(page, swale):
    page.goto("/search/")
    field = page.get_by_label("Postcode, town or ward")
    field.press_sequentially("Bredga")
    page.get_by_role("option").first.wait_for()

    field.press("Enter")

    page.wait_for_url(re.compile(rf"/wards/{swale['grove'].code}/$"))


def test_use_my_location_goes_to_the_ward_where_you_stand(browser, live_server, swale):
    murston = swale["murston"]
    context = browser.new_context(
        base_url=live_server.url,
        geolocation={"latitude": murston.centroid_lat, "longitude": murston.centroid_lng},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto("/")

    page.get_by_role("button", name="Use my location").click()

    page.wait_for_url(re.compile(rf"/wards/{murston.code}/$"))
    context.close()


def test_use_my_location_outside_every_ward_says_so(browser, live_server, swale):
    context = browser.new_context(
        base_url=live_server.url, geolocation={"latitude": 53.48, "longitude": -2.24}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto("/")

    page.get_by_role("button", name="Use my location").click()

    assert "outside Kent and Medway" in page.get_by_role("status").filter(has_text="outside").inner_text()
    context.close()


def test_without_javascript_the_search_works_and_no_location_button_shows(browser, live_server, swale):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    assert not page.get_by_role("button", name="Use my location").is_visible()

    page.get_by_label("Postcode, town or ward").fill("Sittingborne")
    page.get_by_role("button", name="Search").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Wards in Sittingbourne"
    context.close()


@pytest.mark.parametrize("path", ["/search/?q=Sittingbourne", "/search/?q=Newington", "/search/?q=Bromley"])
def test_place_results_have_no_wcag_violations(page, swale, path):
    page.goto(path)

    violations = axe_violations(page)

    assert violations == [], describe(violations)


def test_open_suggestions_have_no_wcag_violations(page, swale):
    page.goto("/")
    page.get_by_label("Postcode, town or ward").press_sequentially("new")
    page.get_by_role("option").first.wait_for()

    violations = axe_violations(page)

    assert violations == [], describe(violations)


def test_suggestions_component_is_fetched_only_when_the_box_is_focused(page, swale):
    # On a phone the page is drawn without waiting for the component (issue 17, Lighthouse).
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "accessible-autocomplete" in url]

    page.get_by_label("Postcode, town or ward").press_sequentially("sitt")

    page.get_by_role("option").first.wait_for()
    assert len([url for url in fetched if "accessible-autocomplete" in url]) == 1


def test_what_is_typed_before_the_component_arrives_is_kept_and_suggested_for(page, swale):
    held = []
    page.route(re.compile(r"/accessible-autocomplete\.min\.[0-9a-f.]*js$"), lambda route: held.append(route))
    page.goto("/")
    field = page.get_by_label("Postcode, town or ward")
    field.press_sequentially("sitt")
    assert len(held) == 1  # the component is on its way, the resident has typed on

    held[0].continue_()

    page.get_by_role("option").first.wait_for()
    assert page.get_by_role("option").all_inner_texts()[0] == "Sittingbourne, town in Swale"
    assert field.input_value() == "sitt"
    assert page.evaluate("document.activeElement.id") == field.get_attribute("id")
    page.keyboard.press("n")
    assert field.input_value() == "sittn"
