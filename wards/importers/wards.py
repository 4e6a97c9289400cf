"""The 305 wards of 2003–2015 from the ONS December 2013 boundaries."""

from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape

from wards.importers.base import (
    ImporterError,
    ImportResult,
    data_file,
    import_transaction,
    read_csv,
    read_features,
    upsert,
)
from wards.models import District, Ward

VERSION = "1"
WARDS_GEOJSON = "kent_medway_wards_2013.geojson"
WARDS_CSV = "kent_medway_wards.csv"
INPUT_FILES = (WARDS_GEOJSON, WARDS_CSV)
PROPERTIES = ("ward_code", "ward_name", "ward_code_old", "lad_code")


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
        "old_code": props["ward_code_old"] or "",
        "district_id": district_ids[props["lad_code"]],
        "boundary": geometry,
        "centroid_lat": point.y,
        "centroid_lng": point.x,
        "min_lat": min_lat,
        "min_lng": min_lng,
        "max_lat": max_lat,
        "max_lng": max_lng,
    }


def cross_check(features: list[dict[str, Any]], directory: Path) -> list[str]:
    """Differences between the boundary file and the 2014 ward list, which should agree code for code."""
    listed = {
        row["ward_code"]: row["ward_name"]
        for row in read_csv(data_file(directory, WARDS_CSV), ("vintage", "ward_code", "ward_name"))
        if row["vintage"] == "2014"
    }
    drawn = {feature["properties"]["ward_code"]: feature["properties"]["ward_name"] for feature in features}
    notes = [f"ward {code} has a boundary but is not in {WARDS_CSV} (2014)" for code in sorted(drawn.keys() - listed)]
    notes += [f"ward {code} is in {WARDS_CSV} (2014) but has no boundary" for code in sorted(listed.keys() - drawn)]
    notes += [
        f"ward {code} is named {drawn[code]!r} in the boundaries and {listed[code]!r} in the list"
        for code in sorted(drawn.keys() & listed.keys())
        if drawn[code] != listed[code]
    ]
    return notes


def import_wards(*, directory: Path, commit: bool) -> ImportResult:
    """Upsert one Ward per WD13 feature, keyed by ONS code; report disagreements with the ward list."""
    features = read_features(data_file(directory, WARDS_GEOJSON), PROPERTIES)
    notes = cross_check(features, directory)
    with import_transaction(commit):
        district_ids = dict(District.objects.values_list("code", "id"))
        rows = {f["properties"]["ward_code"]: ward_fields(f, district_ids) for f in features}
        counts = upsert(Ward, "code", rows, entity="wards")
    return ImportResult("import_wards", committed=commit, counts=[counts], notes=notes)
