"""The force map's ward boundaries, made small for the wire.

Every ward's boundary as GeoJSON was 142 KB gzipped for Kent: each edge two wards share was
sent twice, at five decimals, as text that compresses poorly. Here TopoJSON's ideas are used
in a flatter form, decoded by ``static/js/map.js``:

- each ring is cut where wards meet into *arcs*, and an edge two wards share is one arc, which
  each ward lists by index (``~i``, that is ``-i - 1``, for arc ``i`` walked backwards);
- a *level* puts the arcs on a grid in metres and simplifies them (Douglas-Peucker with the
  ends kept, so neighbours still meet) to within half a pixel at the zooms it serves;
- each arc is written as Google's encoded polyline of whole-grid steps, its first point a
  step from the previous arc's last point.

The overview (the whole force area, up to ``OVERVIEW_ZOOM``) comes with the wards' names; the
detail (every vertex of the source on a 1 m grid) only when a visitor zooms in further.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shapely.geometry import LineString

from wards.geometry import Geometry

# A point in whole micro-degrees: boundaries are stored to at most six decimals, so the
# vertices two wards share are equal here.
Point = tuple[int, int]
Ring = list[Point]
MICRO = 1_000_000
METRES_PER_DEGREE = 111_320
# Metres a pixel covers at zoom 0 on the equator, in Leaflet's Web Mercator.
METRES_PER_PIXEL_Z0 = 156_543.03

# Phones open the force map near zoom 8 and desktops near 10 (the zoom that fits the force area).
OVERVIEW_ZOOM = 10
# The source is generalised to about 20 m; 1 m keeps all of it (a pixel or so at zoom 18).
DETAIL_GRID_METRES = 1.0


@dataclass(frozen=True)
class Level:
    """Arcs simplified to within ``tolerance`` metres and put on a grid of ``grid`` metres."""

    tolerance: float
    grid: float
    max_zoom: float | None


def level_for_zoom(zoom: float, latitude: float) -> Level:
    """Half a pixel of simplification and a grid of a quarter pixel at ``zoom`` and ``latitude``."""
    pixel = METRES_PER_PIXEL_Z0 * math.cos(math.radians(latitude)) / 2**zoom
    return Level(tolerance=pixel / 2, grid=pixel / 4, max_zoom=zoom)


def _polygons(geometry: Geometry) -> list[list[Ring]]:
    """The geometry's polygons as rings of micro-degree points, without repeats or closing point."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    result = []
    for polygon in polygons:
        rings = []
        for coordinates in polygon:
            ring: Ring = []
            for lng, lat, *_ in coordinates:
                point = (round(lng * MICRO), round(lat * MICRO))
                if not ring or ring[-1] != point:
                    ring.append(point)
            if len(ring) > 1 and ring[0] == ring[-1]:
                ring.pop()
            if len(ring) >= 3:
                rings.append(ring)
        if rings:
            result.append(rings)
    return result


def _junctions(rings: Iterable[Ring]) -> set[Point]:
    """Points where the rings passing through them part ways (where three wards meet, say)."""
    first_seen: dict[Point, tuple[Point, Point]] = {}
    junctions = set()
    for ring in rings:
        for i, point in enumerate(ring):
            before, after = ring[i - 1], ring[i + 1 - len(ring)]
            pair = (before, after) if before < after else (after, before)
            if first_seen.setdefault(point, pair) != pair:
                junctions.add(point)
    return junctions


class _Arcs:
    """The arcs found so far, each kept once whichever way it was walked."""

    def __init__(self) -> None:
        self.arcs: list[list[Point]] = []
        self._index: dict[tuple[Point, ...], int] = {}

    def add(self, points: list[Point]) -> int:
        key = tuple(points)
        if key in self._index:
            return self._index[key]
        if key[::-1] in self._index:
            return ~self._index[key[::-1]]
        self._index[key] = len(self.arcs)
        self.arcs.append(points)
        return self._index[key]

    def add_ring(self, ring: Ring, junctions: set[Point]) -> list[int]:
        cuts = [i for i, point in enumerate(ring) if point in junctions]
        if not cuts:
            return [self._add_closed(ring)]
        ring = ring[cuts[0] :] + ring[: cuts[0]]
        cuts = [cut - cuts[0] for cut in cuts] + [len(ring)]
        closed = [*ring, ring[0]]
        return [self.add(closed[start : end + 1]) for start, end in zip(cuts, cuts[1:], strict=False)]

    def _add_closed(self, ring: Ring) -> int:
        # A ring that meets no other (an island, or a ward inside another) starts at its lowest
        # point and turns the way its second-lowest neighbour says, so its twin is found.
        start = ring.index(min(ring))
        ring = ring[start:] + ring[:start]
        backwards = ring[1] > ring[-1]
        if backwards:
            ring = [ring[0], *ring[:0:-1]]
        arc = self.add([*ring, ring[0]])
        return ~arc if backwards else arc


@dataclass(frozen=True)
class Topology:
    """The wards' arcs (micro-degree points) and each ward's polygons as rings of arc indices."""

    arcs: list[list[Point]]
    shapes: list[list[list[list[int]]]]


def topology(geometries: Iterable[Geometry]) -> Topology:
    """Cut the geometries' rings into arcs, each edge that wards share kept once."""
    all_polygons = [_polygons(geometry) for geometry in geometries]
    junctions = _junctions(ring for polygons in all_polygons for polygon in polygons for ring in polygon)
    arcs = _Arcs()
    shapes = [
        [[arcs.add_ring(ring, junctions) for ring in polygon] for polygon in polygons] for polygons in all_polygons
    ]
    return Topology(arcs.arcs, shapes)


class _Grid:
    """A local equirectangular projection to whole grid units, about the arcs' south-west corner."""

    def __init__(self, arcs: list[list[Point]], grid: float) -> None:
        self.west = min(x for arc in arcs for x, _ in arc) / MICRO
        self.south = min(y for arc in arcs for _, y in arc) / MICRO
        north = max(y for arc in arcs for _, y in arc) / MICRO
        self.kx = math.cos(math.radians((self.south + north) / 2))
        self.grid = grid

    def metres(self, arc: list[Point]) -> list[tuple[float, float]]:
        return [
            ((x / MICRO - self.west) * self.kx * METRES_PER_DEGREE, (y / MICRO - self.south) * METRES_PER_DEGREE)
            for x, y in arc
        ]

    def units(self, points: Iterable[tuple[float, float]]) -> list[Point]:
        result: list[Point] = []
        for x, y in points:
            point = (round(x / self.grid), round(y / self.grid))
            if not result or result[-1] != point:
                result.append(point)
        return result

    @property
    def transform(self) -> dict[str, list[float]]:
        step = self.grid / METRES_PER_DEGREE
        return {"origin": [self.west, self.south], "step": [step / self.kx, step]}


def _simplified(topo: Topology, grid: _Grid, tolerance: float) -> list[list[Point]]:
    """Each arc simplified and on the grid; a ring simplification would flatten keeps its arcs whole.

    A ring smaller than the grid (under a quarter of a pixel at the level's zoom) is flat anyway.
    """
    metres = [grid.metres(arc) for arc in topo.arcs]
    whole = [grid.units(points) for points in metres]
    if not tolerance:
        return whole
    arcs = [
        grid.units(LineString(points).simplify(tolerance, preserve_topology=False).coords) if len(points) > 2 else w
        for points, w in zip(metres, whole, strict=True)
    ]
    for polygons in topo.shapes:
        for polygon in polygons:
            for ring in polygon:
                if len({point for index in ring for point in arcs[index if index >= 0 else ~index]}) < 3:
                    for index in ring:
                        arcs[index if index >= 0 else ~index] = whole[index if index >= 0 else ~index]
    return arcs


def _polyline_number(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def _encoded(arcs: list[list[Point]]) -> list[str]:
    last, encoded = (0, 0), []
    for arc in arcs:
        numbers = []
        for x, y in arc:
            numbers += [x - last[0], y - last[1]]
            last = (x, y)
        encoded.append("".join(_polyline_number(number) for number in numbers))
    return encoded


def encode_arcs(topo: Topology, level: Level) -> dict[str, Any]:
    """The topology's arcs at ``level``: ``origin`` and ``step`` (degrees a grid unit), ``arcs``
    (encoded polylines) and the ``max_zoom`` the level serves (None: any)."""
    if not topo.arcs:
        return {"origin": [0, 0], "step": [1, 1], "arcs": [], "max_zoom": level.max_zoom}
    grid = _Grid(topo.arcs, level.grid)
    return {**grid.transform, "arcs": _encoded(_simplified(topo, grid, level.tolerance)), "max_zoom": level.max_zoom}


def overview_level(topo: Topology) -> Level:
    """The level for the force-wide view, at the middle latitude of the arcs."""
    latitudes = [y / MICRO for arc in topo.arcs for _, y in arc] or [0.0]
    return level_for_zoom(OVERVIEW_ZOOM, (min(latitudes) + max(latitudes)) / 2)


DETAIL = Level(tolerance=0, grid=DETAIL_GRID_METRES, max_zoom=None)
