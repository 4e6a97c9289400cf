"""The daily feedback reminder as a command (beat runs it at 08:00)."""

from django.core.management.base import BaseCommand

from feedback.services.feedback import feedback_due_remind


class Command(BaseCommand):
    help = "Queue today's reminders to owners of feedback due a response within a day."

    def handle(self, *args, **options):
        queued = feedback_due_remind()
        self.stdout.write(f"Feedback due: {queued} reminder(s) queued; the outbox sends them.")
