"""Districts (local authorities) from the ONS LAD outlines."""

from pathlib import Path

from wards.importers.base import ImportResult, data_file, import_transaction, read_csv, read_features, upsert
from wards.models import District

VERSION = "1"
LADS_FILE = "kent_medway_lads_2024.geojson"
WARDS_CSV = "kent_medway_wards.csv"
INPUT_FILES = (LADS_FILE, WARDS_CSV)


def former_names(directory: Path) -> dict[str, str]:
    """LAD code → its name in the 2014 ward list (Shepway for E07000112, renamed in 2018)."""
    rows = read_csv(data_file(directory, WARDS_CSV), ("vintage", "lad_code", "lad_name"))
    return {row["lad_code"]: row["lad_name"] for row in rows if row["vintage"] == "2014"}


def district_rows(directory: Path) -> dict[str, dict]:
    """Wanted district fields by LAD code: current name, boundary, and the 2014 name where it differs."""
    features = read_features(data_file(directory, LADS_FILE), ("lad_code", "lad_name"))
    old_names = former_names(directory)
    rows = {}
    for feature in features:
        code, name = feature["properties"]["lad_code"], feature["properties"]["lad_name"]
        former = old_names.get(code, name)
        rows[code] = {"name": name, "former_name": "" if former == name else former, "boundary": feature["geometry"]}
    return rows


def import_districts(*, directory: Path, commit: bool) -> ImportResult:
    """Upsert one District per LAD feature, keyed by LAD code. Never deletes a district."""
    rows = district_rows(directory)
    with import_transaction(commit):
        counts = upsert(District, "code", rows, entity="districts")
    return ImportResult("import_districts", committed=commit, counts=[counts])
