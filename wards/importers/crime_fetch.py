"""Fetching each new month of police.uk street-level crime, so the figures renew themselves.

police.uk publishes a monthly archive (``https://data.police.uk/data/archive/YYYY-MM.zip``)
holding every force's street-level file of each month, as ``YYYY-MM/YYYY-MM-<force>-street.csv``.
With ``PACT_POLICE_UK_ARCHIVE_URL`` set (a URL with ``{month}`` where the YYYY-MM goes),
the monthly task asks for each month after the newest held, oldest first, up to the month
before this one; a month not published yet (404) ends the run, to be asked for next time.
A month already held is never fetched again, so runs, retries and two beats add nothing
twice; importing a month replaces it whole (wards.importers.crime) in any case. With no
source configured nothing is fetched.
"""

import csv
import logging
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.cache import public_cache_bump
from wards.importers import crime
from wards.importers.base import ImporterError, data_dir
from wards.models import CrimeMonth

logger = logging.getLogger(__name__)

# With nothing held yet, start this many months back from the month before this one.
FIRST_RUN_MONTHS = 3
# Never more than a year of months in one run.
MAX_MONTHS = 12
LOCK_KEY = "wards:crime-fetch-lock"
LOCK_SECONDS = 2 * 3600
TIMEOUT_SECONDS = 120


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_wanted(today: date) -> list[date]:
    """The months to ask for: after the newest held, up to the month before ``today``'s, oldest first."""
    last = _add_months(today.replace(day=1), -1)
    newest = CrimeMonth.objects.order_by("-month").values_list("month", flat=True).first()
    first = _add_months(newest, 1) if newest else _add_months(last, 1 - FIRST_RUN_MONTHS)
    months = []
    month = max(first, _add_months(last, 1 - MAX_MONTHS))
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    held = set(CrimeMonth.objects.filter(month__in=months).values_list("month", flat=True))
    return [month for month in months if month not in held]


def _download(url: str, into: Path) -> bool:
    """Save ``url`` to ``into``; False when the server says it has no such file (not published yet)."""
    if not url.startswith(("https://", "http://")):
        raise ImporterError(f"PACT_POLICE_UK_ARCHIVE_URL must be an http(s) address, not {url!r}.")
    request = urllib.request.Request(url, headers={"User-Agent": "PACT crime figures"})  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response, into.open("wb") as out:  # noqa: S310
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise
    return True


def _street_file(archive: Path, month: date, folder: Path) -> Path:
    """The force's street-level file of ``month`` out of the archive, checked to hold that month."""
    name = f"{month:%Y-%m}-{settings.PACT_POLICE_UK_FORCE}-street.csv"
    try:
        with zipfile.ZipFile(archive) as bundle:
            member = next((item for item in bundle.namelist() if item.rsplit("/", 1)[-1] == name), None)
            if member is None:
                raise ImporterError(f"The archive of {month:%Y-%m} holds no {name}.")
            path = folder / name
            with bundle.open(member) as source, path.open("wb") as out:
                shutil.copyfileobj(source, out)
    except zipfile.BadZipFile as error:
        raise ImporterError(f"The archive of {month:%Y-%m} is not a zip file.") from error
    with path.open(newline="", encoding="utf-8-sig") as handle:
        first = next(csv.DictReader(handle), None)
    if first is None or first.get("Month", "").strip() != f"{month:%Y-%m}":
        found = first.get("Month") if first else "nothing"
        raise ImporterError(f"{name} holds {found}, not {month:%Y-%m}: nothing was imported.")
    return path


def crime_months_fetch(*, today: date | None = None) -> list[date]:
    """Fetch and import each police.uk month not held yet; return the months imported (none without a source)."""
    template = settings.PACT_POLICE_UK_ARCHIVE_URL
    if not template:
        return []
    if not cache.add(LOCK_KEY, "1", LOCK_SECONDS):
        logger.info("police.uk fetch: another run is under way")
        return []
    imported: list[date] = []
    try:
        directory = data_dir()
        for month in months_wanted(today or timezone.localdate()):
            with tempfile.TemporaryDirectory(prefix="pact-crime-") as folder:
                archive = Path(folder) / "archive.zip"
                if not _download(template.format(month=f"{month:%Y-%m}"), archive):
                    logger.info("police.uk fetch: %s is not published yet", f"{month:%Y-%m}")
                    break
                path = _street_file(archive, month, Path(folder))
                result = crime.import_crime(directory=directory, files=[path], commit=True)
            logger.info("police.uk fetch: %s", "; ".join(result.notes))
            imported.append(month)
    finally:
        cache.delete(LOCK_KEY)
    if imported:
        public_cache_bump()
    return imported
