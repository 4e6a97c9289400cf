"""Fictional PACT history for every ward: panels, last month's meeting and ballots, the next meeting,
and last month's update in the team's own words (approved by all teams but one)."""

import time

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from priorities.demo import LOADER, demo_history_create
from priorities.demo_updates import demo_monthly_words_create
from priorities.errors import PrioritiesError
from wards.models import Ward


class Command(BaseCommand):
    help = "Create demo panels, a held meeting with a closed ballot per ward and an upcoming meeting."

    def handle(self, *args, **options):
        if not Ward.objects.filter(team__isnull=False).exists():
            raise CommandError("No ward has a neighbourhood team yet: run setup_pact first.")
        started = time.monotonic()
        try:
            result = demo_history_create()
        except PrioritiesError as error:
            raise CommandError(f"The demo history broke a rule of the PACT cycle: {error}") from error
        self.stdout.write(
            f"Demo history: {result.panels} panel(s) created, {result.ballots} ballot(s) closed, "
            f"{result.priorities} priorities adopted, {result.skipped} team(s) already had one, "
            f"in {time.monotonic() - started:.1f}s."
        )
        self._monthly_words()

    def _monthly_words(self) -> None:
        """Last month's words of each team, for create_monthly_updates to publish (issue 14)."""
        loader = User.objects.get(username=LOADER)
        try:
            approved, unapproved = demo_monthly_words_create(loader=loader)
        except PrioritiesError as error:
            raise CommandError(f"The demo monthly words broke a rule: {error}") from error
        self.stdout.write(
            f"Demo monthly updates: {approved} team(s) approved their words, {unapproved} did not approve yet."
        )
