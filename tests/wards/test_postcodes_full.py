"""The whole reference data set, imported for real: every ward reachable, every postcode in its ward.

The expected ward of each postcode is worked out here from the files alone, independently of
the importer: the 2014 file's ward; else the current file's 2014 ward; else a ward whose
polygon contains the point; else the polygon nearest on the ground.
"""

import csv
import json
import math
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Sum
from shapely.geometry import Point, shape

from wards.models import PostcodeWard, Ward, WardSuccession

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.slow]


def _read(name: str) -> list[dict[str, str]]:
    with (Path(settings.PACT_DATA_DIR) / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _polygons() -> dict[str, shapely.Geometry]:
    text = (Path(settings.PACT_DATA_DIR) / "kent_medway_wards_2013.geojson").read_text(encoding="utf-8")
    return {f["properties"]["ward_code"]: shape(f["geometry"]) for f in json.loads(text)["features"]}


def _containing(polygons: dict, points: list[dict[str, str]]) -> list[set[str]]:
    """For each point, the codes of every ward polygon that contains it (or has it on its edge)."""
    lngs = np.array([float(p["longitude"]) for p in points])
    lats = np.array([float(p["latitude"]) for p in points])
    found: list[set[str]] = [set() for _ in points]
    for code, polygon in polygons.items():
        for index in np.flatnonzero(shapely.intersects_xy(polygon, lngs, lats)):
            found[index].add(code)
    return found


def _nearest(polygons: dict, lng: float, lat: float) -> str:
    """The ward whose polygon is nearest, measuring with longitude shrunk by the cosine of the latitude."""
    k = math.cos(math.radians(lat))
    point = Point(lng * k, lat)
    distances = {
        code: shapely.transform(polygon, lambda xy: xy * [k, 1]).distance(point) for code, polygon in polygons.items()
    }
    return min(distances, key=distances.get)


def _expected() -> tuple[dict[str, set[str]], int]:
    """Postcode → the ward codes it may rightly be in, and how many must fall back to the nearest ward."""
    expected = {row["postcode"]: {row["ward_code"]} for row in _read("kent_medway_postcodes_2014.csv")}
    newer = []
    for row in _read("kent_medway_postcodes.csv"):
        if row["ward_code_2014"]:
            assert expected.setdefault(row["postcode"], {row["ward_code_2014"]}) == {row["ward_code_2014"]}
        elif row["postcode"] not in expected:
            newer.append(row)
    polygons = _polygons()
    outside = 0
    for row, codes in zip(newer, _containing(polygons, newer), strict=True):
        if not codes:
            outside += 1
            codes = {_nearest(polygons, float(row["longitude"]), float(row["latitude"]))}
        expected[row["postcode"]] = codes
    return expected, outside


def test_full_import_reaches_every_ward_and_places_every_postcode():
    call_command("setup_pact", "--force", stdout=StringIO())
    expected, outside = _expected()

    links = PostcodeWard.objects.filter(generation_id=2014)
    actual = dict(links.values_list("postcode__postcode", "ward__code"))
    placements = dict(links.values_list("placement").annotate(n=Count("id")))

    wards = Ward.objects.in_generation(2014)
    assert wards.count() == 305
    assert not wards.exclude(postcode_links__generation_id=2014).exists()
    assert not wards.filter(team__isnull=True).exists()
    assert actual.keys() == expected.keys()
    misplaced = sorted(pc for pc, code in actual.items() if code not in expected[pc])
    assert misplaced == []
    # 54,136 postcodes: 49,388 in the 2014 file, 4,748 newer ones placed by their coordinates.
    assert len(actual) == 54136
    assert placements == {"code_2014": 49388, "polygon": 4748 - outside, "nearest": outside}
    assert outside == 2


def test_full_import_of_the_2025_wards_places_current_postcodes_in_their_own_ward():
    call_command("setup_pact", stdout=StringIO())
    current = {row["postcode"]: row for row in _read("kent_medway_postcodes.csv")}

    wards = {ward.code: ward for ward in Ward.objects.in_generation(2025)}
    links = dict(
        PostcodeWard.objects.filter(generation_id=2025, postcode__is_current=True).values_list(
            "postcode__postcode", "ward__code"
        )
    )
    polygons = {code: shape(ward.boundary) for code, ward in wards.items()}
    rows = list(current.values())
    inside = sum(row["ward_code"] in codes for row, codes in zip(rows, _containing(polygons, rows), strict=True))

    assert len(wards) == 279
    assert all(ward.boundary["type"] in {"Polygon", "MultiPolygon"} for ward in wards.values())
    assert links == {postcode: row["ward_code"] for postcode, row in current.items()}
    # A few postcodes sit on generalised edges, just inside a neighbouring ward.
    assert inside / len(rows) >= 0.995


def test_full_import_shares_each_ended_wards_area_among_its_successors():
    call_command("setup_pact", stdout=StringIO())

    ended = Ward.objects.filter(generation_high_id=2014)
    sums = dict(WardSuccession.objects.values_list("predecessor__code").annotate(total=Sum("share")).order_by())

    assert ended.count() == 305 - 38  # the 38 wards of Thanet and Sevenoaks the review left alone
    assert sums.keys() == set(ended.values_list("code", flat=True))
    assert min(sums.values()) > 0.95
    assert max(sums.values()) < 1.0001
