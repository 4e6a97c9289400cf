from wards.importers import postcodes
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the 2014 and current postcodes, each placed in one of the 305 wards."
    input_files = postcodes.INPUT_FILES
    version = postcodes.VERSION

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--delete-stale", action="store_true", help="Delete postcodes that are in neither file (default: report)."
        )

    def run_import(self, directory, options):
        return postcodes.import_postcodes(
            directory=directory, commit=options["commit"], delete_stale=options["delete_stale"]
        )
