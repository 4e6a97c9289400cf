"""The Content Security Policy breaks nothing: Chromium reports no violation on the main pages.

Every page's own script (the GOV.UK Frontend components, the Leaflet map) must run under the
policy, and the map tiles must load from the configured tile server, which is here another
origin (127.0.0.1 for localhost) served by the same test server.
"""

import re

import pytest

from priorities.models import Event
from tests.priorities.factories import (
    CategoryFactory,
    EventFactory,
    SurveyChoiceFactory,
    SurveyFactory,
    SurveyQuestionFactory,
)
from tests.wards.factories import OfficerFactory, PostcodeFactory, TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any of the page's own code runs; the browser's DevTools protocol adds it,
# so the policy does not apply to it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def chatham():
    team = TeamFactory(name="Rochester and Chatham", slug="rochester-and-chatham")
    ward = WardFactory(code="E05002160", name="Chatham Central", team=team, district=team.district)
    WardFactory(name="Rochester West", team=team, district=team.district)
    PostcodeFactory(postcode="ME4 4TR", outward="ME4", ward=ward)
    OfficerFactory(team=team, rank="sergeant", first_name="Alex", last_name="Morgan")
    EventFactory(wards=[ward], kind=Event.Kind.SURGERY)
    CategoryFactory()
    survey = SurveyFactory(slug="safer-streets", title="Safer streets")
    question = SurveyQuestionFactory(survey=survey, kind="single")
    SurveyChoiceFactory(question=question)
    SurveyQuestionFactory(survey=survey, kind="text")
    return ward


@pytest.fixture
def tile_server(settings, live_server):
    # Another origin (127.0.0.1 for localhost, or the other way) on the same test server: tile
    # requests leave the page's origin, as they do for a real tile service, allowed by img-src.
    host = "localhost" if "127.0.0.1" in live_server.url else "127.0.0.1"
    origin = re.sub(r"//[^:/]+", f"//{host}", live_server.url, count=1)
    settings.MAP_TILE_URL = f"{origin}/tiles/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    return origin


def test_main_pages_run_their_scripts_with_no_policy_violation(page, chatham, tile_server):
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)

    pages = {
        "/": "Find your neighbourhood police team",
        "/search/?q=Chatham": "Wards matching Chatham",
        f"/wards/{chatham.code}/": "Chatham Central",
        f"/teams/{chatham.team.slug}/": "Rochester and Chatham",
        "/map/": None,
        "/have-your-say/": None,
        "/have-your-say/complaint/": None,
        f"/wards/{chatham.code}/concerns/new/": None,
        "/surveys/safer-streets/": "Safer streets",
    }
    for address, heading in pages.items():
        page.goto(address)
        page.wait_for_load_state("networkidle")
        if heading:
            assert heading in page.get_by_role("heading", level=1).inner_text(), address
        # GOV.UK Frontend's module script ran: it marks the body and starts the components.
        assert "govuk-frontend-supported" in page.evaluate("document.body.className"), address
        assert page.evaluate("window.__cspViolations") == [], address

    assert [text for text in console_errors if re.search(r"Content.Security.Policy|Refused to", text)] == []


def test_ward_and_force_maps_are_drawn_by_leaflet_with_tiles(page, chatham, tile_server):
    tile_requests: list[str] = []
    page.on("request", lambda request: request.url.startswith(tile_server) and tile_requests.append(request.url))
    page.add_init_script(RECORD_VIOLATIONS)

    for address in (f"/wards/{chatham.code}/", "/map/"):
        page.goto(address)
        page.locator(".pact-map--enhanced .leaflet-container").wait_for()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__cspViolations") == [], address

    assert tile_requests, "Leaflet asked the tile server for no tile"
