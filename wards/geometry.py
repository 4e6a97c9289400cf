"""Plain geometry on GeoJSON for the maps that work without JavaScript or tiles.

Boundaries are small generalised polygons in WGS84, so a simple equirectangular projection
(longitude scaled by the cosine of the latitude) draws them without visible distortion.
"""

import math
from collections.abc import Iterable, Iterator
from typing import Any

from shapely.geometry import LineString

Geometry = dict[str, Any]
Ring = list[list[float]]


def rings(geometry: Geometry) -> Iterator[Ring]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    else:
        raise ValueError(f"Expected a Polygon or MultiPolygon, not {geometry['type']}")


def bbox(geometries: Iterable[Geometry]) -> tuple[float, float, float, float]:
    """(min_lng, min_lat, max_lng, max_lat) over all the geometries."""
    lngs: list[float] = []
    lats: list[float] = []
    for geometry in geometries:
        for ring in rings(geometry):
            lngs.extend(point[0] for point in ring)
            lats.extend(point[1] for point in ring)
    return min(lngs), min(lats), max(lngs), max(lats)


class SvgProjection:
    """Projects longitude/latitude into an SVG box ``width`` wide, keeping proportions."""

    def __init__(self, box: tuple[float, float, float, float], width: float = 600, margin: float = 8):
        min_lng, min_lat, max_lng, max_lat = box
        self.kx = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lng - min_lng) * self.kx, 1e-9)
        span_y = max(max_lat - min_lat, 1e-9)
        self.scale = (width - 2 * margin) / span_x
        self.min_lng, self.max_lat, self.margin = min_lng, max_lat, margin
        self.width = width
        self.height = span_y * self.scale + 2 * margin

    def point(self, lng: float, lat: float) -> tuple[float, float]:
        x = (lng - self.min_lng) * self.kx * self.scale + self.margin
        y = (self.max_lat - lat) * self.scale + self.margin
        return x, y

    def path(self, geometry: Geometry, tolerance: float = 0.5) -> str:
        """An SVG path ``d`` attribute for the geometry (even-odd fill keeps the holes).

        Drawn for the box it is shown in (``width`` units across, about a CSS pixel each at
        most): each ring is simplified (Douglas-Peucker) to within ``tolerance`` units, put on
        the whole-unit grid and written as relative moves, whose small numbers compress well.
        A force-wide map of 300 wards stays around 20 KB compressed.
        """
        parts = []
        for ring in rings(geometry):
            points = [self.point(lng, lat) for lng, lat, *_ in ring]
            if len(points) > 3:
                points = list(LineString(points).simplify(tolerance, preserve_topology=False).coords)
            grid = self._on_grid(points)
            if len(grid) >= 3:
                parts.append(self._relative(grid))
        return "".join(parts)

    @staticmethod
    def _on_grid(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
        """Whole units, consecutive repeats dropped, no closing point (``z`` closes the ring)."""
        grid: list[tuple[int, int]] = []
        for x, y in points:
            point = (round(x), round(y))
            if not grid or point != grid[-1]:
                grid.append(point)
        if len(grid) > 1 and grid[0] == grid[-1]:
            grid.pop()
        return grid

    @staticmethod
    def _relative(grid: list[tuple[int, int]]) -> str:
        (x, y), numbers = grid[0], []
        for next_x, next_y in grid[1:]:
            numbers += [next_x - x, next_y - y]
            x, y = next_x, next_y
        # A minus sign separates two numbers as well as a space does.
        moves = " ".join(str(number) for number in numbers).replace(" -", "-")
        return f"M{grid[0][0]} {grid[0][1]}l{moves}z"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {round(self.height, 1):g}"
