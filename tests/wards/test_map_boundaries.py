"""The force map's boundaries in their small encoding (wards.map_boundaries): what
static/js/map.js decodes must be the wards' own boundaries, within the grid and the
simplification of the level, and must change the moment a boundary does."""

import math

import pytest
from django.urls import reverse
from shapely.geometry import MultiPolygon, Polygon, shape

from tests.wards.factories import TeamFactory, WardFactory, square
from wards import map_boundaries
from wards.map_boundaries import DETAIL, encode_arcs, level_for_zoom, overview_level, topology

pytestmark = pytest.mark.django_db

# Metres a degree of latitude spans (as the encoder reckons), and of longitude near 51° N.
LAT_METRES = map_boundaries.METRES_PER_DEGREE


def decode_arcs(level: dict) -> list[list[tuple[float, float]]]:
    """As map.js decodeArcs: encoded polylines of grid steps to longitude and latitude."""
    x = y = 0
    arcs = []
    for text in level["arcs"]:
        numbers, value, shift = [], 0, 0
        for char in text:
            chunk = ord(char) - 63
            value |= (chunk & 0x1F) << shift
            shift += 5
            if chunk < 0x20:
                numbers.append(~(value >> 1) if value & 1 else value >> 1)
                value = shift = 0
        points = []
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((level["origin"][0] + x * level["step"][0], level["origin"][1] + y * level["step"][1]))
        arcs.append(points)
    return arcs


def decode_shape(arcs: list, polygons: list) -> MultiPolygon:
    """As map.js ringOf: each ring its arcs end to end, ~i walked backwards."""

    def ring(indices):
        points = []
        for n, index in enumerate(indices):
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points += arc[1:] if n else arc
        return points

    return MultiPolygon([Polygon(ring(rings[0]), [ring(hole) for hole in rings[1:]]) for rings in polygons])


def metres(a, b) -> float:
    """How far apart two shapes are at most (Hausdorff), in metres near 51° N."""
    return a.hausdorff_distance(b) * LAT_METRES * math.cos(math.radians(51))


def ring_around(lng: float, lat: float, radius: float, count: int) -> list[list[float]]:
    points = [
        [
            round(lng + radius * math.cos(2 * math.pi * i / count), 6),
            round(lat + radius * math.sin(2 * math.pi * i / count), 6),
        ]
        for i in range(count)
    ]
    return [*points, points[0]]


def test_map_boundaries_detail_keeps_every_vertex_within_a_metre():
    wiggly = {"type": "Polygon", "coordinates": [ring_around(0.52, 51.2, 0.02, 200)]}
    geometries = [square(0.5, 51.0), square(0.51, 51.0), wiggly]
    topo = topology(geometries)

    level = encode_arcs(topo, DETAIL)
    arcs = decode_arcs(level)

    for geometry, polygons in zip(geometries, topo.shapes, strict=True):
        decoded = decode_shape(arcs, polygons)
        assert len(decoded.geoms[0].exterior.coords) == len(geometry["coordinates"][0])
        # Half the 1 m grid's diagonal, and a little for the local projection.
        assert metres(decoded, shape(geometry)) < 0.75


def test_map_boundaries_send_an_edge_two_wards_share_once():
    topo = topology([square(0.5, 51.0), square(0.51, 51.0)])

    # The shared edge, and the rest of each square.
    assert len(topo.arcs) == 3
    first, second = (
        {index if index >= 0 else ~index for index in ring} for ring in (topo.shapes[0][0][0], topo.shapes[1][0][0])
    )
    assert len(first & second) == 1


def test_map_boundaries_send_a_ward_inside_another_once():
    outer = ring_around(0.5, 51.0, 0.05, 40)
    inner = ring_around(0.5, 51.0, 0.01, 30)
    surrounding = {"type": "Polygon", "coordinates": [outer, inner[::-1]]}
    enclave = {"type": "Polygon", "coordinates": [inner]}

    topo = topology([surrounding, enclave])
    arcs = decode_arcs(encode_arcs(topo, DETAIL))

    assert len(topo.arcs) == 2
    assert metres(decode_shape(arcs, topo.shapes[0]), shape(surrounding)) < 0.75
    assert metres(decode_shape(arcs, topo.shapes[1]), shape(enclave)) < 0.75


def test_map_boundaries_overview_stays_within_half_a_pixel_at_its_zoom_and_drops_vertices():
    wiggly = {"type": "Polygon", "coordinates": [ring_around(0.52, 51.2, 0.05, 2000)]}
    topo = topology([wiggly])
    level = overview_level(topo)

    encoded = encode_arcs(topo, level)
    decoded = decode_shape(decode_arcs(encoded), topo.shapes[0])

    assert encoded["max_zoom"] == map_boundaries.OVERVIEW_ZOOM
    # Half a pixel at zoom 10 (about 48 m here), and half the grid's diagonal on top.
    assert metres(decoded, shape(wiggly)) < level.tolerance + level.grid * 0.75
    assert len(decoded.geoms[0].exterior.coords) < 200


def test_map_boundaries_overview_keeps_a_ward_smaller_than_its_tolerance_drawable():
    # About 42 by 67 m: bigger than zoom 10's grid (24 m), within twice its tolerance (48 m),
    # so simplifying alone would flatten it to a line.
    tiny = square(0.5, 51.0, size=0.0006)
    topo = topology([square(0.3, 51.0, size=0.2), tiny])

    decoded = decode_shape(decode_arcs(encode_arcs(topo, level_for_zoom(10, 51.0))), topo.shapes[1])

    assert decoded.area > 0


@pytest.fixture
def team():
    team = TeamFactory(name="Rochester and Chatham")
    for name in ["Chatham Central", "Rochester East", "Rochester West"]:
        WardFactory(name=name, team=team, district=team.district)
    return team


def _drawn(client) -> dict[str, MultiPolygon]:
    """Each ward's shape as map.js draws it: the overview, then the detail it fetches on zooming in."""
    overview = client.get(reverse("wards:map_boundaries")).json()
    detail = client.get(overview["detail_url"]).json()
    arcs = decode_arcs(detail)
    return {ward["code"]: decode_shape(arcs, ward["polygons"]) for ward in overview["wards"]}


def test_force_map_boundaries_have_every_ward_with_its_team_and_address(client, team):
    data = client.get(reverse("wards:map_boundaries")).json()

    assert {ward["name"] for ward in data["wards"]} == set(team.wards.values_list("name", flat=True))
    assert {ward["team"] for ward in data["wards"]} == {team.name}
    ward = team.wards.first()
    assert data["ward_url"].replace("{code}", ward.code) == reverse("wards:detail", args=[ward.code])
    assert data["arcs"]["max_zoom"] == map_boundaries.OVERVIEW_ZOOM


def test_force_map_boundaries_are_the_wards_own(client, team):
    drawn = _drawn(client)

    for ward in team.wards.all():
        assert metres(drawn[ward.code], shape(ward.boundary)) < 0.75


def test_force_map_boundaries_run_fixed_queries_and_are_kept(client, django_assert_num_queries, team):
    second = TeamFactory(name="Maidstone Town Centre")
    WardFactory.create_batch(3, team=second, district=second.district)

    # 1 teams with districts, 2 their wards, 3 the officers who cover each
    with django_assert_num_queries(3):
        client.get(reverse("wards:map_boundaries"))
    # nothing: both levels were encoded together and kept
    with django_assert_num_queries(0):
        client.get(reverse("wards:map_boundaries_detail"))
        response = client.get(reverse("wards:map_boundaries"))

    assert len(response.json()["wards"]) == 6


def test_force_map_boundaries_are_sent_compressed_with_an_etag(client, team):
    response = client.get(reverse("wards:map_boundaries"), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"] == "application/json"
    again = client.get(
        reverse("wards:map_boundaries"), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_force_map_boundaries_show_a_changed_boundary_straight_away(client, team):
    ward = team.wards.get(name="Chatham Central")
    _drawn(client)

    ward.boundary = square(ward.min_lng, ward.min_lat, size=0.005)
    ward.save()

    assert metres(_drawn(client)[ward.code], shape(ward.boundary)) < 0.75
