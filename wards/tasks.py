"""Scheduled work of the wards app: renewing the police.uk crime figures."""

from celery import shared_task

from wards.importers.crime_fetch import crime_months_fetch

__all__ = ["crime_months_fetch_task"]


# A month's archive is large: give the download and import time (beyond the default limits).
@shared_task(name="wards.tasks.crime_months_fetch_task", soft_time_limit=3300, time_limit=3500)
def crime_months_fetch_task() -> list[str]:
    """Import each police.uk month not held yet, when a source is configured; the months imported."""
    return [f"{month:%Y-%m}" for month in crime_months_fetch()]
