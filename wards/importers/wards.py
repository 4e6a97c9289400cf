"""The wards of every generation (wards.importers.generations), with their boundaries and successions.

A ward's ONS code is kept by a ward the boundary review left alone, so a code found in two
generations is one ward spanning both (MapIt's generation_low/generation_high); its fields
and boundary are those it first came with. A ward a generation ended is linked to the wards
of the next one that took over its area, each with its share.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, shape

from wards.importers.base import (
    ImporterError,
    ImportResult,
    data_file,
    import_transaction,
    read_csv,
    read_features,
    sync_links,
    upsert,
)
from wards.importers.generations import BOUNDARY_FILES, GENERATIONS, GenerationSource
from wards.models import District, Generation, Ward, WardSuccession

VERSION = "2"
WARDS_CSV = "kent_medway_wards.csv"
INPUT_FILES = (*BOUNDARY_FILES, WARDS_CSV)
PROPERTIES = ("ward_code", "ward_name", "lad_code")
# Generalised boundaries of two vintages differ by slivers along shared edges; a successor
# holding less than 0.5 % of a ward's area is such a sliver, not a real part of it.
MIN_SUCCESSOR_SHARE = 0.005

Loaded = Sequence[tuple[GenerationSource, list[dict[str, Any]]]]


def inside_point(geometry: dict[str, Any]) -> Point:
    """The polygon's centroid, or a point surely inside it when the centroid falls outside.

    Crescent-shaped and multi-part wards (estuary islands) can have a centroid outside
    themselves, and a map marker or a point lookup must land in the ward.
    """
    polygon = shape(geometry)
    centroid = polygon.centroid
    return centroid if polygon.contains(centroid) else polygon.representative_point()


def ward_fields(feature: dict[str, Any], district_ids: dict[str, int]) -> dict[str, Any]:
    """The Ward fields of one boundary feature: names, district, boundary as given, centroid, bbox."""
    props, geometry = feature["properties"], feature["geometry"]
    if props["lad_code"] not in district_ids:
        raise ImporterError(
            f"District {props['lad_code']} of ward {props['ward_code']} is not in the database: "
            "run import_districts first."
        )
    point = inside_point(geometry)
    min_lng, min_lat, max_lng, max_lat = shape(geometry).bounds
    return {
        "name": props["ward_name"],
        "old_code": props.get("ward_code_old") or "",
        "district_id": district_ids[props["lad_code"]],
        "boundary": geometry,
        "centroid_lat": point.y,
        "centroid_lng": point.x,
        "min_lat": min_lat,
        "min_lng": min_lng,
        "max_lat": max_lat,
        "max_lng": max_lng,
    }


def cross_check(features: list[dict[str, Any]], directory: Path, source: GenerationSource) -> list[str]:
    """Differences between a generation's boundaries and the ward list's rows of its vintage."""
    vintage = str(source.id)
    listed = {
        row["ward_code"]: row["ward_name"]
        for row in read_csv(data_file(directory, WARDS_CSV), ("vintage", "ward_code", "ward_name"))
        if row["vintage"] == vintage
    }
    drawn = {feature["properties"]["ward_code"]: feature["properties"]["ward_name"] for feature in features}
    notes = [
        f"ward {code} has a boundary but is not in {WARDS_CSV} ({vintage})"
        for code in sorted(drawn.keys() - listed.keys())
    ]
    notes += [
        f"ward {code} is in {WARDS_CSV} ({vintage}) but has no boundary"
        for code in sorted(listed.keys() - drawn.keys())
    ]
    notes += [
        f"ward {code} is named {drawn[code]!r} in the boundaries and {listed[code]!r} in the list"
        for code in sorted(drawn.keys() & listed.keys())
        if drawn[code] != listed[code]
    ]
    return notes


def ward_rows(loaded: Loaded, district_ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Wanted Ward fields by ONS code: from the first generation holding the code, spanning to the last."""
    rows: dict[str, dict[str, Any]] = {}
    for source, features in loaded:
        for feature in features:
            code = feature["properties"]["ward_code"]
            if code not in rows:
                rows[code] = ward_fields(feature, district_ids) | {"generation_low_id": source.id}
            rows[code]["generation_high_id"] = source.id
    return rows


def succession_rows() -> dict[tuple[int, int], dict[str, float]]:
    """(predecessor id, successor id) → share, for each ward a generation ended and the next one's wards."""
    wards = [
        (ward_id, low, high, shapely.make_valid(shape(boundary)))
        for ward_id, low, high, boundary in Ward.objects.values_list(
            "id", "generation_low_id", "generation_high_id", "boundary"
        )
    ]
    rows: dict[tuple[int, int], dict[str, float]] = {}
    for earlier, later in zip(GENERATIONS, GENERATIONS[1:], strict=False):
        after = [(ward_id, polygon) for ward_id, low, high, polygon in wards if low <= later.id <= high]
        tree = shapely.STRtree([polygon for _, polygon in after])
        for ward_id, _low, high, polygon in wards:
            if high != earlier.id or polygon.area == 0:
                continue
            for index in tree.query(polygon, predicate="intersects"):
                share = polygon.intersection(after[index][1]).area / polygon.area
                if share >= MIN_SUCCESSOR_SHARE:
                    rows[ward_id, after[index][0]] = {"share": min(share, 1.0)}
    return rows


def import_wards(*, directory: Path, commit: bool) -> ImportResult:
    """Upsert the generations, one Ward per ONS code across them, and the successions between them."""
    loaded = [(source, read_features(data_file(directory, source.boundaries), PROPERTIES)) for source in GENERATIONS]
    notes = [note for source, features in loaded for note in cross_check(features, directory, source)]
    generations = {source.id: {"name": source.name, "in_force_from": source.in_force_from} for source in GENERATIONS}
    with import_transaction(commit):
        generation_counts = upsert(Generation, "id", generations, entity="generations")
        district_ids = dict(District.objects.values_list("code", "id"))
        counts = upsert(Ward, "code", ward_rows(loaded, district_ids), entity="wards")
        successions = sync_links(
            WardSuccession, ("predecessor_id", "successor_id"), succession_rows(), entity="ward successions"
        )
    return ImportResult("import_wards", committed=commit, counts=[generation_counts, counts, successions], notes=notes)
