"""The Leaflet maps' tooltips: ward and team names are shown as text, never read as markup."""

import pytest

from tests.wards.factories import TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAM = "<i>Rochester</i> & Chatham"
WARD = '<img src="/planted.png" id="planted">Chatham Central'


@pytest.fixture
def marked_up_ward():
    team = TeamFactory(name=TEAM, slug="rochester-and-chatham")
    return WardFactory(name=WARD, team=team, district=team.district)


def _tooltip_after_hover(page):
    page.locator(".pact-map--enhanced path.leaflet-interactive").first.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    return tooltip


def test_finding_12_force_map_tooltip_shows_ward_and_team_names_as_text(page, marked_up_ward):
    page.goto("/map/")

    tooltip = _tooltip_after_hover(page)

    assert tooltip.inner_text() == f"{WARD} ({TEAM})"
    assert tooltip.locator("i, img").count() == 0
    assert page.locator("#planted").count() == 0


def test_finding_12_ward_map_tooltip_shows_the_ward_name_as_text(page, marked_up_ward):
    page.goto(f"/wards/{marked_up_ward.code}/")

    tooltip = _tooltip_after_hover(page)

    assert tooltip.inner_text() == WARD
    assert page.locator("#planted").count() == 0
