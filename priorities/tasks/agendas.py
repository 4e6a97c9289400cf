"""The agenda email: a week before each PACT meeting, once per version of its agenda."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from priorities.services.agendas import agenda_emails_send, agendas_due

__all__ = ["agenda_emails_send_task", "agenda_emails_start_task"]

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(name="priorities.tasks.agenda_emails_start_task", ignore_result=True)
def agenda_emails_start_task() -> int:
    """Start one task per agenda whose email is due (beat, hourly); firing twice is harmless."""
    agenda_ids = agendas_due()
    for agenda_id in agenda_ids:
        agenda_emails_send_task.delay(agenda_id)
    logger.info("agenda emails started for %s agendas", len(agenda_ids))
    return len(agenda_ids)


@shared_task(
    name="priorities.tasks.agenda_emails_send_task",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    ignore_result=True,
)
def agenda_emails_send_task(agenda_id: int) -> int:
    """Queue one agenda's emails (claimed in the data: a second run or a retry queues nothing more)."""
    return agenda_emails_send(agenda_id=agenda_id)
