from wards.importers import officers
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Create the same fictional demo officers for every demo team, every time."
    input_files = officers.INPUT_FILES
    version = officers.VERSION

    def run_import(self, directory, options):
        return officers.create_demo_officers(commit=options["commit"])
