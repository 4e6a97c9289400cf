"""Apply the retention periods of personal data now (beat runs it daily at 03:45)."""

from django.core.management.base import BaseCommand, CommandError

from core.personal_data import RetentionIncomplete, personal_data_sources, retention_apply


class Command(BaseCommand):
    help = "Delete or anonymise personal data past its retention period and print what each source changed."

    def handle(self, *args, **options):
        try:
            counts = retention_apply()
        except RetentionIncomplete as error:
            self._report(error.counts)
            raise CommandError(f"Retention failed for: {', '.join(error.failed)} (see the log).") from error
        self._report(counts)

    def _report(self, counts: dict[str, int]) -> None:
        for source in personal_data_sources():
            if source.name in counts:
                self.stdout.write(f"{source.label}: {counts[source.name]} record(s) deleted or anonymised.")
        self.stdout.write(f"Retention applied: {sum(counts.values())} record(s) in all.")
