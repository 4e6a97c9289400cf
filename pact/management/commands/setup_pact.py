"""Load every piece of reference and demo data, skipping what is already up to date."""

import time
from io import StringIO

from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError

from wards.importers.base import ImporterError, data_dir
from wards.importers.records import fingerprint, import_is_current

# In order: each step may need the rows of the steps before it. A step is a command that
# accepts --commit and --data-dir; one with ``input_files`` (or ``input_files_in(directory)``,
# when they depend on what the directory holds) is skipped while they are unchanged.
STEPS = (
    "import_districts",
    "import_wards",
    "import_postcodes",
    "import_places",
    "import_teams",
    "create_demo_officers",
    "import_categories",
    "import_crime",
)


class Command(BaseCommand):
    help = "Import all reference and demo data (committing), skipping steps whose input files are unchanged."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run every step even if its inputs are unchanged.")
        parser.add_argument("--data-dir", help="Directory of the data files (default: the PACT_DATA_DIR setting).")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            directory = data_dir(options["data_dir"])
        except ImporterError as error:
            raise CommandError(str(error)) from error
        ran = [name for name in STEPS if self.run_step(name, directory, force=options["force"])]
        elapsed = time.monotonic() - started
        self.stdout.write(f"setup_pact: {len(ran)} step(s) run, {len(STEPS) - len(ran)} skipped, in {elapsed:.1f}s.")

    def run_step(self, name: str, directory, *, force: bool) -> bool:
        """Run one step unless its inputs match its last committed run; True if it ran."""
        command = load_command_class(get_commands()[name], name)
        find_inputs = getattr(command, "input_files_in", None)
        inputs = find_inputs(directory) if find_inputs else getattr(command, "input_files", ())
        if inputs and not force:
            try:
                digest, _ = fingerprint(directory, inputs, command.version)
            except ImporterError as error:
                raise CommandError(str(error)) from error
            if import_is_current(name, digest):
                self.stdout.write(f"{name}: skipped, input files unchanged.")
                return False
        output = StringIO()
        call_command(command, commit=True, data_dir=str(directory), stdout=output)
        for line in output.getvalue().splitlines():
            self.stdout.write(f"{name}: {line}")
        return True
