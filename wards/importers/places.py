"""Named places from OS Open Names, each linked to the wards it lies in, in every generation.

A town, city or suburb is linked to every ward its bounding box overlaps by at least
``MIN_SHARE`` of the box, with that share; a village, hamlet or other settlement to the
ward holding its centre (or, off the generalised coastline, the nearest ward).
"""

from collections import Counter
from pathlib import Path
from typing import Any

from wards.importers.base import (
    ImporterError,
    ImportResult,
    data_file,
    import_transaction,
    read_csv,
    sync_links,
    upsert,
)
from wards.importers.generations import BOUNDARY_FILES, GENERATIONS
from wards.importers.postcodes import WardLocator
from wards.models import District, Place, PlaceWard, Ward
from wards.places import place_key

VERSION = "2"
PLACES_FILE = "kent_medway_places.csv"
# The ward boundaries decide which wards a place is in, so they are inputs of this step.
INPUT_FILES = (PLACES_FILE, *BOUNDARY_FILES)
COLUMNS = (
    "place_id",
    "name",
    "local_type",
    "postcode_district",
    "lad_code",
    "latitude",
    "longitude",
    "min_latitude",
    "min_longitude",
    "max_latitude",
    "max_longitude",
)
KINDS = {
    "City": Place.Kind.CITY,
    "Town": Place.Kind.TOWN,
    "Village": Place.Kind.VILLAGE,
    "Hamlet": Place.Kind.HAMLET,
    "Suburban Area": Place.Kind.SUBURB,
    "Other Settlement": Place.Kind.OTHER,
}
# A bounding box is a rectangle: its corners reach into wards the place itself does not.
# Overlaps under 1 % of the box are such corners and slivers, and are left out.
MIN_SHARE = 0.01
# Place field → column of the file.
_COORDINATES = {
    "latitude": "latitude",
    "longitude": "longitude",
    "min_lat": "min_latitude",
    "min_lng": "min_longitude",
    "max_lat": "max_latitude",
    "max_lng": "max_longitude",
}


def _place_fields(row: dict[str, str], district_ids: dict[str, int]) -> dict[str, Any] | str:
    """The Place fields of one row, or the reason it is skipped."""
    kind = KINDS.get(row["local_type"])
    key = place_key(row["name"])
    if kind is None:
        return "unknown local_type"
    if row["lad_code"] not in district_ids:
        return "district not in the database"
    if not key:
        return "no letters or digits in the name"
    try:
        numbers = {name: float(row[column]) for name, column in _COORDINATES.items()}
    except ValueError:
        return "bad coordinates"
    if numbers["min_lat"] > numbers["max_lat"] or numbers["min_lng"] > numbers["max_lng"]:
        return "bad coordinates"
    return {
        "name": row["name"].strip(),
        "search_name": key,
        "kind": kind,
        "district_id": district_ids[row["lad_code"]],
        "postcode_district": row["postcode_district"].strip().upper()[:4],
        **numbers,
    }


def place_rows(directory: Path, problems: Counter) -> dict[str, dict[str, Any]]:
    """Wanted Place fields by OS identifier; rows that cannot be used are counted in ``problems``."""
    district_ids = dict(District.objects.values_list("code", "id"))
    rows: dict[str, dict[str, Any]] = {}
    for row in read_csv(data_file(directory, PLACES_FILE), COLUMNS):
        fields = _place_fields(row, district_ids)
        if isinstance(fields, str):
            problems[fields] += 1
        else:
            rows[row["place_id"].strip()] = fields
    return rows


def place_wards(place: dict[str, Any], locator: WardLocator) -> list[tuple[int, float]]:
    """(ward id, share) for each ward the place lies in; see the module docstring."""
    if place["kind"] in Place.AREA_KINDS:
        box = (place["min_lng"], place["min_lat"], place["max_lng"], place["max_lat"])
        overlaps = [(ward_id, share) for ward_id, share in locator.overlapping(*box) if share >= MIN_SHARE]
        if overlaps:
            return [(ward_id, min(share, 1.0)) for ward_id, share in overlaps]
    ward_id, _ = locator.locate(place["longitude"], place["latitude"])
    return [(ward_id, 1.0)]


def link_rows(rows: dict[str, dict[str, Any]]) -> dict[tuple[int, int, int], dict[str, float]]:
    """Wanted PlaceWard shares by (place id, generation, ward id), for the places now in the database."""
    place_ids = dict(Place.objects.filter(os_id__in=rows).values_list("os_id", "id"))
    links: dict[tuple[int, int, int], dict[str, float]] = {}
    for source in GENERATIONS:
        wards = list(Ward.objects.in_generation(source.id).values_list("id", "code", "boundary"))
        if not wards:
            raise ImporterError(f"There are no wards of {source.name} in the database: run import_wards first.")
        locator = WardLocator(wards)
        for os_id, fields in rows.items():
            for ward_id, share in place_wards(fields, locator):
                links[place_ids[os_id], source.id, ward_id] = {"share": share}
    return links


def import_places(*, directory: Path, commit: bool) -> ImportResult:
    """Upsert the places by OS identifier and set the wards each lies in.

    Places no longer in the file are reported and kept; their ward links are left as they were.
    """
    problems: Counter = Counter()
    rows = place_rows(directory, problems)
    with import_transaction(commit):
        counts = upsert(Place, "os_id", rows, entity="places")
        links = link_rows(rows)
        link_counts = sync_links(
            PlaceWard,
            ("place_id", "generation_id", "ward_id"),
            links,
            entity="place wards",
            queryset=PlaceWard.objects.filter(place__os_id__in=rows),
        )
    kinds = Counter(fields["kind"] for fields in rows.values())
    notes = ["kinds: " + ", ".join(f"{kind}: {kinds[kind]}" for kind in Place.Kind.values)]
    notes += [f"skipped {count} row(s): {problem}" for problem, count in sorted(problems.items())]
    return ImportResult("import_places", committed=commit, counts=[counts, link_counts], notes=notes)
