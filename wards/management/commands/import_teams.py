from wards.importers import teams
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the illustrative demo neighbourhood teams and assign each ward its team."
    input_files = teams.INPUT_FILES
    version = teams.VERSION

    def run_import(self, directory, options):
        return teams.import_teams(directory=directory, commit=options["commit"])
