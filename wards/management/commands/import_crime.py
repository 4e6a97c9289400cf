from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from wards.importers import crime
from wards.importers.base import ImporterError, data_dir
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import police.uk street-level crime files (default: every *-street.csv in the data directory's "
        "police_uk folder), placing each record in a ward; importing a month again replaces it."
    )

    @property
    def version(self) -> str:
        # Records are placed in the active generation's wards: a switch of generation re-runs the step.
        return f"{crime.VERSION}-generation-{settings.PACT_WARD_GENERATION}"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("files", nargs="*", help="Street-level CSV files to import instead of the default ones.")

    def input_files_in(self, directory: Path) -> tuple[str, ...]:
        """The files of the default run, which setup_pact fingerprints to skip an unchanged step."""
        return crime.input_files(directory)

    def handle(self, *args, **options):
        try:
            directory = data_dir(options["data_dir"])
        except ImporterError as error:
            raise CommandError(str(error)) from error
        # Files named on the command line are not the step's inputs: fingerprint only the
        # reference files then, so setup_pact still runs the default files later.
        self.input_files = crime.REFERENCE_FILES if options["files"] else self.input_files_in(directory)
        super().handle(*args, **options)

    def run_import(self, directory, options):
        files = [Path(name) for name in options["files"]] or None
        return crime.import_crime(directory=directory, files=files, commit=options["commit"])
