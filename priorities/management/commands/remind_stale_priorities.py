"""The weekly stale-priority reminder as a command (beat runs it at 07:00 on Mondays)."""

from django.core.management.base import BaseCommand

from priorities.services.progress import stale_priorities_remind


class Command(BaseCommand):
    help = "Queue this week's reminders to lead officers of priorities with no recent progress."

    def handle(self, *args, **options):
        queued = stale_priorities_remind()
        self.stdout.write(f"Stale priorities: {queued} reminder(s) queued; the outbox sends them.")
