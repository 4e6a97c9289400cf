"""Make a synthetic force area of any size, for measuring PACT at national scale (issue 17).

It writes into the configured database, which must hold no wards, and refuses one whose name
does not end in ``_bench`` unless ``--any-database`` is given: ``bench/national.py`` makes
``pact_national_bench`` and runs this there, so the everyday database is never filled with
millions of made-up postcodes by a slip of the keyboard.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.cache import public_cache_bump
from priorities.synthetic import make_cycle
from wards.synthetic import make_force


class Command(BaseCommand):
    help = (
        "Make a synthetic force area (wards, districts, teams, postcodes, places, panels, meetings, priorities) "
        "in an empty benchmark database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=int, default=9000)
        parser.add_argument("--postcodes", type=int, default=1_800_000)
        parser.add_argument("--teams", type=int, default=4800)
        parser.add_argument("--districts", type=int, help="Default: one per 30 wards.")
        parser.add_argument("--seed", type=int, default=17, help="The same seed makes the same area.")
        parser.add_argument(
            "--any-database", action="store_true", help="Write even into a database whose name does not end in _bench."
        )

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if not options["any_database"] and not str(name).endswith("_bench"):
            raise CommandError(
                f"Refusing to fill the database {name} with a synthetic force: use a database whose name ends in "
                "_bench (bench/national.py makes one) or pass --any-database."
            )
        try:
            force = make_force(
                wards=options["wards"],
                postcodes=options["postcodes"],
                teams=options["teams"],
                districts=options["districts"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        started = time.monotonic()
        cycle = make_cycle()
        force.timings["panels, meetings and priorities"] = time.monotonic() - started
        if connection.vendor == "postgresql":
            # Millions of rows copied in: without statistics the planner scans where it should
            # seek (the monthly update's meeting queries took 30 ms a team instead of 1), and
            # autovacuum may be off or late. Measure the data set as a server that has analysed it.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            force.timings["planner statistics (ANALYZE)"] = time.monotonic() - started
        public_cache_bump()
        self.stdout.write(
            f"Synthetic force: {force.districts} districts, {force.wards} wards, {force.teams} teams, "
            f"{force.postcodes} postcodes, {force.places} places; {cycle.panels} panels, {cycle.meetings} meetings, "
            f"{cycle.priorities} priorities."
        )
        for part, seconds in force.timings.items():
            self.stdout.write(f"{part}: {seconds:.1f}s")
