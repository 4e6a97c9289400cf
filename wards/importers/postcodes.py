"""Postcodes, each placed in one of the 305 wards.

A postcode Code-Point Open 2014 assigned to a ward keeps that ward. A newer postcode (no
2014 ward) goes to the ward whose polygon contains its coordinates, or, off the generalised
coastline, to the nearest ward polygon.
"""

import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, shape

from wards.importers.base import (
    BATCH_SIZE,
    ImporterError,
    ImportResult,
    data_file,
    import_transaction,
    read_csv,
    upsert,
)
from wards.models import Postcode, Ward
from wards.postcodes import normalise_postcode, outward_of

VERSION = "1"
POSTCODES_2014 = "kent_medway_postcodes_2014.csv"
POSTCODES_CURRENT = "kent_medway_postcodes.csv"
# The ward boundaries decide where a newer postcode goes, so they are an input of this step.
INPUT_FILES = (POSTCODES_2014, POSTCODES_CURRENT, "kent_medway_wards_2013.geojson")
COLUMNS = ("postcode", "latitude", "longitude")
# Degrees of longitude are shorter than degrees of latitude; at Kent's latitude this
# scale makes distances in the plane proportional to distances on the ground.
LNG_SCALE = math.cos(math.radians(51.25))
Placement = Postcode.Placement


class WardLocator:
    """Finds the ward for a point: the polygon containing it, else the nearest polygon."""

    def __init__(self, wards: list[tuple[int, str, dict]]):
        ordered = sorted(wards, key=lambda ward: ward[1])
        self.ids = [ward_id for ward_id, _, _ in ordered]
        self.geometries = [shapely.transform(shape(boundary), _scale) for _, _, boundary in ordered]
        self.tree = shapely.STRtree(self.geometries)

    def locate(self, lng: float, lat: float) -> tuple[int, str]:
        """(ward id, placement); ties (a point on a shared boundary) go to the lowest ward code."""
        point = Point(lng * LNG_SCALE, lat)
        inside = self.tree.query(point, predicate="intersects")
        if len(inside):
            return self.ids[min(inside)], Placement.POLYGON
        nearest = self.tree.query_nearest(point, all_matches=True)
        return self.ids[min(nearest)], Placement.NEAREST

    def overlapping(self, min_lng: float, min_lat: float, max_lng: float, max_lat: float) -> list[tuple[int, float]]:
        """(ward id, share of the box inside the ward) for each ward the box overlaps, largest first.

        Ties go to the lower ward code, so the order is the same on every run.
        """
        box = shapely.box(min_lng * LNG_SCALE, min_lat, max_lng * LNG_SCALE, max_lat)
        if box.area == 0:
            return []
        found = self.tree.query(box, predicate="intersects")
        shares = [(index, self.geometries[index].intersection(box).area / box.area) for index in sorted(found)]
        return [(self.ids[index], share) for index, share in sorted(shares, key=lambda pair: -pair[1]) if share > 0]


def _scale(coords: np.ndarray) -> np.ndarray:
    return coords * np.array([LNG_SCALE, 1.0])


def _coordinate(text: str) -> float | None:
    return float(text) if text.strip() else None


def _base_fields(row: dict[str, str], postcode: str) -> dict[str, Any]:
    return {
        "outward": outward_of(postcode),
        "latitude": _coordinate(row["latitude"]),
        "longitude": _coordinate(row["longitude"]),
    }


def rows_2014(directory: Path, ward_ids: dict[str, int], problems: Counter) -> dict[str, dict[str, Any]]:
    """Every valid postcode of the 2014 file, in the ward Code-Point recorded for it."""
    rows = {}
    for row in read_csv(data_file(directory, POSTCODES_2014), (*COLUMNS, "ward_code")):
        postcode = normalise_postcode(row["postcode"])
        if postcode is None or row["ward_code"] not in ward_ids:
            problems["not a postcode" if postcode is None else "unknown ward"] += 1
            continue
        rows[postcode] = _base_fields(row, postcode) | {
            "ward_id": ward_ids[row["ward_code"]],
            "placement": Placement.CODE_POINT_2014,
            "in_2014": True,
            "is_current": False,
        }
    return rows


def merge_current(
    rows: dict[str, dict[str, Any]], directory: Path, ward_ids: dict[str, int], locator: WardLocator, problems: Counter
) -> None:
    """Add the current file to ``rows``: its coordinates win; its 2014 ward, else the located ward."""
    for row in read_csv(data_file(directory, POSTCODES_CURRENT), (*COLUMNS, "ward_code_2014")):
        postcode = normalise_postcode(row["postcode"])
        if postcode is None:
            problems["not a postcode"] += 1
            continue
        earlier = rows.get(postcode)
        wanted = _base_fields(row, postcode) | {"in_2014": earlier is not None, "is_current": True}
        code_2014 = row["ward_code_2014"].strip()
        placed = _place(code_2014, earlier, wanted, ward_ids, locator)
        if placed is None:
            problems["unknown ward" if code_2014 else "no ward and no coordinates"] += 1
            continue
        rows[postcode] = wanted | placed


def _place(
    code_2014: str, earlier: dict | None, wanted: dict, ward_ids: dict[str, int], locator: WardLocator
) -> dict | None:
    if code_2014:
        ward_id = ward_ids.get(code_2014)
        return None if ward_id is None else {"ward_id": ward_id, "placement": Placement.CODE_POINT_2014}
    if earlier is not None:
        # Listed in 2014 with a ward: that record stands even if the current file lacks it.
        return {"ward_id": earlier["ward_id"], "placement": earlier["placement"]}
    if wanted["latitude"] is None or wanted["longitude"] is None:
        return None
    ward_id, placement = locator.locate(wanted["longitude"], wanted["latitude"])
    return {"ward_id": ward_id, "placement": placement}


def wanted_postcodes(directory: Path) -> tuple[dict[str, dict[str, Any]], Counter]:
    """Every postcode of both files with the fields it should have, and the rows that were skipped."""
    wards = list(Ward.objects.values_list("id", "code", "boundary"))
    if not wards:
        raise ImporterError("There are no wards in the database: run import_wards first.")
    ward_ids = {code: ward_id for ward_id, code, _ in wards}
    problems: Counter = Counter()
    rows = rows_2014(directory, ward_ids, problems)
    merge_current(rows, directory, ward_ids, WardLocator(wards), problems)
    return rows, problems


def delete_postcodes(postcodes: list[str]) -> int:
    """Delete the named postcodes in batches (SQLite limits the parameters of one query)."""
    deleted = 0
    for start in range(0, len(postcodes), BATCH_SIZE // 2):
        deleted += Postcode.objects.filter(postcode__in=postcodes[start : start + BATCH_SIZE // 2]).delete()[0]
    return deleted


def import_postcodes(*, directory: Path, commit: bool, delete_stale: bool = False) -> ImportResult:
    """Upsert every postcode of the 2014 and current files, keyed by the normalised postcode.

    Postcodes in the database but in neither file are reported, and deleted only with
    ``delete_stale``: a postcode is how residents find their ward, so none vanish silently.
    """
    with import_transaction(commit):
        rows, problems = wanted_postcodes(directory)
        counts = upsert(Postcode, "postcode", rows, entity="postcodes")
        if delete_stale and counts.stale:
            counts.deleted = delete_postcodes(counts.stale)
    placements = Counter(row["placement"] for row in rows.values())
    notes = ["placed by " + ", ".join(f"{placement}: {placements[placement]}" for placement in Placement.values)]
    notes += [f"skipped {count} row(s): {problem}" for problem, count in sorted(problems.items())]
    if counts.stale and not delete_stale:
        notes.append(f"pass --delete-stale to delete the {len(counts.stale)} postcode(s) not in the files")
    return ImportResult("import_postcodes", committed=commit, counts=[counts], notes=notes)
