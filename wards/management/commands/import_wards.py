from wards.importers import wards
from wards.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the wards of every generation (the 305 of 2003–2015, the 279 of May 2025) with their "
        "boundaries, centroids, bounding boxes and successions."
    )
    input_files = wards.INPUT_FILES
    version = wards.VERSION
    changes_boundaries = True

    def run_import(self, directory, options):
        return wards.import_wards(directory=directory, commit=options["commit"])
