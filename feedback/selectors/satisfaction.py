"""The satisfaction-after-a-concern report: how residents rated the handling of their concerns.

Per neighbourhood team or per district, by month, with small numbers hidden by the rule of
every published table here (feedback.selectors.disclosure): a month's row with fewer answers
than the minimum shows none of its figures, and a count below the minimum, or one that the
others would give away, is hidden. Both questions are answered together, so their tables are
protected together, with the number of answers as one more column.

A team lies within one district, and the two groupings are separate pages: a district whose
only two teams include one hidden row can give that row away by difference. The minimum is
the guard there; a joint protection of both groupings is left for when the report is public.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.satisfaction import FIXED
from feedback.models import Feedback
from feedback.selectors.disclosure import Grid, grid_suppressed, protect
from wards.models import District, NeighbourhoodTeam

FORCE_WIDE = "Kent and Medway"
MONTHS = 12
BY_TEAM, BY_DISTRICT = "team", "district"
AREA_FIELDS = {BY_TEAM: "team_id", BY_DISTRICT: "ward__district_id"}
# Scores 1 to 5 grouped as people read them: fewer, larger groups also hide less.
SATISFIED, NEITHER, DISSATISFIED = "satisfied", "neither", "dissatisfied"
SCORE_GROUPS = {5: SATISFIED, 4: SATISFIED, 3: NEITHER, 2: DISSATISFIED, 1: DISSATISFIED}
SATISFACTION_LABELS = {SATISFIED: "Satisfied (4 or 5)", NEITHER: "Neither (3)", DISSATISFIED: "Dissatisfied (1 or 2)"}
FIXED_LABELS = {value: f"Fixed: {label.lower()}" for value, label in FIXED}


@dataclass(frozen=True)
class SatisfactionRow:
    name: str
    is_force_wide: bool
    answers: int | None  # None: too few to show
    satisfaction: list[int | None]  # in the order of SATISFACTION_LABELS
    fixed: list[int | None]  # in the order of FIXED_LABELS
    satisfied_share: int | None  # whole per cent satisfied, when it can be shown


@dataclass(frozen=True)
class SatisfactionMonth:
    month: datetime.date
    rows: list[SatisfactionRow]


@dataclass(frozen=True)
class SatisfactionReport:
    by: str
    minimum: int
    months: list[SatisfactionMonth]
    satisfaction_labels: list[str]
    fixed_labels: list[str]


Tallies = dict[datetime.date, dict[int | None, tuple[Counter, Counter]]]


def _tallies(by: str, since: datetime.datetime) -> Tallies:
    """Answers per month and area, by satisfaction group and by "fixed", in one grouped query.
    Area None is force-wide: it also holds answers whose ward has no team."""
    rows = (
        Feedback.objects.filter(kind=Feedback.Kind.SATISFACTION, created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("month", AREA_FIELDS[by], "concern_score", "concern_fixed")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tallies: Tallies = defaultdict(lambda: defaultdict(lambda: (Counter(), Counter())))
    for row in rows:
        month = timezone.localtime(row["month"]).date() if isinstance(row["month"], datetime.datetime) else row["month"]
        area = row[AREA_FIELDS[by]]
        for key in (None,) if area is None else (None, area):
            satisfaction, fixed = tallies[month][key]
            satisfaction[SCORE_GROUPS[row["concern_score"]]] += row["n"]
            fixed[row["concern_fixed"]] += row["n"]
    return tallies


def _hide_row(grid: Grid, index: int) -> bool:
    if index in grid.hidden_totals:
        return False
    grid.hidden_totals.add(index)
    grid.hidden |= {(index, value) for value in grid.values}
    return True


def _protected(areas: list[int | None], counts, minimum: int) -> tuple[Grid, Grid]:
    """Both questions' grids protected together: their rows have the same total (every answer
    gives both), so a total hidden in one is hidden, with its row, in the other."""
    grids = []
    for position, values in enumerate((list(SATISFACTION_LABELS), list(FIXED_LABELS))):
        table = [{value: counts[area][position][value] for value in values} for area in areas]
        grids.append(grid_suppressed(values, table, set(), minimum))
    while True:
        for grid in grids:
            protect(grid)
        hidden_totals = set().union(*(grid.hidden_totals for grid in grids))
        changed = any([_hide_row(grid, index) for grid in grids for index in hidden_totals])
        if not (_protect_totals(grids) or changed):
            return grids[0], grids[1]


def _protect_totals(grids: list[Grid]) -> bool:
    """The answers column: one area's hidden total under a visible force-wide one would be given
    away by the other areas' totals, so a second area's row (the smallest) is hidden too."""
    first = grids[0]
    areas = range(1, len(first.counts))
    if 0 in first.hidden_totals or sum(index in first.hidden_totals for index in areas) != 1:
        return False
    visible = [index for index in areas if index not in first.hidden_totals]
    target = min(visible, key=lambda index: first.answered[index]) if visible else 0
    for grid in grids:
        _hide_row(grid, target)
    return True


def _row(name: str, index: int, satisfaction: Grid, fixed: Grid) -> SatisfactionRow:
    def shown(grid: Grid) -> list[int | None]:
        return [None if (index, value) in grid.hidden else grid.counts[index][value] for value in grid.values]

    answers = None if index in satisfaction.hidden_totals else satisfaction.answered[index]
    satisfied = shown(satisfaction)[0]
    share = round(100 * satisfied / answers) if answers and satisfied is not None else None
    return SatisfactionRow(name, index == 0, answers, shown(satisfaction), shown(fixed), share)


def _area_names(by: str) -> dict[int, str]:
    model = NeighbourhoodTeam if by == BY_TEAM else District
    return dict(model.objects.order_by().values_list("pk", "name"))


def satisfaction_report(*, by: str = BY_TEAM, minimum: int | None = None, today: datetime.date | None = None):
    """The last 12 months of answers, newest month first: force-wide, then each team (or
    district) with answers that month, by name. Figures that are, or would reveal, fewer than
    ``minimum`` answers (default settings.PACT_EQUALITY_MINIMUM) are None. Two queries."""
    minimum = settings.PACT_EQUALITY_MINIMUM if minimum is None else minimum
    today = today or timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    tallies = _tallies(by, since)
    names = _area_names(by) if tallies else {}
    months = []
    for month in sorted(tallies, reverse=True):
        counts = tallies[month]
        areas: list[int | None] = [
            None,
            *sorted((area for area in counts if area is not None), key=lambda area: names.get(area, "")),
        ]
        satisfaction, fixed = _protected(areas, counts, minimum)
        rows = [
            _row(FORCE_WIDE if area is None else names[area], index, satisfaction, fixed)
            for index, area in enumerate(areas)
        ]
        months.append(SatisfactionMonth(month, rows))
    return SatisfactionReport(
        by=by,
        minimum=minimum,
        months=months,
        satisfaction_labels=list(SATISFACTION_LABELS.values()),
        fixed_labels=list(FIXED_LABELS.values()),
    )
