import logging

from celery import shared_task

from core.personal_data import retention_apply
from core.services import OUTBOX_TRANSIENT_ERRORS, heartbeat_record, outbox_dispatch

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=False)
def heartbeat_record_task(self) -> str:
    """Record that the worker running this task is alive; returns its hostname."""
    hostname = self.request.hostname
    heartbeat_record(hostname=hostname)
    logger.info("heartbeat recorded for %s", hostname)
    return hostname


@shared_task(
    autoretry_for=OUTBOX_TRANSIENT_ERRORS, retry_backoff=True, retry_jitter=True, max_retries=3, ignore_result=True
)
def outbox_dispatch_task() -> int:
    """Send a batch of pending outbox emails (beat, every minute); retried when the mail server is unreachable."""
    sent = outbox_dispatch()
    logger.info("outbox dispatch sent %s emails", sent)
    return sent


@shared_task(name="core.tasks.retention_apply_task", ignore_result=True)
def retention_apply_task() -> dict[str, int]:
    """Delete or anonymise personal data past its retention period (beat, daily at 03:45).

    Idempotent: a second run the same day finds nothing more. Never retried: the next day's
    run picks up whatever a failed one left.
    """
    counts = retention_apply()
    logger.info("retention applied: %s", counts)
    return counts
