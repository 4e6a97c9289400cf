"""The illustrative demo neighbourhood teams and the wards each covers."""

from pathlib import Path

from wards.importers.base import ImporterError, ImportResult, data_file, import_transaction, read_csv, upsert
from wards.models import District, NeighbourhoodTeam, Ward

VERSION = "1"
TEAMS_FILE = "kent_medway_neighbourhood_teams_demo.csv"
INPUT_FILES = (TEAMS_FILE,)
COLUMNS = ("team_id", "team_name", "lad_code", "ward_code")
DEMO_EMAIL_DOMAIN = "demo.pact.invalid"


def read_teams(directory: Path) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(team slug → (name, LAD code), ward code → team slug); a team must stay in one district."""
    teams: dict[str, tuple[str, str]] = {}
    ward_teams: dict[str, str] = {}
    for row in read_csv(data_file(directory, TEAMS_FILE), COLUMNS):
        slug = row["team_id"]
        if teams.setdefault(slug, (row["team_name"], row["lad_code"]))[1] != row["lad_code"]:
            raise ImporterError(f"{TEAMS_FILE}: team {slug} spans more than one district.")
        ward_teams[row["ward_code"]] = slug
    return teams, ward_teams


def team_rows(teams: dict[str, tuple[str, str]]) -> dict[str, dict]:
    """Wanted NeighbourhoodTeam fields by slug; every team here is demo data, with an invalid-domain email."""
    district_ids = dict(District.objects.values_list("code", "id"))
    missing = sorted({lad for _, lad in teams.values()} - district_ids.keys())
    if missing:
        raise ImporterError(f"District(s) {', '.join(missing)} are not in the database: run import_districts first.")
    return {
        slug: {
            "name": name,
            "district_id": district_ids[lad],
            "email": f"{slug}@{DEMO_EMAIL_DOMAIN}",
            "is_demo": True,
        }
        for slug, (name, lad) in teams.items()
    }


def import_teams(*, directory: Path, commit: bool) -> ImportResult:
    """Upsert the demo teams by slug, then point each listed ward at its team.

    Wards the file does not list keep whatever team they have.
    """
    teams, ward_teams = read_teams(directory)
    with import_transaction(commit):
        team_counts = upsert(NeighbourhoodTeam, "slug", team_rows(teams), entity="teams")
        team_ids = dict(NeighbourhoodTeam.objects.filter(slug__in=teams).values_list("slug", "id"))
        known = set(Ward.objects.filter(code__in=ward_teams).values_list("code", flat=True))
        links = {code: {"team_id": team_ids[slug]} for code, slug in ward_teams.items() if code in known}
        link_counts = upsert(Ward, "code", links, entity="ward teams", queryset=Ward.objects.filter(code__in=known))
    notes = [f"ward {code} is not in the database" for code in sorted(ward_teams.keys() - known)]
    return ImportResult("import_teams", committed=commit, counts=[team_counts, link_counts], notes=notes)
