"""Searching by place name on the real data: the 305 wards and OS Open Names' 1,236 places.

The wards each place should reach are worked out here from the files alone, independently
of the importer: a town's wards are those whose polygon covers at least 1 % of the town's
bounding box, most first; a village's ward is the polygon holding its centre.
"""

import csv
import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from shapely.geometry import Point, shape

from wards.places import SIMILARITY_THRESHOLD, place_key, similarity

pytestmark = pytest.mark.django_db

TOWNS = ("Sittingbourne", "Gravesend", "Whitstable", "Herne Bay", "Faversham", "Broadstairs")
VILLAGES = 20
TYPOS = {
    "Sittingborne": "Sittingbourne",
    "Herne bay": "Herne Bay",
    "St Margarets at Cliffe": "St Margaret's at Cliffe",
    "Gravesnd": "Gravesend",
    "Whitstabel": "Whitstable",
    "Faversam": "Faversham",
    "Broadstars": "Broadstairs",
    "saint margaret's-at-cliffe": "St Margaret's at Cliffe",
    "Westgate": "Westgate-on-Sea",
    "Boughton Monchelsa": "Boughton Monchelsea",
}
SEARCH = reverse("wards:search")


def _places() -> list[dict[str, str]]:
    with (Path(settings.PACT_DATA_DIR) / "kent_medway_places.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _polygons() -> dict[str, shapely.Geometry]:
    text = (Path(settings.PACT_DATA_DIR) / "kent_medway_wards_2013.geojson").read_text(encoding="utf-8")
    return {f["properties"]["ward_code"]: shape(f["geometry"]) for f in json.loads(text)["features"]}


def _town_wards(row: dict[str, str], polygons: dict) -> list[str]:
    box = shapely.box(
        float(row["min_longitude"]), float(row["min_latitude"]), float(row["max_longitude"]), float(row["max_latitude"])
    )
    shares = {code: polygon.intersection(box).area / box.area for code, polygon in polygons.items()}
    return sorted((code for code, share in shares.items() if share >= 0.01), key=lambda code: -shares[code])


def _villages(places: list[dict[str, str]], polygons: dict) -> dict[str, str]:
    """Twenty villages spread through the file, with unique names, each clearly inside one ward."""
    names = Counter(place_key(row["name"]) for row in places)
    chosen: dict[str, str] = {}
    villages = sorted((row for row in places if row["local_type"] == "Village"), key=lambda row: row["place_id"])
    for row in villages[:: len(villages) // (VILLAGES * 2)]:
        point = Point(float(row["longitude"]), float(row["latitude"]))
        holding = [code for code, polygon in polygons.items() if polygon.intersects(point.buffer(0.0005))]
        if names[place_key(row["name"])] == 1 and len(holding) == 1 and len(chosen) < VILLAGES:
            chosen[row["name"]] = holding[0]
    return chosen


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Districts, wards and places imported once for the module, and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        for step in ("import_districts", "import_wards", "import_places"):
            call_command(step, "--commit", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _answer(client, typed: str) -> tuple:
    """A redirect's address, or the outcome and the ward codes the page lists first."""
    response = client.get(SEARCH, {"q": typed})
    if response.status_code == 302:
        return ("redirect", response["Location"])
    result = response.context["result"]
    return (result.outcome, [ward.code for ward in result.wards or []])


def test_towns_list_the_wards_they_spread_over(client, imported):
    places, polygons = _places(), _polygons()
    expected = {row["name"]: _town_wards(row, polygons) for row in places if row["name"] in TOWNS}

    answers = {town: _answer(client, town) for town in TOWNS}

    assert answers == {town: ("area", expected[town]) for town in TOWNS}


def test_villages_go_straight_to_the_ward_holding_them(client, imported):
    villages = _villages(_places(), _polygons())

    answers = {village: _answer(client, village) for village in villages}

    assert len(villages) == VILLAGES
    assert answers == {village: ("redirect", f"/wards/{code}/") for village, code in villages.items()}


def test_typos_and_punctuation_give_the_clean_names_answer(client, imported):
    answers = {typed: _answer(client, typed) for typed in TYPOS}

    assert answers == {typed: _answer(client, clean) for typed, clean in TYPOS.items()}


@pytest.mark.postgres
def test_python_trigram_similarity_is_pg_trgms():
    """The SQLite fallback computes pg_trgm's measure itself: both must agree on every pair."""
    keys = sorted({place_key(row["name"]) for row in _places()})
    # Each name with a letter dropped, a word added and a neighbour in the alphabet.
    pairs = [
        (variant, key)
        for key in keys
        for variant in (key[1:], key[: len(key) // 2] + key[len(key) // 2 + 1 :], f"{key} 2 x")
    ] + list(zip(keys, keys[1:], strict=False))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT similarity(a, b) FROM unnest(%s::text[], %s::text[]) AS pairs(a, b)",
            [[a for a, _ in pairs], [b for _, b in pairs]],
        )
        in_postgres = [row[0] for row in cursor.fetchall()]

    in_python = [similarity(a, b) for a, b in pairs]
    assert len(pairs) > 4000
    assert max(abs(p - q) for p, q in zip(in_python, in_postgres, strict=True)) < 1e-6
    assert [p >= SIMILARITY_THRESHOLD for p in in_python] == [q >= SIMILARITY_THRESHOLD for q in in_postgres]
