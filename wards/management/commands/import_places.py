from wards.importers import places
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the towns, villages and other named places of OS Open Names, each linked to its ward(s)."
    input_files = places.INPUT_FILES
    version = places.VERSION

    def run_import(self, directory, options):
        return places.import_places(directory=directory, commit=options["commit"])
