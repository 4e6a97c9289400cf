"""The police.uk street-level crime import: a small synthetic file at the edges, and the real Kent file."""

import csv
import datetime
from collections import Counter
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
import shapely
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import shape

from tests.wards.factories import WardFactory, square
from wards.models import CrimeCategory, CrimeMonth, CrimeRecord, ImportRecord, Ward, WardCrimeCount

pytestmark = pytest.mark.django_db

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context\n"
)
WEST, EAST = "E05900001", "E05900002"
# Two wards side by side sharing the meridian 0.51: WEST covers 0.50-0.51, EAST 0.51-0.52.
ROWS = {
    "asb_west": ",2019-01,Kent Police,Kent Police,0.505,51.005,On or near A Road,E01000001,Test 001A,"
    "Anti-social behaviour,,",
    "burglary_west": "aaa1,2019-01,Kent Police,Kent Police,0.502,51.002,On or near B Road,E01000001,Test 001A,"
    "Burglary,Under investigation,",
    "burglary_east": "aaa2,2019-01,Kent Police,Kent Police,0.515,51.005,On or near C Road,E01000002,Test 001B,"
    "Burglary,Investigation complete; no suspect identified,",
    "on_boundary": "aaa3,2019-01,Kent Police,Kent Police,0.51,51.005,On or near D Road,E01000002,Test 001B,"
    "Vehicle crime,Under investigation,",
    "no_location": "aaa4,2019-01,Kent Police,Kent Police,,,No Location,,,Other theft,Under investigation,",
    "outside": "aaa5,2019-01,Kent Police,Kent Police,0.600,51.005,On or near E Road,E01000009,Bexley 001A,"
    "Drugs,Local resolution,",
}
LINES = {name: line for line, name in enumerate(ROWS, start=2)}


def _street_text(rows: list[str] | None = None) -> str:
    return HEADER + "".join(f"{row}\n" for row in (list(ROWS.values()) if rows is None else rows))


@pytest.fixture
def data_dir(tmp_path, settings) -> Path:
    """A data directory with the real categories file, a stand-in ward file and one street file."""
    folder = tmp_path / "police_uk"
    folder.mkdir()
    source = Path(settings.PACT_DATA_DIR) / "police_uk" / "police_uk_crime_categories.csv"
    (folder / "police_uk_crime_categories.csv").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    # The import reads the wards from the database; the files only enter the step's fingerprint.
    for name in ("kent_medway_wards_2013.geojson", "kent_medway_wards_2025.geojson"):
        (tmp_path / name).write_text('{"type": "FeatureCollection", "features": []}')
    (folder / "2019-01-kent-street.csv").write_text(_street_text(), encoding="utf-8")
    settings.PACT_DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def wards(db) -> dict[str, Ward]:
    return {
        code: WardFactory(code=code, name=name, boundary=square(lng, 51.0), min_lng=lng, min_lat=51.0)
        for code, name, lng in ((EAST, "East", 0.51), (WEST, "West", 0.50))
    }


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_crime", *args, stdout=out)
    return out.getvalue()


def _error(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        _run(*args)
    return str(raised.value)


def _record(name: str) -> CrimeRecord:
    return CrimeRecord.objects.select_related("ward", "category").get(line=LINES[name])


def test_import_crime_places_each_record_in_one_ward_and_reports_the_rest(data_dir, wards):
    output = _run("--commit")

    assert "crime categories: 14 created, 0 updated, 0 unchanged" in output
    assert "crime months: 1 created, 0 updated, 0 unchanged" in output
    assert (
        "2019-01 (2019-01-kent-street.csv): 6 rows; 5 with coordinates, 4 placed in a ward and 1 outside "
        "every ward; 1 without coordinates"
    ) in output
    month = CrimeMonth.objects.get()
    assert month.month == datetime.date(2019, 1, 1)
    assert (month.rows, month.with_coordinates, month.assigned, month.outside, month.without_coordinates) == (
        6,
        5,
        4,
        1,
        1,
    )
    assert _record("asb_west").ward.code == WEST
    assert _record("asb_west").crime_id == ""
    assert _record("asb_west").category.slug == "anti-social-behaviour"
    assert _record("burglary_east").ward.code == EAST
    assert _record("burglary_east").outcome == "Investigation complete; no suspect identified"
    assert _record("outside").ward is None
    assert (_record("no_location").ward, _record("no_location").longitude) == (None, None)


def test_import_crime_gives_a_point_on_a_shared_boundary_to_the_lower_ward_code(data_dir, wards):
    _run("--commit")

    assert _record("on_boundary").ward.code == WEST
    assert CrimeRecord.objects.exclude(ward=None).count() == 4  # counted once, not once per ward


def test_import_crime_counts_per_ward_and_category(data_dir, wards):
    _run("--commit")

    counts = {
        (c.ward.code, c.category.slug): c.count for c in WardCrimeCount.objects.select_related("ward", "category")
    }
    assert counts == {
        (WEST, "anti-social-behaviour"): 1,
        (WEST, "burglary"): 1,
        (WEST, "vehicle-crime"): 1,
        (EAST, "burglary"): 1,
    }


def test_import_crime_again_replaces_the_month_and_never_doubles_it(data_dir, wards):
    _run("--commit")

    output = _run("--commit")

    assert "crime months: 0 created, 0 updated, 1 unchanged" in output
    assert "replaced the 6 records held before" in output
    assert CrimeRecord.objects.count() == 6
    assert sum(WardCrimeCount.objects.values_list("count", flat=True)) == 4


def test_import_crime_of_a_corrected_file_replaces_the_month(data_dir, wards):
    _run("--commit")
    kept = [row for name, row in ROWS.items() if name != "burglary_east"]
    (data_dir / "police_uk" / "2019-01-kent-street.csv").write_text(_street_text(kept), encoding="utf-8")

    output = _run("--commit")

    assert "crime months: 0 created, 1 updated, 0 unchanged" in output
    assert CrimeRecord.objects.count() == 5
    assert not WardCrimeCount.objects.filter(ward__code=EAST).exists()
    assert CrimeMonth.objects.get().assigned == 3


def test_import_crime_dry_run_writes_nothing(data_dir, wards):
    output = _run()

    assert "[dry run] crime months: 1 created" in output
    assert "Dry run: nothing was changed" in output
    assert not CrimeMonth.objects.exists()
    assert not CrimeRecord.objects.exists()
    assert not CrimeCategory.objects.exists()
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            "x,2019-01,Kent Police,Kent Police,0.5,51.0,Here,E01000001,A,Bike theft,,",
            "line 3: the crime type 'Bike theft' is not one of the police.uk categories",
        ),
        (
            "x,2019-01,Kent Police,Kent Police,0.5,,Here,E01000001,A,Burglary,,",
            "line 3: it has only one of longitude and latitude",
        ),
        (
            "x,2019-01,Kent Police,Kent Police,east,51.0,Here,E01000001,A,Burglary,,",
            "line 3: the coordinates 'east', '51.0' are not numbers",
        ),
        (
            "x,2019-02,Kent Police,Kent Police,0.5,51.0,Here,E01000001,A,Burglary,,",
            "line 3: its month 2019-02 differs from 2019-01 above (a file holds one month)",
        ),
        (
            "x,Jan 2019,Kent Police,Kent Police,0.5,51.0,Here,E01000001,A,Burglary,,",
            "line 3: the month 'Jan 2019' is not of the form YYYY-MM",
        ),
    ],
)
def test_import_crime_stops_at_a_bad_row_with_its_line_and_writes_nothing(data_dir, wards, bad_row, message):
    rows = [ROWS["asb_west"], bad_row, ROWS["burglary_east"]]
    (data_dir / "police_uk" / "2019-01-kent-street.csv").write_text(_street_text(rows), encoding="utf-8")

    error = _error("--commit")

    assert error == f"2019-01-kent-street.csv, {message}. Nothing was imported."
    assert not CrimeRecord.objects.exists()
    assert not CrimeMonth.objects.exists()


def test_import_crime_bad_row_leaves_the_month_held_before_untouched(data_dir, wards):
    _run("--commit")
    rows = [*ROWS.values(), "x,2019-01,Kent Police,Kent Police,0.5,51.0,Here,E01000001,A,Bike theft,,"]
    (data_dir / "police_uk" / "2019-01-kent-street.csv").write_text(_street_text(rows), encoding="utf-8")

    assert "line 8" in _error("--commit")
    assert CrimeRecord.objects.count() == 6


def test_import_crime_refuses_a_file_without_the_police_uk_columns(data_dir, wards):
    (data_dir / "police_uk" / "2019-01-kent-street.csv").write_text("Month,Crime type\n2019-01,Burglary\n")

    assert "lacks the column(s)" in _error("--commit")


def test_import_crime_refuses_two_files_of_one_month(data_dir, wards):
    (data_dir / "police_uk" / "2019-01-kent-again-street.csv").write_text(_street_text(), encoding="utf-8")

    error = _error("--commit")

    assert error == (
        "2019-01-kent-again-street.csv and 2019-01-kent-street.csv both hold 2019-01: import one file per month."
    )


def test_import_crime_needs_the_wards_first(data_dir):
    assert _error("--commit") == "There are no wards in the database: run import_wards first."


def test_import_crime_imports_a_named_file_of_another_month(data_dir, wards, tmp_path_factory):
    other = tmp_path_factory.mktemp("downloads") / "2019-02-kent-street.csv"
    other.write_text(_street_text([ROWS["burglary_east"].replace("2019-01", "2019-02")]), encoding="utf-8")
    _run("--commit")

    output = _run("--commit", str(other))

    assert "crime months: 1 created" in output
    assert list(CrimeMonth.objects.values_list("month", flat=True)) == [
        datetime.date(2019, 2, 1),
        datetime.date(2019, 1, 1),
    ]
    assert CrimeRecord.objects.count() == 7


def test_import_crime_names_a_missing_file(data_dir, wards):
    assert _error("--commit", "nowhere-street.csv") == "nowhere-street.csv: there is no such file."


def test_import_crime_without_street_files_says_so(data_dir, wards):
    (data_dir / "police_uk" / "2019-01-kent-street.csv").unlink()

    output = _run("--commit")

    assert "no police.uk street-level files (*-street.csv) in police_uk/" in output
    assert not CrimeMonth.objects.exists()


def test_setup_pact_runs_the_crime_step_again_only_when_a_file_changes(data_dir, wards, monkeypatch):
    import pact.management.commands.setup_pact as setup

    monkeypatch.setattr(setup, "STEPS", ("import_crime",))
    call_command("setup_pact", stdout=StringIO())
    assert "import_crime: skipped, input files unchanged." in _setup()

    (data_dir / "police_uk" / "2019-02-kent-street.csv").write_text(
        _street_text([ROWS["burglary_east"].replace("2019-01", "2019-02")]), encoding="utf-8"
    )

    assert "import_crime: crime months: 1 created, 0 updated, 1 unchanged" in _setup()
    assert CrimeMonth.objects.count() == 2


def _setup() -> str:
    out = StringIO()
    call_command("setup_pact", stdout=out)
    return out.getvalue()


# The real Kent file of January 2019, checked against counts made here without the importer.

KENT_FILE = "police_uk/2019-01-kent-street.csv"


def _independent_counts(wards: list[tuple[str, dict]]) -> tuple[Counter, int, Counter]:
    """(ward code, crime type) → records, records outside every ward, crime type → rows, from the CSV.

    Each ward's polygon is tested against every point (no spatial index); a point covered by
    more than one ward goes to the lowest code, as the importer promises.
    """
    with (Path(settings.PACT_DATA_DIR) / KENT_FILE).open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    located = [row for row in rows if row["Longitude"]]
    points = shapely.points([float(r["Longitude"]) for r in located], [float(r["Latitude"]) for r in located])
    owner = np.full(len(located), "", dtype=object)
    for code, boundary in sorted(wards, reverse=True):  # the lowest code written last wins
        owner[shapely.covers(shape(boundary), points)] = code
    per_ward = Counter((code, row["Crime type"]) for code, row in zip(owner, located, strict=True) if code)
    return per_ward, int((owner == "").sum()), Counter(row["Crime type"] for row in rows)


@pytest.mark.slow
def test_import_crime_of_the_real_kent_file_matches_an_independent_count():
    for step in ("import_districts", "import_wards"):
        call_command(step, "--commit", stdout=StringIO())

    output = _run("--commit")

    wards = list(Ward.objects.values_list("code", "boundary"))
    expected, outside, per_type = _independent_counts(wards)
    month = CrimeMonth.objects.get()
    assert (month.rows, month.without_coordinates) == (17792, 257)
    assert month.outside == outside
    assert month.assigned == sum(expected.values()) == 17535 - outside
    assert f"{month.assigned} placed in a ward and {outside} outside every ward" in output
    held = Counter(
        {
            (code, name): count
            for code, name, count in WardCrimeCount.objects.values_list("ward__code", "category__name", "count")
        }
    )
    assert held == expected
    records = Counter(CrimeRecord.objects.values_list("category__name", flat=True))
    assert records == per_type
    # police.uk's own count per category, as recorded in the categories file, agrees too.
    categories = _categories_sample()
    assert {name: records[name] for name in categories} == categories

    again = _run("--commit")

    assert "crime months: 0 created, 0 updated, 1 unchanged" in again
    assert CrimeRecord.objects.count() == 17792
    assert (
        Counter(
            {
                (code, name): count
                for code, name, count in WardCrimeCount.objects.values_list("ward__code", "category__name", "count")
            }
        )
        == expected
    )


def _categories_sample() -> dict[str, int]:
    path = Path(settings.PACT_DATA_DIR) / "police_uk" / "police_uk_crime_categories.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["name"]: int(row["count_in_2019_01_kent_sample"])
            for row in csv.DictReader(handle)
            if row["is_aggregate"] != "yes"
        }
