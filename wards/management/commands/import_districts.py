from wards.importers import districts
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the 13 districts (LADs) of Kent and Medway with their boundaries."
    input_files = districts.INPUT_FILES
    version = districts.VERSION

    def run_import(self, directory, options):
        return districts.import_districts(directory=directory, commit=options["commit"])
