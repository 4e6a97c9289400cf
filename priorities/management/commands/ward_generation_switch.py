"""Move the PACT cycle to another ward boundary generation: ``--dry-run`` to read the plan, ``--commit`` to do it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from priorities.selectors.generation_switch import switch_plan
from priorities.services.generation_switch import generation_switch


class Command(BaseCommand):
    help = (
        "Show (--dry-run) or carry out (--commit) the move of teams, panels, active priorities, upcoming "
        "meetings and subscriptions to the wards of another boundary generation, e.g. 2025."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("generation", type=int, help="the generation to move to, e.g. 2025 or 2014")
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="only say what would be done")
        mode.add_argument("--commit", action="store_true", help="do it, in one transaction")

    def handle(self, *args, **options):
        target = options["generation"]
        try:
            plan = generation_switch(target=target)[1] if options["commit"] else switch_plan(target)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in plan.lines():
            self.stdout.write(line)
        if not options["commit"]:
            self.stdout.write("Dry run: nothing was changed. Run again with --commit to do it.")
            return
        self.stdout.write(self.style.SUCCESS("Done, and recorded in the audit log."))
        if target != settings.PACT_WARD_GENERATION:
            self.stdout.write(
                self.style.WARNING(
                    f"Now set PACT_WARD_GENERATION={target} and restart the web and worker processes, "
                    "so that searches, maps and pages use these wards."
                )
            )
