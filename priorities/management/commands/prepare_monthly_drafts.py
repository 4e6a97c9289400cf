"""Prepare each team's draft of this month's update, as the task on the 20th does."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from priorities.errors import PrioritiesError
from priorities.selectors import updates as selectors
from priorities.services.updates import monthly_draft_prepare


class Command(BaseCommand):
    help = "Prepare each team's draft of this month's monthly update (UK time); run twice, one draft per team."

    def handle(self, *args, **options):
        month = selectors.now_month()
        counts = {"created": 0, "already existed": 0, "failed": 0}
        for team_id in selectors.team_ids():
            try:
                _draft, created = monthly_draft_prepare(team_id=team_id, month=month)
            except (PrioritiesError, DatabaseError) as error:
                self.stderr.write(f"team {team_id}: failed: {error}")
                counts["failed"] += 1
                continue
            counts["created" if created else "already existed"] += 1
        self.stdout.write(f"{month:%B %Y} drafts: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + ".")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} team(s) failed; run the command again to retry them.")
