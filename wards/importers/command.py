"""The shared shape of the import commands: options, error reporting and the printed result."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.cache import public_cache_bump
from wards.boundary_index import boundary_version_bump
from wards.importers.base import ImporterError, ImportResult, data_dir
from wards.importers.records import fingerprint, import_record


class ImportCommand(BaseCommand):
    """A dry run unless ``--commit``; reads ``--data-dir`` or ``settings.PACT_DATA_DIR``.

    A committed run records the fingerprint of its input files, so ``setup_pact`` can skip
    the step until they change.
    """

    input_files: tuple[str, ...] = ()
    version: str = "1"
    # Whether a committed run may change ward boundaries, which web workers keep in memory.
    changes_boundaries = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="Write the changes (default: a dry run).")
        parser.add_argument("--data-dir", help="Directory of the data files (default: the PACT_DATA_DIR setting).")

    def run_import(self, directory: Path, options: dict) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args, **options) -> None:
        try:
            directory = data_dir(options["data_dir"])
            digest, files = fingerprint(directory, self.input_files, self.version)
            result = self.run_import(directory, options)
        except ImporterError as error:
            raise CommandError(str(error)) from error
        for line in result.lines():
            self.stdout.write(line)
        if result.committed:
            # Bulk writes send no model signals, so the public pages are told here.
            public_cache_bump()
            if self.changes_boundaries:
                boundary_version_bump()
            import_record(step=result.step, digest=digest, files=files, summary="\n".join(result.lines()))
        else:
            self.stdout.write("Dry run: nothing was changed. Pass --commit to write the changes.")
