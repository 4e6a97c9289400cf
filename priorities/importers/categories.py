"""The categories a concern or priority can have: police.uk's crime categories plus local ones."""

from pathlib import Path

from priorities.models import Category
from wards.importers.base import ImportResult, data_file, import_transaction, read_csv, upsert

VERSION = "1"
CATEGORIES_FILE = "police_uk/police_uk_crime_categories.csv"
INPUT_FILES = (CATEGORIES_FILE,)

# What residents raise at PACT meetings that police.uk does not count as a crime type.
LOCAL_CATEGORIES = (
    ("speeding", "Speeding and dangerous driving"),
    ("parking", "Inconsiderate or dangerous parking"),
    ("street-drinking", "Street drinking"),
    ("off-road-bikes", "Nuisance off-road bikes and scooters"),
    ("fly-tipping", "Fly-tipping and littering"),
    ("noise", "Noise nuisance"),
    ("begging", "Begging"),
)


def category_rows(directory: Path) -> dict[str, dict]:
    """Wanted Category fields by slug: police.uk's in the file's order (not the aggregate), then the local ones."""
    rows: dict[str, dict] = {}
    for row in read_csv(data_file(directory, CATEGORIES_FILE), ("api_slug", "name", "is_aggregate")):
        if row["is_aggregate"].strip().lower() != "yes":
            rows[row["api_slug"]] = {"name": row["name"], "is_police_uk": True, "position": len(rows)}
    for slug, name in LOCAL_CATEGORIES:
        rows[slug] = {"name": name, "is_police_uk": False, "position": len(rows)}
    return rows


def import_categories(*, directory: Path, commit: bool) -> ImportResult:
    """Upsert every category by slug; categories an administrator added are left alone."""
    with import_transaction(commit):
        counts = upsert(Category, "slug", category_rows(directory), entity="categories")
    return ImportResult("import_categories", committed=commit, counts=[counts])
