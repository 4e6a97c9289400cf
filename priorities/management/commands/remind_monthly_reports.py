"""The daily reminder to supervisors whose team's monthly report is pending, as a command."""

from django.core.management.base import BaseCommand

from priorities.services.updates import monthly_draft_remind


class Command(BaseCommand):
    help = "Remind the supervisors of teams whose monthly update awaits the team's report (once a day each)."

    def handle(self, *args, **options):
        queued = monthly_draft_remind()
        self.stdout.write(f"Monthly reports: {queued} reminder(s) queued; the outbox sends them.")
