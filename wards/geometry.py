"""Plain geometry on GeoJSON for the maps that work without JavaScript or tiles.

Boundaries are small generalised polygons in WGS84, so a simple equirectangular projection
(longitude scaled by the cosine of the latitude) draws them without visible distortion.
"""

import math
from collections.abc import Iterable, Iterator
from typing import Any

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
        return round(x, 1), round(y, 1)

    def path(self, geometry: Geometry, min_step: float = 1.0) -> str:
        """An SVG path ``d`` attribute for the geometry (even-odd fill keeps the holes).

        Points closer than ``min_step`` pixels to the last one drawn are dropped: at the
        scale of a page they cannot be seen, and a force-wide map stays a few tens of KB.
        """
        parts = []
        for ring in rings(geometry):
            points = self._thinned([self.point(lng, lat) for lng, lat, *_ in ring], min_step)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        return "".join(parts)

    @staticmethod
    def _thinned(points: list[tuple[float, float]], min_step: float) -> list[tuple[float, float]]:
        kept = points[:1]
        for x, y in points[1:]:
            last_x, last_y = kept[-1]
            if abs(x - last_x) + abs(y - last_y) >= min_step:
                kept.append((x, y))
        return kept

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {round(self.height, 1):g}"
