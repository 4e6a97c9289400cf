"""Tasks of the subscriptions: queueing a published update's emails (core.tasks sends them)."""

import logging

from celery import shared_task

from priorities.services.subscriptions import update_emails_queue, updates_emails_queue

__all__ = ["monthly_update_email_task", "monthly_updates_email_task"]

logger = logging.getLogger(__name__)


@shared_task(name="priorities.tasks.monthly_update_email_task", ignore_result=True)
def monthly_update_email_task(update_id: int, kind: str = "published") -> int:
    """Queue the emails of monthly update ``update_id`` to its subscribers (idempotent: keyed per address).

    ``kind`` "report": the team's own report published later as a revision, sent once more.

    It only writes outbox rows; the outbox dispatcher (core.tasks) sends them.
    """
    queued = update_emails_queue(update_id=update_id, kind=kind)
    logger.info("monthly update %s: %s emails queued", update_id, queued)
    return queued


@shared_task(name="priorities.tasks.monthly_updates_email_task", ignore_result=True)
def monthly_updates_email_task(update_ids: list[int]) -> int:
    """Queue the emails of many published monthly updates (those of one monthly task); idempotent, as above."""
    queued = updates_emails_queue(update_ids=update_ids)
    logger.info("%s monthly updates: %s emails queued", len(update_ids), queued)
    return queued
