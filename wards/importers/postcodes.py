"""Postcodes, each placed in a ward of every generation (wards.importers.generations).

In each generation a postcode takes the ward Code-Point Open recorded for it (for the 305:
the 2014 release, else the current release's 2014 ward; for May 2025: the current release).
A postcode with no recorded ward there (a newer one among the 305, a retired one among the
279) goes to the ward whose polygon contains its coordinates, or, off the generalised
coastline, to the nearest ward polygon.
"""

import math
from collections import Counter, defaultdict
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
    sync_links,
    upsert,
)
from wards.importers.generations import BOUNDARY_FILES, GENERATIONS, POSTCODES_2014, POSTCODES_CURRENT, GenerationSource
from wards.models import Postcode, PostcodeWard, Ward
from wards.postcodes import normalise_postcode, outward_of

VERSION = "2"
# The ward boundaries decide where an unrecorded postcode goes, so they are inputs of this step.
INPUT_FILES = (POSTCODES_2014, POSTCODES_CURRENT, *BOUNDARY_FILES)
COLUMNS = ("postcode", "latitude", "longitude")
# Each file's columns naming a ward.
WARD_COLUMNS = {POSTCODES_2014: ("ward_code",), POSTCODES_CURRENT: ("ward_code", "ward_code_2014")}
# Degrees of longitude are shorter than degrees of latitude; at Kent's latitude this
# scale makes distances in the plane proportional to distances on the ground.
LNG_SCALE = math.cos(math.radians(51.25))
Placement = PostcodeWard.Placement
Recorded = dict[str, dict[tuple[str, str], str]]


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


def postcode_rows(directory: Path, problems: Counter) -> tuple[dict[str, dict[str, Any]], Recorded]:
    """Every valid postcode of both files with its fields, and the ward codes each file records for it.

    The current file comes second, so its coordinates win for a postcode in both.
    """
    rows: dict[str, dict[str, Any]] = {}
    recorded: Recorded = defaultdict(dict)
    for name in (POSTCODES_2014, POSTCODES_CURRENT):
        for row in read_csv(data_file(directory, name), (*COLUMNS, *WARD_COLUMNS[name])):
            postcode = normalise_postcode(row["postcode"])
            if postcode is None:
                problems["not a postcode"] += 1
                continue
            earlier = rows.get(postcode)
            rows[postcode] = {
                "outward": outward_of(postcode),
                "latitude": _coordinate(row["latitude"]),
                "longitude": _coordinate(row["longitude"]),
                "in_2014": name == POSTCODES_2014 or (earlier is not None and earlier["in_2014"]),
                "is_current": name == POSTCODES_CURRENT,
            }
            for column in WARD_COLUMNS[name]:
                recorded[postcode][name, column] = row[column].strip()
    return rows, recorded


def _link(
    source: GenerationSource, recorded: dict, fields: dict, ward_ids: dict[str, int], locator: WardLocator
) -> dict[str, Any] | str:
    """The PostcodeWard fields of one postcode in one generation, or the reason it has none."""
    for where in source.recorded_wards:
        code = recorded.get(where)
        if code:
            ward_id = ward_ids.get(code)
            return "unknown ward" if ward_id is None else {"ward_id": ward_id, "placement": source.recorded_as}
    if fields["latitude"] is None or fields["longitude"] is None:
        return "no ward and no coordinates"
    ward_id, placement = locator.locate(fields["longitude"], fields["latitude"])
    return {"ward_id": ward_id, "placement": placement}


def link_rows(
    rows: dict[str, dict[str, Any]], recorded: Recorded, problems: Counter
) -> dict[tuple[str, int], dict[str, Any]]:
    """(postcode, generation) → its ward there and how it was placed, for every generation."""
    links: dict[tuple[str, int], dict[str, Any]] = {}
    for source in GENERATIONS:
        wards = list(Ward.objects.in_generation(source.id).values_list("id", "code", "boundary"))
        if not wards:
            raise ImporterError(f"There are no wards of {source.name} in the database: run import_wards first.")
        ward_ids = {code: ward_id for ward_id, code, _ in wards}
        locator = WardLocator(wards)
        for postcode, fields in rows.items():
            link = _link(source, recorded[postcode], fields, ward_ids, locator)
            if isinstance(link, str):
                problems[f"{link} among {source.name}"] += 1
            else:
                links[postcode, source.id] = link
    return links


def delete_postcodes(postcodes: list[str]) -> int:
    """Delete the named postcodes in batches (SQLite limits the parameters of one query)."""
    deleted = 0
    for start in range(0, len(postcodes), BATCH_SIZE // 2):
        deleted += Postcode.objects.filter(postcode__in=postcodes[start : start + BATCH_SIZE // 2]).delete()[0]
    return deleted


def _placement_notes(links: dict[tuple[str, int], dict[str, Any]]) -> list[str]:
    notes = []
    for source in GENERATIONS:
        placements = Counter(link["placement"] for (_, generation), link in links.items() if generation == source.id)
        counted = ", ".join(f"{placement}: {placements[placement]}" for placement in Placement.values)
        notes.append(f"{source.name}: placed by {counted}")
    return notes


def import_postcodes(*, directory: Path, commit: bool, delete_stale: bool = False) -> ImportResult:
    """Upsert every postcode of the 2014 and current files, keyed by the normalised postcode, and its wards.

    Postcodes in the database but in neither file are reported, and deleted only with
    ``delete_stale``: a postcode is how residents find their ward, so none vanish silently.
    A postcode's ward links are derived from the files and replaced as they change.
    """
    problems: Counter = Counter()
    rows, recorded = postcode_rows(directory, problems)
    with import_transaction(commit):
        links = link_rows(rows, recorded, problems)
        counts = upsert(Postcode, "postcode", rows, entity="postcodes")
        if delete_stale and counts.stale:
            counts.deleted = delete_postcodes(counts.stale)
        ids = dict(Postcode.objects.values_list("postcode", "id"))
        link_counts = sync_links(
            PostcodeWard,
            ("postcode_id", "generation_id"),
            {(ids[postcode], generation): link for (postcode, generation), link in links.items()},
            entity="postcode wards",
            # A stale postcode that is kept keeps its wards.
            queryset=PostcodeWard.objects.exclude(postcode__postcode__in=[] if delete_stale else counts.stale),
        )
    notes = _placement_notes(links)
    notes += [f"skipped {count} row(s): {problem}" for problem, count in sorted(problems.items())]
    if counts.stale and not delete_stale:
        notes.append(f"pass --delete-stale to delete the {len(counts.stale)} postcode(s) not in the files")
    return ImportResult("import_postcodes", committed=commit, counts=[counts, link_counts], notes=notes)
