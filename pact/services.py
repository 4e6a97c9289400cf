"""Writes that belong to the project as a whole."""

from django.db.models import F
from django.utils import timezone

from pact.models import WorkerHeartbeat


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Note that the worker ``hostname`` just ran a task (one row per worker, upserted)."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(hostname=hostname).update(last_seen=now, beats=F("beats") + 1)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(hostname=hostname, defaults={"last_seen": now, "beats": 1})
    return WorkerHeartbeat.objects.get(hostname=hostname)
