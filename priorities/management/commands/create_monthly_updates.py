"""Publish the monthly updates for a month, as the 1st-of-the-month task does: for back-filling."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from priorities.errors import PrioritiesError
from priorities.selectors import updates as selectors
from priorities.services.updates import monthly_update_create
from wards.models import NeighbourhoodTeam


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a calendar month, not a moment
    except ValueError as error:
        raise CommandError(f"--month must be a month like 2026-10, not {value!r}") from error


class Command(BaseCommand):
    help = "Publish each team's monthly update for a month (default: the month just ended, UK time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="the month, as YYYY-MM (default: the previous month)")
        parser.add_argument("--team", help="only this team, by its slug (default: every team)")

    def handle(self, *args, **options):
        month = _month(options["month"]) if options["month"] else selectors.month_before(timezone.now())
        teams = NeighbourhoodTeam.objects.order_by("slug").only("pk", "slug")
        if options["team"]:
            teams = teams.filter(slug=options["team"])
            if not teams.exists():
                raise CommandError(f"No neighbourhood team {options['team']!r}")
        counts = {"created": 0, "already existed": 0, "failed": 0}
        for team in teams:
            outcome = self._one(team, month)
            counts[outcome] += 1
        self.stdout.write(f"{month:%B %Y}: " + ", ".join(f"{count} {name}" for name, count in counts.items()) + ".")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} team(s) failed; run the command again to retry them.")

    def _one(self, team: NeighbourhoodTeam, month: datetime.date) -> str:
        """One team's update; a failure is reported and the other teams go on."""
        try:
            update, created = monthly_update_create(team_id=team.pk, month=month)
        except (PrioritiesError, DatabaseError) as error:
            self.stderr.write(f"{team.slug}: failed: {error}")
            return "failed"
        outcome = "created" if created else "already existed"
        self.stdout.write(f"{team.slug}: {outcome}")
        return outcome
