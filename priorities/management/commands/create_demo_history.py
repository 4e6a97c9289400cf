"""Fictional PACT history for every ward: panels, last month's meeting and ballots, the next meeting
with its agenda, concerns in every state with answers to "How did we do?", and last month's update
in the team's own words (approved by all teams but one)."""

import time

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from priorities.demo import LOADER, demo_agendas_publish, demo_history_create
from priorities.demo_follow import demo_concern_follow_create
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
        self._publish_agendas()
        self._concerns_to_follow()
        self._monthly_words()

    def _publish_agendas(self) -> None:
        """An agenda for every upcoming meeting, with concerns residents can support."""
        try:
            published = demo_agendas_publish()
        except PrioritiesError as error:
            raise CommandError(f"The demo agendas broke a rule of the PACT cycle: {error}") from error
        self.stdout.write(f"Demo agendas: {published} published.")

    def _concerns_to_follow(self) -> None:
        # Issue 13: concerns in every state, with status pages and answers to "How did we do?".
        try:
            result = demo_concern_follow_create()
        except PrioritiesError as error:
            raise CommandError(f"The demo concerns broke a rule of the PACT cycle: {error}") from error
        self.stdout.write(
            f"Demo concerns to follow: {result.concerns} raised online, {result.resolved} priorities resolved, "
            f"{result.answers} answer(s) to how did we do."
        )

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
