"""Reads of the police.uk crime figures per ward: the ward page, the workspace, the shortlist.

Figures compare a period of the latest months held with the period of the same length just
before it. A period counts only the months imported; when the earlier period holds fewer
months than the latest (or none), there is no fair comparison and no change is given.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from wards.models import CrimeCategory, CrimeMonth, Ward, WardCrimeCount

# The public ward page: three months even out the month-to-month noise of a small area.
WARD_PAGE_MONTHS = 3
# Staff look at what changed since last month.
STAFF_MONTHS = 1
WORKSPACE_LIMIT = 10
# Figures whose newest month is more than this many months before the current one are too
# old to weigh beside today's priorities: pages say so, and ballots leave them out.
STALE_AFTER_MONTHS = 3
POLICE_UK_URL = "https://www.police.uk/"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _label(months: tuple[date, ...]) -> str:
    first, last = months[0], months[-1]
    if first == last:
        return f"{last:%B %Y}"
    return f"{first:%B} to {last:%B %Y}" if first.year == last.year else f"{first:%B %Y} to {last:%B %Y}"


@dataclass(frozen=True)
class Period:
    """The imported months of one period, oldest first, with their ids."""

    months: tuple[date, ...]
    month_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        return _label(self.months)


@dataclass(frozen=True)
class Periods:
    """The latest period of ``length`` months and the one before it (None when no month of it is held)."""

    length: int
    latest: Period
    previous: Period | None
    # The newest month held is more than STALE_AFTER_MONTHS months before the current month.
    stale: bool = False

    @property
    def comparable(self) -> bool:
        return self.previous is not None and len(self.previous.months) == len(self.latest.months)

    @property
    def newest(self) -> date:
        return self.latest.months[-1]

    @property
    def newest_label(self) -> str:
        return f"{self.newest:%B %Y}"


def _today() -> date:
    """Today, UK time: when figures are judged fresh or stale."""
    return timezone.localdate()


def months_old(month: date, today: date) -> int:
    """How many calendar months ``month`` is before ``today``'s month (0: this month)."""
    return (today.year * 12 + today.month) - (month.year * 12 + month.month)


def crime_periods(months: int, today: date | None = None) -> Periods | None:
    """The latest ``months`` calendar months up to the newest month imported, and the same before; None if none held.

    ``stale`` says whether the newest month held is more than STALE_AFTER_MONTHS before
    ``today``'s month (default: today, UK time).
    """
    held = list(CrimeMonth.objects.order_by("-month").values_list("pk", "month")[: 2 * months])
    if not held:
        return None
    newest = held[0][1]
    start = _add_months(newest, 1 - months)
    earlier_start = _add_months(start, -months)

    def period(since: date, until: date) -> Period | None:
        chosen = sorted((day, pk) for pk, day in held if since <= day < until)
        return Period(tuple(day for day, _ in chosen), tuple(pk for _, pk in chosen)) if chosen else None

    latest = period(start, _add_months(newest, 1))
    assert latest is not None  # noqa: S101 - the newest month is always in its own period
    stale = months_old(newest, today or _today()) > STALE_AFTER_MONTHS
    return Periods(months, latest, period(earlier_start, start), stale)


@dataclass(frozen=True)
class Figures:
    """One category's count in the latest period and the one before, in one ward."""

    slug: str
    name: str
    latest: int
    previous: int | None  # None when the periods cannot be compared

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.latest - self.previous

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return "Not known"
        if change == 0:
            return "No change"
        return f"Up {change}" if change > 0 else f"Down {-change}"


def _counts(periods: Periods, ward_ids: Iterable[int], slugs: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One row per ward and category with any records in either period: the sums per period, in one query."""
    month_ids = periods.latest.month_ids + (
        periods.previous.month_ids if periods.comparable and periods.previous else ()
    )
    counts = WardCrimeCount.objects.filter(ward_id__in=list(ward_ids), month_id__in=month_ids)
    if slugs is not None:
        counts = counts.filter(category__slug__in=list(slugs))
    sums: dict[str, Any] = {"latest": Sum("count", filter=Q(month_id__in=periods.latest.month_ids), default=0)}
    if periods.comparable and periods.previous:
        sums["previous"] = Sum("count", filter=Q(month_id__in=periods.previous.month_ids), default=0)
    return list(
        counts.values("ward_id", "category__slug", "category__name", "category__position").annotate(**sums).order_by()
    )


def _figures(row: dict[str, Any], comparable: bool) -> Figures:
    return Figures(row["category__slug"], row["category__name"], row["latest"], row["previous"] if comparable else None)


@dataclass(frozen=True)
class WardCrime:
    """The ward page's crime section: every category's figures, the totals and the chart's scale."""

    periods: Periods | None
    rows: list[Figures]
    total: Figures | None

    @property
    def largest(self) -> int:
        return max((row.latest for row in self.rows), default=0)


def ward_crime(ward: Ward, months: int = WARD_PAGE_MONTHS) -> WardCrime:
    """Every police.uk category's figures in the ward (zero where none), in three queries."""
    periods = crime_periods(months)
    if periods is None:
        return WardCrime(None, [], None)
    found = {row["category__slug"]: row for row in _counts(periods, [ward.pk])}
    comparable = periods.comparable
    rows = []
    for category in CrimeCategory.objects.order_by("position", "name"):
        row = found.get(category.slug, {"latest": 0, "previous": 0})
        rows.append(
            Figures(category.slug, category.name, row["latest"], row.get("previous", 0) if comparable else None)
        )
    total_previous = sum(row.previous or 0 for row in rows) if comparable else None
    total = Figures("all-crime", "All crime", sum(row.latest for row in rows), total_previous)
    return WardCrime(periods, rows, total)


def ward_section(ward: Ward) -> dict[str, Any]:
    """Context of the ward page's crime section (see wards.sections)."""
    crime = ward_crime(ward)
    return {"crime": crime, "chart": _chart(crime), "police_uk_url": POLICE_UK_URL}


# The chart's geometry, in SVG user units: a label column, then the bar, then its number.
_BAR_X, _BAR_MAX, _ROW = 250, 300, 28


def _chart(crime: WardCrime) -> dict[str, Any] | None:
    """Bars for the chart, drawn as SVG attributes (no inline styles), with each number as text."""
    if not crime.rows or not crime.largest:
        return None
    bars = [
        {
            "row": row,
            "y": index * _ROW,
            "text_y": index * _ROW + 19,
            "width": round(_BAR_MAX * row.latest / crime.largest, 1),
            "value_x": _BAR_X + round(_BAR_MAX * row.latest / crime.largest, 1) + 6,
        }
        for index, row in enumerate(crime.rows)
    ]
    return {"bars": bars, "height": len(bars) * _ROW, "bar_x": _BAR_X, "label_x": _BAR_X - 8}


@dataclass(frozen=True)
class RankedFigures:
    ward_code: str
    ward_name: str
    figures: Figures


@dataclass(frozen=True)
class WorkspaceCrime:
    """The user's wards' categories ranked by count, and separately by rise."""

    periods: Periods | None
    highest: list[RankedFigures]
    rises: list[RankedFigures]


def workspace_crime(wards: list[Ward], months: int = STAFF_MONTHS) -> WorkspaceCrime:
    """Rank the categories of the given wards: highest counts first, then the biggest rises; two queries."""
    periods = crime_periods(months) if wards else None
    if periods is None:
        return WorkspaceCrime(periods, [], [])
    by_id = {ward.pk: ward for ward in wards}
    ranked = [
        RankedFigures(by_id[row["ward_id"]].code, by_id[row["ward_id"]].name, _figures(row, periods.comparable))
        for row in _counts(periods, by_id)
    ]
    highest = sorted(ranked, key=lambda r: (-r.figures.latest, -(r.figures.change or 0), r.ward_name, r.figures.name))
    rises = [r for r in ranked if (r.figures.change or 0) > 0]
    rises.sort(key=lambda r: (-(r.figures.change or 0), -r.figures.latest, r.ward_name, r.figures.name))
    return WorkspaceCrime(periods, highest[:WORKSPACE_LIMIT], rises[:WORKSPACE_LIMIT])


@dataclass(frozen=True)
class Beside:
    """One category's figures in one ward, with the periods they cover.

    When the figures held are stale, ``figures`` is None: they are left out of the evidence
    a panel weighs, and only the month they stop at is said.
    """

    periods: Periods
    figures: Figures | None


def crime_beside(pairs: Sequence[tuple[int, str | None]], months: int = STAFF_MONTHS) -> list[Beside | None]:
    """For each (ward id, police.uk category slug) pair, e.g. each concern a chair shortlists, its figures.

    Give None as the slug of a category police.uk does not count (speeding, parking): its
    entry is None, as is every entry while no crime month is held. Figures too old to weigh
    (``Periods.stale``) are left out: each entry says only how old they are. Two queries in all.
    """
    wanted = {(ward, slug) for ward, slug in pairs if slug}
    periods = crime_periods(months) if wanted else None
    if periods is None:
        return [None] * len(pairs)
    if periods.stale:
        return [Beside(periods, None) if slug else None for _, slug in pairs]
    rows = _counts(periods, {ward for ward, _ in wanted}, {slug for _, slug in wanted})
    found = {(row["ward_id"], row["category__slug"]): _figures(row, periods.comparable) for row in rows}
    zero = 0 if periods.comparable else None
    return [
        Beside(periods, found.get((ward, slug)) or Figures(slug, "", 0, zero)) if slug else None for ward, slug in pairs
    ]
