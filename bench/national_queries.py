"""Count the queries of every public page and police.uk method on the national set and on Kent's.

For each database (``pact_national_bench`` of bench/national.py, and the Kent one of
``DATABASE_URL``, default ``pact_bench`` of bench/run.py, when it holds wards) it picks the
first ward with postcodes, its team, a postcode, a point inside the ward and the town
bench/run.py searches for (``PICK_PLACE``), moves the
public cache to a new version (so every page is made afresh) and counts the queries each
target runs through Django's test client. Prints both columns and exits 1 when a count or
status differs or a page fails (issue 17: counts flat in the number of wards and
postcodes). See bench/README.md.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national import national_url  # noqa: E402
from bench.run import PICK_PLACE, BenchError, database_url  # noqa: E402

_COUNT_TARGETS = """
import json
from urllib.parse import quote
from core.cache import public_cache_bump
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from shapely.geometry import shape
from wards.models import Ward

ward = Ward.objects.active().filter(postcode_links__isnull=False, team__isnull=False).order_by("code").first()
counts = {}
if ward is not None:
    team = ward.team.slug
    postcode = ward.postcode_links.values_list("postcode__postcode", flat=True).first()
    inside = shape(ward.boundary).representative_point()
    targets = {
        "ward page": f"/wards/{ward.code}/",
        "team page": f"/teams/{team}/",
        "postcode search": f"/search/?q={quote(postcode)}",
        "police.uk neighbourhood": f"/api/kent/{ward.code}",
        "police.uk boundary": f"/api/kent/{ward.code}/boundary",
        "police.uk people": f"/api/kent/{ward.code}/people",
        "police.uk events": f"/api/kent/{ward.code}/events",
        "police.uk priorities": f"/api/kent/{ward.code}/priorities",
        "police.uk locate": f"/api/locate-neighbourhood?q={inside.y:.6f},{inside.x:.6f}",
        "ward events.ics": f"/wards/{ward.code}/events.ics",
        "team events.ics": f"/teams/{team}/events.ics",
        "team Atom feed": f"/teams/{team}/updates/feed/",
    }
    if place:
        targets["place search"] = f"/search/?q={quote(place)}"
    client = Client()
    # Plain static file names: the counts need no collectstatic manifest.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        for name, path in targets.items():
            public_cache_bump()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts[name] = [response.status_code, len(queries)]
print(json.dumps(counts))
"""
COUNT = PICK_PLACE + _COUNT_TARGETS


def database_exists(url: str) -> bool:
    import psycopg2

    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        connection = psycopg2.connect(server, connect_timeout=5)
    except psycopg2.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {parts.hostname}: {error}") from None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def count(url: str) -> dict[str, list[int]]:
    """Each target's [status, queries] on that database; empty when it has no ward with postcodes."""
    if not database_exists(url):
        return {}
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "pact.settings",
        "PACT_LOG_LEVEL": "WARNING",
        "PACT_HTTPS": "false",
        "PACT_SSL_REDIRECT": "false",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", COUNT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise BenchError(f"counting on {url.rsplit('/', 1)[-1]} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    try:
        kent_url = database_url()
        national = count(national_url(kent_url))
        kent = count(kent_url)
    except BenchError as error:
        print(f"national_queries: {error}", file=sys.stderr)
        return 2
    if not national:
        print("national_queries: the national database has no ward: run bench/national.py", file=sys.stderr)
        return 2
    print(f"{'target':<26} {'national':>10} {'Kent':>10}   (queries, HTTP status)")
    differ = []
    for name, (status, queries) in national.items():
        kent_figure = kent.get(name)
        kent_text = f"{kent_figure[1]} {kent_figure[0]}" if kent_figure else "-"
        print(f"{name:<26} {f'{queries} {status}':>10} {kent_text:>10}")
        if status not in (200, 302) or (kent_figure and kent_figure != [status, queries]):
            differ.append(name)
    if not kent:
        print("(no Kent figures: no Kent database with postcodes; bench/run.py makes one)")
    if differ:
        print(f"counts or statuses differ, or a page failed: {', '.join(differ)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
