"""Police.uk street-level crime files, each record placed in the ward its coordinates fall in.

A street-level file holds one force's records of one month. Importing a month replaces
everything held for it in one transaction, so a corrected file or a re-run never doubles
a month. Alongside the records, the import keeps a count per ward, month and category,
which is what the pages read.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from django.utils import timezone
from shapely.geometry import shape

from wards.importers.base import (
    BATCH_SIZE,
    ImporterError,
    ImportResult,
    UpsertCounts,
    data_file,
    import_transaction,
    read_csv,
    upsert,
)
from wards.importers.generations import BOUNDARY_FILES
from wards.importers.records import file_digest
from wards.models import CrimeCategory, CrimeMonth, CrimeRecord, Ward, WardCrimeCount

VERSION = "2"
FOLDER = "police_uk"
STREET_PATTERN = "*-street.csv"
CATEGORIES_FILE = f"{FOLDER}/police_uk_crime_categories.csv"
# The ward boundaries decide where each record goes, so they are inputs of this step.
REFERENCE_FILES = (CATEGORIES_FILE, *BOUNDARY_FILES)
COLUMNS = (
    "Crime ID",
    "Month",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class StreetFile:
    """The checked rows of one street-level file: one month, every row's fields ready to save."""

    path: Path
    month: date
    sha256: str
    records: list[dict] = field(default_factory=list)

    @property
    def located(self) -> list[dict]:
        return [record for record in self.records if record["longitude"] is not None]


def street_files(directory: Path) -> list[Path]:
    """Every police.uk street-level file in the data directory's police_uk folder, by name."""
    return sorted((directory / FOLDER).glob(STREET_PATTERN))


def input_files(directory: Path) -> tuple[str, ...]:
    """The files the default run reads, relative to the data directory (for the fingerprint)."""
    return (*REFERENCE_FILES, *(f"{FOLDER}/{path.name}" for path in street_files(directory)))


def category_rows(directory: Path) -> dict[str, dict]:
    """Wanted CrimeCategory fields by police.uk slug, in the file's order, without the aggregate."""
    rows: dict[str, dict] = {}
    for row in read_csv(data_file(directory, CATEGORIES_FILE), ("api_slug", "name", "is_aggregate")):
        if row["is_aggregate"].strip().lower() != "yes":
            rows[row["api_slug"]] = {"name": row["name"], "position": len(rows)}
    return rows


def _month(text: str) -> date:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"the month {text!r} is not of the form YYYY-MM")
    return date(int(match[1]), int(match[2]), 1)


def _coordinates(row: dict[str, str]) -> tuple[float | None, float | None]:
    lng_text, lat_text = row["Longitude"].strip(), row["Latitude"].strip()
    if not lng_text and not lat_text:
        return None, None
    if not lng_text or not lat_text:
        raise ValueError("it has only one of longitude and latitude")
    try:
        lng, lat = float(lng_text), float(lat_text)
    except ValueError:
        raise ValueError(f"the coordinates {lng_text!r}, {lat_text!r} are not numbers") from None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise ValueError(f"the coordinates {lng_text}, {lat_text} are not a longitude and a latitude")
    return lng, lat


def _record(row: dict[str, str], line: int, category_ids: dict[str, int]) -> dict:
    category_id = category_ids.get(row["Crime type"].strip())
    if category_id is None:
        raise ValueError(f"the crime type {row['Crime type']!r} is not one of the police.uk categories")
    longitude, latitude = _coordinates(row)
    return {
        "line": line,
        "crime_id": row["Crime ID"].strip(),
        "category_id": category_id,
        "longitude": longitude,
        "latitude": latitude,
        "location": row["Location"].strip(),
        "lsoa_code": row["LSOA code"].strip(),
        "lsoa_name": row["LSOA name"].strip(),
        "outcome": row["Last outcome category"].strip(),
    }


def read_street_file(path: Path, category_ids: dict[str, int]) -> StreetFile:
    """Check and read one street-level file; any bad row stops the import with its line and reason."""
    if not path.is_file():
        raise ImporterError(f"{path.name}: there is no such file.")
    parsed: StreetFile | None = None
    for line, row in enumerate(read_csv(path, COLUMNS), start=2):
        try:
            month = _month(row["Month"])
            if parsed is None:
                parsed = StreetFile(path, month, str(file_digest(path)["sha256"]))
            elif month != parsed.month:
                raise ValueError(
                    f"its month {row['Month']} differs from {parsed.month:%Y-%m} above (a file holds one month)"
                )
            parsed.records.append(_record(row, line, category_ids))
        except ValueError as error:
            raise ImporterError(f"{path.name}, line {line}: {error}. Nothing was imported.") from None
    if parsed is None:
        raise ImporterError(f"{path.name} has no rows.")
    return parsed


class WardPlacer:
    """Which ward a point is in: an STRtree over the prepared ward polygons.

    A point on a boundary two wards share touches both; it goes to the ward with the lower
    ONS code, so every point inside the wards is in exactly one, the same on every run.
    """

    def __init__(self, wards: Iterable[tuple[int, str, dict]]):
        ordered = sorted(wards, key=lambda ward: ward[1])
        if not ordered:
            raise ImporterError("There are no wards in the database: run import_wards first.")
        self.ids = [ward_id for ward_id, _, _ in ordered]
        self.polygons = np.array([shape(boundary) for _, _, boundary in ordered], dtype=object)
        shapely.prepare(self.polygons)
        self.tree = shapely.STRtree(self.polygons)

    def place(self, longitudes: Sequence[float], latitudes: Sequence[float]) -> list[int | None]:
        """The ward id of each point, or None for a point outside every ward."""
        points = shapely.points(np.asarray(longitudes, dtype=float), np.asarray(latitudes, dtype=float))
        # The tree gives the wards whose bounding box holds each point; the prepared
        # polygons then say which of them really hold it.
        point_index, ward_index = self.tree.query(points)
        inside = shapely.intersects(self.polygons[ward_index], points[point_index])
        nowhere = len(self.ids)
        best = np.full(len(points), nowhere)
        np.minimum.at(best, point_index[inside], ward_index[inside])
        return [None if index == nowhere else self.ids[index] for index in best.tolist()]


@dataclass
class MonthOutcome:
    """What replacing one month did."""

    status: str  # "created", "updated" or "unchanged"
    month: CrimeMonth
    replaced: int


def _ward_counts(records: list[dict]) -> Counter:
    return Counter((record["ward_id"], record["category_id"]) for record in records if record["ward_id"])


def _month_fields(parsed: StreetFile) -> dict:
    located = len(parsed.located)
    assigned = sum(1 for record in parsed.records if record["ward_id"])
    return {
        "source_file": parsed.path.name,
        "sha256": parsed.sha256,
        "rows": len(parsed.records),
        "with_coordinates": located,
        "without_coordinates": len(parsed.records) - located,
        "assigned": assigned,
        "outside": located - assigned,
        "imported_at": timezone.now(),
    }


def replace_month(parsed: StreetFile) -> MonthOutcome:
    """Put one month's records and ward counts in place of whatever was held for that month.

    Run inside the import's transaction: readers see the old month or the new, never a mix.
    """
    counts = _ward_counts(parsed.records)
    fields = _month_fields(parsed)
    month = CrimeMonth.objects.filter(month=parsed.month).first()
    replaced, status = 0, "created"
    if month is None:
        month = CrimeMonth.objects.create(month=parsed.month, **fields)
    else:
        held = Counter(
            {
                (ward, category): n
                for ward, category, n in month.ward_counts.values_list("ward_id", "category_id", "count")
            }
        )
        same = month.sha256 == parsed.sha256 and held == counts and month.rows == fields["rows"]
        status = "unchanged" if same else "updated"
        WardCrimeCount.objects.filter(month=month).delete()
        replaced = CrimeRecord.objects.filter(month=month).delete()[0]
        for name, value in fields.items():
            setattr(month, name, value)
        month.save(update_fields=list(fields))
    CrimeRecord.objects.bulk_create(
        (CrimeRecord(month=month, **record) for record in parsed.records), batch_size=BATCH_SIZE
    )
    WardCrimeCount.objects.bulk_create(
        (
            WardCrimeCount(month=month, ward_id=ward, category_id=category, count=n)
            for (ward, category), n in counts.items()
        ),
        batch_size=BATCH_SIZE,
    )
    return MonthOutcome(status, month, replaced)


def _read_all(paths: list[Path], category_ids: dict[str, int]) -> list[StreetFile]:
    parsed = [read_street_file(path, category_ids) for path in paths]
    seen: dict[date, str] = {}
    for item in parsed:
        if item.month in seen:
            raise ImporterError(
                f"{seen[item.month]} and {item.path.name} both hold {item.month:%Y-%m}: import one file per month."
            )
        seen[item.month] = item.path.name
    return parsed


def _place_all(parsed: list[StreetFile]) -> None:
    placer = WardPlacer(Ward.objects.active().values_list("id", "code", "boundary"))
    for item in parsed:
        for record in item.records:
            record["ward_id"] = None
        located = item.located
        ward_ids = placer.place([r["longitude"] for r in located], [r["latitude"] for r in located])
        for record, ward_id in zip(located, ward_ids, strict=True):
            record["ward_id"] = ward_id


def _month_note(outcome: MonthOutcome) -> str:
    month = outcome.month
    text = (
        f"{month.month:%Y-%m} ({month.source_file}): {month.rows} rows; {month.with_coordinates} with coordinates, "
        f"{month.assigned} placed in a ward and {month.outside} outside every ward; "
        f"{month.without_coordinates} without coordinates"
    )
    return text + (f"; replaced the {outcome.replaced} records held before" if outcome.replaced else "")


def _repeated_ids_note(parsed: list[StreetFile]) -> list[str]:
    notes = []
    for item in parsed:
        ids = Counter(record["crime_id"] for record in item.records if record["crime_id"])
        repeated = sum(1 for n in ids.values() if n > 1)
        if repeated:
            notes.append(f"{item.path.name}: {repeated} crime id(s) appear on more than one row; every row is kept")
    return notes


def import_crime(*, directory: Path, files: list[Path] | None = None, commit: bool) -> ImportResult:
    """Import police.uk street-level files (default: every ``*-street.csv`` in the police_uk folder).

    The categories are upserted by slug; each file's month is replaced whole. Records are
    placed in the wards of the active generation. A bad row stops the whole import before
    anything is written.
    """
    paths = street_files(directory) if files is None else files
    months = UpsertCounts("crime months")
    notes: list[str] = [] if paths else [f"no police.uk street-level files ({STREET_PATTERN}) in {FOLDER}/"]
    with import_transaction(commit):
        categories = upsert(CrimeCategory, "slug", category_rows(directory), entity="crime categories")
        parsed = _read_all(paths, dict(CrimeCategory.objects.values_list("name", "id")))
        if parsed:
            _place_all(parsed)
        for item in parsed:
            outcome = replace_month(item)
            setattr(months, outcome.status, getattr(months, outcome.status) + 1)
            notes.append(_month_note(outcome))
    notes += _repeated_ids_note(parsed)
    return ImportResult("import_crime", committed=commit, counts=[categories, months], notes=notes)
