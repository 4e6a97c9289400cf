"""Periodic work of the feedback app (beat runs feedback-due daily at 08:00)."""

from celery import shared_task

from feedback.services.feedback import feedback_due_remind


@shared_task(name="feedback.tasks.feedback_due_remind_task")
def feedback_due_remind_task() -> int:
    """Queue today's reminder to each owner of feedback about to pass its response-time target."""
    return feedback_due_remind()
