"""The daily email to residents following their concerns."""

from celery import shared_task

from priorities.services.concern_follow import concern_follow_updates_send

__all__ = ["concern_follow_updates_task"]


@shared_task(name="priorities.tasks.concern_follow_updates_task")
def concern_follow_updates_task() -> int:
    """Queue today's one email per followed concern that moved (idempotent by outbox key)."""
    return concern_follow_updates_send()
