"""The daily follow-up emails to residents as a command (beat runs it each evening)."""

from django.core.management.base import BaseCommand

from priorities.services.concern_follow import concern_follow_updates_send


class Command(BaseCommand):
    help = "Queue today's email to each resident whose followed concern moved (once per concern per day)."

    def handle(self, *args, **options):
        queued = concern_follow_updates_send()
        self.stdout.write(f"Concern updates: {queued} email(s) queued; the outbox sends them.")
