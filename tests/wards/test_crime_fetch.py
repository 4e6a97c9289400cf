"""The monthly police.uk fetch, against a real HTTP server on 127.0.0.1 serving the 2019 Kent file as another month."""

import datetime
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from tests.wards.factories import CrimeMonthFactory, WardFactory
from wards.importers.base import ImporterError
from wards.importers.crime_fetch import crime_months_fetch
from wards.models import CrimeMonth, CrimeRecord
from wards.tasks import crime_months_fetch_task

pytestmark = pytest.mark.django_db

SHARED_FILE = Path(settings.PACT_DATA_DIR) / "police_uk" / "2019-01-kent-street.csv"


def _archive(month: str) -> bytes:
    """A monthly archive as police.uk lays it out, holding the shared 2019 file relabelled as ``month``."""
    text = SHARED_FILE.read_text(encoding="utf-8-sig").replace(",2019-01,", f",{month},")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{month}/{month}-kent-street.csv", text)
        bundle.writestr(f"{month}/{month}-essex-street.csv", "not ours")
    return buffer.getvalue()


@pytest.fixture
def police_uk():
    """A fake data.police.uk: /archive/2026-10.zip exists, every other month is 404."""
    served = {"/archive/2026-10.zip": _archive("2026-10")}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            asked.append(self.path)
            body = served.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}/archive/{{month}}.zip", "asked": asked, "served": served}
    server.shutdown()
    server.server_close()


@pytest.fixture
def newest_held():
    WardFactory()  # records are placed in the active generation's wards
    return CrimeMonthFactory(month=datetime.date(2026, 9, 1))


def test_fetches_each_new_month_once_and_stops_at_one_not_published(police_uk, newest_held, settings):
    settings.PACT_POLICE_UK_ARCHIVE_URL = police_uk["url"]

    imported = crime_months_fetch(today=datetime.date(2026, 12, 6))

    assert imported == [datetime.date(2026, 10, 1)]
    assert police_uk["asked"] == ["/archive/2026-10.zip", "/archive/2026-11.zip"]
    month = CrimeMonth.objects.get(month=datetime.date(2026, 10, 1))
    assert month.source_file == "2026-10-kent-street.csv"
    assert month.rows == 17792
    assert CrimeRecord.objects.filter(month=month).count() == 17792

    # Run again (a retry, a second beat): the month held is not asked for again.
    police_uk["asked"].clear()
    assert crime_months_fetch(today=datetime.date(2026, 12, 6)) == []
    assert police_uk["asked"] == ["/archive/2026-11.zip"]
    assert CrimeMonth.objects.filter(month=datetime.date(2026, 10, 1)).count() == 1


def test_a_file_holding_another_month_is_refused(police_uk, newest_held, settings):
    # The 2019 file under the 2026-10 name, not relabelled.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("2026-10/2026-10-kent-street.csv", SHARED_FILE.read_text(encoding="utf-8-sig"))
    police_uk["served"]["/archive/2026-10.zip"] = buffer.getvalue()
    settings.PACT_POLICE_UK_ARCHIVE_URL = police_uk["url"]

    with pytest.raises(ImporterError, match="holds 2019-01, not 2026-10"):
        crime_months_fetch(today=datetime.date(2026, 12, 6))
    assert not CrimeMonth.objects.filter(month=datetime.date(2026, 10, 1)).exists()


def test_with_no_source_configured_nothing_is_fetched(police_uk, newest_held, settings, celery_eager):
    settings.PACT_POLICE_UK_ARCHIVE_URL = ""

    assert crime_months_fetch_task.delay().get() == []
    assert police_uk["asked"] == []


def test_the_task_runs_monthly():
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "wards.tasks.crime_months_fetch_task"]
    assert entry["schedule"].day_of_month == {20}


def test_monthly_cron_lines_read_in_cron_order():
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("monthly_updates_start_task")]
    # "0 6 1 * *" is the 1st of the month, every day of the week: not every Monday.
    assert entry["schedule"].day_of_month == {1}
    assert entry["schedule"].day_of_week == set(range(7))
