"""A synthetic force area of realistic shape at any size, for measuring PACT at national scale.

Issue 17 asks that every public page keep its speed and query count with every force's wards
(about 9,000 wards and 1.8 million postcodes in England and Wales). No such data set is open
in one piece, so this one is made: the wards are the cells of a grid over England's extent,
each corner and each edge's midpoint moved at random (so neighbours share their edges and the
cells tile the area without gaps or overlaps, as real wards do); districts are blocks of
neighbouring wards; each team covers about two neighbouring wards of one district; postcodes
are points inside their ward, named like real ones (``ME14 1XX``) and numbered so that a
ward's postcodes share outward codes. Places are spread as Kent and Medway's are in OS Open
Names: towns spanning several wards (a district's first town bearing its name), suburbs
within them, and villages and hamlets in the wards no town covers, linked to their wards by
the importer's rule (``wards.importers.places.place_wards``). The same seed makes the same area.

Rows are written with ``copy_rows``: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.
"""

import datetime
import math
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from wards.importers.base import bulk_load, copy_rows
from wards.importers.places import place_wards
from wards.importers.postcodes import WardLocator
from wards.models import (
    CrimeCategory,
    CrimeMonth,
    District,
    Generation,
    NeighbourhoodTeam,
    Place,
    PlaceWard,
    Postcode,
    PostcodeWard,
    Ward,
    WardCrimeCount,
)
from wards.places import place_key

# fmt: off
# (west, south, east, north) in degrees: roughly England's extent.
EXTENT = (-5.5, 50.0, 1.7, 55.8)
# Real postcode areas, in the order the numbering uses them.
POSTCODE_AREAS = (
    "ME", "CT", "TN", "DA", "BR", "SE", "N", "E", "W", "NW", "SW", "EC", "WC", "BN", "RH", "GU", "KT", "CR", "SM",
    "TW", "UB", "HA", "EN", "IG", "RM", "SS", "CM", "CO", "IP", "NR", "PE", "CB", "SG", "AL", "LU", "MK", "HP",
    "SL", "RG", "OX", "SN", "BA", "BS", "GL", "HR", "WR", "B", "CV", "LE", "NG", "DE", "ST", "WS", "WV", "DY", "TF",
    "SY", "LL", "CH", "CW", "SK", "M", "OL", "BL", "WN", "WA", "L", "PR", "FY", "LA", "BB", "BD", "HX", "HD", "WF",
    "LS", "HG", "YO", "HU", "DN", "S", "LN", "NE", "SR", "DH", "TS", "DL", "CA", "TQ", "EX", "PL", "TR", "TA", "DT",
    "BH", "SO", "PO", "SP", "NP", "CF", "SA", "LD",
)
# Letters real units use (Royal Mail leaves out C, I, K, M, O and V).
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
UNITS_PER_SECTOR = len(UNIT_LETTERS) ** 2
SECTORS = 10
DISTRICTS_PER_AREA = 99
NAME_STARTS = (
    "Ash", "Bram", "Chart", "Dene", "Elm", "Fair", "Gold", "Hawk", "Ivy", "Kings", "Lang", "Mill", "Nor", "Oak",
    "Park", "Queens", "Rose", "Stone", "Thorn", "Up", "Vale", "West", "Brook", "Church", "Hol", "Shep", "Whit",
    "Wood", "Marl", "Sand", "Wick", "Hather", "Bex", "Cran", "Dun", "Farn", "Grav",
)
NAME_ENDS = (
    "field", "ford", "ham", "hurst", "ley", "stead", "ton", "wood", "bury", "combe", "den", "gate", "well", "worth",
    "by", "cliffe", "minster", "church",
)
QUARTERS = (
    "North", "South", "East", "West", "Central", "Park", "Rural", "Village", "Hill", "Green", "Town", "Harbour",
    "Vale", "Common", "Heath",
)
# Street-level crime categories each ward gets figures in (slug, name), as data.police.uk's.
CRIME_CATEGORIES = (
    ("anti-social-behaviour", "Anti-social behaviour"), ("burglary", "Burglary"), ("drugs", "Drugs"),
    ("shoplifting", "Shoplifting"), ("vehicle-crime", "Vehicle crime"),
    ("violent-crime", "Violence and sexual offences"),
)
CRIME_MONTHS = 2
# What longer place names add to one of the generator's: a middle ("Ashingford") and a word
# before or after ("Great Chart", "Hook Green"), each with its share of the names.
NAME_MIDDLES = ("ing", "er", "en", "ling", "ey")
NAME_BEFORE = ("Great", "Little", "Upper", "Lower", "East", "West", "North", "South", "Old", "New")
NAME_AFTER = ("Green", "Street", "Common", "Heath", "Cross", "End", "Hill", "Forstal", "Bottom", "Lees")
MIDDLE_SHARE, BEFORE_SHARE, AFTER_SHARE = 0.5, 0.25, 0.4
# fmt: on
# Kent and Medway's places in OS Open Names (1,236 over 279 wards in 13 districts), linked as
# import_places links them: 38 towns and cities spanning 7.8 wards each, 245 suburbs spanning
# 2.4, and 953 villages, hamlets and other settlements in 127 of the wards, 7.5 to each. With
# these figures a synthetic force of 900 or 9,000 wards has about 4 places a ward, towns
# spanning about 8 wards and suburbs 2.6, and villages in 43–45 % of the wards.
WARDS_PER_EXTRA_TOWN = 15
SUBURBS_PER_TOWN = 6
TOWN_HALF_SIZE = (0.7, 1.0)  # of a ward cell, across and up
SUBURB_HALF_SIZE = (0.2, 0.4)
VILLAGES_PER_RURAL_WARD = 7.5
VILLAGE_KINDS = (Place.Kind.VILLAGE, Place.Kind.HAMLET, Place.Kind.OTHER)
VILLAGE_KIND_SHARES = (0.5, 0.48, 0.02)
VILLAGE_HALF_SIZE = (0.001, 0.006)  # half its height in degrees; twice as wide, about as Kent's


@dataclass
class SyntheticForce:
    """What ``make_force`` wrote, and how long each part took (seconds)."""

    districts: int = 0
    wards: int = 0
    teams: int = 0
    postcodes: int = 0
    places: int = 0
    crime_counts: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def postcode_name(index: int) -> str:
    """The index-th synthetic postcode: ``ME1 0AA``, ``ME1 0AB``, … then the next sector, district, area."""
    unit = index % UNITS_PER_SECTOR
    sector = index // UNITS_PER_SECTOR % SECTORS
    district = index // (UNITS_PER_SECTOR * SECTORS) % DISTRICTS_PER_AREA + 1
    area = POSTCODE_AREAS[index // (UNITS_PER_SECTOR * SECTORS * DISTRICTS_PER_AREA)]
    return f"{area}{district} {sector}{UNIT_LETTERS[unit // len(UNIT_LETTERS)]}{UNIT_LETTERS[unit % len(UNIT_LETTERS)]}"


def postcode_capacity() -> int:
    return len(POSTCODE_AREAS) * DISTRICTS_PER_AREA * SECTORS * UNITS_PER_SECTOR


class Grid:
    """The jittered grid: ``cols`` × ``rows`` cells over the extent, the first ``count`` of them wards."""

    def __init__(self, count: int, rng: np.random.Generator):
        west, south, east, north = EXTENT
        squash = math.cos(math.radians((south + north) / 2))
        # Cells about square on the ground: as many columns as the extent is wider than tall.
        self.cols = max(1, round(math.sqrt(count * (east - west) * squash / (north - south))))
        self.rows = math.ceil(count / self.cols)
        self.count = count
        self.dx, self.dy = dx, dy = (east - west) / self.cols, (north - south) / self.rows
        xs = west + dx * np.arange(self.cols + 1)
        ys = south + dy * np.arange(self.rows + 1)
        grid_x, grid_y = np.meshgrid(xs, ys, indexing="ij")  # [col, row]
        # Corners move up to a fifth of a cell, edge midpoints a twentieth across the edge;
        # the outer edge stays straight, so the area is a rectangle tiled without gaps.
        inner = np.zeros_like(grid_x, dtype=bool)
        inner[1:-1, 1:-1] = True
        self.x = grid_x + np.where(inner, rng.uniform(-0.2, 0.2, grid_x.shape) * dx, 0)
        self.y = grid_y + np.where(inner, rng.uniform(-0.2, 0.2, grid_y.shape) * dy, 0)
        # Bottom/top edges of cell (c, r): the horizontal edge from corner (c, r) to (c + 1, r).
        self.h_x = (self.x[:-1, :] + self.x[1:, :]) / 2
        self.h_y = (self.y[:-1, :] + self.y[1:, :]) / 2 + _edge_jitter(rng, (self.cols, self.rows + 1), 1) * dy
        # Left/right edges of cell (c, r): the vertical edge from corner (c, r) to (c, r + 1).
        self.v_x = (self.x[:, :-1] + self.x[:, 1:]) / 2 + _edge_jitter(rng, (self.cols + 1, self.rows), 0) * dx
        self.v_y = (self.y[:, :-1] + self.y[:, 1:]) / 2

    def cell(self, index: int) -> tuple[int, int]:
        return index % self.cols, index // self.cols

    def ring(self, col: int, row: int) -> list[list[float]]:
        """The cell's outline, anticlockwise and closed: corners with the midpoints between them."""
        points = [
            (self.x[col, row], self.y[col, row]),
            (self.h_x[col, row], self.h_y[col, row]),
            (self.x[col + 1, row], self.y[col + 1, row]),
            (self.v_x[col + 1, row], self.v_y[col + 1, row]),
            (self.x[col + 1, row + 1], self.y[col + 1, row + 1]),
            (self.h_x[col, row + 1], self.h_y[col, row + 1]),
            (self.x[col, row + 1], self.y[col, row + 1]),
            (self.v_x[col, row], self.v_y[col, row]),
        ]
        ring = [[round(float(x), 6), round(float(y), 6)] for x, y in points]
        return [*ring, ring[0]]

    def corners(self, cols: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        """x and y of the four corners (bottom-left, bottom-right, top-right, top-left) of each cell."""
        return (
            self.x[cols, rows], self.y[cols, rows], self.x[cols + 1, rows], self.y[cols + 1, rows],
            self.x[cols + 1, rows + 1], self.y[cols + 1, rows + 1], self.x[cols, rows + 1], self.y[cols, rows + 1],
        )  # fmt: skip

    def points(self, cells: np.ndarray, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x and y of a bilinear mix of each cell's corners: (0.5, 0.5) is its centre; from 0.15
        to 0.85 keeps away from the edges (whose midpoints move a little)."""
        x0, y0, x1, y1, x2, y2, x3, y3 = self.corners(cells % self.cols, cells // self.cols)
        xs = (1 - u) * (1 - v) * x0 + u * (1 - v) * x1 + u * v * x2 + (1 - u) * v * x3
        ys = (1 - u) * (1 - v) * y0 + u * (1 - v) * y1 + u * v * y2 + (1 - u) * v * y3
        return xs, ys


def _edge_jitter(rng: np.random.Generator, shape: tuple[int, int], axis: int) -> np.ndarray:
    """Up to a twentieth of a cell across each edge, none on the outer edge."""
    jitter = rng.uniform(-0.05, 0.05, shape)
    if axis == 1:
        jitter[:, 0] = jitter[:, -1] = 0
    else:
        jitter[0, :] = jitter[-1, :] = 0
    return jitter


def _place_name(rng: np.random.Generator) -> str:
    return f"{rng.choice(NAME_STARTS)}{rng.choice(NAME_ENDS)}"


def _place_names(rng: np.random.Generator, count: int, *, words: bool) -> list[str]:
    """``count`` longer names: a generator's name with a middle, or a word before or after, or both
    (only the middle unless ``words``). Never the bare name: that is a district's and its first town's."""
    starts, middles, ends = (rng.integers(len(part), size=count) for part in (NAME_STARTS, NAME_MIDDLES, NAME_ENDS))
    befores, afters = rng.integers(len(NAME_BEFORE), size=count), rng.integers(len(NAME_AFTER), size=count)
    rolls = rng.random((3, count))
    names = []
    for index in range(count):
        before = words and rolls[1, index] < BEFORE_SHARE
        after = words and rolls[2, index] < AFTER_SHARE
        middle = NAME_MIDDLES[middles[index]] if not (before or after) or rolls[0, index] < MIDDLE_SHARE else ""
        name = NAME_STARTS[starts[index]] + middle + NAME_ENDS[ends[index]]
        name = f"{NAME_BEFORE[befores[index]]} {name}" if before else name
        names.append(f"{name} {NAME_AFTER[afters[index]]}" if after else name)
    return names


def _shares(total: int, weights: np.ndarray, minimum: int) -> np.ndarray:
    """``total`` split in proportion to ``weights`` (largest remainders), each at least ``minimum``."""
    count = len(weights)
    spare = total - minimum * count
    exact = weights / weights.sum() * spare
    shares = np.floor(exact).astype(int)
    shares[np.argsort(shares - exact)[: spare - shares.sum()]] += 1
    return shares + minimum


def _next_ids(model, count: int) -> range:
    start = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    return range(start, start + count)


def _reset_sequences(*models) -> None:
    """Move the id sequences past the explicit ids written (PostgreSQL; a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def make_force(
    *, wards: int, postcodes: int, teams: int, districts: int | None = None, seed: int = 17
) -> SyntheticForce:
    """Write a synthetic force area into the current database (which must hold no wards yet)."""
    if wards < 1 or teams < 1 or teams > wards:
        raise ValueError("Give at least one ward and between one team and one team per ward.")
    if postcodes < wards or postcodes > postcode_capacity():
        raise ValueError(f"Give between one postcode per ward and {postcode_capacity()} postcodes.")
    districts = districts or max(1, round(wards / 30))
    if districts > teams:
        raise ValueError("Give at least one team per district.")
    if Ward.objects.exists():
        raise ValueError("The database already holds wards: make the synthetic force in an empty one.")
    rng = np.random.default_rng(seed)
    result = SyntheticForce()
    started = time.monotonic()
    generation_id = settings.PACT_WARD_GENERATION
    with transaction.atomic():
        Generation.objects.get_or_create(
            id=generation_id, defaults={"name": "the synthetic national wards", "in_force_from": "2025-05-01"}
        )
        grid = Grid(wards, rng)
        district_of, order = _districts(grid, districts)
        district_ids = _write_districts(district_of, rng)
        team_ids, team_of_ward = _write_teams(order, district_of, district_ids, teams, rng)
        ward_ids = _write_wards(grid, order, district_of, district_ids, team_of_ward, generation_id, rng)
        result.districts, result.wards, result.teams = len(district_ids), len(ward_ids), len(team_ids)
        result.timings["wards"] = time.monotonic() - started
        per_ward = _write_postcodes(grid, order, ward_ids, postcodes, generation_id, rng, result.timings)
        result.postcodes = int(per_ward.sum())
        started = time.monotonic()
        # Places draw from a stream of their own, so the rest of an area is as it was without them.
        outwards = _outwards(order, per_ward)
        places = _Places(grid, order, district_of, district_ids, ward_ids, outwards, np.random.default_rng((seed, 1)))
        result.places = places.write(generation_id)
        result.timings["places"] = time.monotonic() - started
        _reset_sequences(District, NeighbourhoodTeam, Ward, Postcode, Place)
        started = time.monotonic()
        result.crime_counts = _write_crime(list(ward_ids.values()), rng)
        result.timings["crime figures"] = time.monotonic() - started
    return result


def _districts(grid: Grid, count: int) -> tuple[np.ndarray, list[int]]:
    """Each cell's district (blocks of neighbouring cells), and the cells in ward order:
    by district, then row by row within it, so a district's wards and a team's are neighbours."""
    side = max(1, math.ceil(math.sqrt(grid.count / count)))
    cells = np.arange(grid.count)
    cols, rows = cells % grid.cols, cells // grid.cols
    blocks_across = math.ceil(grid.cols / side)
    block = (rows // side) * blocks_across + cols // side
    # Number the non-empty blocks 0…n-1, then fold them into the wanted count of districts.
    _, block = np.unique(block, return_inverse=True)
    _, district_of = np.unique(block * count // (block.max() + 1), return_inverse=True)
    order = sorted(cells.tolist(), key=lambda cell: (district_of[cell], rows[cell], cols[cell]))
    return district_of, order


def _write_districts(district_of: np.ndarray, rng: np.random.Generator) -> list[int]:
    ids = list(_next_ids(District, int(district_of.max()) + 1))
    rows = ([district_id, f"E07{district_id:06d}", _place_name(rng), "", None] for district_id in ids)
    copy_rows(District, ("id", "code", "name", "former_name", "boundary"), rows)
    return ids


def _write_teams(order, district_of, district_ids, teams: int, rng) -> tuple[list[int], dict[int, int]]:
    """About ``teams`` teams, each covering neighbouring wards of one district; cell → team id."""
    wards_in = np.bincount(district_of, minlength=len(district_ids))
    per_district = np.minimum(_shares(teams, wards_in.astype(float), 1), wards_in)
    ids = iter(_next_ids(NeighbourhoodTeam, int(per_district.sum())))
    team_of_ward, rows = {}, []
    position = 0
    for index, district_id in enumerate(district_ids):
        cells = order[position : position + wards_in[index]]
        position += wards_in[index]
        for number, group in enumerate(np.array_split(np.array(cells), per_district[index]), start=1):
            team_id = next(ids)
            name = f"{_place_name(rng)} {rng.choice(QUARTERS)}"
            rows.append([team_id, f"team-{district_id}-{number}", f"{name} Neighbourhood Team", district_id, "", False])
            team_of_ward.update(dict.fromkeys(group.tolist(), team_id))
    copy_rows(NeighbourhoodTeam, ("id", "slug", "name", "district_id", "email", "is_demo"), rows)
    return [row[0] for row in rows], team_of_ward


def _write_wards(grid, order, district_of, district_ids, team_of_ward, generation_id, rng) -> dict[int, int]:
    """Cell → ward id."""
    ids = dict(zip(order, _next_ids(Ward, len(order)), strict=True))
    columns = (
        "id", "code", "name", "old_code", "district_id", "team_id", "boundary", "centroid_lat", "centroid_lng",
        "min_lat", "min_lng", "max_lat", "max_lng", "generation_low_id", "generation_high_id",
    )  # fmt: skip

    def rows():
        for cell in order:
            col, row = grid.cell(cell)
            ring = grid.ring(col, row)
            xs, ys = [x for x, _ in ring], [y for _, y in ring]
            centre_x = sum(xs[0:8:2]) / 4  # the mean of the corners: inside, as the cell is convex enough
            centre_y = sum(ys[0:8:2]) / 4
            yield [
                ids[cell], f"E05{ids[cell]:06d}", f"{_place_name(rng)} {rng.choice(QUARTERS)}", "",
                district_ids[district_of[cell]], team_of_ward[cell], {"type": "Polygon", "coordinates": [ring]},
                centre_y, centre_x, min(ys), min(xs), max(ys), max(xs), generation_id, generation_id,
            ]  # fmt: skip

    copy_rows(Ward, columns, rows())
    return ids


def _write_postcodes(grid, order, ward_ids, total: int, generation_id: int, rng, timings: dict) -> np.ndarray:
    """``total`` postcodes, each a point well inside its ward, numbered ward by ward; how many each ward got."""
    started = time.monotonic()
    counts = _shares(total, rng.uniform(0.6, 1.4, len(order)), 1)
    cells = np.repeat(np.array(order), counts)
    xs, ys = grid.points(cells, rng.uniform(0.15, 0.85, len(cells)), rng.uniform(0.15, 0.85, len(cells)))
    first = _next_ids(Postcode, total).start
    names = [postcode_name(index) for index in range(total)]
    ward_of = [ward_ids[cell] for cell in cells.tolist()]
    timings["postcodes made"] = time.monotonic() - started
    started = time.monotonic()
    with bulk_load(Postcode, PostcodeWard):
        _copy_postcodes(first, names, xs, ys, ward_of, generation_id)
        timings["postcodes and their wards copied"] = time.monotonic() - started
        started = time.monotonic()
    timings["indexes and constraints made again"] = time.monotonic() - started
    return counts


def _copy_postcodes(first: int, names: list[str], xs, ys, ward_of: list[int], generation_id: int) -> None:
    copy_rows(
        Postcode,
        ("id", "postcode", "outward", "latitude", "longitude", "in_2014", "is_current"),
        (
            [first + index, name, name.split(" ")[0], lat, lng, True, True]
            for index, (name, lat, lng) in enumerate(
                zip(names, np.round(ys, 6).tolist(), np.round(xs, 6).tolist(), strict=True)
            )
        ),
    )
    polygon = PostcodeWard.Placement.POLYGON.value
    copy_rows(
        PostcodeWard,
        ("postcode_id", "generation_id", "ward_id", "placement"),
        ([first + index, generation_id, ward_id, polygon] for index, ward_id in enumerate(ward_of)),
    )


def _outwards(order: list[int], per_ward: np.ndarray) -> dict[int, str]:
    """Cell → the outward code of its ward's first postcode (a ward's postcodes share one or two)."""
    firsts = (np.cumsum(per_ward) - per_ward).tolist()
    return {cell: postcode_name(first).split(" ")[0] for cell, first in zip(order, firsts, strict=True)}


PLACE_COLUMNS = (
    "name", "search_name", "kind", "district_id", "postcode_district", "latitude", "longitude",
    "min_lat", "min_lng", "max_lat", "max_lng",
)  # fmt: skip


class _Places:
    """Towns with their suburbs, then villages and hamlets in the wards no town covers, each
    with the wards it lies in (as ``Place`` fields and ``(ward id, share)`` lists)."""

    def __init__(self, grid, order, district_of, district_ids, ward_ids, outwards, rng: np.random.Generator):
        self.grid, self.order, self.district_of, self.district_ids = grid, order, district_of, district_ids
        self.ward_ids, self.outwards, self.rng = ward_ids, outwards, rng
        self.cell_of_ward = {ward_id: cell for cell, ward_id in ward_ids.items()}
        self.places: list[dict] = []
        self.links: list[list[tuple[int, float]]] = []

    def write(self, generation_id: int) -> int:
        self._towns(self._locator())
        covered = {ward_id for links in self.links for ward_id, _ in links}
        self._villages([cell for cell in self.order if self.ward_ids[cell] not in covered])
        ids = _next_ids(Place, len(self.places))
        copy_rows(
            Place,
            ("id", "os_id", *PLACE_COLUMNS),
            ([place_id, f"synthetic-{place_id}", *(place[column] for column in PLACE_COLUMNS)]
             for place_id, place in zip(ids, self.places, strict=True)),
        )  # fmt: skip
        copy_rows(
            PlaceWard,
            ("place_id", "generation_id", "ward_id", "share"),
            ([place_id, generation_id, ward_id, share]
             for place_id, links in zip(ids, self.links, strict=True) for ward_id, share in links),
        )  # fmt: skip
        return len(self.places)

    def _locator(self) -> WardLocator:
        wards = []
        for cell, ward_id in self.ward_ids.items():
            ring = self.grid.ring(*self.grid.cell(cell))
            wards.append((ward_id, f"E05{ward_id:06d}", {"type": "Polygon", "coordinates": [ring]}))
        return WardLocator(wards)

    def _towns(self, locator: WardLocator) -> None:
        """One town a district, bearing its name, and one more for each ``WARDS_PER_EXTRA_TOWN`` wards."""
        names = dict(District.objects.filter(pk__in=self.district_ids).values_list("pk", "name"))
        wards_in = np.bincount(self.district_of, minlength=len(self.district_ids))
        position = 0
        for index, district_id in enumerate(self.district_ids):
            cells = np.array(self.order[position : position + wards_in[index]])
            position += wards_in[index]
            count = min(len(cells), 1 + wards_in[index] // WARDS_PER_EXTRA_TOWN)
            chosen = self.rng.choice(cells, size=count, replace=False)
            town_names = [names[district_id], *_place_names(self.rng, count - 1, words=False)]
            for cell, name in zip(chosen.tolist(), town_names, strict=True):
                xs, ys = self.grid.points(np.array([cell]), *self.rng.uniform(0.3, 0.7, (2, 1)))
                town = self._area(name, Place.Kind.TOWN, district_id, (xs[0], ys[0]), TOWN_HALF_SIZE, locator)
                for suburb in _place_names(self.rng, self.rng.poisson(SUBURBS_PER_TOWN), words=True):
                    centre = (self.rng.uniform(town["min_lng"], town["max_lng"]),
                              self.rng.uniform(town["min_lat"], town["max_lat"]))  # fmt: skip
                    self._area(suburb, Place.Kind.SUBURB, district_id, centre, SUBURB_HALF_SIZE, locator)

    def _area(self, name: str, kind: str, district_id: int, centre, half_size, locator: WardLocator) -> dict:
        """A town or suburb about ``centre``, ``half_size`` of a ward cell each way, linked as imported."""
        x, y = centre
        half_x, half_y = self.rng.uniform(*half_size, 2) * (self.grid.dx, self.grid.dy)
        place = self._place(name, kind, district_id, x, y, half_x, half_y)
        ward_id, _ = locator.locate(x, y)
        place["postcode_district"] = self.outwards[self.cell_of_ward[ward_id]]
        self.places.append(place)
        self.links.append(place_wards(place, locator))
        return place

    def _villages(self, cells: list[int]) -> None:
        """About ``VILLAGES_PER_RURAL_WARD`` villages, hamlets and other settlements in each of ``cells``."""
        cells_of = np.repeat(np.array(cells, dtype=int), self.rng.poisson(VILLAGES_PER_RURAL_WARD, len(cells)))
        count = len(cells_of)
        xs, ys = self.grid.points(cells_of, self.rng.uniform(0.15, 0.85, count), self.rng.uniform(0.15, 0.85, count))
        kinds = self.rng.choice(len(VILLAGE_KINDS), size=count, p=VILLAGE_KIND_SHARES)
        halves = self.rng.uniform(*VILLAGE_HALF_SIZE, count)
        names = _place_names(self.rng, count, words=True)
        for index, cell in enumerate(cells_of.tolist()):
            district_id = self.district_ids[self.district_of[cell]]
            place = self._place(
                names[index], VILLAGE_KINDS[kinds[index]], district_id, xs[index], ys[index], 2 * halves[index],
                halves[index],
            )  # fmt: skip
            place["postcode_district"] = self.outwards[cell]
            self.places.append(place)
            self.links.append([(self.ward_ids[cell], 1.0)])

    @staticmethod
    def _place(name: str, kind: str, district_id: int, x: float, y: float, half_x: float, half_y: float) -> dict:
        west, south, east, north = EXTENT
        return {
            "name": name, "search_name": place_key(name), "kind": str(kind), "district_id": district_id,
            "latitude": round(float(y), 6), "longitude": round(float(x), 6),
            "min_lat": round(float(max(south, y - half_y)), 6), "min_lng": round(float(max(west, x - half_x)), 6),
            "max_lat": round(float(min(north, y + half_y)), 6), "max_lng": round(float(min(east, x + half_x)), 6),
        }  # fmt: skip


def _write_crime(ward_ids: list[int], rng) -> int:
    """Street-level crime counts for every ward in each of the last ``CRIME_MONTHS`` full months."""
    categories = [
        CrimeCategory.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})[0].pk
        for position, (slug, name) in enumerate(CRIME_CATEGORIES)
    ]
    first = timezone.localdate().replace(day=1)
    counts = rng.poisson(4, (CRIME_MONTHS, len(ward_ids), len(categories))) + 1
    written = 0
    for back in range(CRIME_MONTHS):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        total = int(counts[back].sum())
        month = CrimeMonth.objects.create(
            month=first, source_file=f"synthetic-{first:%Y-%m}.csv", sha256="0" * 64, rows=total,
            with_coordinates=total, without_coordinates=0, assigned=total, outside=0, imported_at=timezone.now(),
        )  # fmt: skip
        written += copy_rows(
            WardCrimeCount,
            ("ward_id", "month_id", "category_id", "count"),
            (
                [ward_id, month.pk, category_id, int(counts[back, index, position])]
                for index, ward_id in enumerate(ward_ids)
                for position, category_id in enumerate(categories)
            ),
        )
    return written
