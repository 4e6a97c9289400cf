"""The outbox dispatcher as a command: send the queued emails now (beat does it every minute)."""

from django.core.management.base import BaseCommand

from core.services import outbox_dispatch, outbox_release_stuck


class Command(BaseCommand):
    help = "Send pending emails from the outbox, up to --limit of them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=None, help="At most this many (default PACT_EMAIL_BATCH_SIZE)."
        )

    def handle(self, *args, **options):
        stuck = outbox_release_stuck()
        sent = outbox_dispatch(limit=options["limit"])
        self.stdout.write(f"Outbox: {sent} email(s) sent, {stuck} stuck while sending marked failed.")
