import logging

from celery import shared_task

from pact.services import heartbeat_record

logger = logging.getLogger(__name__)


@shared_task(bind=True, ignore_result=False)
def heartbeat_record_task(self) -> str:
    """Record that the worker running this task is alive; returns its hostname."""
    hostname = self.request.hostname
    heartbeat_record(hostname=hostname)
    logger.info("heartbeat recorded for %s", hostname)
    return hostname
