"""The small-numbers rule of every published table of residents' answers (statistical disclosure control).

A table has a row per area (row 0 the force-wide total, then one row per area) and a column
per answer. A count below the minimum is hidden (primary suppression); where exactly one
count of a row is hidden, its row's total would give it away, so the next smallest is hidden
too; and where one area's count is hidden in a column, the force-wide figure minus the other
areas would give it away, so a second area's is hidden too (secondary suppression). The
equality report and the satisfaction report both use it.
"""

from dataclasses import dataclass


def suppressed(counts: dict[str, int], minimum: int) -> dict[str, int | None]:
    """Hide every count below ``minimum``. Where exactly one is hidden, the total would reveal
    it, so the next smallest is hidden too (secondary suppression)."""
    shown: dict[str, int | None] = {key: (None if 0 < count < minimum else count) for key, count in counts.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        others = [key for key, value in shown.items() if value]
        if others:
            shown[min(others, key=lambda key: counts[key])] = None
    return shown


@dataclass
class Grid:
    """One question's true counts, row 0 force-wide, then one row per area."""

    values: list[str]
    counts: list[dict[str, int]]
    answered: list[int]
    hidden: set[tuple[int, str]]
    hidden_totals: set[int]


def grid_suppressed(values: list[str], counts: list[dict[str, int]], small_rows: set[int], minimum: int) -> Grid:
    """A grid with its rows' small counts hidden: every count of a row in ``small_rows`` or with
    fewer answers than ``minimum`` (but some), and the small counts of the others. Then protect it."""
    grid = Grid(values, counts, [sum(row.values()) for row in counts], set(), set())
    for index in range(len(counts)):
        if index in small_rows or 0 < grid.answered[index] < minimum:
            grid.hidden_totals.add(index)
            grid.hidden |= {(index, value) for value in values}
        else:
            shown = suppressed(counts[index], minimum)
            grid.hidden |= {(index, value) for value, count in shown.items() if count is None}
    return grid


def _hide_another(grid: Grid, candidates: list[tuple[int, str]]) -> bool:
    visible = [cell for cell in candidates if cell not in grid.hidden and grid.counts[cell[0]][cell[1]] > 0]
    if not visible:
        return False
    grid.hidden.add(min(visible, key=lambda cell: grid.counts[cell[0]][cell[1]]))
    return True


def _protect_once(grid: Grid) -> bool:
    """Fix the first row or column with exactly one hidden count under a visible total."""
    for index in range(len(grid.counts)):
        row = [(index, value) for value in grid.values]
        if index not in grid.hidden_totals and sum(cell in grid.hidden for cell in row) == 1:
            if not _hide_another(grid, row):
                grid.hidden_totals.add(index)
            return True
    for value in grid.values:
        column = [(index, value) for index in range(1, len(grid.counts))]
        if (0, value) not in grid.hidden and sum(cell in grid.hidden for cell in column) == 1:
            if not _hide_another(grid, column):
                grid.hidden.add((0, value))
            return True
    return False


def protect(grid: Grid) -> None:
    """Secondary suppression until no row or column has exactly one hidden count under a visible total."""
    # Each pass hides at least one more figure, so this ends.
    while _protect_once(grid):
        pass
