from wards.importers import wards
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = "Import the 305 wards of 2003–2015 with their boundaries, centroids and bounding boxes."
    input_files = wards.INPUT_FILES
    version = wards.VERSION

    def run_import(self, directory, options):
        return wards.import_wards(directory=directory, commit=options["commit"])
