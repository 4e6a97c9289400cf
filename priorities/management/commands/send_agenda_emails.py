"""The agenda emails as a command (beat runs it hourly)."""

from django.core.management.base import BaseCommand

from priorities.services.agendas import agenda_emails_send, agendas_due


class Command(BaseCommand):
    help = "Queue the agenda of each PACT meeting now a week away to its subscribers (once per version)."

    def handle(self, *args, **options):
        queued = sum(agenda_emails_send(agenda_id=agenda_id) for agenda_id in agendas_due())
        self.stdout.write(f"Agendas: {queued} email(s) queued; the outbox sends them.")
