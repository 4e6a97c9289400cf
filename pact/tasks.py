import logging

from celery import shared_task

from pact.services import OUTBOX_TRANSIENT_ERRORS, heartbeat_record, outbox_dispatch

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
