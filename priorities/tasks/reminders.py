"""Weekly reminders to lead officers of priorities with no recent progress."""

from celery import shared_task

from priorities.services.progress import stale_priorities_remind

__all__ = ["stale_priorities_remind_task"]


@shared_task(name="priorities.tasks.stale_priorities_remind_task")
def stale_priorities_remind_task() -> int:
    """Queue this week's reminder to each lead officer of stale priorities (once per officer per week)."""
    return stale_priorities_remind()
