"""The equality monitoring report for administrators: who takes part, force-wide and by district.

Tables are published side by side (a row per area, a column per answer, with totals), so a
count hidden in one place must not be recoverable from the others. On top of the small-group
rule (feedback.selectors.disclosure: hide counts below the minimum, and a second count where
one hidden count could be worked out from its row's total), this report:

- hides every figure of an area with fewer responses than the minimum (but some), and every
  count of a question fewer than the minimum (but some) answered there (a lone answer would otherwise show as
  "all of them", and zeros would say what the rest are not);
- hides a second district's count in any column where one district's count is hidden, since the
  force-wide figure minus the others would give it away, and repeats both rules until no row
  or column has exactly one hidden count under a visible total.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from core.models import AuditEvent
from feedback.models import EqualityRepeatKey, EqualityResponse
from feedback.selectors.disclosure import Grid, grid_suppressed, protect
from feedback.services.equality import PAPER_ENTERED, equality_repeat_key
from wards.models import District

STRAND_LABELS = {
    "age_band": "Age",
    "disability": "Disability",
    "sex": "Sex",
    "gender_same_as_at_birth": "Gender identity the same as sex registered at birth",
    "ethnicity": "Ethnic group",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
}


FORCE_WIDE = "Kent and Medway"
PARTICIPANTS = "participants"


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    contexts: tuple[str, ...]


GROUPS = (
    Group(
        PARTICIPANTS,
        "PACT participants (panel members and meeting attendees)",
        (EqualityResponse.Context.PANEL_MEMBER, EqualityResponse.Context.MEETING_ATTENDEE),
    ),
    Group("feedback", "Feedback, compliments and complaints", (EqualityResponse.Context.FEEDBACK,)),
    Group("surveys", "Consultation surveys", (EqualityResponse.Context.SURVEY,)),
)


def equality_group(key: str) -> Group | None:
    return next((group for group in GROUPS if group.key == key), None)


@dataclass(frozen=True)
class Cell:
    count: int | None  # None: too few to show
    share: int | None  # whole per cent of those in the area who answered the question


@dataclass(frozen=True)
class AreaRow:
    name: str
    is_force_wide: bool
    responses: int | None
    answered: int | None
    cells: list[Cell]


@dataclass(frozen=True)
class StrandTable:
    strand: str
    label: str
    answers: list[str]
    rows: list[AreaRow]


@dataclass(frozen=True)
class EqualityTables:
    group: Group
    minimum: int
    responses: int | None
    tables: list[StrandTable]


def _tallies(contexts: tuple[str, ...]) -> tuple[Counter, dict[tuple[int | None, str], Counter]]:
    """Responses per area and answers per (area, question), in one grouped query; area None is
    force-wide (it also holds the responses given without a district)."""
    responses: Counter = Counter()
    answers: dict[tuple[int | None, str], Counter] = defaultdict(Counter)
    rows = (
        EqualityResponse.objects.filter(context__in=contexts)
        .values("district_id", *EqualityResponse.STRANDS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        areas = (None,) if row["district_id"] is None else (None, row["district_id"])
        for area in areas:
            responses[area] += row["n"]
            for strand in EqualityResponse.STRANDS:
                if row[strand]:
                    answers[(area, strand)][row[strand]] += row["n"]
    return responses, answers


def _grid(strand: str, areas: list[int | None], answers, small_areas: set[int], minimum: int) -> Grid:
    values = [value for value, _label in EqualityResponse.strand_choices(strand)]
    counts = [{value: answers[(area, strand)][value] for value in values} for area in areas]
    grid = grid_suppressed(values, counts, small_areas, minimum)
    protect(grid)
    return grid


def _table(strand: str, names: list[str], responses: list[int | None], grid: Grid) -> StrandTable:
    rows = []
    for index, name in enumerate(names):
        answered = None if index in grid.hidden_totals else grid.answered[index]
        cells = []
        for value in grid.values:
            count = None if (index, value) in grid.hidden else grid.counts[index][value]
            share = round(100 * count / answered) if count is not None and answered else None
            cells.append(Cell(count, share))
        rows.append(AreaRow(name, index == 0, responses[index], answered, cells))
    labels = [label for _value, label in EqualityResponse.strand_choices(strand)]
    return StrandTable(strand, STRAND_LABELS[strand], labels, rows)


def equality_tables(*, group: Group, minimum: int | None = None) -> EqualityTables:
    """The group's answers to each question, force-wide then per district, with small groups hidden.

    Only counts and shares leave this function; any figure that is, or would reveal, a group
    smaller than ``minimum`` (default settings.PACT_EQUALITY_MINIMUM) is None. Two queries.
    """
    minimum = settings.PACT_EQUALITY_MINIMUM if minimum is None else minimum
    districts = list(District.objects.order_by("name").values_list("pk", "name"))
    responses, answers = _tallies(group.contexts)
    areas: list[int | None] = [None, *(pk for pk, _name in districts)]
    names = [FORCE_WIDE, *(name for _pk, name in districts)]
    totals = [responses[area] for area in areas]
    # An area nobody answered from shows its zeros: they say nothing about anyone.
    small = {index for index, total in enumerate(totals) if 0 < total < minimum}
    shown_totals = [None if index in small else total for index, total in enumerate(totals)]
    tables = []
    for strand in EqualityResponse.STRANDS:
        grid = _grid(strand, areas, answers, small, minimum)
        tables.append(_table(strand, names, shown_totals, grid))
    return EqualityTables(group=group, minimum=minimum, responses=shown_totals[0], tables=tables)


def equality_csv_rows(tables: EqualityTables) -> list[list[str]]:
    """The same protected figures as rows for a CSV file: "[c]" where a figure is hidden."""
    rows = [["Group", "Area", "Question", "Answer", "Count", "Per cent of those answering", "Answered"]]
    for table in tables.tables:
        for row in table.rows:
            answered = "[c]" if row.answered is None else str(row.answered)
            for label, cell in zip(table.answers, row.cells, strict=True):
                count = "[c]" if cell.count is None else str(cell.count)
                # Blank where nobody answered, so there is no per cent to give.
                share = "[c]" if cell.count is None or row.answered is None else str(cell.share or "")
                rows.append([tables.group.label, row.name, table.label, label, count, share, answered])
    return rows


def equality_already_answered(*, scope: str, token: str) -> bool:
    """Whether this browser's token has answered for ``scope`` (a meeting or a panel) already."""
    key = equality_repeat_key(scope=scope, token=token)
    return bool(key) and EqualityRepeatKey.objects.filter(key=key).exists()


def paper_forms_entered(*, meeting_pk: int) -> int:
    """How many paper forms staff have typed in for a meeting, counted from the audit trail
    (the answers themselves carry no link to the meeting)."""
    return AuditEvent.objects.filter(action=PAPER_ENTERED, data__meeting=meeting_pk).count()
