"""The ward maps' inline SVG: right shapes, and a force-wide map small enough for a phone."""

import math
import random

from wards.geometry import SvgProjection, bbox

# Kent and Medway's extent, roughly: where the synthetic force area below is laid out.
WEST, SOUTH, EAST, NORTH = 0.03, 50.91, 1.45, 51.49


def square(lng: float, lat: float, size: float) -> dict:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def detailed_ward(lng: float, lat: float, radius: float, rng: random.Random) -> dict:
    """A ward outline as boundary files give them: hundreds of points along a wiggly edge."""
    ring = []
    for step in range(600):
        angle = 2 * math.pi * step / 600
        wobble = radius * (1 + 0.15 * math.sin(7 * angle) + 0.02 * rng.uniform(-1, 1))
        ring.append([lng + wobble * math.cos(angle) * 1.6, lat + wobble * math.sin(angle)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def force_area(columns: int = 20, rows: int = 15) -> list[dict]:
    """300 detailed wards tiled over the force area (Kent and Medway has about 300)."""
    rng = random.Random(17)  # noqa: S311 - a fixed, repeatable shape
    width, height = (EAST - WEST) / columns, (NORTH - SOUTH) / rows
    return [
        detailed_ward(WEST + (column + 0.5) * width, SOUTH + (row + 0.5) * height, height / 2, rng)
        for column in range(columns)
        for row in range(rows)
    ]


def test_a_square_is_drawn_as_relative_whole_unit_moves_closed_by_z():
    projection = SvgProjection(bbox([square(0.0, 0.0, 1.0)]), width=116, margin=8)

    assert projection.path(square(0.0, 0.0, 1.0)) == "M8 108l100 0 0-100-100 0z"


def test_a_hole_is_kept_as_a_second_ring():
    outer = square(0.0, 0.0, 1.0)["coordinates"][0]
    hole = [[0.25, 0.25], [0.25, 0.75], [0.75, 0.75], [0.75, 0.25], [0.25, 0.25]]
    geometry = {"type": "Polygon", "coordinates": [outer, hole]}

    d = SvgProjection(bbox([geometry]), width=116, margin=8).path(geometry)

    assert d.count("M") == 2
    assert d.count("z") == 2


def test_a_ring_smaller_than_a_unit_is_left_out():
    big, speck = square(0.0, 0.0, 1.0), square(0.5, 0.5, 0.0001)
    projection = SvgProjection(bbox([big]), width=116, margin=8)

    assert projection.path(speck) == ""
    assert projection.path(big) != ""


def test_the_simplified_outline_stays_within_a_unit_of_the_boundary():
    ward = detailed_ward(0.5, 51.2, 0.02, random.Random(1))  # noqa: S311
    projection = SvgProjection(bbox([ward]))
    exact = [projection.point(lng, lat) for lng, lat in ward["coordinates"][0]]

    d = projection.path(ward)

    numbers = [int(n) for n in d[1:-1].replace("l", " ").replace("-", " -").split()]
    x, y, drawn = numbers[0], numbers[1], [(numbers[0], numbers[1])]
    for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
        x, y = x + dx, y + dy
        drawn.append((x, y))
    # Every drawn corner lies on the real edge (within the simplification and rounding).
    for px, py in drawn:
        assert min(math.hypot(px - ex, py - ey) for ex, ey in exact) < 1.5
    assert 20 < len(drawn) < 600


def test_a_force_wide_map_of_300_detailed_wards_stays_under_its_measured_size():
    # Measured on this synthetic area: 383,797 bytes of path data with the previous drawing
    # (1-decimal absolute coordinates, points under a unit apart dropped), 35,427 bytes now.
    # With Kent and Medway's 305 real wards: 195,766 bytes before, 39,126 now (12 KB gzipped).
    wards = force_area()
    projection = SvgProjection(bbox(wards))

    size = sum(len(projection.path(ward)) for ward in wards)

    assert size < 45_000
