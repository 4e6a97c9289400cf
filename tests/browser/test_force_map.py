"""The force map's Leaflet layer (static/js/map.js): it draws every ward from the small overview,
and fetches the boundaries' every vertex only once a visitor zooms in past the overview."""

import math

import pytest

from tests.wards.factories import TeamFactory, WardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DETAIL = "/map/boundaries-detail.json"
FIRST_WARD_VERTICES = (
    "() => document.querySelector('.pact-map--enhanced path.leaflet-interactive').getAttribute('d').split('L').length"
)


def _round_ward(lng: float, lat: float, radius: float) -> dict:
    """An oval ward ``radius`` degrees of latitude high, its edge a zigzag 40 m deep (a street's
    width: more than a pixel from zoom 12, less than half of one at the overview's zoom 10)."""
    points = []
    for i in range(500):
        r = radius + (0.00018 if i % 2 else -0.00018)
        angle = 2 * math.pi * i / 500
        points.append([round(lng + r * 1.6 * math.cos(angle), 6), round(lat + r * math.sin(angle), 6)])
    return {"type": "Polygon", "coordinates": [[*points, points[0]]]}


@pytest.fixture
def force_area():
    """About 85 by 90 km, as a county is (the whole fits near zoom 9), with a town ward of 4 km
    in the middle (wholly in view at zoom 12) and three big rural wards around it."""
    team = TeamFactory(name="Rochester and Chatham")
    middle = [(0.7, 51.15, 0.04)]
    around = [(0.3, 50.9, 0.13), (1.1, 50.9, 0.13), (0.7, 51.45, 0.13)]
    return [
        WardFactory(name=f"Ward {n}", team=team, district=team.district, boundary=_round_ward(*oval))
        for n, oval in enumerate(middle + around)
    ]


def _shapes(page):
    return page.locator(".pact-map--enhanced path.leaflet-interactive")


def _zoom(page, button: str) -> None:
    """Shift-click a zoom button (three levels at once) and wait until the map is drawn anew."""
    drawn = _shapes(page).first.get_attribute("d")
    page.locator(f".leaflet-control-zoom-{button}").click(modifiers=["Shift"])
    page.wait_for_function(
        "(drawn) => document.querySelector('.pact-map--enhanced path.leaflet-interactive').getAttribute('d') !== drawn",
        arg=drawn,
    )


def test_force_map_draws_the_overview_then_the_detail_once_zoomed_in(page, force_area):
    held = []
    page.route(f"**{DETAIL}", lambda route: held.append(route))
    page.goto("/map/")
    page.locator(".pact-map--enhanced .leaflet-container").wait_for()
    page.wait_for_load_state("networkidle")

    assert _shapes(page).count() == len(force_area)
    assert held == []

    # Past the overview's zoom 10: the town ward is drawn from the overview until the detail comes.
    with page.expect_request(lambda request: request.url.endswith(DETAIL)):
        _zoom(page, "in")
    overview = page.evaluate(FIRST_WARD_VERTICES)
    held[0].continue_()

    page.wait_for_function(f"() => ({FIRST_WARD_VERTICES})() > {2 * overview}")
    assert _shapes(page).count() == len(force_area)
    _zoom(page, "out")
    _zoom(page, "in")
    page.wait_for_load_state("networkidle")
    assert len(held) == 1
