"""The ward generations the importers load, and where each one's data comes from.

A generation's number is the year of the Code-Point Open release its ward set was taken from
(see ``kent_medway_wards.csv``'s ``vintage``), so the numbers run in time order.
"""

from dataclasses import dataclass
from datetime import date

from wards.models import PostcodeWard

POSTCODES_2014 = "kent_medway_postcodes_2014.csv"
POSTCODES_CURRENT = "kent_medway_postcodes.csv"


@dataclass(frozen=True)
class GenerationSource:
    id: int
    name: str
    in_force_from: date
    boundaries: str
    # Where Code-Point Open records a postcode's ward in this generation, as (file, column):
    # the first that names a ward wins. A postcode recorded in none is placed by its coordinates.
    recorded_wards: tuple[tuple[str, str], ...]
    recorded_as: str


GENERATIONS = (
    GenerationSource(
        id=2014,
        name="the 305 wards of 2003–2015",
        in_force_from=date(2003, 5, 1),
        boundaries="kent_medway_wards_2013.geojson",
        recorded_wards=((POSTCODES_2014, "ward_code"), (POSTCODES_CURRENT, "ward_code_2014")),
        recorded_as=PostcodeWard.Placement.CODE_POINT_2014,
    ),
    GenerationSource(
        id=2025,
        name="the 279 wards of May 2025",
        in_force_from=date(2025, 5, 1),
        boundaries="kent_medway_wards_2025.geojson",
        recorded_wards=((POSTCODES_CURRENT, "ward_code"),),
        recorded_as=PostcodeWard.Placement.CODE_POINT_CURRENT,
    ),
)
BOUNDARY_FILES = tuple(source.boundaries for source in GENERATIONS)
