"""The reference-data importers, on a slice of the real files: two Shepway wards and their postcodes."""

import csv
import io
import json
import math
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from shapely.geometry import Point, shape

from tests.wards.factories import TeamFactory
from wards.importers import base, officers
from wards.models import (
    District,
    Generation,
    ImportRecord,
    NeighbourhoodTeam,
    Officer,
    OfficerWard,
    Place,
    Postcode,
    PostcodeWard,
    Ward,
    WardSuccession,
)
from wards.places import place_key

pytestmark = pytest.mark.django_db

SLICE_WARDS = ("E05005038", "E05005039")  # Folkestone Foord and Folkestone Harbour, both coastal
SHEPWAY = "E07000112"
# Not a real postcode: a point in the sea east of Folkestone Harbour, outside every polygon.
OFFSHORE = "CT20 9ZZ"
IMPORTS = (
    "import_districts",
    "import_wards",
    "import_postcodes",
    "import_places",
    "import_teams",
    "create_demo_officers",
)


def _csv_text(path: Path, keep) -> str:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in reader if keep(row))
    return out.getvalue()


def _geojson_text(path: Path, keep) -> str:
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"] = [feature for feature in collection["features"] if keep(feature["properties"])]
    return json.dumps(collection)


def _offshore_row(wards_geojson: str) -> str:
    """A current-file row with no 2014 ward, 1 km east of the slice's easternmost point."""
    polygons = [shape(feature["geometry"]) for feature in json.loads(wards_geojson)["features"]]
    east = max(polygons, key=lambda polygon: polygon.bounds[2])
    lat = east.representative_point().y
    return f"{OFFSHORE},10,0,0,{lat:.6f},{east.bounds[2] + 0.015:.6f},{SHEPWAY},Folkestone and Hythe,,,,\n"


@pytest.fixture(scope="session")
def slice_files() -> dict[str, str]:
    """The text of each data file, cut down to the slice wards (read once from PACT_DATA_DIR)."""
    source = Path(settings.PACT_DATA_DIR)
    wards_geojson = _geojson_text(source / "kent_medway_wards_2013.geojson", lambda p: p["ward_code"] in SLICE_WARDS)
    polygons = [shape(feature["geometry"]) for feature in json.loads(wards_geojson)["features"]]

    def current(row):
        if row["ward_code_2014"]:
            return row["ward_code_2014"] in SLICE_WARDS
        point = Point(float(row["longitude"]), float(row["latitude"]))
        return any(polygon.intersects(point) for polygon in polygons)

    def near(row):
        corners = [float(row[name]) for name in ("min_longitude", "min_latitude", "max_longitude", "max_latitude")]
        return row["lad_code"] == SHEPWAY and any(polygon.intersects(shapely.box(*corners)) for polygon in polygons)

    current_rows = _rows(_csv_text(source / "kent_medway_postcodes.csv", current))
    wards_2025 = {row["ward_code"] for row in current_rows}  # East Folkestone, Folkestone Central and Harbour

    return {
        "kent_medway_places.csv": _csv_text(source / "kent_medway_places.csv", near),
        "kent_medway_wards_2025.geojson": _geojson_text(
            source / "kent_medway_wards_2025.geojson", lambda p: p["ward_code"] in wards_2025
        ),
        "kent_medway_lads_2024.geojson": _geojson_text(
            source / "kent_medway_lads_2024.geojson", lambda p: p["lad_code"] == SHEPWAY
        ),
        "kent_medway_wards_2013.geojson": wards_geojson,
        "kent_medway_wards.csv": _csv_text(
            source / "kent_medway_wards.csv", lambda r: r["ward_code"] in {*SLICE_WARDS, *wards_2025}
        ),
        "kent_medway_postcodes_2014.csv": _csv_text(
            source / "kent_medway_postcodes_2014.csv", lambda r: r["ward_code"] in SLICE_WARDS
        ),
        "kent_medway_postcodes.csv": _csv_text(source / "kent_medway_postcodes.csv", current)
        + _offshore_row(wards_geojson),
        "police_uk/police_uk_crime_categories.csv": (source / "police_uk/police_uk_crime_categories.csv").read_text(
            encoding="utf-8"
        ),
        "kent_medway_neighbourhood_teams_demo.csv": _csv_text(
            source / "kent_medway_neighbourhood_teams_demo.csv", lambda r: r["ward_code"] in SLICE_WARDS
        ),
    }


@pytest.fixture
def data_dir(tmp_path, settings, slice_files) -> Path:
    for name, text in slice_files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings.PACT_DATA_DIR = tmp_path
    return tmp_path


def _link(postcode: str, generation: int = 2014) -> PostcodeWard:
    return PostcodeWard.objects.select_related("ward").get(postcode__postcode=postcode, generation_id=generation)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def _import_all() -> None:
    for name in IMPORTS:
        _run(name, "--commit")


def _replace_in_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_setup_pact_creates_every_row_of_the_slice(data_dir, slice_files):
    output = _run("setup_pact")

    expected_postcodes = {r["postcode"] for r in _rows(slice_files["kent_medway_postcodes_2014.csv"])} | {
        r["postcode"] for r in _rows(slice_files["kent_medway_postcodes.csv"])
    }
    assert "districts: 1 created, 0 updated, 0 unchanged" in output
    # (the migrations create the 2014 generation, unless a test that commits has emptied the tables)
    assert "generations: " in output
    assert set(Generation.objects.values_list("id", flat=True)) == {2014, 2025}
    assert "wards: 5 created, 0 updated, 0 unchanged" in output
    assert f"postcodes: {len(expected_postcodes)} created, 0 updated, 0 unchanged" in output
    assert "teams: 1 created, 0 updated, 0 unchanged" in output
    assert set(Postcode.objects.values_list("postcode", flat=True)) == expected_postcodes
    assert set(Ward.objects.active().values_list("team__slug", flat=True)) == {"shepway-folkestone"}
    # and the categories of priorities, and the crime figures (the slice has no street-level file)
    assert ImportRecord.objects.count() == len(IMPORTS) + 2
    assert "import_crime: no police.uk street-level files" in output


def test_import_districts_keeps_the_2014_name_as_former_name(data_dir):
    _run("import_districts", "--commit")

    district = District.objects.get(code=SHEPWAY)
    assert (district.name, district.former_name) == ("Folkestone and Hythe", "Shepway")
    assert district.boundary["type"] in {"Polygon", "MultiPolygon"}


def test_import_wards_stores_boundary_centroid_inside_and_bbox(data_dir, slice_files):
    _import_all()

    for feature in json.loads(slice_files["kent_medway_wards_2013.geojson"])["features"]:
        ward = Ward.objects.get(code=feature["properties"]["ward_code"])
        polygon = shape(feature["geometry"])
        assert ward.name == feature["properties"]["ward_name"]
        assert ward.old_code == feature["properties"]["ward_code_old"]
        assert ward.district.code == SHEPWAY
        assert ward.boundary == feature["geometry"]
        assert polygon.contains(Point(ward.centroid_lng, ward.centroid_lat))
        assert (ward.min_lng, ward.min_lat, ward.max_lng, ward.max_lat) == polygon.bounds


def test_importers_rerun_leaves_everything_unchanged(data_dir):
    _import_all()

    for name in IMPORTS:
        output = _run(name, "--commit")
        assert " 0 created, 0 updated," in output
        assert " 0 unchanged" not in output


def test_importers_dry_run_changes_nothing(data_dir):
    output = _run("import_districts")

    assert "[dry run] districts: 1 created" in output
    assert "Dry run: nothing was changed" in output
    assert not District.objects.exists()
    assert not ImportRecord.objects.exists()
    assert "run import_districts first" in str(_error("import_wards"))


def test_import_postcodes_dry_run_changes_nothing(data_dir):
    _import_all()
    Postcode.objects.filter(postcode=OFFSHORE).delete()

    output = _run("import_postcodes")

    assert "[dry run] postcodes: 1 created" in output
    assert not Postcode.objects.filter(postcode=OFFSHORE).exists()


def test_import_wards_detects_an_update(data_dir):
    _import_all()
    _replace_in_file(data_dir / "kent_medway_wards_2013.geojson", '"Folkestone Foord"', '"Foord"')

    output = _run("import_wards", "--commit")

    assert "wards: 0 created, 1 updated, 4 unchanged" in output
    assert "named 'Foord' in the boundaries and 'Folkestone Foord' in the list" in output
    assert Ward.objects.get(code="E05005038").name == "Foord"


def test_locate_answers_from_newly_imported_boundaries_without_a_restart(data_dir, client):
    _run("import_districts", "--commit")
    _run("import_wards", "--commit")
    foord, harbour = (Ward.objects.get(code=code) for code in SLICE_WARDS)
    point = shape(foord.boundary).representative_point()
    q = f"/api/locate-neighbourhood?q={point.y:.6f},{point.x:.6f}"
    assert json.loads(client.get(q).content)["neighbourhood"] == foord.code
    # The two wards' boundaries swapped in the file: the point is now in Folkestone Harbour.
    path = data_dir / "kent_medway_wards_2013.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    first, second = (f for f in collection["features"] if f["properties"]["ward_code"] in SLICE_WARDS)
    first["geometry"], second["geometry"] = second["geometry"], first["geometry"]
    path.write_text(json.dumps(collection), encoding="utf-8")

    _run("import_wards", "--commit")

    assert json.loads(client.get(q).content)["neighbourhood"] == harbour.code


def test_import_postcodes_detects_moved_coordinates(data_dir, slice_files):
    _import_all()
    row = next(r for r in _rows(slice_files["kent_medway_postcodes.csv"]) if r["ward_code_2014"])
    _replace_in_file(data_dir / "kent_medway_postcodes.csv", f"{row['latitude']},", "51.090000,")

    output = _run("import_postcodes", "--commit")

    assert "postcodes: 0 created, 1 updated," in output
    assert Postcode.objects.get(postcode=row["postcode"]).latitude == 51.09


def test_import_postcodes_prefers_current_coordinates_for_a_postcode_in_both_files(data_dir, slice_files):
    _import_all()
    old = {r["postcode"]: r for r in _rows(slice_files["kent_medway_postcodes_2014.csv"])}
    row = next(r for r in _rows(slice_files["kent_medway_postcodes.csv"]) if r["postcode"] in old)

    postcode = Postcode.objects.get(postcode=row["postcode"])

    assert (postcode.in_2014, postcode.is_current, _link(postcode.postcode).placement) == (True, True, "code_2014")
    assert (postcode.latitude, postcode.longitude) == (float(row["latitude"]), float(row["longitude"]))
    assert _link(postcode.postcode).ward.code == old[row["postcode"]]["ward_code"]
    assert (_link(postcode.postcode, 2025).ward.code, _link(postcode.postcode, 2025).placement) == (
        row["ward_code"],
        "code_current",
    )
    assert postcode.outward == row["postcode"].split()[0]


def test_import_postcodes_places_a_newer_postcode_by_polygon(data_dir, slice_files):
    _import_all()
    newer = [r for r in _rows(slice_files["kent_medway_postcodes.csv"]) if not r["ward_code_2014"]]
    newer = [r for r in newer if r["postcode"] != OFFSHORE]
    assert len(newer) >= 2

    for row in newer:
        postcode = Postcode.objects.get(postcode=row["postcode"])
        polygon = shape(_link(postcode.postcode).ward.boundary)
        assert (_link(postcode.postcode).placement, postcode.in_2014, postcode.is_current) == ("polygon", False, True)
        assert polygon.intersects(Point(float(row["longitude"]), float(row["latitude"])))


def test_import_postcodes_places_a_point_outside_every_polygon_in_the_nearest_ward(data_dir):
    output = "".join(_run(name, "--commit") for name in IMPORTS)

    postcode = Postcode.objects.get(postcode=OFFSHORE)
    # Shrink longitude so that distances compare as on the ground.
    k = math.cos(math.radians(postcode.latitude))
    point = Point(postcode.longitude * k, postcode.latitude)
    distances = {
        ward.code: shapely.transform(shape(ward.boundary), lambda xy, k=k: xy * [k, 1]).distance(point)
        for ward in Ward.objects.in_generation(2014)
    }
    assert not any(
        shape(ward.boundary).intersects(Point(postcode.longitude, postcode.latitude)) for ward in Ward.objects.all()
    )
    assert _link(OFFSHORE).placement == "nearest"
    assert _link(OFFSHORE).ward.code == min(distances, key=distances.get)
    assert "the 305 wards of 2003–2015: placed by code_2014: " in output
    assert "nearest: 1" in output


def test_import_postcodes_reports_stale_postcodes_and_deletes_only_with_the_flag(data_dir):
    _import_all()
    path = data_dir / "kent_medway_postcodes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(OFFSHORE)), encoding="utf-8")

    kept = _run("import_postcodes", "--commit")
    assert Postcode.objects.filter(postcode=OFFSHORE).exists()
    deleted = _run("import_postcodes", "--commit", "--delete-stale")

    assert "1 in the database but not in the files (kept)" in kept
    assert "pass --delete-stale" in kept
    assert "1 in the database but not in the files (deleted)" in deleted
    assert not Postcode.objects.filter(postcode=OFFSHORE).exists()


def _error(name: str, *args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        _run(name, "--commit", *args)
    return caught.value


def test_importers_name_the_missing_file(data_dir):
    (data_dir / "kent_medway_lads_2024.geojson").unlink()

    message = str(_error("import_districts"))

    assert "kent_medway_lads_2024.geojson" in message
    assert "PACT_DATA_DIR" in message
    assert "--data-dir" in message


def test_importers_name_a_missing_data_directory(data_dir):
    with pytest.raises(CommandError) as caught:
        _run("setup_pact", "--data-dir", str(data_dir / "nowhere"))
    message = str(caught.value)

    assert "nowhere does not exist" in message
    assert "PACT_DATA_DIR" in message


def test_import_postcodes_needs_wards(data_dir):
    assert "run import_wards first" in str(_error("import_postcodes"))


def test_setup_pact_skips_steps_whose_files_are_unchanged(data_dir):
    _run("setup_pact")
    _replace_in_file(data_dir / "kent_medway_wards_2013.geojson", '"Folkestone Foord"', '"Foord"')

    output = _run("setup_pact")

    assert "import_districts: skipped, input files unchanged." in output
    assert "import_wards: wards: 0 created, 1 updated, 4 unchanged" in output
    # The ward boundaries place the newer postcodes, so that step runs again too.
    assert "import_postcodes: postcodes: 0 created, 0 updated" in output
    # and the places.
    assert "import_places: places: 0 created, 0 updated" in output
    assert "import_teams: skipped" in output
    # The boundaries place the crime records as well.
    assert "import_crime: crime categories: 0 created, 0 updated, 14 unchanged" in output
    assert "4 step(s) run, 4 skipped" in output
    assert "8 step(s) run" in _run("setup_pact", "--force")


def _officers() -> list[tuple]:
    return list(
        Officer.objects.order_by("collar_number").values_list(
            "collar_number", "team__slug", "rank", "first_name", "last_name", "email", "phone", "is_demo"
        )
    )


def test_create_demo_officers_is_deterministic(data_dir):
    _import_all()
    TeamFactory(slug="shepway-extra", district=District.objects.get(code=SHEPWAY), is_demo=True)
    Officer.objects.all().delete()
    _run("create_demo_officers", "--commit")
    first = _officers()
    Officer.objects.all().delete()

    _run("create_demo_officers", "--commit")

    assert _officers() == first
    assert "demo officers: 0 created, 0 updated" in _run("create_demo_officers", "--commit")


def test_create_demo_officers_staffs_every_team(data_dir):
    _import_all()
    TeamFactory(slug="shepway-extra", district=District.objects.get(code=SHEPWAY), is_demo=True)
    Officer.objects.all().delete()
    _run("create_demo_officers", "--commit")

    for team in NeighbourhoodTeam.objects.all():
        ranks = Counter(team.officers.values_list("rank", flat=True))
        assert ranks["sergeant"] == 1
        assert 2 <= ranks["pc"] <= 4
        assert 2 <= ranks["pcso"] <= 4
        extra = officers.team_extra_ranks(team.slug)
        assert (ranks["special"], ranks["warden"]) == (extra.count("special"), extra.count("warden"))
    assert Officer.objects.filter(rank="inspector").count() == 1
    assert all(officer.organisation for officer in Officer.objects.filter(rank="warden"))
    assert all(email.endswith("@demo.pact.invalid") for _, _, _, _, _, email, _, _ in _officers())
    assert set(Officer.objects.values_list("is_demo", "phone")) == {(True, "101")}


def test_team_extra_ranks_give_some_teams_specials_and_wardens():
    extras = [officers.team_extra_ranks(f"team-{n}") for n in range(60)]

    assert 10 < sum("special" in extra for extra in extras) < 30
    assert 10 < sum("warden" in extra for extra in extras) < 30


def test_create_demo_officers_gives_every_officer_wards_and_every_ward_officers(data_dir):
    _import_all()
    OfficerWard.objects.all().delete()

    _run("create_demo_officers", "--commit")

    team_wards = Ward.objects.active().filter(team__isnull=False)
    assert team_wards.exists()
    assert OfficerWard.objects.exists()
    assert not Officer.objects.filter(is_demo=True, team__wards__in=team_wards, wards__isnull=True).exists()
    assert not team_wards.filter(officer_links__isnull=True).exists()
    for officer in Officer.objects.filter(rank="sergeant"):
        assert set(officer.wards.all()) == set(Ward.objects.active().filter(team_id=officer.team_id))
    assert "demo officers' wards: 0 created, 0 updated" in _run("create_demo_officers", "--commit")


def test_import_places_links_towns_to_the_wards_they_overlap_and_villages_to_one(data_dir, slice_files):
    _import_all()
    rows = {row["place_id"]: row for row in _rows(slice_files["kent_medway_places.csv"])}
    places = {place.os_id: place for place in Place.objects.prefetch_related("ward_links__ward")}

    assert places.keys() == rows.keys()
    folkestone = next(place for place in places.values() if place.name == "Folkestone")
    links = list(folkestone.ward_links.all())
    assert folkestone.kind == Place.Kind.TOWN
    assert {link.ward.code for link in links if link.generation_id == 2014} == set(SLICE_WARDS)
    assert all(0.01 <= link.share <= 1 for link in links)
    for place in places.values():
        assert place.search_name == place_key(rows[place.os_id]["name"])


def test_import_places_relinks_a_place_whose_kind_changed(data_dir):
    _import_all()
    foord = Place.objects.get(name="Foord")
    assert sorted(foord.ward_links.filter(generation=2014).values_list("ward__code", flat=True)) == list(SLICE_WARDS)
    _replace_in_file(data_dir / "kent_medway_places.csv", "Foord,Suburban Area", "Foord,Village")

    output = _run("import_places", "--commit")

    # A village is in the ward holding its centre alone: one link kept (its share now 1), one deleted.
    assert "places: 0 created, 1 updated" in output
    assert "place wards: 0 created, " in output
    assert " deleted" in output
    assert list(foord.ward_links.filter(generation=2014).values_list("ward__code", "share")) == [("E05005038", 1.0)]


def test_import_wards_loads_both_generations_and_the_share_each_successor_took(data_dir, slice_files):
    _import_all()
    polygons_2014 = {
        f["properties"]["ward_code"]: shape(f["geometry"])
        for f in json.loads(slice_files["kent_medway_wards_2013.geojson"])["features"]
    }
    polygons_2025 = {
        f["properties"]["ward_code"]: shape(f["geometry"])
        for f in json.loads(slice_files["kent_medway_wards_2025.geojson"])["features"]
    }
    expected = {
        (old, new): old_polygon.intersection(new_polygon).area / old_polygon.area
        for old, old_polygon in polygons_2014.items()
        for new, new_polygon in polygons_2025.items()
        if old_polygon.intersection(new_polygon).area / old_polygon.area >= 0.005
    }

    spans = dict(Ward.objects.values_list("code", "generation_low_id"))
    shares = {
        (s.predecessor.code, s.successor.code): s.share
        for s in WardSuccession.objects.select_related("predecessor", "successor")
    }

    assert spans == {**dict.fromkeys(polygons_2014, 2014), **dict.fromkeys(polygons_2025, 2025)}
    assert set(Ward.objects.values_list("generation_high_id", flat=True)) == {2014, 2025}
    assert shares.keys() == expected.keys()
    assert all(abs(shares[key] - expected[key]) < 1e-9 for key in expected)
    # Folkestone Foord lies almost wholly in East Folkestone
    assert shares["E05005038", "E05010017"] > 0.99


def test_import_postcodes_gives_each_postcode_a_ward_in_each_generation(data_dir, slice_files):
    _import_all()
    current = {row["postcode"]: row for row in _rows(slice_files["kent_medway_postcodes.csv"])}

    links = {
        (postcode, generation): (code, placement)
        for postcode, generation, code, placement in PostcodeWard.objects.values_list(
            "postcode__postcode", "generation_id", "ward__code", "placement"
        )
    }

    for postcode in Postcode.objects.values_list("postcode", flat=True):
        assert {(postcode, 2014), (postcode, 2025)} <= links.keys()
    for postcode, row in current.items():
        if row["ward_code"]:
            assert links[postcode, 2025] == (row["ward_code"], "code_current")
    retired = [pc for pc in Postcode.objects.filter(is_current=False).values_list("postcode", flat=True)]
    assert retired
    assert {links[postcode, 2025][1] for postcode in retired} <= {"polygon", "nearest"}


def _postcode_rows() -> list[tuple]:
    return sorted(
        PostcodeWard.objects.values_list(
            "postcode__postcode",
            "postcode__outward",
            "postcode__latitude",
            "postcode__longitude",
            "postcode__in_2014",
            "postcode__is_current",
            "generation_id",
            "ward__code",
            "placement",
        )
    )


@pytest.mark.postgres
def test_import_postcodes_by_copy_writes_the_same_rows_as_bulk_create(data_dir, monkeypatch):
    for name in ("import_districts", "import_wards"):
        _run(name, "--commit")
    with monkeypatch.context() as patched:  # the portable path, as on SQLite
        patched.setattr(base, "copy_rows", base._bulk_create_rows)
        _run("import_postcodes", "--commit")
    portable = _postcode_rows()
    Postcode.objects.all().delete()
    calls = []
    monkeypatch.setattr(base, "_copy_batch", lambda *args: calls.append(1) or real_copy_batch(*args))

    output = _run("import_postcodes", "--commit")

    assert calls  # it went by COPY
    assert "0 updated, 0 unchanged" in output
    assert _postcode_rows() == portable
    assert len(portable) > 500  # both generations of the slice's postcodes


real_copy_batch = base._copy_batch


@pytest.mark.postgres
def test_copy_rows_keeps_text_nulls_json_and_booleans_exactly():
    names = ["tab\there", "new\nline", "back\\slash", "quote ' \" and £", ""]
    rows = [
        [f"E07{n:06d}", name, name, {"type": "Point", "coordinates": [1.5, n]} if n else None]
        for n, name in enumerate(names)
    ]

    assert base.copy_rows(District, ("code", "name", "former_name", "boundary"), rows) == len(rows)

    stored = list(District.objects.order_by("code").values_list("code", "name", "former_name", "boundary"))
    assert stored == [tuple(row) for row in rows]


@pytest.mark.postgres
def test_bulk_load_makes_the_constraints_again_and_they_still_hold(data_dir):
    for name in ("import_districts", "import_wards", "import_postcodes"):
        _run(name, "--commit")
    postcode = Postcode.objects.first()
    ward = Ward.objects.first()
    with base.bulk_load(Postcode, PostcodeWard):
        pass
    with pytest.raises(IntegrityError), transaction.atomic():
        PostcodeWard.objects.create(postcode=postcode, generation_id=2014, ward=ward, placement="polygon")
    with pytest.raises(IntegrityError), transaction.atomic(), base.bulk_load(PostcodeWard):
        base.copy_rows(
            PostcodeWard,
            ("postcode_id", "generation_id", "ward_id", "placement"),
            [[10**9, 2014, ward.id, "polygon"]],
        )
