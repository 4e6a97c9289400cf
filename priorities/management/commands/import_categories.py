from priorities.importers import categories
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the concern categories: the police.uk crime categories plus local ones."
    input_files = categories.INPUT_FILES
    version = categories.VERSION

    def run_import(self, directory, options):
        return categories.import_categories(directory=directory, commit=options["commit"])
